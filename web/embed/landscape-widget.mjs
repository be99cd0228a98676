// <gradlab-landscape>: the loss over two parameters (the first two elements), with the path
// the optimizer takes across it; Run trains and redraws. The playground element with the
// landscape panel first (add others with `panels`, e.g. panels="landscape,loss").
import { GradlabPlayground } from './playground.mjs';

export class GradlabLandscape extends GradlabPlayground {
  panels() {
    const rest = this.hasAttribute('panels') ? super.panels().filter((p) => p !== 'landscape') : [];
    return ['landscape', ...rest];
  }
}
