// The Embed dialog's two snippets for a state (a share-link hash): the script-tag form
// (web/embed/, one file) and the iframe form (web/embed.html#<state>), with absolute URLs
// of this deployment. '&' is escaped: the hash sits inside an HTML attribute.
const attr = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function embedSnippets(hash, pageUrl) {
  const state = hash.replace(/^#/, '');
  const bundle = new URL('/web/dist/gradlab-embed.js', pageUrl).href;
  const frame = new URL('/web/embed.html', pageUrl).href + (state ? `#${state}` : '');
  return {
    script: `<script type="module" src="${attr(bundle)}"></script>\n<gradlab-playground state="${attr(state)}" panels="loss,grads,graph,landscape"></gradlab-playground>`,
    iframe: `<iframe src="${attr(frame)}" title="gradlab playground" width="100%" height="760" loading="lazy"></iframe>`,
  };
}
