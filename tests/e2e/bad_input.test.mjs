// The bad-input table (tests/bad_inputs.json) in the playground: each bad model is typed into
// the editor, each bad CSV pasted, each bad optimizer option set in its field; the page shows
// the message, keeps the last good run, and a valid Run works afterwards. The messages shown
// are written to tests/artifacts/bad_inputs_page.md.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { loadTable, writeReport } from '../bad_inputs.mjs';
import { CSP } from '../../web/serve.mjs';
import { newPage, openBrowser } from './browser.mjs';

const entries = loadTable();
const results = {};
const note = (id, text) => { (results[id] ??= {}).page = text; };
let env;
let page;
let problems;
before(async () => {
  env = await openBrowser();
  ({ page, problems } = await newPage(env.browser, { width: 1280, height: 900 }));
  const response = await page.goto(env.base + '/');
  assert.equal(response.headers()['content-security-policy'], CSP);  // violations land in problems
  await page.locator('body[data-ready="1"]').waitFor({ timeout: 30000 });
});
after(async () => {
  writeReport('bad_inputs_page.md', 'Bad inputs and the messages the playground shows', entries, results, ['page']);
  await env?.close();
});

const epoch = () => page.locator('#epoch').textContent();
const idle = () => page.waitForFunction(() => !document.getElementById('run').disabled, null, { timeout: 60000 });
async function run(n, timeout = 60000) {
  await page.getByLabel('Epochs').fill(String(n));
  await page.getByLabel('Epochs').press('Enter');
  await idle();
  const want = Number(await epoch()) + n;
  await page.locator('#run').click();
  await page.waitForFunction((w) => document.getElementById('epoch').textContent === String(w) && !document.getElementById('run').disabled, want, { timeout });
}
async function setModel(text) {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+a');
  await page.keyboard.insertText(text);
}
const shown = (type, message) => new RegExp(`${type}: (line \\d+, column \\d+: )?${message}`);
// #model-status is aria-busy until what it says is about the editor's text (a check, then the
// configuration of a new model): waiting for a text alone could read the previous one's (a
// valid entry's "Model compiled." passed for the good model's, whose configuration then reset
// the next entry's run: "the run is kept" failed at random)

test('bad model text: the message under the editor, the last good run kept, the next valid model runs', { timeout: 300_000 }, async () => {
  await run(20);
  const good = await page.locator('.cm-content').innerText();
  for (const e of entries.filter((x) => x.kind === 'model')) {
    const lossBefore = await page.locator('#loss').textContent();
    const t0 = Date.now();
    await setModel(e.text);
    if (e.type === 'ok') {
      // a valid new model restarts the run
      await page.waitForFunction(() => !document.getElementById('model-status').hasAttribute('aria-busy')
        && document.getElementById('model-status').textContent === 'Model compiled.'
        && document.getElementById('epoch').textContent === '0', null, { timeout: 60000 });
      note(e.id, `accepted: "Model compiled.", the run starts over (${Date.now() - t0} ms)`);
    } else {
      await page.locator('#model-status.error:not([aria-busy])').waitFor({ timeout: 60000 });
      const msg = await page.locator('#model-status').textContent();
      note(e.id, msg);
      assert.match(msg, shown(e.type, e.message), e.id);
      if (e.line) assert.match(msg, new RegExp(`^line ${e.line}, column ${e.col ?? '\\d+'}: `), e.id);
      assert.equal(await epoch(), '20', `${e.id}: the run is kept`);
      assert.equal(await page.locator('#loss').textContent(), lossBefore, `${e.id}: the loss shown is kept`);
    }
    await setModel(good);
    await page.waitForFunction(() => !document.getElementById('model-status').hasAttribute('aria-busy')
      && document.getElementById('model-status').textContent === 'Model compiled.', null, { timeout: 60000 });
    await page.waitForFunction(() => document.getElementById('epoch').textContent === '20' || document.getElementById('epoch').textContent === '0');
    if (await epoch() === '0') await run(20);  // a valid model that differed from the last one starts over
  }
  await run(30);
  assert.ok(Number.isFinite(Number(await page.locator('#loss').getAttribute('data-full'))));
  assert.deepEqual(problems, []);
});

test('bad CSV data: the message, the preset\'s data kept, and Run works once the data is fixed', { timeout: 300_000 }, async () => {
  await page.getByText('Paste CSV data').click();
  for (const e of entries.filter((x) => x.kind === 'csv')) {
    if (e.text.length > 1_000_000) {
      // the session, JS API and CLI take the 10^6-row CSV in npm test; on the page it trains too
      // (2 epochs in ~7 s on an idle machine) but took minutes on the loaded 2-core CI machine
      note(e.id, 'not pasted in npm test (minutes under CI load); by hand: accepted, 2 epochs in ~7 s');
      continue;
    }
    if (e.text.length < 100_000) await page.getByLabel('CSV data (header row; last column is the target)').fill(e.text);
    else {
      // megabytes: pasted (typing them key by key would take the test's whole time)
      await page.locator('#csv').evaluate((el, text) => {
        el.value = text;
        el.dispatchEvent(new Event('input', { bubbles: true }));
      }, e.text);
    }
    await page.getByRole('button', { name: 'Use CSV' }).click();
    if (!e.text.trim()) {
      // an empty box is the page's "no CSV": the preset's data stays, nothing to report
      await idle();
      assert.equal(await page.locator('#engine-error').isHidden(), true);
      note(e.id, 'an empty box means "no CSV": the preset\'s data stays in use');
    } else if (e.type === 'ok') {
      await page.locator('.cm-content', { hasText: 'on your data' }).waitFor({ timeout: 60000 });
      await page.waitForFunction(() => document.getElementById('epoch').textContent === '0' && !document.getElementById('run').disabled, null, { timeout: 60000 });
      assert.equal(await page.locator('#engine-error').isHidden(), true, await page.locator('#engine-error').textContent());
      const t0 = Date.now();
      await run(2, 180000);
      note(e.id, `accepted: 2 epochs on ${e.text.split('\n').length - 2} rows in ${Date.now() - t0} ms`);
    } else {
      await page.locator('#engine-error').filter({ hasText: e.type }).waitFor({ timeout: 60000 });
      const msg = await page.locator('#engine-error').textContent();
      note(e.id, msg);
      assert.match(msg, shown(e.type, e.message), e.id);
    }
    await page.getByRole('button', { name: 'Use preset data' }).click();
    await page.waitForFunction(() => document.getElementById('engine-error').hidden, null, { timeout: 60000 });
  }
  await page.getByLabel('Preset').selectOption('rosenbrock');
  await page.getByLabel('Preset').selectOption('thermometer');
  await page.waitForFunction(() => document.getElementById('epoch').textContent === '0');
  await run(10);
  assert.deepEqual(problems, []);
});

test('optimizer options out of range: PyTorch\'s message, and Reset to defaults brings Run back', { timeout: 300_000 }, async () => {
  // on the page: the general entries and the first out-of-range option of each optimizer
  // (every option of every optimizer goes through the session, the JS API and the CLI)
  const firstOf = new Set();
  const onPage = entries.filter((x) => {
    if (x.kind !== 'optimizer') return false;
    if (!x.id.startsWith('opt-') || x.id.endsWith('-short') || x.id.endsWith('-long')) return true;
    if (x.type === 'ok' || firstOf.has(x.optimizer)) return false;
    firstOf.add(x.optimizer);
    return true;
  });
  for (const e of onPage) {
    const known = await page.locator(`#optimizer option[value="${e.optimizer}"]`).count();
    if (!known) {
      note(e.id, `not offered: the Optimizer list has no '${e.optimizer}'`);
      continue;
    }
    if (Object.values(e.options).some((v) => Array.isArray(v) && v.includes(null))) {
      note(e.id, 'not typed: a tuple field has no None (the field shows PyTorch\'s default for it)');
      continue;
    }
    await page.getByLabel('Optimizer', { exact: true }).selectOption(e.optimizer);
    const missing = [];
    for (const k of Object.keys(e.options)) if (!(await page.locator(`#opt-${k}`).count())) missing.push(k);
    if (missing.length) {
      note(e.id, `not typed: the page has a field for each of ${e.optimizer}'s own options only (no '${missing.join("', '")}')`);
      continue;
    }
    for (const [k, v] of Object.entries(e.options)) {
      const field = page.locator(`#opt-${k}`);
      await field.fill(Array.isArray(v) ? v.map(String).join(', ') : String(v));  // NaN is typed as "NaN"
      await field.press('Enter');
    }
    await idle();
    if (e.type === 'ok') {
      await page.waitForFunction(() => document.getElementById('engine-error').hidden);
      note(e.id, 'accepted');
    } else {
      // Wait for this entry's message, not any message of its type: an earlier error of the
      // same type can still be showing (Muon's defaults already fail on the book's scalars
      // with a ValueError) until the engine has taken the typed options.
      await page.locator('#engine-error').filter({ hasText: shown(e.type, e.message) }).waitFor({ timeout: 20000 }).catch(() => {});
      const msg = await page.locator('#engine-error').textContent();
      note(e.id, msg);
      assert.match(msg, shown(e.type, e.message), e.id);
    }
    await page.getByRole('button', { name: 'Reset to PyTorch defaults' }).click();
    // Muon takes only 2-D parameters: even its defaults fail on the book's scalars
    if (e.optimizer === 'Muon') await page.getByLabel('Optimizer', { exact: true }).selectOption('SGD');
    await page.waitForFunction(() => document.getElementById('engine-error').hidden, null, { timeout: 20000 });
  }
  await page.getByLabel('Optimizer', { exact: true }).selectOption('SGD');
  await page.getByLabel('lr', { exact: true }).fill('0.01');
  await page.getByLabel('lr', { exact: true }).press('Enter');
  await page.waitForFunction(() => document.getElementById('epoch').textContent === '0');
  await run(10);
  assert.deepEqual(problems, []);
});

test('10^9 epochs: the run starts, Pause stops it at once, and Run resumes', { timeout: 120_000 }, async () => {
  const e = entries.find((x) => x.kind === 'epochs');
  await page.getByLabel('Epochs').fill(String(e.epochs));
  await page.getByLabel('Epochs').press('Enter');
  await idle();
  const start = Number(await epoch());
  await page.locator('#run').click();
  await page.waitForFunction((s) => Number(document.getElementById('epoch').textContent) > s + 1000, start);
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Pause' }).click();
  await idle();
  const ms = Date.now() - t0;
  const stopped = await epoch();
  await page.waitForTimeout(300);
  assert.equal(await epoch(), stopped, 'no epochs after Pause');
  note(e.id, `Epochs field: ${await page.getByLabel('Epochs').inputValue()}; Pause stopped the run in ${ms} ms at epoch ${stopped}`);
  await page.getByLabel('Epochs').fill('10');
  await page.getByLabel('Epochs').press('Enter');
  await run(10);
  assert.deepEqual(problems, []);
});
