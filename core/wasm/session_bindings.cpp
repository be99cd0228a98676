// Embind registration of the training session (gradlab/session.hpp) for the playground.
// Registration only: thin adapters. Errors go to the shared error slot (guard.hpp); a model
// that does not compile also leaves its position in a diagnostic slot for the editor.
// Records cross as typed-array copies of whole series (one slice per series), never as one
// call per element.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "gradlab/autograd.hpp"
#include "gradlab/int_cast.hpp"
#include "gradlab/model/data.hpp"
#include "gradlab/model/diagnostic.hpp"
#include "gradlab/model/presets.hpp"
#include "gradlab/optim/optimizer.hpp"
#include "gradlab/sched.hpp"
#include "gradlab/session.hpp"
#include "guard.hpp"
#include "options_val.hpp"
#include "session_config_val.hpp"

using namespace emscripten;
using gradlab::session;
using gradlab_wasm::from_option;
using gradlab_wasm::g_error;
using gradlab_wasm::guarded;
using gradlab_wasm::to_options;

namespace {

// A copy of elements [from, n) of a buffer (the heap may grow and move: copy at once).
template <class T>
val series(const std::vector<T>& v, std::size_t from = 0) {
  if (from > v.size()) from = v.size();
  return val(typed_memory_view(v.size() - from, v.data() + from)).call<val>("slice");
}

val shape_of(const gradlab::shape_t& s) {
  val out = val::array();
  for (auto d : s) out.call<void>("push", static_cast<double>(d));
  return out;
}

val doubles(const std::vector<double>& xs) { return series(xs); }

val error_of(const gradlab::session_error& e) {
  val o = val::object();
  o.set("epoch", static_cast<double>(e.epoch));
  o.set("phase", e.phase);
  o.set("type", e.type);
  o.set("message", e.message);
  return o;
}

// The model text's error position, for the editor's inline diagnostic; null when it compiled.
val g_diagnostic = val::null();

val diagnostic_of(const gradlab::model::diagnostic& d) {
  val o = val::object();
  o.set("line", d.line);
  o.set("col", d.col);
  o.set("endCol", d.end_col);
  o.set("type", d.type);
  o.set("message", d.message);
  o.set("text", d.str());
  return o;
}

bool set_model(session& s, const std::string& text) {
  g_diagnostic = val::null();
  try {
    s.set_model(text);
    return true;
  } catch (const gradlab::model::model_error& e) {
    g_diagnostic = diagnostic_of(e.where());
    g_error = {true, e.type(), e.what()};
  } catch (...) {
    gradlab_wasm::record_current_exception();
  }
  return false;
}

val take_diagnostic() {
  val d = g_diagnostic;
  g_diagnostic = val::null();
  return d;
}

void set_csv(session& s, const std::string& text, const std::string& target) {
  guarded([&] { s.set_data(gradlab::model::parse_csv(text, target)); });
}

val data_of(const session& s) {
  const auto& d = s.data();
  val o = val::object();
  o.set("name", d.name);
  o.set("target", d.target);
  val cols = val::array();
  for (const auto& c : d.columns) {
    val col = val::object();
    col.set("name", c.name);
    col.set("values", series(c.values));
    cols.call<void>("push", col);
  }
  o.set("columns", cols);
  return o;
}

// The model's output on every data row, for the fit chart: the value the first op
// that reads the target column compares with. null when the model has no target.
val predictions(const session& s) {
  return guarded([&]() -> val {
    const auto& d = s.data();
    if (d.target.empty() || s.model_text().empty()) return val::null();
    // with grad on: the trace records only ops that made a graph node (freed right after)
    std::vector<gradlab::Tensor> cols;
    for (const auto& c : gradlab::model::make_columns(d, s.normalize())) cols.push_back(c.second);
    std::vector<gradlab::model::trace_entry> trace;
    s.model().loss(s.parameters(), cols, &trace);
    for (std::size_t i = 1; i < trace.size(); ++i)
      for (const auto& op : trace[i].operands)
        if (op == d.target) {
          const auto v = trace[i - 1].value.to_vector();
          if (v.size() != d.rows()) return val::null();
          return series(v);
        }
    return val::null();
  });
}

val params_now(const session& s) {
  val out = val::array();
  const auto names = s.parameter_names();
  const auto& ps = s.parameters();
  for (std::size_t i = 0; i < ps.size(); ++i) {
    val o = val::object();
    o.set("name", names[i]);
    o.set("shape", shape_of(ps[i].shape()));
    o.set("value", doubles(ps[i].to_vector()));
    const auto g = ps[i].grad();
    o.set("grad", g.defined() ? doubles(g.to_vector()) : val::null());
    out.call<void>("push", o);
  }
  return out;
}

// Elements [0, head) of every epoch's row of an epoch-major series of `numel` per epoch.
template <class T>
val heads(const std::vector<T>& v, std::size_t from, std::size_t numel, std::size_t head) {
  if (head >= numel) return series(v, from * numel);
  std::vector<T> out;
  const std::size_t epochs = numel ? v.size() / numel : 0;
  for (std::size_t e = std::min(from, epochs); e < epochs; ++e)
    out.insert(out.end(), v.begin() + static_cast<long>(e * numel),
               v.begin() + static_cast<long>(e * numel + head));
  return series(out);
}

// Everything recorded from epoch `from` on (0-based): loss, lr, each parameter's values and
// grads, each optimizer state entry. head: the most elements of each parameter and state
// entry per epoch (its first ones): the views draw a few, and a 600 x 600 parameter would
// otherwise send 2.9 MB per epoch; numel then says how many were sent, numelFull how many
// the parameter has.
val records(const session& s, double from_epoch, double head_elements) {
  const auto& h = s.records();
  const std::size_t from = gradlab::saturating_cast<std::size_t>(from_epoch);
  const std::size_t head = gradlab::saturating_cast<std::size_t>(head_elements);
  val o = val::object();
  o.set("from", from_epoch);
  o.set("epochs", static_cast<double>(h.epochs()));
  o.set("paramEpochs", static_cast<double>(h.param_epochs));
  o.set("loss", series(h.loss, from));
  o.set("lr", series(h.lr, from));
  val params = val::array();
  for (const auto& p : h.params) {
    val q = val::object();
    q.set("name", p.name);
    q.set("shape", shape_of(p.shape));
    q.set("numel", static_cast<double>(std::min(head, p.numel)));
    q.set("numelFull", static_cast<double>(p.numel));
    q.set("values", heads(p.values, from, p.numel, head));
    q.set("grads", heads(p.grads, from, p.numel, head));
    q.set("hasGrad", series(p.has_grad, from));
    params.call<void>("push", q);
  }
  o.set("params", params);
  val state = val::array();
  for (const auto& st : h.state) {
    val q = val::object();
    q.set("param", st.param);
    q.set("key", st.key);
    q.set("numel", static_cast<double>(std::min(head, st.numel)));
    q.set("numelFull", static_cast<double>(st.numel));
    q.set("values", heads(st.values, from, st.numel, head));
    state.call<void>("push", q);
  }
  o.set("state", state);
  o.set("firstNonfiniteEpoch", static_cast<double>(h.first_nonfinite_epoch));
  o.set("firstNonfiniteParam", h.first_nonfinite_param);
  o.set("firstNonfiniteParamEpoch", static_cast<double>(h.first_nonfinite_param_epoch));
  return o;
}

val errors_of(const session& s) {
  val out = val::array();
  for (const auto& e : s.errors()) out.call<void>("push", error_of(e));
  return out;
}

val strings(const std::vector<std::string>& xs) {
  val out = val::array();
  for (const auto& x : xs) out.call<void>("push", x);
  return out;
}

// The graph's first max_nodes nodes (nearest the loss), with the whole graph's size and counts.
val graph_of(const session& s, double max_nodes) {
  return guarded([&]() -> val {
    const auto g = s.graph(gradlab::saturating_cast<std::size_t>(max_nodes));
    val nodes = val::array();
    for (const auto& n : g.nodes) {
      val o = val::object();
      o.set("id", n.id);
      o.set("kind", n.kind);
      o.set("name", n.name);
      o.set("label", n.label);
      o.set("shape", shape_of(n.shape));
      o.set("value", doubles(n.value));
      o.set("min", n.min);
      o.set("max", n.max);
      o.set("mean", n.mean);
      o.set("hasGrad", n.has_grad);
      o.set("grad", doubles(n.grad));
      nodes.call<void>("push", o);
    }
    val edges = val::array();
    for (const auto& e : g.edges) {
      val o = val::object();
      o.set("from", e.from);
      o.set("to", e.to);
      o.set("inputNr", e.input_nr);
      edges.call<void>("push", o);
    }
    val counts = val::array();
    for (const auto& c : g.counts) {
      val o = val::object();
      o.set("kind", c.kind);
      o.set("name", c.name);
      o.set("count", static_cast<double>(c.count));
      counts.call<void>("push", o);
    }
    val o = val::object();
    o.set("nodes", nodes);
    o.set("edges", edges);
    o.set("totalNodes", static_cast<double>(g.total_nodes));
    o.set("totalEdges", static_cast<double>(g.total_edges));
    o.set("counts", counts);
    return o;
  });
}

val landscape_of(const session& s, double px, double ex, double x0, double x1, double py, double ey,
                 double y0, double y1, double n, double first, double count) {
  return guarded([&]() -> val {
    using gradlab::saturating_cast;
    const auto l =
        s.landscape({saturating_cast<std::size_t>(px), saturating_cast<std::size_t>(ex)}, x0, x1,
                    {saturating_cast<std::size_t>(py), saturating_cast<std::size_t>(ey)}, y0, y1,
                    saturating_cast<std::size_t>(n), saturating_cast<std::size_t>(first),
                    saturating_cast<std::size_t>(count));
    val o = val::object();
    o.set("n", static_cast<double>(l.n));
    o.set("first", static_cast<double>(l.first));
    o.set("xMin", l.x_min);
    o.set("xMax", l.x_max);
    o.set("yMin", l.y_min);
    o.set("yMax", l.y_max);
    o.set("xLabel", l.x_label);
    o.set("yLabel", l.y_label);
    o.set("loss", series(l.loss));
    return o;
  });
}

template <class Registry>
val registry_of(const Registry& reg) {
  val out = val::array();
  for (const auto& info : reg) {
    val entry = val::object();
    entry.set("name", info.name);
    val defaults = val::object();
    val required = val::array();
    for (const auto& spec : info.specs) {
      defaults.set(spec.name, from_option(spec.default_value));
      if (spec.required) required.call<void>("push", spec.name);
    }
    entry.set("defaults", defaults);
    entry.set("required", required);
    out.call<void>("push", entry);
  }
  return out;
}

val preset_of(const std::string& name, double seed) {
  return guarded([&]() -> val {
    const auto p = gradlab::model::make_preset(name, static_cast<std::uint64_t>(seed));
    val o = val::object();
    o.set("name", p.name);
    o.set("description", p.description);
    o.set("modelText", p.model_text);
    o.set("optimizer", p.optimizer);
    o.set("options", gradlab_wasm::from_options(p.options));
    o.set("epochs", static_cast<double>(p.epochs));
    o.set("normalize", p.normalize);
    return o;
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(gradlab_session) {
  function("takeModelDiagnostic", &take_diagnostic);
  function(
      "presetNames", +[] { return strings(gradlab::model::preset_names()); });
  function("presetInfo", &preset_of);
  function(
      "optimizerSpecs", +[] { return registry_of(gradlab::optim::registry()); });
  function(
      "schedulerSpecs", +[] { return registry_of(gradlab::sched::registry()); });

  class_<session>("Session")
      .constructor<>()
      .function(
          "loadPreset",
          +[](session& s, const std::string& name, double seed) {
            guarded([&] { s.load_preset(name, static_cast<std::uint64_t>(seed)); });
          })
      .function("apply", &gradlab_wasm::apply_config)
      .function("checkModel", &gradlab_wasm::check_model)
      .function("counters", &gradlab_wasm::counters_of)
      .function("setCsv", &set_csv)
      .function("setModel", &set_model)
      .function(
          "setOptimizer",
          +[](session& s, const std::string& name, const val& opts) {
            guarded([&] { s.set_optimizer(name, to_options(opts)); });
          })
      .function(
          "setScheduler",
          +[](session& s, const std::string& name, const val& opts) {
            guarded([&] { s.set_scheduler(name, to_options(opts)); });
          })
      .function(
          "reset", +[](session& s) { guarded([&] { s.reset(); }); })
      .function(
          "setZeroGrad", +[](session& s, bool on) { s.set_zero_grad(on); })
      .function(
          "setSetToNone", +[](session& s, bool on) { s.set_set_to_none(on); })
      .function(
          "setManualNoGrad", +[](session& s, bool on) { s.set_manual_no_grad(on); })
      .function(
          "setNormalize", +[](session& s, bool on) { guarded([&] { s.set_normalize(on); }); })
      .function(
          "setOptimizerGetsCopy",
          +[](session& s, bool on) { guarded([&] { s.set_optimizer_gets_copy(on); }); })
      .function(
          "setParamHistoryBudget",
          +[](session& s, double n) {
            s.set_param_history_budget(gradlab::saturating_cast<std::size_t>(n));
          })
      .function(
          "setBatchSize",
          +[](session& s, double k, double seed) {
            guarded([&] {
              s.set_batch_size(gradlab::saturating_cast<std::size_t>(k),
                               gradlab::saturating_cast<std::uint64_t>(seed));
            });
          })
      .function(
          "forward", +[](session& s) { return guarded([&] { return s.forward(); }); })
      .function(
          "zeroGrad", +[](session& s) { return guarded([&] { return s.zero_grad(); }); })
      .function(
          "backward", +[](session& s) { return guarded([&] { return s.backward(); }); })
      .function(
          "step", +[](session& s) { return guarded([&] { return s.step(); }); })
      .function(
          "run",
          +[](session& s, double n) {
            return guarded([&] { return s.run(gradlab::saturating_cast<long>(n)); });
          })
      .function(
          "epoch", +[](const session& s) { return static_cast<double>(s.epoch()); })
      .function("lastLoss", &session::last_loss)
      .function("modelText", &session::model_text)
      .function("optimizerName", &session::optimizer_name)
      .function(
          "optimizerOptions",
          +[](const session& s) { return gradlab_wasm::from_options(s.optimizer_options()); })
      .function("normalize", &session::normalize)
      .function("parameters", &params_now)
      .function("records", &records)
      .function("errors", &errors_of)
      .function(
          "diagnostics", +[](const session& s) { return strings(s.diagnostics()); })
      .function("data", &data_of)
      .function("predictions", &predictions)
      .function("graph", &graph_of)
      .function("landscape", &landscape_of)
      .function(
          "exportPytorch", +[](const session& s, double epochs) {
            return guarded(
                [&] { return s.export_pytorch(gradlab::saturating_cast<long>(epochs)); });
          });
}
