// A third-party site for the embed tests, on a server of its own: /blog/* are the fixture
// pages (tests/e2e/fixtures/) under the blog's own strict CSP, /blog/gradlab-embed.js is the
// ONE file a blogger copies (web/dist/gradlab-embed.js), or the two of the two-file form; /snippet/NAME.html serves HTML a
// test registers (the Embed dialog's snippets, pasted into a post). Every other path is the
// gradlab site itself (web/serve.mjs's files and CSP), so snippets with absolute URLs work.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

import { CSP, resolvePath } from '../../web/serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', '..', 'web', 'dist');
const bundle = join(dist, 'gradlab-embed.js');
// the two-file form: what a blogger copies instead of the one file
const splitFiles = { '/blog/gradlab-embed-split.js': 'gradlab-embed-split.js', '/blog/gradlab-embed.wasm': 'gradlab-embed.wasm' };
export const BLOG_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

export async function startBlog() {
  const snippets = new Map();
  const requests = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0].split('#')[0]);
    requests.push(path);
    const send = (file, csp, type) => {
      res.writeHead(200, { 'Content-Type': type ?? TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': csp, 'Cache-Control': 'no-cache' });
      createReadStream(file).pipe(res);
    };
    if (path === '/favicon.ico') { res.writeHead(204); return res.end(); }
    if (path === '/blog/gradlab-embed.js') return send(bundle, BLOG_CSP);
    if (splitFiles[path]) return send(join(dist, splitFiles[path]), BLOG_CSP);
    if (path.startsWith('/blog/')) {
      const file = join(here, 'fixtures', normalize(path.slice('/blog/'.length)).replace(/^(\.\.[/\\])+/, ''));
      if (existsSync(file) && statSync(file).isFile()) return send(file, BLOG_CSP);
    }
    if (path.startsWith('/snippet/') && snippets.has(path)) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': BLOG_CSP });
      return res.end(snippets.get(path));
    }
    const file = resolvePath(path);
    if (file) return send(file, CSP);
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    requests,
    /** Serves html at /snippet/NAME.html. */
    addSnippet(name, html) { snippets.set(`/snippet/${name}.html`, html); return `/snippet/${name}.html`; },
    close: () => new Promise((r) => server.close(r)),
  };
}
