// One constructed style sheet, adopted by every widget's shadow root: uPlot's CSS, the drawn
// views' rules (web/views.css, shared with the playground page) and the widgets' own
// (widget.css). Constructed sheets are not inline styles, so a strict CSP (no
// 'unsafe-inline') allows them; the blog's CSS cannot reach into the shadow root.
import uplotCss from 'uplot/dist/uPlot.min.css';

import viewsCss from '../views.css';
import widgetCss from './widget.css';

let sheet = null;

export function sheets() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(`${uplotCss}\n${viewsCss}\n${widgetCss}`);
  }
  return [sheet];
}
