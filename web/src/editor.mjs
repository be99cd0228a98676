// The model editor: CodeMirror 6 with a small stream highlighter for gradlab's model
// language and inline diagnostics pushed from the engine's compile errors.
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { HighlightStyle, StreamLanguage, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers } from '@codemirror/view';
import { tags } from '@lezer/highlight';

const KEYWORDS = new Set(['param', 'loss']);
// <gen:functions> (the op table's model-language names: node .ci/gen_ops.mjs)
const TABLE_FUNCTIONS = ['neg', 'exp', 'log', 'sqrt', 'abs', 'sin', 'cos', 'atan', 'tanh', 'sigmoid', 'relu', 'silu', 'pow', 'clamp', 'maximum', 'leaky_relu', 'elu', 'gelu', 'softplus', 'softmax', 'log_softmax', 'sum', 'mean', 'max', 'min', 'matmul', 'mm', 'dot', 'linear', 't', 'transpose', 'squeeze', 'unsqueeze', 'mse_loss', 'l1_loss', 'huber_loss', 'binary_cross_entropy', 'binary_cross_entropy_with_logits', 'cross_entropy'];
// </gen:functions>
const FUNCTIONS = new RegExp(`^(${[
  ...TABLE_FUNCTIONS,
  'randn', 'uniform', 'zeros', 'ones', 'T', 'mT',
].join('|')})\\b`);

const modelLanguage = StreamLanguage.define({
  name: 'gradlab-model',
  token(stream) {
    if (stream.eatSpace()) return null;
    if (stream.match('#')) { stream.skipToEnd(); return 'comment'; }
    if (stream.match(/^\d+(\.\d*)?([eE][-+]?\d+)?|^\.\d+([eE][-+]?\d+)?/)) return 'number';
    if (stream.match(/^[A-Za-z_]\w*/)) {
      const w = stream.current();
      if (KEYWORDS.has(w)) return 'keyword';
      if (FUNCTIONS.test(w) && stream.peek() === '(') return 'function';
      return 'variableName';
    }
    if (stream.match(/^(\*\*|[-+*/@=<>])/)) return 'operator';
    stream.next();
    return 'punctuation';
  },
  tokenTable: { function: tags.function(tags.variableName) },
});

const style = HighlightStyle.define([
  { tag: tags.keyword, color: '#7c3aed', fontWeight: '600' },
  { tag: tags.comment, color: '#6b7280', fontStyle: 'italic' },
  { tag: tags.number, color: '#b45309' },
  { tag: tags.operator, color: '#be123c' },
  { tag: tags.function(tags.variableName), color: '#0369a1' },
  { tag: tags.variableName, color: '#111827' },
]);

const theme = EditorView.theme({
  '&': { fontSize: '0.9rem', maxHeight: '18rem', backgroundColor: '#fff' },
  '.cm-scroller': { fontFamily: 'ui-monospace, monospace' },
  '&.cm-focused': { outline: '3px solid #2563eb' },
});

export function createEditor(host, text, onChange) {
  let silent = false;  // setText() is not an edit
  // CodeMirror's styles go into constructed style sheets, which the page's CSP (style-src
  // 'self', no inline <style>) allows; style-mod uses them only inside a shadow root.
  const root = host.attachShadow({ mode: 'open' });
  const parent = document.createElement('div');
  root.appendChild(parent);
  const view = new EditorView({
    parent,
    root,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(),
        history(),
        keymap.of([...defaultKeymap, ...historyKeymap]),
        modelLanguage,
        syntaxHighlighting(style),
        theme,
        lintGutter(),
        EditorView.contentAttributes.of({ 'aria-label': 'Model', 'aria-describedby': 'model-status' }),
        EditorView.updateListener.of((u) => { if (u.docChanged && !silent) onChange(u.state.doc.toString()); }),
        // Text and line breaks go through CodeMirror, not Chrome's own editing: typing over a
        // selection, or a newline inside a highlighted token, makes Chrome split and merge the
        // lines with inline styles (to keep the token's colour), which the page's CSP blocks
        // and reports. (Found by the random-interaction test; IME composition is left alone.)
        EditorView.domEventHandlers({
          beforeinput(e, v) {
            if (v.composing) return false;
            let text;
            if (e.inputType === 'insertText' && e.data) text = e.data;
            else if (e.inputType === 'insertLineBreak' || e.inputType === 'insertParagraph') text = '\n';
            else return false;
            e.preventDefault();
            v.dispatch({ ...v.state.replaceSelection(text), userEvent: 'input.type', scrollIntoView: true });
            return true;
          },
        }),
      ],
    }),
  });

  return {
    view,
    text: () => view.state.doc.toString(),
    setText(t) {
      if (t === view.state.doc.toString()) return;
      silent = true;
      try {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: t } });
      } finally {
        silent = false;
      }
    },
    /** err: { line, col, endCol, type, message } (1-based), or null to clear. */
    showError(err) {
      const doc = view.state.doc;
      const diags = [];
      if (err && err.line >= 1 && err.line <= doc.lines) {
        const line = doc.line(err.line);
        const from = Math.min(line.from + Math.max(0, err.col - 1), line.to);
        const to = Math.max(from, Math.min(line.from + Math.max(err.col, err.endCol - 1), line.to));
        diags.push({ from, to: to === from && to < doc.length ? to + 1 : to, severity: 'error', message: `${err.type}: ${err.message}` });
      }
      view.dispatch(setDiagnostics(view.state, diags));
    },
  };
}
