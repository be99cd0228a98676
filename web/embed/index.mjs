// gradlab-embed.js: one script tag registers the gradlab elements (see README.md, Embedding):
//   <script type="module" src="gradlab-embed.js"></script>
//   <gradlab-playground preset="thermometer" optimizer="Adam" lr="0.1"></gradlab-playground>
// The WebAssembly engine is inlined (the single-file build): nothing else to copy.
import { GradlabAccumulate } from './accumulate.mjs';
import { GradlabGraph } from './graph-widget.mjs';
import { GradlabLandscape } from './landscape-widget.mjs';
import { GradlabPlayground } from './playground.mjs';
import { GradlabRace } from './race-widget.mjs';
import { serveEngine } from './local-engine.mjs';

export { GradlabAccumulate, GradlabGraph, GradlabLandscape, GradlabPlayground, GradlabRace };

// The same file is the page's engine worker (see local-engine.mjs): there it only serves.
const inWorker = typeof WorkerGlobalScope !== 'undefined' && globalThis instanceof WorkerGlobalScope;
if (inWorker) serveEngine(globalThis);

// elements with `state-from-hash` follow the page's hash (the iframe form, embed.html#<state>):
// the state itself, plus `panels` and `lang`, which the state does not carry
function followHash() {
  const q = new URLSearchParams(location.hash.replace(/^#/, ''));
  for (const el of document.querySelectorAll('[state-from-hash]')) {
    if (q.has('panels')) el.setAttribute('panels', q.get('panels'));
    el.setAttribute('state', location.hash.replace(/^#/, ''));
  }
}
if (!inWorker) {
  followHash();
  addEventListener('hashchange', followHash);
}

const ELEMENTS = {
  'gradlab-playground': GradlabPlayground,
  'gradlab-graph': GradlabGraph,
  'gradlab-accumulate': GradlabAccumulate,
  'gradlab-race': GradlabRace,
  'gradlab-landscape': GradlabLandscape,
};
if (!inWorker) {
  for (const [name, cls] of Object.entries(ELEMENTS)) {
    if (!customElements.get(name)) customElements.define(name, cls);
  }
}
