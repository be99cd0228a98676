#pragma once
// session::apply() and check_model() from JavaScript: a configuration object in (the page's
// engine state, web/src/state.mjs engineConfig()), what was done and each entry's error out.
#include <emscripten/val.h>

#include "gradlab/session.hpp"

namespace gradlab_wasm {

/// { preset, seed, csv, target, model, optimizer, options, scheduler, schedulerOptions,
/// normalize, batchSize, zeroGrad, setToNone, manualNoGrad, copyParams } -> { presetError,
/// dataError, modelError (with line, col, endCol), optimizerError, restarted, compiled,
/// compileMs }. Missing, undefined or null entries take the preset's or the session's default.
emscripten::val apply_config(gradlab::session& s, const emscripten::val& config);
/// { ok: true } or { ok: false, error: { type, message, line, col, endCol } }.
emscripten::val check_model(gradlab::session& s, const std::string& text);
/// { compiles, fusedCompiles, restarts }
emscripten::val counters_of(const gradlab::session& s);

}  // namespace gradlab_wasm
