// What a run whose loss stopped being finite tells a learner: one text for every front end.
// The CLI prints it; the page's banner shows it (web/src/i18n.mjs adds the translations).

/** English templates: {value} ('inf' or 'nan'), {epoch}, {param} and {pepoch} are filled in. */
export const divergedText = {
  /** On raw, un-normalised input (the book's t_u): the input's scale drives the gradient. */
  diverged: 'The loss became {value} at epoch {epoch}. The first parameter to blow up was {param} (epoch {pepoch}). The learning rate is too high for un-normalised input: the gradient grows with the input\'s scale, so each step overshoots the minimum by more than the last.',
  /** Otherwise: the learning rate alone. */
  divergedLr: 'The loss became {value} at epoch {epoch}. The first parameter to blow up was {param} (epoch {pepoch}). The learning rate is too high: each step overshoots the minimum by more than the last.',
};

/** A template with its {names} replaced by vars' values. */
export function fill(template, vars = {}) {
  return template.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
}

/**
 * The diagnosis of a run: epoch (1-based) where the loss first stopped being finite and that
 * loss; the parameter that blew up first and its epoch; raw: whether the input was left
 * un-normalised (picks the text that says so).
 */
export function divergenceMessage({ epoch, loss, param, paramEpoch, raw }) {
  return fill(raw ? divergedText.diverged : divergedText.divergedLr, {
    epoch, value: Number.isNaN(loss) ? 'nan' : 'inf', param: param || '?', pepoch: paramEpoch || epoch,
  });
}
