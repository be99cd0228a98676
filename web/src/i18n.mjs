// English and Traditional Chinese. Static text carries data-i18n keys; dynamic text uses t().
import { divergedText } from '../../core/wasm/diagnosis.mjs';

const zh = {
  tagline: '編輯模型、設定超參數，看著梯度一點一點累積。',
  language: '語言', share: '分享', copyPytorch: '複製為 PyTorch',
  fixNormalize: '正規化輸入', fixLr: '學習率 ×0.1',
  setup: '資料與模型', preset: '預設範例', pasteCsv: '貼上 CSV 資料',
  csvLabel: 'CSV 資料（第一列為欄名；最後一欄為目標）', useCsv: '使用 CSV', clearCsv: '使用預設資料',
  model: '模型', parameters: '參數', name: '名稱', shape: '形狀', initial: '初始值', value: '目前值',
  optimizer: '最佳化器', options: '選項（PyTorch 預設值）', resetOptions: '重設為 PyTorch 預設值',
  scheduler: '學習率排程器', epochs: '訓練回合數', batchSize: '批次大小（0 = 全部資料）', seed: '亂數種子',
  normalize: '正規化輸入', traps: '常見陷阱',
  zeroGrad: '每個回合呼叫 zero_grad()',
  zeroGradWhy: 'backward() 會把梯度加進 .grad，而不是取代它。少了 zero_grad()，每個回合的梯度就是之前所有梯度的總和，step() 的步伐越來越大（同一批資料做 k 次 backward，得到第一次梯度的 k 倍）。',
  manualNoGrad: '在 torch.no_grad() 中手動更新',
  manualNoGradWhy: '選擇「手動更新」時，step() 就是 params -= lr * params.grad。不在 torch.no_grad() 裡，autograd 就得記錄對需要梯度的葉節點做的原地修改，PyTorch 會丟出 RuntimeError。',
  copyParams: '給最佳化器一份參數的副本',
  copyParamsWhy: '最佳化器只會更新交給它的張量。副本永遠拿不到模型 backward() 算出的 .grad，所以 step() 什麼也沒做，損失完全不動。',
  loop: '訓練迴圈', run: '執行', pause: '暫停', reset: '重設', progress: '進度', epoch: '回合', loss: '損失',
  grads: '看 .grad 累積', zeroGradCompare: '比較有無 zero_grad()', graph: '計算圖', lossCurve: '損失曲線', hyper: '超參數',
  logScale: '對數刻度', fit: '資料與擬合', landscape: '損失地形', xAxis: 'x 軸', yAxis: 'y 軸',
  optState: '最佳化器狀態', race: '比較最佳化器', raceLabel: '每行一組設定：最佳化器名稱，接著選項與開關（例如 "Adam lr=0.1 normalize=False"）',
  raceRun: '開始比賽', raceStop: '停止比賽', raceStopped: '停在第 {epoch} 回合', export: 'PyTorch 程式碼', manual: '手動更新 (p -= lr * p.grad)', none: '（無）',
  diverged: '損失在第 {epoch} 回合變成 {value}。最先爆掉的參數是 {param}（第 {pepoch} 回合）。學習率對未正規化的輸入來說太大：梯度與輸入的大小成正比，一步就跨過了最低點，然後越跳越遠。',
  divergedLr: '損失在第 {epoch} 回合變成 {value}。最先爆掉的參數是 {param}（第 {pepoch} 回合）。學習率太大：每一步都跨過最低點，而且跨得比上一步更遠。',
  copied: '已複製到剪貼簿。', linkReady: '網址已更新：複製瀏覽器網址列即可分享。',
  modelOk: '模型已編譯。', loading: '載入引擎中…', custom: '自訂 CSV',
  embed: '嵌入', embedTitle: '把這個遊樂場嵌入你的網頁', copySnippet: '複製', close: '關閉',
  embedScriptHint: '可以執行腳本的網頁：一個 script 標籤加一個元素，狀態就是本頁目前的狀態。若網站的 CSP 很嚴格（script-src \'self\'），請把 gradlab-embed.js 複製到你自己的網站，src 指向那份副本。',
  embedIframeHint: '不能放腳本的平台：用 iframe。',
  badLink: '此連結中無法讀取的設定：{names}。已改用預設值。',
  // views that must stay light whatever the model (issue 17)
  graphEmpty: '按 forward（或執行）來建立計算圖。',
  graphCut: '這張圖有 {total} 個節點、{edges} 條邊，太大無法在此完整排版：只畫出最接近損失的 {shown} 個節點。',
  graphPlain: '這張圖有 {total} 個節點，以簡單分層排版：',
  graphParams: '{n} 個參數', graphData: '{n} 個資料欄',
  landscapeComputing: '計算損失地形中（{n}×{n}）…',
  landscapeCoarse: '每一點需要 {ms} ms：網格縮小為 {n}×{n}，以在 {budget} 秒內算完。',
  landscapeSkipped: '略過損失地形：計算一點就要 {ms} ms，{n}×{n} 的網格需要約 {total} 秒（上限 {budget} 秒）。',
  tooHeavyCompile: '這個模型太重，無法在此頁面的執行緒上訓練：編譯（一次 forward）就花了 {ms} ms，一個回合會超過一次 {limit} ms 的上限（否則頁面會凍結）。請在遊樂場中開啟它，那裡的引擎在背景執行。',
  tooHeavyEpoch: '這個模型太重，無法在此頁面的執行緒上訓練：一個回合花了 {ms} ms，超過一次 {limit} ms 的上限（否則頁面會凍結）。請在遊樂場中開啟它，那裡的引擎在背景執行。',
  moreParams: '…還有 {n} 個參數未列出（共 {total} 個）。',
  longInit: '{start}…（{n} 個字元：請在模型中編輯）',
};

const en = {
  manual: 'manual update (p -= lr * p.grad)', none: '(none)', raceRun: 'Race', raceStop: 'Stop race', raceStopped: 'stopped at epoch {epoch}',
  ...divergedText,  // shared with the CLI (core/wasm/diagnosis.mjs)
  copied: 'Copied to the clipboard.', linkReady: 'The address bar now holds the whole state: copy it to share.',
  modelOk: 'Model compiled.', loading: 'Loading the engine…', custom: 'custom CSV',
  badLink: 'This link\'s settings could not be read for: {names}. Their defaults are used.',
  // views that must stay light whatever the model (issue 17)
  graphEmpty: 'Press forward (or Run) to build the graph.',
  graphCut: 'This graph has {total} nodes and {edges} edges, too many to lay out here: the {shown} nearest the loss are drawn.',
  graphPlain: 'This graph has {total} nodes, laid out in plain rows:',
  graphParams: '{n} parameters', graphData: '{n} data columns',
  landscapeComputing: 'Computing the loss landscape ({n}×{n})…',
  landscapeCoarse: 'One point takes {ms} ms: the grid is {n}×{n}, to finish within {budget} s.',
  landscapeSkipped: 'Loss landscape skipped: one point takes {ms} ms, so a {n}×{n} grid would take about {total} s (the limit is {budget} s).',
  tooHeavyCompile: 'This model is too heavy to train on this page\'s thread: its compile (one forward) took {ms} ms, so one epoch would take over the {limit} ms this page can give it at a time without freezing. Open it in the playground, whose engine runs in the background.',
  tooHeavyEpoch: 'This model is too heavy to train on this page\'s thread: one epoch took {ms} ms, over the {limit} ms this page can give it at a time without freezing. Open it in the playground, whose engine runs in the background.',
  moreParams: '… and {n} more parameters (of {total}).',
  longInit: '{start}… ({n} characters: edit it in the model)',
};

let lang = 'en';
const originals = new Map();

export function setLanguage(l) {
  lang = l === 'zh-TW' ? 'zh-TW' : 'en';
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-i18n]')) {
    if (!originals.has(el)) originals.set(el, el.textContent);
    const k = el.dataset.i18n;
    el.textContent = lang === 'zh-TW' && zh[k] ? zh[k] : originals.get(el);
  }
}

export function t(key, vars = {}) {
  return translate(lang, key, vars);
}

/** t() in a given language, for views that carry their own (the embed widgets). */
export function translate(l, key, vars = {}) {
  const s = (l === 'zh-TW' ? zh[key] ?? widgetZh[key] : null) ?? en[key] ?? widgetEn[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
}

// the embed widgets' own words (web/embed/)
const widgetEn = {
  run: 'Run', pause: 'Pause', reset: 'Reset', epoch: 'Epoch', loss: 'Loss', graph: 'Computation graph',
  grads: '.grad', lossCurve: 'Loss curve', landscape: 'Loss landscape', race: 'Race', log: 'Training log',
  steps: 'The four steps', params: 'Parameters', forwardBackward: 'forward + backward()',
  withZeroGrad: 'with zero_grad()', withoutZeroGrad: 'without zero_grad()', backwardCalls: 'backward() calls: {n}',
  zeroGradToggle: 'zero_grad() each epoch', noGradToggle: 'update inside torch.no_grad()',
  addOptimizer: 'Add', optimizers: '{n} optimizers in torch.optim (from the engine)',
  visible: 'gradlab loads when scrolled into view…', loadingEngine: 'Loading the engine…',
  openPlayground: 'Open in the playground', gradNone: 'None',
};
const widgetZh = {
  log: '訓練紀錄', steps: '四個步驟', params: '參數', forwardBackward: 'forward + backward()',
  withZeroGrad: '有 zero_grad()', withoutZeroGrad: '沒有 zero_grad()', backwardCalls: 'backward() 呼叫次數：{n}',
  zeroGradToggle: '每個回合呼叫 zero_grad()', noGradToggle: '在 torch.no_grad() 中更新',
  addOptimizer: '加入', optimizers: 'torch.optim 的 {n} 個最佳化器（由引擎列出）',
  visible: '捲動到這裡時載入 gradlab…', loadingEngine: '載入引擎中…',
  openPlayground: '在遊樂場中開啟', grads: '.grad', race: '比賽', gradNone: 'None',
};
