// The embed bundle (web/dist/gradlab-embed.js) in a third-party blog: hostile CSS, a strict
// CSP of the blog's own, four widgets on one page; the iframe form (web/embed.html#<state>);
// and the playground's Embed dialog, whose snippets must work when pasted into a post.
// Reference numbers come from ../shared/golden by path, never typed here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { assertClose } from '../node/golden.mjs';
import { BLOG_CSP, startBlog } from './blog-server.mjs';
import { artifacts, newPage, openBrowser } from './browser.mjs';
import { book, checkRun, parseLog, ready, runWidget, traps } from './widgets.mjs';

const bundlePath = fileURLToPath(new URL('../../web/dist/gradlab-embed.js', import.meta.url));
let env, blog;
before(async () => { env = await openBrowser(); blog = await startBlog(); });
after(async () => { await blog?.close(); await env?.close(); });

test('the bundle is one self-contained file (size recorded)', () => {
  const bytes = readFileSync(bundlePath);
  const gz = gzipSync(bytes, { level: 9 }).length;
  console.log(`# embed bundle: ${bytes.length} bytes, ${gz} bytes gzip`);
  const text = bytes.toString('utf8');
  // nothing a strict CSP refuses, and no second file to fetch
  assert.doesNotMatch(text, /new Function\(|\beval\(/, 'no eval / new Function');
  assert.doesNotMatch(text, /gradlab_wasm_split\.wasm"[^)]*\)\s*\.then/, 'the .wasm is not fetched');
});

for (const [label, viewport] of [['desktop', { width: 1280, height: 900 }], ['375', { width: 375, height: 740 }]]) {
  test(`a hostile blog (${label}): four widgets render, run and report the book's numbers`, async () => {
    const { page, problems } = await newPage(env.browser, viewport);
    await page.addInitScript(() => {
      // count the engine's instantiations: four widgets, one instance
      window.wasmInstances = 0;
      for (const f of ['instantiate', 'instantiateStreaming']) {
        const orig = WebAssembly[f];
        WebAssembly[f] = function (...args) { window.wasmInstances++; return orig.apply(this, args); };
      }
    });
    blog.requests.length = 0;
    const response = await page.goto(`${blog.base}/blog/blog.html`);
    assert.equal(response.headers()['content-security-policy'], BLOG_CSP);
    // the first widget is in view at load: its first frame, measured from navigation start
    await ready(page, '#graph');
    const firstFrameMs = await page.evaluate(() => document.querySelector('#graph').firstFrameMs);
    console.log(`# embed (${label}): first widget's first frame ${Math.round(firstFrameMs)} ms after navigation start`);

    // isolation: the blog's CSS does not reach inside, and nothing leaks out
    for (const id of ['graph', 'accumulate', 'race', 'playground']) {
      await ready(page, `#${id}`);
      const box = await page.locator(`#${id}`).boundingBox();
      assert.ok(box.width >= Math.min(300, viewport.width - 40) && box.height > 120, `${id} has a real size: ${JSON.stringify(box)}`);
      const inner = await page.evaluate((i) => {
        const b = document.getElementById(i).shadowRoot.querySelector('.box');
        const cs = getComputedStyle(b);
        return { display: cs.display, fontSize: cs.fontSize, color: cs.color };
      }, id);
      assert.notEqual(inner.display, 'none', `${id}: the blog's div/.box rules stay outside`);
      assert.equal(inner.fontSize, '15px', `${id}: the blog's huge font stays outside`);
      // not even through rem units (relative to the blog's root font size)
      const largest = await page.evaluate((i) => Math.max(...[...document.getElementById(i).shadowRoot.querySelectorAll('*')].map((e) => parseFloat(getComputedStyle(e).fontSize))), id);
      assert.ok(largest <= 16, `${id}: largest font inside is ${largest}px`);
    }
    assert.equal(await page.locator('p.after').evaluate((p) => getComputedStyle(p).color), 'rgb(0, 170, 0)', 'the blog keeps its own styles');

    // <gradlab-graph>: the book's first backward, through the button
    const graph = page.locator('#graph');
    assert.match(await graph.locator('code[data-role="grad"]').textContent(), /^params\.grad = None$/);
    await graph.getByRole('button', { name: 'loss.backward()' }).click();
    await page.waitForFunction(() => document.querySelector('#graph').shadowRoot.querySelector('code[data-role="grad"]').dataset.full !== 'null');
    assert.equal(await graph.locator('code[data-role="grad"]').textContent(), `params.grad = ${book.first_grad.printed}`);
    const g = JSON.parse(await graph.locator('code[data-role="grad"]').getAttribute('data-full'));
    g.forEach((v, i) => assertClose(assert, v, book.first_grad.grad.data[i], 1e-6, `first grad ${i}`));
    assert.ok(await graph.locator('svg text', { hasText: 'MulBackward0' }).count() > 0, 'the graph names PyTorch\'s grad_fn classes');

    // <gradlab-accumulate>: with and without zero_grad, 5000 epochs of SGD on t_un
    const acc = await runWidget(page, '#accumulate');
    checkRun(assert, book.runs.sgd_t_un_5000, acc.state.with.loss, acc.state.with.params.map((p) => p.value[0]), 'with zero_grad');
    checkRun(assert, book.runs.sgd_t_un_no_zero_grad, acc.state.without.loss, acc.state.without.params.map((p) => p.value[0]), 'without zero_grad');
    assert.equal(acc.events.done, 1);

    // <gradlab-race>: SGD on raw t_u blows up at PyTorch's epoch; Adam converges
    const race = await runWidget(page, '#race');
    const [sgd, adam] = race.state.racers;
    assert.equal(sgd.firstNonfiniteEpoch, book.runs.sgd_t_u_diverges.first_nonfinite_epoch);
    assert.deepEqual(race.events.diverged.map((d) => d.epoch), [book.runs.sgd_t_u_diverges.first_nonfinite_epoch]);
    checkRun(assert, book.runs.adam_t_u_2000, adam.finalLoss, null, 'Adam on t_u');
    assert.ok(race.events.epoch > 1 && race.events.done === 1, 'epoch and done events');
    assert.match(await page.locator('#race').locator('td', { hasText: 'inf/nan from epoch' }).textContent(), new RegExp(`epoch ${book.runs.sgd_t_u_diverges.first_nonfinite_epoch}$`));

    // <gradlab-playground>: the book's loop, its printed lines and final parameters
    const pg = await runWidget(page, '#playground');
    const ref = book.runs.sgd_t_un_5000;
    checkRun(assert, ref, pg.state.loss, pg.state.params.map((p) => p.value[0]), 'playground');
    assert.equal(pg.state.epoch, ref.epochs);
    assert.ok(pg.events.epoch >= 1 && pg.events.lastEpoch.epoch === ref.epochs, 'epoch events up to the last epoch');
    const log = parseLog(await page.locator('#playground').locator('pre.log').textContent());
    assert.equal(log.length, ref.printed.length);
    log.forEach(([e, l]) => assertClose(assert, l, ref.losses[e - 1], 2e-6, `log line for epoch ${e}`));
    await page.locator('#playground').getByRole('button', { name: 'Reset' }).click();
    await page.waitForFunction(() => document.querySelector('#playground').getState().epoch === 0);

    assert.equal(await page.evaluate(() => window.wasmInstances), 1, 'one WebAssembly instance for all widgets');
    // one file: the blog fetched nothing of gradlab's but the bundle it copied
    assert.deepEqual([...new Set(blog.requests)].filter((p) => p !== '/favicon.ico').sort(), ['/blog/blog.css', '/blog/blog.html', '/blog/gradlab-embed.js']);
    await page.screenshot({ path: join(artifacts, `embed-blog-${label}.png`), fullPage: true });
    for (const id of ['graph', 'accumulate', 'race', 'playground']) await page.locator(`#${id}`).screenshot({ path: join(artifacts, `embed-${id}-${label}.png`) });
    assert.deepEqual(problems, []);
    await page.close();
  });
}

test('the two-file form (gradlab-embed-split.js + gradlab-embed.wasm) works under the blog\'s CSP', async () => {
  const split = fileURLToPath(new URL('../../web/dist/gradlab-embed-split.js', import.meta.url));
  const wasm = fileURLToPath(new URL('../../web/dist/gradlab-embed.wasm', import.meta.url));
  const gz = (f) => gzipSync(readFileSync(f), { level: 9 }).length;
  console.log(`# two-file embed: ${gz(split)} + ${gz(wasm)} bytes gzip`);
  assert.ok(gz(split) + gz(wasm) < gzipSync(readFileSync(bundlePath), { level: 9 }).length, 'smaller than the one file');
  const { page, problems } = await newPage(env.browser, { width: 1280, height: 900 });
  blog.requests.length = 0;
  await page.goto(`${blog.base}/blog/blog-split.html`);
  await ready(page, '#graph');
  const graph = page.locator('#graph');
  await graph.getByRole('button', { name: 'loss.backward()' }).click();
  await page.waitForFunction(() => document.querySelector('#graph').shadowRoot.querySelector('code[data-role="grad"]').dataset.full !== 'null');
  assert.equal(await graph.locator('code[data-role="grad"]').textContent(), `params.grad = ${book.first_grad.printed}`);
  const acc = await runWidget(page, '#accumulate');
  checkRun(assert, book.runs.sgd_t_un_5000, acc.state.with.loss, acc.state.with.params.map((p) => p.value[0]), 'with zero_grad');
  checkRun(assert, book.runs.sgd_t_un_no_zero_grad, acc.state.without.loss, acc.state.without.params.map((p) => p.value[0]), 'without zero_grad');
  // the two copied files, nothing else of gradlab's
  assert.deepEqual([...new Set(blog.requests)].filter((p) => p !== '/favicon.ico').sort(), ['/blog/blog-split.html', '/blog/blog.css', '/blog/gradlab-embed-split.js', '/blog/gradlab-embed.wasm']);
  await page.screenshot({ path: join(artifacts, 'embed-blog-split.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the iframe form restores the state from its hash', async () => {
  const { page, problems } = await newPage(env.browser);
  const hash = 'optimizer=Adam&options=%7B%22lr%22%3A0.1%7D&epochs=2000&normalize=0&panels=loss%2Clog%2Cparams';
  blog.addSnippet('iframe', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>iframe post</title></head><body>
<p>A post on a platform without scripts:</p>
<iframe id="frame" src="/web/embed.html#${hash.replace(/&/g, '&amp;')}" title="gradlab" width="100%" height="700"></iframe>
</body></html>`);
  await page.goto(`${blog.base}/snippet/iframe.html`);
  const frame = page.frame({ url: /embed\.html/ });
  await frame.waitForFunction(() => document.querySelector('gradlab-playground')?.dataset.ready === '1', null, { timeout: 30000 });
  const state = await frame.evaluate(() => document.querySelector('gradlab-playground').getState().state);
  const want = new URLSearchParams(hash);
  want.delete('panels');
  assert.deepEqual(Object.fromEntries(new URLSearchParams(state)), Object.fromEntries(want), 'the state read back is the hash\'s');
  assert.deepEqual(await frame.evaluate(() => [...document.querySelector('gradlab-playground').shadowRoot.querySelectorAll('[data-panel]')].map((p) => p.dataset.panel)), ['loss', 'log', 'params']);
  const r = await frame.evaluate(() => document.querySelector('gradlab-playground').run());
  checkRun(assert, book.runs.adam_t_u_2000, r.loss, r.params.map((p) => p.value[0]), 'iframe: Adam on t_u');
  // a new hash reconfigures the frame (the playground's share links keep working)
  await frame.evaluate(() => { location.hash = 'epochs=100&normalize=0&panels=graph,loss'; });
  await frame.waitForFunction(() => document.querySelector('gradlab-playground').getState().state === 'epochs=100&normalize=0');
  await frame.waitForFunction(() => [...document.querySelector('gradlab-playground').shadowRoot.querySelectorAll('[data-panel]')].map((p) => p.dataset.panel).join() === 'graph,loss');
  const d = await frame.evaluate(() => document.querySelector('gradlab-playground').run());
  assert.equal(d.firstNonfiniteEpoch, book.runs.sgd_t_u_diverges.first_nonfinite_epoch);
  await page.screenshot({ path: join(artifacts, 'embed-iframe.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the Embed dialog shows snippets that work when pasted into a post', async () => {
  const { page, problems } = await newPage(env.browser);
  await page.goto(`${blog.base}/`);
  await page.locator('body[data-ready="1"]').waitFor({ timeout: 30000 });
  // a state worth sharing: Adam, lr 0.1, raw input, 2000 epochs
  await page.getByLabel('Optimizer', { exact: true }).selectOption('Adam');
  await page.locator('#opt-lr').fill('0.1');
  await page.locator('#opt-lr').press('Enter');
  await page.getByLabel('Normalise input', { exact: true }).uncheck();
  await page.getByLabel('Epochs').fill('2000');
  await page.getByLabel('Epochs').press('Enter');
  await page.getByRole('button', { name: 'Embed' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  const script = await page.locator('#embed-script').textContent();
  const iframe = await page.locator('#embed-iframe').textContent();
  assert.match(script, /^<script type="module" src="http:\/\/127\.0\.0\.1:\d+\/web\/dist\/gradlab-embed\.js"><\/script>\n<gradlab-playground state="[^"]*optimizer=Adam[^"]*"/);
  assert.match(iframe, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/web\/embed\.html#[^"]*optimizer=Adam/);
  await page.locator('#copy-embed-script').click();
  assert.notEqual(await page.locator('#embed-status').textContent(), '');
  await page.screenshot({ path: join(artifacts, 'embed-dialog.png') });
  await dialog.getByRole('button', { name: 'Close' }).click();
  assert.deepEqual(problems, []);

  // paste both into a post (same site as the bundle) and run them
  const post = await newPage(env.browser);
  blog.addSnippet('dialog', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>pasted</title></head><body>\n${script}\n<p>and the iframe form:</p>\n${iframe}\n</body></html>`);
  await post.page.goto(`${blog.base}/snippet/dialog.html`);
  await ready(post.page, 'gradlab-playground');
  const r1 = await post.page.evaluate(() => document.querySelector('gradlab-playground').run());
  checkRun(assert, book.runs.adam_t_u_2000, r1.loss, r1.params.map((p) => p.value[0]), 'script snippet');
  const frame = post.page.frame({ url: /embed\.html/ });
  const r2 = await frame.evaluate(() => document.querySelector('gradlab-playground').run());
  checkRun(assert, book.runs.adam_t_u_2000, r2.loss, r2.params.map((p) => p.value[0]), 'iframe snippet');
  await post.page.screenshot({ path: join(artifacts, 'embed-dialog-pasted.png'), fullPage: true });
  assert.deepEqual(post.problems, []);
  await post.page.close();
  await page.close();
});

test('attributes, methods and a bad model: errors show as PyTorch\'s, the page survives', async () => {
  const { page, problems } = await newPage(env.browser);
  blog.addSnippet('api', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>api</title>
<script type="module" src="/blog/gradlab-embed.js"></script></head><body>
<gradlab-playground id="manual" preset="thermometer" optimizer="manual" no-grad="false" panels="steps,params"></gradlab-playground>
<gradlab-playground id="bad" model="param w = 1.0&#10;loss = (w * ) ** 2"></gradlab-playground>
</body></html>`);
  await page.goto(`${blog.base}/snippet/api.html`);
  await ready(page, '#manual');
  const el = page.locator('#manual');
  for (const b of ['forward', 'backward()', 'step()']) await el.getByRole('button', { name: b, exact: true }).click();
  const err = el.locator('pre.error');
  await err.waitFor();
  const want = traps.inplace_update_without_no_grad;
  assert.equal(await err.textContent(), `${want.type}: ${want.message}`);
  // the fix: tick no_grad, and step() works
  await el.getByLabel('update inside torch.no_grad()').check();
  for (const b of ['forward', 'zero_grad()', 'backward()', 'step()']) await el.getByRole('button', { name: b, exact: true }).click();
  await page.waitForFunction(() => document.querySelector('#manual').getState().params[0].value[0] !== 1);
  await ready(page, '#bad');
  assert.match(await page.locator('#bad').locator('pre.error').textContent(), /^line 2, column \d+: SyntaxError: /);
  assert.deepEqual(problems, []);
  await page.close();
});
