// Shared set-up for browser tests: the real static server and Debian's Chromium.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { startServer } from '../../web/serve.mjs';

export const artifacts = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');
mkdirSync(artifacts, { recursive: true });

/** extraArgs: more Chromium flags (e.g. --js-flags=--expose-gc for memory tests). */
export async function openBrowser(extraArgs = []) {
  const server = await startServer({ port: 0 });
  const base = `http://127.0.0.1:${server.address().port}`;
  let browser;
  try {
    // playwright gives every launch a fresh, empty profile directory of its own
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
    });
  } catch (e) {
    server.close();
    throw e;
  }
  return {
    base,
    browser,
    async close() {
      await browser.close();
      await new Promise((r) => server.close(r));
    },
  };
}

/** A page that records console errors and CSP violations. */
export async function newPage(browser, viewport = { width: 1280, height: 900 }) {
  const page = await browser.newPage({ viewport });
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => {
    problems.push(`pageerror: ${e.message}`);
    console.log(`# pageerror: ${e.stack}`);  // where: the message alone rarely says
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      // where: the element (for inline style/script) and the first 40 characters blocked
      const el = e.target instanceof Element ? `<${e.target.tagName.toLowerCase()} class="${e.target.className?.baseVal ?? e.target.className}">` : '';
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${el} ${JSON.stringify(e.sample ?? '')}`.trim());
    }, true);
  });
  return { page, problems };
}
