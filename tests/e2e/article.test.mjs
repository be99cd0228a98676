// The interactive article (web/article/), in English and Traditional Chinese, from the static
// server with the built files only: every widget starts, works, and shows the engine's
// numbers where the text promises them. Reference values from ../shared/golden, by path.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { assertClose, golden } from '../node/golden.mjs';
import { artifacts, newPage, openBrowser } from './browser.mjs';
import { book, checkRun, parseLog, ready, runWidget, traps } from './widgets.mjs';

const optimizers = golden('optim').torch_optim_classes;
let env;
before(async () => { env = await openBrowser(); });
after(async () => { await env?.close(); });

const PAGES = [['en', '/web/article/index.html', 'Run'], ['zh-TW', '/web/article/zh-TW.html', '執行']];

for (const [lang, path, runLabel] of PAGES) {
  test(`the article (${lang}): every widget works and shows the engine's numbers`, async () => {
    const { page, problems } = await newPage(env.browser, { width: 1280, height: 900 });
    const response = await page.goto(env.base + path);
    assert.match(response.headers()['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'/);
    assert.equal(await page.locator('html').getAttribute('lang'), lang);
    await page.screenshot({ path: join(artifacts, `article-${lang}-top.png`) });
    const ids = await page.evaluate(() => [...document.querySelectorAll('main [id^="w-"]')].map((e) => e.id));
    assert.ok(ids.length >= 10, `${ids.length} widgets`);
    // widgets below the fold wait until they are scrolled to
    assert.equal(await page.locator('#w-landscape').getAttribute('data-ready'), null, 'lazy start');

    // 1. the graph of the book's model: PyTorch's grad_fn names, leaves marked
    const g1 = await ready(page, '#w-autograd');
    for (const name of ['MulBackward0', 'AddBackward0', 'MeanBackward0', 'w  requires_grad=True', 't_u  requires_grad=False']) {
      assert.ok((await g1.locator('svg').textContent()).includes(name), `graph shows ${name}`);
    }
    await g1.getByRole('button', { name: 'loss.backward()' }).click();
    await page.waitForFunction(() => document.querySelector('#w-autograd').getState().backwardCalls === 1);
    assert.ok(await g1.locator('path.edge.flow').count() > 0, 'backward() animates the graph');

    // 2. requires_grad, and .grad None before any backward
    const g2 = await ready(page, '#w-requires-grad');
    assert.equal(book.first_grad.grad_is_none_before, true);
    assert.equal(await g2.locator('code[data-role="grad"]').textContent(), 'params.grad = None');
    assert.match(await g2.locator('li').first().textContent(), /requires_grad=True/);

    // 3. the first backward: the engine prints what PyTorch printed
    const g3 = await ready(page, '#w-first-backward');
    await g3.getByRole('button', { name: 'loss.backward()' }).click();
    await page.waitForFunction(() => document.querySelector('#w-first-backward').getState().backwardCalls === 1);
    assert.equal(await g3.locator('code[data-role="grad"]').textContent(), `params.grad = ${book.first_grad.printed}`);

    // 4. accumulation: three backward() calls without zeroing, then zero_()
    const g4 = await ready(page, '#w-accumulate-graph');
    const want = traps.accumulate_three_backwards.grads_after_each;
    for (let i = 0; i < 3; i++) {
      await g4.getByRole('button', { name: 'loss.backward()' }).click();
      await page.waitForFunction((n) => document.querySelector('#w-accumulate-graph').getState().backwardCalls === n, i + 1);
      const got = JSON.parse(await g4.locator('code[data-role="grad"]').getAttribute('data-full'));
      got.forEach((v, j) => assertClose(assert, v, want[i].data[j], 1e-5, `grad after backward ${i + 1}`));
    }
    await g4.getByRole('button', { name: 'params.grad.zero_()' }).click();
    await page.waitForFunction(() => document.querySelector('#w-accumulate-graph').getState().params[0].grad?.every((v) => v === 0));
    const acc = await runWidget(page, '#w-accumulate');
    checkRun(assert, book.runs.sgd_t_un_5000, acc.state.with.loss, acc.state.with.params.map((p) => p.value[0]), 'with zeroing');
    assert.ok(acc.state.without.loss > 10 * acc.state.with.loss, 'without zeroing the loss stays far higher');

    // 5. no_grad: the update outside it is PyTorch's RuntimeError; inside it works
    const ng = await ready(page, '#w-no-grad');
    for (const b of ['forward', 'backward()', 'step()']) await ng.getByRole('button', { name: b, exact: true }).click();
    const inplace = traps.inplace_update_without_no_grad;
    await ng.locator('pre.error', { hasText: inplace.message }).waitFor();
    assert.equal(await ng.locator('pre.error').textContent(), `${inplace.type}: ${inplace.message}`);
    await ng.locator('input[type="checkbox"]').nth(1).check();
    for (const b of ['forward', 'zero_grad()', 'backward()', 'step()']) await ng.getByRole('button', { name: b, exact: true }).click();
    await page.waitForFunction(() => document.querySelector('#w-no-grad').getState().params[0].value[0] !== 1);
    assert.ok(await ng.locator('pre.error').isHidden(), 'the error is gone');

    // 6. the training loop: the book's log lines and final parameters (through the Run button)
    const loop = await ready(page, '#w-loop');
    await loop.getByRole('button', { name: runLabel, exact: true }).click();
    await page.waitForFunction(() => document.querySelector('#w-loop').getState().epoch === 5000, null, { timeout: 60000 });
    await page.waitForFunction(() => document.querySelector('#w-loop').shadowRoot.querySelector('pre.log').textContent.split('\n').length === 10);
    const manual = book.runs.manual_sgd_t_un_5000;
    const log = parseLog(await loop.locator('pre.log').textContent());
    assert.deepEqual(log.map(([e]) => e), manual.printed.map((l) => Number(/Epoch (\d+)/.exec(l)[1])));
    log.forEach(([e, l], i) => assertClose(assert, l, Number(/Loss (\S+)/.exec(manual.printed[i])[1]), 2e-6, `log line for epoch ${e}`));
    const st = await page.evaluate(() => document.querySelector('#w-loop').getState());
    st.params.forEach((p, i) => assertClose(assert, p.value[0], manual.final_params.data[i], 1e-5, `final ${p.name}`));

    // 7. optimizers a la carte: the engine's menu is torch.optim's 15 classes
    const menu = await ready(page, '#w-optimizers');
    assert.deepEqual((await menu.locator('ul.menu li').allTextContents()).sort(), [...optimizers].sort());
    await menu.locator('select').selectOption('NAdam');
    await menu.getByRole('button', { name: lang === 'en' ? 'Add' : '加入' }).click();
    const races = await runWidget(page, '#w-optimizers');
    assert.deepEqual(races.state.racers.map((r) => r.label.split(' ')[0]), ['SGD', 'Adam', 'RMSprop', 'NAdam']);
    for (const r of races.state.racers) assert.ok(Number.isFinite(r.finalLoss) && r.finalLoss < 10, `${r.label}: ${r.finalLoss}`);
    checkRun(assert, book.runs.sgd_t_un_5000, races.state.racers[0].finalLoss, null, 'SGD in the race');

    // 8. the four steps by hand: each highlights its line of the loop
    const fs = await ready(page, '#w-four-steps');
    for (const b of ['forward', 'zero_grad()', 'backward()', 'step()']) {
      await fs.getByRole('button', { name: b, exact: true }).click();
      await fs.locator('button.active', { hasText: b }).waitFor();
    }
    assert.match(await fs.locator('.loop-code .line.active').first().textContent(), /optimizer\.step\(\)/);
    const four = await page.evaluate(() => document.querySelector('#w-four-steps').getState());
    assert.equal(four.epoch, 1);
    assertClose(assert, four.loss, book.runs.sgd_t_un_5000.losses[0], 1e-5, 'the first loss');

    // 9. SGD needs normalisation, Adam does not
    const norm = await runWidget(page, '#w-normalise');
    const [raw, normalised, adam] = norm.state.racers;
    assert.equal(raw.firstNonfiniteEpoch, book.runs.sgd_t_u_diverges.first_nonfinite_epoch);
    assertClose(assert, normalised.finalLoss, book.runs.sgd_t_un_5000.losses[1999], book.runs.sgd_t_un_5000.loss_rtol, 'SGD on t_un after 2000 epochs');
    checkRun(assert, book.runs.adam_t_u_2000, adam.finalLoss, null, 'Adam on t_u');
    await ready(page, '#w-landscape');
    const land = await runWidget(page, '#w-landscape');
    checkRun(assert, book.runs.adam_t_u_2000, land.state.loss, land.state.params.map((p) => p.value[0]), 'landscape run');
    await page.locator('#w-landscape').locator('svg path.opt-path').waitFor();

    await page.screenshot({ path: join(artifacts, `article-${lang}-desktop.png`), fullPage: true });
    for (const id of ['w-first-backward', 'w-accumulate', 'w-loop', 'w-normalise', 'w-landscape']) {
      await page.locator(`#${id}`).screenshot({ path: join(artifacts, `article-${lang}-${id}.png`) });
    }
    assert.deepEqual(problems, []);
    await page.close();
  });
}

test('the article on a phone (375 px): widgets fit the column', async () => {
  const { page, problems } = await newPage(env.browser, { width: 375, height: 740 });
  await page.goto(`${env.base}/web/article/zh-TW.html`);
  for (const id of ['w-first-backward', 'w-accumulate', 'w-four-steps', 'w-optimizers', 'w-landscape']) {
    await ready(page, `#${id}`);
    const box = await page.locator(`#${id}`).boundingBox();
    assert.ok(box.width <= 375 && box.width > 300, `${id} fits: ${box.width}px`);
    await page.locator(`#${id}`).screenshot({ path: join(artifacts, `article-375-${id}.png`) });
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 375, `no sideways scrolling: ${overflow}px`);
  await page.screenshot({ path: join(artifacts, 'article-375.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});
