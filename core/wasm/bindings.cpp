// Embind registration of what the JS API reaches through values rather than numbers:
// errors, autograd graph views, optimizers and lr schedulers, registries, strings. Tensors
// cross as slot numbers (tensor_table.hpp; their own functions and the op set are plain C
// exports in bindings_tensor.cpp and bindings_ops.cpp). Registration only: every function
// here is a thin adapter. C++ errors never cross into JS as exceptions (that unwinds wasm
// frames and leaks); they are caught by guarded() and left in an error slot that the JS
// wrapper turns into a thrown Error with PyTorch's message. Likewise a JS closure (LBFGS)
// never throws into wasm: its JS wrapper catches and reports failure by returning null.
#include <emscripten/bind.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <cmath>
#include <new>
#include <string>

#include "gradlab/autograd.hpp"
#include "gradlab/error.hpp"
#include "gradlab/int_cast.hpp"
#include "gradlab/ops/unary.hpp"
#include "gradlab/optim/optimizer.hpp"
#include "gradlab/sched.hpp"
#include "guard.hpp"
#include "options_val.hpp"
#include "tensor_table.hpp"

using namespace emscripten;
using gradlab::Node;
using gradlab::Tensor;
using gradlab_wasm::from_option;
using gradlab_wasm::from_options;
using gradlab_wasm::g_error;
using gradlab_wasm::guarded;
using gradlab_wasm::to_option;
using gradlab_wasm::to_options;
namespace optim = gradlab::optim;
namespace sched = gradlab::sched;

namespace {

bool has_error() { return g_error.set; }
// Returns [type, message] and clears the slot.
val take_error() {
  auto& e = g_error;
  val out = val::array();
  out.call<void>("push", val(e.type));
  out.call<void>("push", val(e.message));
  e = {};
  return out;
}

// groups: [{params: [slot, ...], options: {...}}] (options already plain values: the JS layer
// converts them first, so no user code runs while the engine reads them)
std::shared_ptr<optim::optimizer> make_optimizer(const std::string& name, const val& groups,
                                                 const val& opts) {
  return guarded([&]() -> std::shared_ptr<optim::optimizer> {
    std::vector<optim::param_group> gs;
    const unsigned n = groups["length"].as<unsigned>();
    for (unsigned i = 0; i < n; ++i) {
      optim::param_group g;
      val ps = groups[i]["params"];
      const unsigned m = ps["length"].as<unsigned>();
      for (unsigned j = 0; j < m; ++j) g.params.push_back(gradlab_wasm::T(ps[j].as<int>()));
      g.opts = to_options(groups[i]["options"]);
      gs.push_back(std::move(g));
    }
    return optim::make_optimizer(name, std::move(gs), to_options(opts));
  });
}

// {buffers: {name: slot}, scalars: {name: number}}, or null on error (p not a live slot)
val optimizer_state(const std::shared_ptr<optim::optimizer>& opt, int p) {
  const optim::param_state* st = guarded([&] { return opt->state(gradlab_wasm::T(p)); });
  if (g_error.set) return val::null();
  val out = val::object();
  val buffers = val::object(), scalars = val::object();
  if (st) {
    for (const auto& [k, t] : st->buffers) buffers.set(k, gradlab_wasm::g_tensors.put(t));
    for (const auto& [k, x] : st->scalars) scalars.set(k, x);
  }
  out.set("buffers", buffers);
  out.set("scalars", scalars);
  return out;
}

val optimizer_registry() {
  val out = val::array();
  for (const auto& info : optim::registry()) {
    val entry = val::object();
    entry.set("name", info.name);
    val defaults = val::object();
    for (const auto& s : info.specs) defaults.set(s.name, from_option(s.default_value));
    entry.set("defaults", defaults);
    out.call<void>("push", entry);
  }
  return out;
}

// The op table's rows (gradlab/ops/op_table.def), in order: a row's index is its op id for
// gl_unary. {name, gradFn, params, js, unary, torch, tensor, functional, model}; unary: a
// GRADLAB_UNARY_OP row (Tensor -> Tensor), which gl_unary calls.
val op_table() {
  val out = val::array();
  for (const auto& r : gradlab::op_table()) {
    val row = val::object();
    row.set("name", std::string(r.name));
    row.set("gradFn", std::string(r.grad_fn));
    row.set("params", std::string(r.params));
    row.set("js", std::string(r.js));
    row.set("unary", r.fn != nullptr);
    row.set("torch", r.in(gradlab::ns_torch));
    row.set("tensor", r.in(gradlab::ns_tensor));
    row.set("functional", r.in(gradlab::ns_functional));
    row.set("model", r.in(gradlab::ns_model));
    out.call<void>("push", row);
  }
  return out;
}

std::string node_name(const std::shared_ptr<Node>& n) { return n ? n->name() : "None"; }
double node_id(const std::shared_ptr<Node>& n) {
  return static_cast<double>(reinterpret_cast<std::uintptr_t>(n.get()));
}
unsigned node_next_count(const std::shared_ptr<Node>& n) {
  return n ? static_cast<unsigned>(n->next_edges().size()) : 0;
}
std::shared_ptr<Node> node_next(const std::shared_ptr<Node>& n, unsigned i) {
  return n->next_edges().at(i).fn;
}
unsigned node_next_input(const std::shared_ptr<Node>& n, unsigned i) {
  return n->next_edges().at(i).input_nr;
}
// AccumulateGrad's leaf (its slot), for drawing which parameter a gradient lands in.
int node_variable(const std::shared_ptr<Node>& n) {
  auto acc = std::dynamic_pointer_cast<gradlab::AccumulateGrad>(n);
  return acc ? gradlab_wasm::g_tensors.put(acc->variable()) : 0;
}

// step(closure): the JS side passes a wrapper that never throws; it returns the loss's slot,
// or 0 when the user's closure threw (the wrapper keeps the JS error and re-throws it after
// this returns). 0 here becomes a C++ error that unwinds only C++ frames. The loss is copied
// out of its slot at once: the closure's JS code may release or reuse slots.
int optimizer_step_closure(const std::shared_ptr<optim::optimizer>& o, val closure) {
  return gradlab_wasm::put([&] {
    return o->step([&closure]() -> Tensor {
      const int id = closure().as<int>();
      if (id == 0) gradlab::runtime_error("the closure raised an exception");
      return Tensor(gradlab_wasm::T(id));
    });
  });
}

// A scheduler keeps its optimizer alive: the JS scheduler may outlive the JS optimizer.
struct scheduler_handle {
  std::shared_ptr<optim::optimizer> opt;
  std::unique_ptr<sched::lr_scheduler> s;
};

std::shared_ptr<scheduler_handle> make_scheduler(const std::string& name,
                                                 const std::shared_ptr<optim::optimizer>& o,
                                                 const val& opts) {
  return guarded([&]() -> std::shared_ptr<scheduler_handle> {
    auto h = std::make_shared<scheduler_handle>();
    h->opt = o;
    h->s = sched::make_scheduler(name, *o, to_options(opts));
    return h;
  });
}

val doubles(const std::vector<double>& xs) {
  val a = val::array();
  for (double x : xs) a.call<void>("push", x);
  return a;
}

val scheduler_registry() {
  val out = val::array();
  for (const auto& info : sched::registry()) {
    val entry = val::object();
    entry.set("name", info.name);
    val defaults = val::object(), required = val::array();
    for (const auto& s : info.specs) {
      if (s.required)
        required.call<void>("push", s.name);
      else
        defaults.set(s.name, from_option(s.default_value));
    }
    entry.set("defaults", defaults);
    entry.set("required", required);
    out.call<void>("push", entry);
  }
  return out;
}

// Bytes malloc has handed out and not yet freed: the memory checks read this, since the
// WebAssembly memory itself never shrinks.
double heap_used() { return static_cast<double>(mallinfo().uordblks); }

}  // namespace

EMSCRIPTEN_BINDINGS(gradlab) {
  function("hasError", &has_error);
  function("takeError", &take_error);

  class_<Node>("Node").smart_ptr<std::shared_ptr<Node>>("NodePtr");
  function("nodeName", &node_name);
  function("nodeId", &node_id);
  function("nodeNextCount", &node_next_count);
  function("nodeNext", &node_next);
  function("nodeNextInput", &node_next_input);
  function("nodeVariable", &node_variable);

  function(
      "nodeOf", +[](int id) {
        return guarded([&]() -> std::shared_ptr<Node> { return gradlab_wasm::T(id).grad_fn(); });
      });
  function(
      "nodeIsReleasedStandIn",
      +[](const std::shared_ptr<Node>& n) { return n && gradlab::is_released_stand_in(*n); });
  function(
      "nameOf", +[](int k) { return gradlab_wasm::name_of(k); });
  // 0 float32, 1 float64, or the engine's error for other names
  function(
      "dtypeCode", +[](const std::string& name) {
        return guarded(
            [&] { return gradlab::parse_dtype(name) == gradlab::dtype::float64 ? 1 : 0; });
      });
  function(
      "repr", +[](int id) { return guarded([&] { return gradlab_wasm::T(id).repr(); }); });
  function("heapUsedBytes", &heap_used);
  function(
      "heapBytes", +[] { return static_cast<double>(__builtin_wasm_memory_size(0)) * 65536.0; });

  function("opTable", &op_table);
  function("isGradEnabled", &gradlab::grad_enabled);
  function("setGradEnabled", &gradlab::set_grad_enabled);

  // optimizers
  class_<optim::optimizer>("Optimizer")
      .smart_ptr<std::shared_ptr<optim::optimizer>>("OptimizerPtr");
  function("optimizerRegistry", &optimizer_registry);
  function("makeOptimizer", &make_optimizer);
  function(
      "optimizerName", +[](const std::shared_ptr<optim::optimizer>& o) { return o->name(); });
  function(
      "optimizerZeroGrad", +[](const std::shared_ptr<optim::optimizer>& o, bool none) {
        guarded([&] { o->zero_grad(none); });
      });
  function(
      "optimizerStep", +[](const std::shared_ptr<optim::optimizer>& o) {
        return guarded([&] { return o->step(); });
      });
  function(
      "optimizerGroupCount", +[](const std::shared_ptr<optim::optimizer>& o) {
        return static_cast<unsigned>(o->param_groups().size());
      });
  function(
      "optimizerGroupOptions", +[](const std::shared_ptr<optim::optimizer>& o, unsigned i) {
        return from_options(o->param_groups().at(i).opts);
      });
  function(
      "optimizerGroupParams", +[](const std::shared_ptr<optim::optimizer>& o, unsigned i) {
        val out = val::array();
        for (const auto& p : o->param_groups().at(i).params)
          out.call<void>("push", gradlab_wasm::g_tensors.put(p));
        return out;
      });
  function(
      "optimizerSetOption",
      +[](const std::shared_ptr<optim::optimizer>& o, unsigned i, const std::string& k,
          const val& v) { guarded([&] { o->param_groups().at(i).opts.set(k, to_option(v)); }); });
  function("optimizerState", &optimizer_state);
  function(
      "optimizerStepVoid",
      +[](const std::shared_ptr<optim::optimizer>& o) { guarded([&] { o->step(); }); });
  function("optimizerStepClosure", &optimizer_step_closure);

  // lr schedulers
  class_<scheduler_handle>("Scheduler")
      .smart_ptr<std::shared_ptr<scheduler_handle>>("SchedulerPtr");
  function("schedulerRegistry", &scheduler_registry);
  function("makeScheduler", &make_scheduler);
  function(
      "schedulerName", +[](const std::shared_ptr<scheduler_handle>& h) { return h->s->name(); });
  function(
      "schedulerStep",
      +[](const std::shared_ptr<scheduler_handle>& h) { guarded([&] { h->s->step(); }); });
  function(
      "schedulerStepMetric", +[](const std::shared_ptr<scheduler_handle>& h, double m) {
        guarded([&] { h->s->step(m); });
      });
  function(
      "schedulerLastLr",
      +[](const std::shared_ptr<scheduler_handle>& h) { return doubles(h->s->get_last_lr()); });
  function(
      "schedulerLastEpoch", +[](const std::shared_ptr<scheduler_handle>& h) {
        return static_cast<double>(h->s->last_epoch());
      });
  function(
      "schedulerBaseLrs",
      +[](const std::shared_ptr<scheduler_handle>& h) { return doubles(h->s->base_lrs()); });
}
