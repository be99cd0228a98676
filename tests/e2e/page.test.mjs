// The served page loads in Chromium and shows the first gradient computed by the WASM engine.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { golden } from '../node/golden.mjs';
import { artifacts, newPage, openBrowser } from './browser.mjs';

let env;
before(async () => { env = await openBrowser(); });
after(async () => { await env?.close(); });

test('the page shows the book\'s first gradient under a strict CSP', async () => {
  const { page, problems } = await newPage(env.browser);
  const response = await page.goto(env.base + '/');
  assert.match(response.headers()['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'/);
  const out = page.locator('#first-grad');
  await assert.doesNotReject(out.filter({ hasText: 'tensor(' }).waitFor({ timeout: 15000 }));
  assert.equal(await out.textContent(), golden('book').first_grad.printed);
  await page.screenshot({ path: join(artifacts, 'foundation-page.png'), fullPage: true });
  assert.deepEqual(problems, []);
});
