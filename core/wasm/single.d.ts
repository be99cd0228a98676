// `gradlab/single`: the same API over the single-file build.
export * from './gradlab.js';
