// `gradlab/single`: the same API over the single-file build (the .wasm embedded in the
// glue as base64), for pages that can ship only one script file.
import { GradlabError, load as loadAny } from './gradlab.mjs';

export { GradlabError };
export const load = (options = {}) => loadAny({ ...options, singleFile: true });
