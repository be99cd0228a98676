// The playground page: wires the state (state.mjs), the engine worker (engine.mjs) and the
// views. Views render from state and from the run store below; nothing here calls Embind.
import { createEditor } from './editor.mjs';
import { Engine, Player } from './engine.mjs';
import { drawGraph } from './graph.mjs';
import { fmtLoss, fullText, tensorText } from './format.mjs';
import { Chart, thin } from './charts.mjs';
import { atEpochs } from './thin.mjs';
import { drawLandscape, landscapeGridSize, landscapeQuery, paramElements } from './landscape.mjs';
import { drawScatter } from './scatter.mjs';
import { setLanguage, t } from './i18n.mjs';
import { State, presetSettings } from './state.mjs';
import { absorbSnapshot, emptyRun, firstElements, gradSeries } from './run.mjs';
import { parseParams, rewriteParam } from './params.mjs';
import { optionFields } from './options.mjs';
import { compareSeries, parseRaceLine, raceSeries } from './race.mjs';
import { loopLines } from './loop.mjs';
import { embedSnippets } from './snippets.mjs';

const $ = (id) => document.getElementById(id);
const state = new State();
let meta = null;          // presets, optimizers, schedulers (from the engine)
let run = emptyRun();     // what the engine recorded, accumulated on this side
let lastPhase = '';       // the phase the step buttons ran last
let dirty = false;
let graphAnimate = false;
let landscapeTimer = 0;
let modelCheckTimer = 0;
let snapshots = 0;        // snapshots absorbed: what the landscape was computed for
// The engine computes a landscape in slices after a run; a grid that would take longer than
// this is made coarser, or skipped with a note (web/src/host.mjs).
const LANDSCAPE_BUDGET_MS = 3000;
// The parameter table lists this many parameters at most (a model may declare thousands).
const MAX_PARAM_ROWS = 100;
// ... and initial values up to this long in their fields (longer ones are edited in the model)
const MAX_INIT_CHARS = 200;

const engine = new Engine(new URL('/web/worker.mjs', location.href));
const player = new Player(engine);
engine.onSnapshot = (snap) => absorb(snap);

// ------------------------------------------------------------------ engine round trips
const nextTask = () => new Promise((r) => setTimeout(r, 0));
let configures = 0;
// #model-status is aria-busy while what it says is not yet about the editor's text: a check
// or a configuration is on its way (tests wait for it rather than for a text already shown)
const modelBusy = (on) => { if (on) $('model-status').setAttribute('aria-busy', 'true'); else $('model-status').removeAttribute('aria-busy'); };

// The whole engine state goes with every change and the engine does the least work
// (web/src/host.mjs): an lr change keeps the run (a run in progress goes on with it), anything
// else starts it over, and then the run in flight is the old one's.
async function configure() {
  const cfg = state.engineConfig(meta.presets);
  const mine = ++configures;
  modelBusy(true);
  const token = player.token;
  const r = await engine.configure(cfg);
  if (r.restarted) {
    player.stopIf(token);  // the engine stopped the run: its last messages are the old run's
    lastPhase = '';
    run.data = r.data;
  }
  // the editor in a task of its own (a long model's first display is the editor's costliest)
  await nextTask();
  if (mine !== configures) return;  // a newer configuration is on its way
  editor.setText(cfg.model);
  // the model's error shows under the editor; bad data or optimizer options show here, even
  // with a model error (bad CSV column names break the model too: the data is the cause)
  const errs = [r.presetError, r.dataError, r.optimizerError].filter(Boolean);
  const err = errs.length > 0;
  $('engine-error').hidden = !err;
  if (err) $('engine-error').textContent = errs.map((e) => `${e.type}: ${e.message}`).join('\n');
  // it stays on screen until the next configuration (the readout would hide it on the next
  // frame otherwise: it shows only the run's errors)
  if (err) $('engine-error').dataset.sticky = '1';
  else delete $('engine-error').dataset.sticky;
  editor.showError(r.modelError);
  modelStatus(r.modelError ? `${r.modelError.type}: ${r.modelError.message}` : null, 'modelOk');
  $('model-status').classList.toggle('error', !!r.modelError);
  modelBusy(false);
  renderAll();
}

// every snapshot from the worker, in order (engine.onSnapshot)
function absorb(snap) {
  if (!snap) return;
  if (snap.fresh) runTarget = 0;
  run = absorbSnapshot(run, snap);
  snapshots++;
  dirty = true;
}

let runTarget = 0;  // the epoch a paused run was heading for: Run resumes it
async function startRun() {
  let epochs = Math.max(1, Math.min(1_000_000, Math.floor(state.get('epochs'))));
  if (runTarget > run.epoch) epochs = runTarget - run.epoch;
  else runTarget = run.epoch + epochs;
  const start = run.epoch;
  $('run').disabled = true;
  clearTimeout(landscapeTimer);  // (the run itself stops a landscape being computed)
  run.gradCalls = [];
  const done = await player.run(epochs, (msg) => {
    run.progress = (msg.snapshot.epoch - start) / Math.max(1, msg.target - start);
  });
  $('run').disabled = false;
  if (!done) return;
  if (!done.cancelled) runTarget = 0;
  run.progress = done.cancelled ? run.progress : 1;
  lastPhase = 'step';
  graphAnimate = false;
  renderAll();
}

async function doPhase(name) {
  const r = await player.act(() => engine.phase(name));
  if (!r) return;
  lastPhase = name;
  if (name === 'backward' && r.ok) run.gradCalls.push(firstElements(r.snapshot.params));
  graphAnimate = name === 'backward' && r.ok;
  renderAll();
}

async function resetRun() {
  const r = await player.act(() => engine.reset());
  if (!r) return;
  lastPhase = '';
  renderAll();
}

// ------------------------------------------------------------------ views
function renderReadout() {
  $('epoch').textContent = String(run.epoch);
  const lossNow = run.loss.length ? run.loss[run.loss.length - 1] : run.lastLoss;
  $('loss').dataset.full = String(lossNow);
  $('loss').textContent = run.loss.length ? fmtLoss(run.loss[run.loss.length - 1]) : Number.isFinite(run.lastLoss) ? fmtLoss(run.lastLoss) : '–';
  $('progress').value = run.progress ?? 0;
  const errs = run.errors ?? [];
  const last = errs[errs.length - 1];
  if (last) {
    $('engine-error').hidden = false;
    $('engine-error').textContent = `${last.type}: ${last.message}`;
  } else if (!$('engine-error').dataset.sticky) {
    $('engine-error').hidden = true;
  }
  const banner = $('banner');
  if (run.firstNonfiniteEpoch > 0) {
    const v = run.loss[run.firstNonfiniteEpoch - 1];
    const raw = !state.get('normalize');
    $('fix-normalize').hidden = !raw;
    $('banner-text').textContent = t(raw ? 'diverged' : 'divergedLr', {
      epoch: run.firstNonfiniteEpoch, value: Number.isNaN(v) ? 'nan' : 'inf',
      param: run.firstNonfiniteParam || '?', pepoch: run.firstNonfiniteParamEpoch || run.firstNonfiniteEpoch,
    });
    banner.hidden = false;
  } else {
    banner.hidden = true;
  }
  const ul = $('diagnostics');
  ul.replaceChildren(...(run.diagnostics ?? []).map((d) => Object.assign(document.createElement('li'), { textContent: d })));
}

// Bounded whatever the model: at most MAX_PARAM_ROWS rows, and tensors over PyTorch's print
// threshold summarised as it prints them (a 200,000-element literal once made a 1.2 MB cell
// whose layout held the page's thread for seconds).
function renderParams() {
  const tbody = $('param-table').tBodies[0];
  const decl = parseParams(editor.text());
  const all = run.params ?? [];
  const shown = all.slice(0, MAX_PARAM_ROWS);
  const rows = shown.map((p) => {
    const tr = document.createElement('tr');
    const d = decl.find((x) => x.name === p.name);
    const cell = (content) => { const td = document.createElement('td'); td.append(content); tr.appendChild(td); return td; };
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = p.name;
    tr.appendChild(th);
    const shape = Object.assign(document.createElement('input'), { value: d?.shape ?? '', size: 6, disabled: !d });
    shape.setAttribute('aria-label', `${p.name} shape`);
    shape.placeholder = 'scalar';
    // an initial value written out at length (a literal of thousands of numbers) is edited in
    // the model: the field shows its start and size (a 1.2 MB <input> value took the page's
    // layout 0.5 s)
    const long = d && d.init.length > MAX_INIT_CHARS;
    const init = Object.assign(document.createElement('input'), {
      value: long ? t('longInit', { start: d.init.slice(0, 40), n: d.init.length.toLocaleString('en') }) : d?.init ?? '0.0 (free name)',
      size: 14, disabled: !d || long,
    });
    init.setAttribute('aria-label', `${p.name} initial value`);
    const commit = () => editModel(rewriteParam(editor.text(), p.name, shape.value.trim(), init.value.trim()));
    shape.addEventListener('change', commit);
    init.addEventListener('change', commit);
    cell(shape);
    cell(init);
    // one number (or None) never breaks, not even at its exponent's '-'; lists wrap at spaces
    const numClass = (xs) => (xs == null || xs.length <= 1 ? 'num one' : 'num');
    const v = cell(tensorText(p.value));
    v.className = numClass(p.value);
    v.dataset.param = p.name;
    v.dataset.role = 'value';
    const full = (td, xs) => { const f = fullText(xs); if (f === null) td.dataset.numel = String(xs.length); else td.dataset.full = f; };
    full(v, p.value);
    const g = cell(tensorText(p.grad));
    g.className = numClass(p.grad);
    g.dataset.param = p.name;
    g.dataset.role = 'grad';
    full(g, p.grad);
    return tr;
  });
  if (all.length > shown.length) {
    const tr = document.createElement('tr');
    const td = document.createElement('td');
    td.colSpan = 5;
    td.className = 'hint';
    td.textContent = t('moreParams', { n: all.length - shown.length, total: all.length });
    tr.appendChild(td);
    rows.push(tr);
  }
  tbody.replaceChildren(...rows);
  $('grad-now').dataset.calls = String(run.gradCalls.length);  // backward() calls by hand
  $('grad-now').replaceChildren(...shown.map((p) => {
    const li = document.createElement('li');
    const code = document.createElement('code');
    code.textContent = `${p.name}.grad = ${tensorText(p.grad)}`;
    code.dataset.param = p.name;
    li.appendChild(code);
    return li;
  }));
}

function renderLoop() {
  const lines = loopLines({ manual: state.get('optimizer') === meta?.manual.name, zeroGrad: state.get('zeroGrad'), noGrad: state.get('manualNoGrad'), epoch: run.epoch + 1 });
  $('loop-code').replaceChildren(...lines.map(([phase, text]) => {
    const span = document.createElement('span');
    span.className = 'line' + (phase && phase === lastPhase ? ' active' : '');
    span.textContent = text + '\n';
    return span;
  }));
  for (const [id, phase] of [['do-forward', 'forward'], ['do-zero-grad', 'zero_grad'], ['do-backward', 'backward'], ['do-step', 'step']]) {
    $(id).classList.toggle('active', phase === lastPhase);
  }
}

const charts = {};
function renderCharts() {
  renderLossChart();
  renderGradChart();
  renderStateChart();
  renderFitChart();
}

function renderLossChart() {
  const log = state.get('logScale');
  charts.loss.setLog(log);
  const [x, y] = thin(run.loss);
  charts.loss.setData(x, [y], ['loss']);
}

// .grad history: per backward call when stepping by hand, per epoch (as step() read it) in runs
function renderGradChart() {
  const g = gradSeries(run, ' (as step() read it)');
  charts.grad.setData(g.x, g.ys, g.labels, g.axis);
}

// optimizer state and lr
function renderStateChart() {
  const shown = run.stateHist.filter((s) => s.key !== 'step');  // a counter, not a state to watch
  const [lrX, lrY] = thin(run.lr);
  const st = shown.map((s) => atEpochs(s.values, s.numel, lrX));
  charts.state.setData(lrX, [lrY, ...st], ['lr', ...shown.map((s) => `${s.param}.${s.key}${s.numel > 1 ? '[0]' : ''}`)]);
}

// data and fit
function renderFitChart() {
  const data = run.data;
  const inputs = data?.columns.filter((c) => c.name !== data.target) ?? [];
  const target = data?.columns.find((c) => c.name === data.target);
  const classes = target && inputs.length === 2 && target.values.every((v) => v === 0 || v === 1);
  $('fit-chart').hidden = !!classes;
  $('fit-scatter').hidden = !classes;
  if (classes) {
    drawScatter($('fit-scatter'), inputs[0].values, inputs[1].values, target.values, run.predictions, [inputs[0].name, inputs[1].name]);
  } else if (data && data.target) {
    const target = data.columns.find((c) => c.name === data.target);
    const input = data.columns.find((c) => c.name !== data.target);
    const order = fitRows(input);
    const xs = order.map((i) => input.values[i]);
    const ys = [order.map((i) => target.values[i])];
    const labels = [data.target];
    if (run.predictions) { ys.push(order.map((i) => run.predictions[i])); labels.push('model'); }
    charts.fit.setData(xs, ys, labels);
  } else {
    charts.fit.setData([], [[]], ['(no target column)']);
  }
}

// The fit chart's rows in input order, at most 2,000 of them, sorted once per data set: a
// 10^6-row CSV sorted on every animation frame froze the page.
const fitOrder = new WeakMap();
function fitRows(input) {
  let order = fitOrder.get(input);
  if (!order) {
    const all = Array.from(input.values, (_, i) => i).sort((a, b) => input.values[a] - input.values[b]);
    const stride = Math.max(1, Math.ceil(all.length / 2000));
    order = stride === 1 ? all : all.filter((_, k) => k % stride === 0);
    fitOrder.set(input, order);
  }
  return order;
}

function renderGraph() { drawGraph($('graph'), run.graph, { animate: graphAnimate, lang: state.get('lang') }); graphAnimate = false; }

function renderLandscapeAxes() {
  const els = paramElements(run.params);
  for (const [id, key] of [['land-x', 'landscapeX'], ['land-y', 'landscapeY']]) {
    const sel = $(id);
    const want = els.some((o) => o.value === state.get(key)) ? state.get(key) : els[id === 'land-x' ? 0 : 1]?.value;
    sel.replaceChildren(...els.map((o) => new Option(o.label, o.value, false, o.value === want)));
  }
}

// The landscape is asked for after a run (never during one: the engine would answer
// cancelled), once per new set of records and axes; the engine computes it in slices that any
// newer request stops, and says when it made the grid coarser or skipped it.
let landscapeKey = '';
let landscapeAsk = 0;
function scheduleLandscape() {
  clearTimeout(landscapeTimer);
  if (player.running || racing) return;
  landscapeTimer = setTimeout(() => updateLandscape().catch(() => {}), 60);
}

function landscapeNote(text) {
  $('landscape-note').textContent = text;
  $('landscape-note').hidden = !text;
}

async function updateLandscape() {
  const q = landscapeQuery(run, $('land-x').value, $('land-y').value);
  if (!q) { $('landscape').replaceChildren(); landscapeNote(''); landscapeKey = ''; return; }
  const n = landscapeGridSize(run);
  const key = JSON.stringify([q.x, q.y, n, snapshots]);
  if (key === landscapeKey) return;  // drawn already, or being computed
  landscapeKey = key;
  const ask = ++landscapeAsk;
  landscapeNote(t('landscapeComputing', { n }));
  $('landscape').dataset.state = 'computing';
  let r;
  try {
    r = await engine.landscape(q.x, q.y, n, LANDSCAPE_BUDGET_MS);
  } catch {
    r = { failed: true };
  }
  if (ask !== landscapeAsk) return;  // a newer one was asked
  const budget = LANDSCAPE_BUDGET_MS / 1000;
  $('landscape').dataset.epoch = String(run.epoch);  // what it was computed for
  if (r.cancelled) {  // a run (or a new configuration) came first: asked again after it
    landscapeKey = '';
    landscapeNote('');
    $('landscape').dataset.state = 'cancelled';
  } else if (r.skipped) {
    $('landscape').replaceChildren();
    const ms = r.skipped.pointMs;
    landscapeNote(t('landscapeSkipped', { ms: ms.toFixed(ms < 10 ? 1 : 0), n, total: Math.round((ms * n * n) / 1000), budget }));
    $('landscape').dataset.state = 'skipped';
  } else if (r.failed) {
    $('landscape').replaceChildren();
    landscapeNote('');
    $('landscape').dataset.state = 'failed';
  } else {
    drawLandscape($('landscape'), r.landscape, q.path);
    const coarse = r.landscape.n < n;
    landscapeNote(coarse ? t('landscapeCoarse', { ms: r.pointMs.toFixed(r.pointMs < 10 ? 1 : 0), n: r.landscape.n, budget }) : '');
    $('landscape').dataset.state = coarse ? 'coarse' : 'drawn';
    $('landscape').dataset.n = String(r.landscape.n);
  }
}

function renderControls() {
  const s = state.all();
  $('lang').value = s.lang;
  if (meta) {
    $('preset').value = s.preset;
    const preset = meta.presets.find((p) => p.name === s.preset);
    $('preset-description').textContent = s.csv ? t('custom') : preset?.description ?? '';
    $('optimizer').value = s.optimizer;
    $('scheduler').value = s.scheduler;
    renderOptionFields();
  }
  $('csv').value = s.csv;
  $('epochs').value = String(s.epochs);
  $('batch-size').value = String(s.batchSize);
  $('seed').value = String(s.seed);
  $('normalize').checked = s.normalize;
  $('zero-grad').checked = s.zeroGrad;
  $('manual-no-grad').checked = s.manualNoGrad;
  $('copy-params').checked = s.copyParams;
  $('log-scale').checked = s.logScale;
  $('race-configs').value = s.race.join('\n');
}

let optionKey = '';
function renderOptionFields() {
  const key = JSON.stringify([state.get('optimizer'), state.get('options'), state.get('scheduler'), state.get('schedulerOptions'), state.get('lang')]);
  if (key === optionKey) return;
  optionKey = key;
  const name = state.get('optimizer');
  const spec = name === meta.manual.name ? meta.manual : meta.optimizers.find((o) => o.name === name);
  optionFields($('option-fields'), spec?.defaults ?? {}, state.get('options'), (k, v, def) => {
    const opts = { ...state.get('options') };
    if (JSON.stringify(v) === JSON.stringify(def) && k !== 'lr') delete opts[k]; else opts[k] = v;
    state.set({ options: opts });
  }, 'opt');
  const sname = state.get('scheduler');
  const sspec = meta.schedulers.find((o) => o.name === sname);
  optionFields($('scheduler-fields'), sspec?.defaults ?? {}, state.get('schedulerOptions'), (k, v) => {
    state.set({ schedulerOptions: { ...state.get('schedulerOptions'), [k]: v } });
  }, 'sched');
}

// Every view, each in a task of its own (several per task while they are quick): no one
// task of the page's thread holds them all, so a slow view delays the others' paint but
// never freezes the page. In order: the landscape's axes before the landscape.
const VIEWS = { controls: () => renderControls(), readout: () => renderReadout(), params: () => renderParams(),
  loop: () => renderLoop(), loss: () => renderLossChart(), grad: () => renderGradChart(), state: () => renderStateChart(),
  fit: () => renderFitChart(), graph: () => renderGraph(), axes: () => renderLandscapeAxes(), landscape: () => scheduleLandscape() };
const pendingViews = new Set();
let viewsTimer = 0;
function renderAll() {
  for (const k of Object.keys(VIEWS)) pendingViews.add(k);
  dirty = false;
  if (!viewsTimer) viewsTimer = setTimeout(renderViews, 0);
}
function renderViews() {
  const t0 = performance.now();
  for (const k of pendingViews) {
    pendingViews.delete(k);
    VIEWS[k]();
    if (performance.now() - t0 > 8) break;
  }
  viewsTimer = pendingViews.size ? setTimeout(renderViews, 0) : 0;
}

// per animation frame during runs: readouts and charts only (cheap, no rebuilds)
function frame() {
  if (dirty) {
    renderReadout();
    renderCharts();
    if (!player.running) { renderParams(); }
    dirty = false;
  }
  requestAnimationFrame(frame);
}

// ------------------------------------------------------------------ model editing
function editModel(text) {
  editor.setText(text);
  checkModelSoon(text, 0);
}

function checkModelSoon(text, delay = 350) {
  clearTimeout(modelCheckTimer);
  modelBusy(true);
  modelCheckTimer = setTimeout(async () => {
    const r = await engine.checkModel(text);
    if (text !== editor.text()) return;  // overtaken by more typing (still busy: its check comes)
    if (r.ok) {
      editor.showError(null);
      $('model-status').classList.remove('error');
      modelStatus(null, 'modelOk');
      // a new model configures the engine (which ends the busy state); the same one is done
      if (!state.set({ model: text }).size) modelBusy(false);
    } else {
      modelBusy(false);
      editor.showError(r.error);
      const where = r.error.line ? `line ${r.error.line}, column ${r.error.col}: ` : '';
      modelStatus(`${where}${r.error.type}: ${r.error.message}`);
      $('model-status').classList.add('error');
    }
  }, delay);
}

// ------------------------------------------------------------------ compare runs
// A race runs in the engine like a run: while one is in flight the Race button reads Stop,
// and Run, Pause, Reset or a new race stop it; the configs it finished (and the one it was
// in) are still drawn.
// (the engine stops the previous job itself when a new race starts)
let racing = null;  // the Race button while its race is in flight
async function raceJob(button, configs, epochs) {
  if (button) { racing = button; button.textContent = t('raceStop'); button.setAttribute('aria-pressed', 'true'); }
  try {
    return await engine.race(configs, epochs);
  } finally {
    if (button) {
      if (racing === button) racing = null;
      button.textContent = t(button.dataset.i18n);
      button.removeAttribute('aria-pressed');
    }
  }
}

async function race() {
  if (racing === $('race-run')) { engine.cancel(); return; }
  const lines = $('race-configs').value.split('\n').map((l) => l.trim()).filter(Boolean);
  state.set({ race: lines });
  const base = state.engineConfig(meta.presets);
  const configs = lines.map((l) => ({ ...base, ...parseRaceLine(l), label: l }));
  const epochs = Math.min(state.get('epochs'), 100000);
  const r = await raceJob($('race-run'), configs, epochs);
  $('race-chart').hidden = false;
  // a stopped race: its last line says how far it got
  const last = r.results[r.results.length - 1];
  if (r.cancelled && last) last.label += ` (${t('raceStopped', { epoch: last.loss.length })})`;
  const { x, ys, labels } = raceSeries(r.results);
  charts.race.setData(x, ys, labels);
}

async function zeroGradCompare() {
  const base = state.engineConfig(meta.presets);
  const epochs = Math.min(state.get('epochs'), 100000);
  const r = await raceJob(null, [{ ...base, zeroGrad: true, label: 'with zero_grad()' }, { ...base, zeroGrad: false, label: 'without zero_grad()' }], epochs);
  if (!r.results.length) return;
  $('zg-chart').hidden = false;
  const { x, ys, labels } = compareSeries(r.results);
  charts.zg.setData(x, ys, labels);
}

// An engine call that failed outright (e.g. out of memory in a huge run): shown like
// PyTorch's errors, and the page stays usable.
function showFailure(e) {
  modelBusy(false);
  $('engine-error').hidden = false;
  $('engine-error').dataset.sticky = '1';
  $('engine-error').textContent = `${e.name}: ${e.message}`;
  $('run').disabled = false;
  player.running = false;
}
const guard = (f) => (...args) => Promise.resolve().then(() => f(...args)).catch(showFailure);

// A shared link's state; what it could not read is named (as text), the rest still loads.
function readHash() {
  state.fromHash(location.hash);
  checkLink();
}
// (the preset's name is checked once the engine has said which presets it has)
function checkLink() {
  if (meta) state.checkPreset(meta.presets.map((p) => p.name));
  $('share-status').textContent = state.rejected.length ? t('badLink', { names: state.rejected.join(', ') }) : '';
}

// ------------------------------------------------------------------ wiring
const editor = createEditor($('editor'), '', (text) => checkModelSoon(text));

function wire() {
  $('lang').addEventListener('change', () => state.set({ lang: $('lang').value }));
  $('preset').addEventListener('change', () => {
    const p = meta.presets.find((x) => x.name === $('preset').value);
    state.set({ preset: p.name, csv: '', model: null, ...presetSettings(p), scheduler: '', schedulerOptions: {} });
  });
  $('use-csv').addEventListener('click', () => {
    // a straight line through the first column to the last, ready to edit
    const csv = $('csv').value;
    const cols = (csv.trim().split('\n')[0] ?? '').split(',').map((c) => c.trim()).filter(Boolean);
    const model = cols.length >= 2
      ? `# y = w * x + b on your data\nparam w = 0.0\nparam b = 0.0\npred = w * ${cols[0]} + b\nloss = ((pred - ${cols[cols.length - 1]}) ** 2).mean()\n`
      : state.get('model');
    state.set({ csv, model });
  });
  $('clear-csv').addEventListener('click', () => state.set({ csv: '' }));
  $('optimizer').addEventListener('change', () => {
    const name = $('optimizer').value;
    const lr = state.get('options').lr;
    state.set({ optimizer: name, options: lr === undefined ? {} : { lr } });
  });
  $('reset-options').addEventListener('click', () => state.set({ options: state.get('optimizer') === meta.manual.name ? { ...meta.manual.defaults } : {} }));
  $('scheduler').addEventListener('change', () => state.set({ scheduler: $('scheduler').value, schedulerOptions: {} }));
  $('epochs').addEventListener('change', () => {
    runTarget = 0;
    state.set({ epochs: Number($('epochs').value) || 1 });
  });
  $('batch-size').addEventListener('change', () => state.set({ batchSize: Math.max(0, Math.floor(Number($('batch-size').value) || 0)) }));
  $('seed').addEventListener('change', () => state.set({ seed: Math.max(0, Math.floor(Number($('seed').value) || 0)) }));
  for (const [id, key] of [['normalize', 'normalize'], ['zero-grad', 'zeroGrad'], ['copy-params', 'copyParams'], ['log-scale', 'logScale']]) {
    $(id).addEventListener('change', () => state.set({ [key]: $(id).checked }));
  }
  $('manual-no-grad').addEventListener('change', () => {
    const on = $('manual-no-grad').checked;
    // the trap needs the manual loop: switch to it (keeping lr) when turning no_grad off
    const manual = meta.manual;
    if (!on && state.get('optimizer') !== manual.name) state.set({ optimizer: manual.name, options: { lr: state.get('options').lr ?? manual.defaults.lr }, manualNoGrad: false });
    else state.set({ manualNoGrad: on });
  });
  $('land-x').addEventListener('change', () => { state.set({ landscapeX: $('land-x').value }); scheduleLandscape(); });
  $('land-y').addEventListener('change', () => { state.set({ landscapeY: $('land-y').value }); scheduleLandscape(); });

  $('run').addEventListener('click', guard(startRun));
  $('pause').addEventListener('click', guard(async () => {
    // acknowledged at once (pressed); Run is offered again when the engine has stopped: after
    // its current slice, or the epoch in flight when one epoch is longer than a slice
    $('pause').setAttribute('aria-pressed', 'true');
    engine.cancel();  // whatever the engine runs: a run, a race, or the zero_grad comparison
    try {
      await player.pause();
    } finally {
      $('pause').removeAttribute('aria-pressed');
    }
    // show the worker's last records now, not on the next animation frame: the page must
    // read where the run stopped by the time Run is offered again
    renderReadout();
    renderCharts();
    renderParams();
    dirty = false;
    $('run').disabled = false;
  }));
  $('reset').addEventListener('click', guard(resetRun));
  $('do-forward').addEventListener('click', guard(() => doPhase('forward')));
  $('do-zero-grad').addEventListener('click', guard(() => doPhase('zero_grad')));
  $('do-backward').addEventListener('click', guard(() => doPhase('backward')));
  $('do-step').addEventListener('click', guard(() => doPhase('step')));
  $('fix-normalize').addEventListener('click', () => state.set({ normalize: true }));
  $('fix-lr').addEventListener('click', guard(async () => {
    const lr = state.get('options').lr ?? 1e-3;
    state.set({ options: { ...state.get('options'), lr: +(lr * 0.1).toPrecision(6) } });
    // an lr change keeps the run, whose parameters blew up: the fix starts it over
    await resetRun();
  }));
  $('race-run').addEventListener('click', guard(race));
  $('zero-grad-compare').addEventListener('click', guard(zeroGradCompare));

  $('share').addEventListener('click', () => {
    history.replaceState(null, '', state.toHash());
    $('share-status').textContent = t('linkReady');
    navigator.clipboard?.writeText(location.href).catch(() => {});
  });
  $('copy-pytorch').addEventListener('click', guard(async () => {
    const r = await engine.exportPytorch(state.get('epochs'));
    $('export').textContent = r.text;
    $('share-status').textContent = t('copied');
    navigator.clipboard?.writeText(r.text).catch(() => {});
  }));
  $('embed').addEventListener('click', () => {
    const { script, iframe } = embedSnippets(state.toHash(), location.href);
    $('embed-script').textContent = script;
    $('embed-iframe').textContent = iframe;
    $('embed-status').textContent = '';
    $('embed-dialog').showModal();
  });
  for (const which of ['script', 'iframe']) {
    $(`copy-embed-${which}`).addEventListener('click', () => {
      navigator.clipboard?.writeText($(`embed-${which}`).textContent).catch(() => {});
      $('embed-status').textContent = t('copied');
    });
  }
  window.addEventListener('hashchange', () => {
    if (location.hash && location.hash !== state.toHash()) readHash();
  });

  state.subscribe((changed) => {
    if (changed.has('lang')) {
      setLanguage(state.get('lang'));
      const key = $('model-status').dataset.key;  // the engine's own words (errors) stay as they are
      if (key) modelStatus(null, key);
    }
    renderControls();  // at once: the controls never wait for the engine
    if (State.needsEngine(changed)) configure().catch(showFailure);
    else renderAll();
  });
}

/** The model's status line: an error's text as the engine gives it, or one of the page's own
 *  messages by key (which a language change translates). */
function modelStatus(text, key) {
  const el = $('model-status');
  if (text == null) el.dataset.key = key;
  else delete el.dataset.key;
  el.textContent = text ?? t(key);
}

async function main() {
  modelStatus(null, 'loading');
  if (location.hash.length > 1) readHash();
  setLanguage(state.get('lang'));
  // a link's own model shows while the engine loads (in a task of its own)
  const linkModel = state.get('model');
  if (linkModel !== null) setTimeout(() => { if (!editor.text()) editor.setText(linkModel); }, 0);
  charts.loss = new Chart($('loss-chart'), { log: state.get('logScale') });
  charts.grad = new Chart($('grad-chart'), { xLabel: 'backward call' });
  charts.state = new Chart($('state-chart'), {});
  charts.fit = new Chart($('fit-chart'), { xLabel: 'input', points: [0], intX: false });
  charts.zg = new Chart($('zg-chart'), { log: true });
  charts.race = new Chart($('race-chart'), { log: true });
  meta = await engine.init();
  // for the tests of issue 17: the page's first frame must follow within a second
  performance.mark('gradlab:engine-ready');
  requestAnimationFrame(() => performance.mark('gradlab:first-frame'));
  $('preset').replaceChildren(...meta.presets.map((p) => new Option(p.name, p.name)));
  $('optimizer').replaceChildren(...meta.optimizers.map((o) => new Option(o.name, o.name)), new Option(t('manual'), meta.manual.name));
  $('scheduler').replaceChildren(new Option(t('none'), ''), ...meta.schedulers.map((o) => new Option(o.name, o.name)));
  // the default preset's settings are the state's defaults (the engine's preset table): a
  // link read before the engine loaded is read again against them
  state.adoptPresetDefaults(meta.presets);
  if (location.hash.length > 1) state.fromHash(location.hash);
  checkLink();
  wire();
  // a link naming what the engine refuses (an unknown preset, say) still gets a working page
  await configure().catch(showFailure);
  $('app').setAttribute('aria-busy', 'false');
  document.body.dataset.ready = '1';
  requestAnimationFrame(frame);
}

main().catch((e) => {
  $('engine-error').hidden = false;
  $('engine-error').textContent = `${e.name}: ${e.message}`;
});
