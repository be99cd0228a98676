// session::apply() and check_model() from JavaScript (see session_config_val.hpp), and the
// manual update's name and lr for the page's option fields.
#include "session_config_val.hpp"

#include <emscripten/bind.h>

#include "gradlab/error.hpp"
#include "gradlab/int_cast.hpp"
#include "guard.hpp"
#include "options_val.hpp"

using emscripten::val;

namespace gradlab_wasm {

namespace {
bool given(const val& v) { return !v.isUndefined() && !v.isNull(); }

gradlab::session_config config_of(const val& c) {
  gradlab::session_config out;
  auto str = [&](const char* k, std::string& to) {
    if (given(c[k])) to = c[k].as<std::string>();
  };
  auto flag = [&](const char* k, bool& to) {
    if (given(c[k])) to = c[k].as<bool>();
  };
  auto count = [&](const char* k, auto& to) {
    if (given(c[k])) to = gradlab::saturating_cast<std::decay_t<decltype(to)>>(c[k].as<double>());
  };
  str("preset", out.preset);
  count("seed", out.seed);
  str("csv", out.csv);
  if (given(c["target"]) && !c["target"].as<std::string>().empty())
    out.target = c["target"].as<std::string>();
  if (given(c["model"])) out.model = c["model"].as<std::string>();
  if (given(c["optimizer"])) out.optimizer = c["optimizer"].as<std::string>();
  if (given(c["options"])) out.options = to_options(c["options"]);
  str("scheduler", out.scheduler);
  out.scheduler_options = to_options(c["schedulerOptions"]);
  if (given(c["normalize"])) out.normalize = c["normalize"].as<bool>();
  count("batchSize", out.batch_size);
  flag("zeroGrad", out.zero_grad);
  flag("setToNone", out.set_to_none);
  flag("manualNoGrad", out.manual_no_grad);
  flag("copyParams", out.copy_params);
  return out;
}

val error_of(const std::optional<gradlab::config_error>& e) {
  if (!e) return val::null();
  val o = val::object();
  o.set("type", e->type);
  o.set("message", e->message);
  if (e->where) {
    o.set("line", e->where->line);
    o.set("col", e->where->col);
    o.set("endCol", e->where->end_col);
  }
  return o;
}
}  // namespace

val apply_config(gradlab::session& s, const val& config) {
  return guarded([&]() -> val {
    const gradlab::apply_result r = s.apply(config_of(config));
    val o = val::object();
    o.set("presetError", error_of(r.preset_error));
    o.set("dataError", error_of(r.data_error));
    o.set("modelError", error_of(r.model_error));
    o.set("optimizerError", error_of(r.optimizer_error));
    o.set("restarted", r.restarted);
    o.set("compiled", r.compiled);
    o.set("compileMs", r.compile_ms);
    return o;
  });
}

val check_model(gradlab::session& s, const std::string& text) {
  val o = val::object();
  try {
    s.check_model(text);
    o.set("ok", true);
  } catch (const gradlab::model::model_error& e) {
    o.set("ok", false);
    o.set("error", error_of(gradlab::config_error{e.type(), e.what(), e.where()}));
  } catch (const gradlab::error& e) {
    o.set("ok", false);
    o.set("error", error_of(gradlab::config_error{e.type(), e.what(), std::nullopt}));
  } catch (...) {
    record_current_exception();
    return val::null();
  }
  return o;
}

val counters_of(const gradlab::session& s) {
  const auto& c = s.counters();
  val o = val::object();
  o.set("compiles", static_cast<double>(c.compiles));
  o.set("fusedCompiles", static_cast<double>(c.fused_compiles));
  o.set("restarts", static_cast<double>(c.restarts));
  return o;
}

}  // namespace gradlab_wasm

EMSCRIPTEN_BINDINGS(gradlab_session_config) {
  // the book's manual update as the page lists it among the optimizers: its name and lr
  emscripten::function(
      "manualUpdateSpec", +[] {
        val o = val::object();
        o.set("name", std::string(gradlab::kManualUpdate));
        val d = val::object();
        d.set("lr", gradlab::kBookLr);
        o.set("defaults", d);
        return o;
      });
}
