// Parameter declarations in the model text (`param NAME[shape] = init`), read and rewritten
// as text, so the parameter table edits the model itself.
const DECL = /^(\s*)param\s+([A-Za-z_]\w*)\s*(\[[^\]]*\])?\s*=\s*(.*?)\s*$/;

export function parseParams(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (line.includes(';')) continue;
    const m = DECL.exec(line);
    if (m) out.push({ name: m[2], shape: m[3] ? m[3].slice(1, -1).trim() : '', init: m[4] });
  }
  return out;
}

export function rewriteParam(text, name, shape, init) {
  return text.split('\n').map((line) => {
    const m = DECL.exec(line);
    if (!m || m[2] !== name || line.includes(';')) return line;
    return `${m[1]}param ${name}${shape ? `[${shape.replace(/^\[|\]$/g, '')}]` : ''} = ${init || '0.0'}`;
  }).join('\n');
}
