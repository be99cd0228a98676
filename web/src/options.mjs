// Option inputs for an optimizer or scheduler: one field per option, showing PyTorch's default
// until the learner changes it (None, bool, number, string, tuple).
const optRepr = (v) => (v === null ? 'None' : Array.isArray(v) ? v.join(', ') : String(v));
/** The value an option's text stands for, read by the type of its default. */
export function parseOpt(text, def) {
  const s = text.trim();
  if (s === 'None' || s === '') return null;
  if (typeof def === 'boolean') return s === 'true' || s === 'True';
  if (Array.isArray(def)) return s.split(/[,\s]+/).filter(Boolean).map(Number);
  if (typeof def === 'number' || def === null) {
    // as Python's float(): nan and inf are numbers (so lr = nan meets PyTorch's own check)
    if (/^[-+]?nan$/i.test(s)) return NaN;
    if (/^[-+]?inf(inity)?$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
    const n = Number(s);
    return Number.isNaN(n) ? s : n;
  }
  return s;
}

export function optionFields(container, defaults, current, onChange, prefix) {
  const fields = Object.entries(defaults).map(([k, def]) => {
    const id = `${prefix}-${k}`;
    const label = Object.assign(document.createElement('label'), { htmlFor: id, textContent: k });
    const v = Object.prototype.hasOwnProperty.call(current, k) ? current[k] : def;
    const field = document.createElement('span');
    field.className = 'field';
    let input;
    if (typeof def === 'boolean') {
      input = Object.assign(document.createElement('input'), { type: 'checkbox', checked: !!v, id });
      input.addEventListener('change', () => onChange(k, input.checked, def));
      field.append(input, ' ', label);
    } else {
      input = Object.assign(document.createElement('input'), { type: 'text', value: optRepr(v), id, size: 10 });
      input.addEventListener('change', () => onChange(k, parseOpt(input.value, def), def));
      field.append(label, ' ', input);
    }
    return field;
  });
  container.replaceChildren(...fields);
}
