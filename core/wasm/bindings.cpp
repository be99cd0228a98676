// Embind registration of gradlab's engine: tensors, autograd graph views, optimizers and lr
// schedulers (the op set is in bindings_ops.cpp). Registration only: every function here is a
// thin adapter. C++ errors never cross into JS as exceptions (that unwinds wasm frames and
// leaks); they are caught by guarded() and left in an error slot that the JS wrapper turns
// into a thrown Error with PyTorch's message. Likewise a JS closure (LBFGS) never throws into
// wasm: its JS wrapper catches and reports failure by returning null.
#include <emscripten/bind.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <cmath>
#include <new>
#include <string>

#include "bindings_common.hpp"
#include "gradlab/autograd.hpp"
#include "gradlab/error.hpp"
#include "gradlab/int_cast.hpp"
#include "gradlab/optim/optimizer.hpp"
#include "gradlab/sched.hpp"
#include "guard.hpp"
#include "options_val.hpp"

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

namespace gradlab_wasm {

std::vector<Tensor> to_tensors(const val& js) {
  std::vector<Tensor> out;
  const unsigned n = js["length"].as<unsigned>();
  for (unsigned i = 0; i < n; ++i) out.push_back(js[i].as<Tensor>());
  return out;
}

std::vector<std::int64_t> to_ints(const val& js) {
  std::vector<std::int64_t> out;
  for (double d : convertJSArrayToNumberVector<double>(js)) {
    if (!std::isfinite(d) || d != std::floor(d))
      gradlab::type_error("expected an integer, got " + gradlab::py_repr(d));
    out.push_back(gradlab::saturating_cast<std::int64_t>(d));  // 1e300: out of range later
  }
  return out;
}

}  // namespace gradlab_wasm

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

gradlab::shape_t to_shape(const val& js) {
  gradlab::shape_t s;
  for (double d : convertJSArrayToNumberVector<double>(js)) {
    if (!(d >= 0 && d < 0x1p64) || d != std::floor(d))  // range first: no wild conversion
      gradlab::value_error("invalid shape entry " + gradlab::py_repr(d));
    s.push_back(static_cast<std::size_t>(d));
  }
  return s;
}

Tensor tensor_from(const val& values, const val& shape, const std::string& dtype,
                   bool requires_grad) {
  return guarded([&] {
    return Tensor::from_values(convertJSArrayToNumberVector<double>(values), to_shape(shape),
                               gradlab::parse_dtype(dtype), requires_grad);
  });
}

// A view into the heap; the JS wrapper copies it at once (the heap may grow and move).
val tensor_data(const Tensor& t) {
  return std::visit([](const auto& a) { return val(typed_memory_view(a.size(), a.data())); },
                    t.storage());
}

val tensor_shape(const Tensor& t) {
  val out = val::array();
  for (auto d : t.shape()) out.call<void>("push", static_cast<double>(d));
  return out;
}

// groups: [{params: [Tensor, ...], options: {...}}]
std::shared_ptr<optim::optimizer> make_optimizer(const std::string& name, const val& groups,
                                                 const val& opts) {
  return guarded([&]() -> std::shared_ptr<optim::optimizer> {
    std::vector<optim::param_group> gs;
    const unsigned n = groups["length"].as<unsigned>();
    for (unsigned i = 0; i < n; ++i) {
      optim::param_group g;
      val ps = groups[i]["params"];
      const unsigned m = ps["length"].as<unsigned>();
      for (unsigned j = 0; j < m; ++j) g.params.push_back(ps[j].as<Tensor>());
      g.opts = to_options(groups[i]["options"]);
      gs.push_back(std::move(g));
    }
    return optim::make_optimizer(name, std::move(gs), to_options(opts));
  });
}

val optimizer_state(const optim::optimizer& opt, const Tensor& p) {
  val out = val::object();
  val buffers = val::object(), scalars = val::object();
  if (const auto* st = opt.state(p)) {
    for (const auto& [k, t] : st->buffers) buffers.set(k, val(t));
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
// AccumulateGrad's leaf, for drawing which parameter a gradient lands in.
Tensor node_variable(const std::shared_ptr<Node>& n) {
  auto acc = std::dynamic_pointer_cast<gradlab::AccumulateGrad>(n);
  return acc ? acc->variable() : Tensor();
}

// step(closure): the JS side passes a wrapper that never throws; it returns the loss handle,
// or null when the user's closure threw (the wrapper keeps the JS error and re-throws it
// after this returns). Null here becomes a C++ error that unwinds only C++ frames.
Tensor optimizer_step_closure(const std::shared_ptr<optim::optimizer>& o, val closure) {
  return guarded([&] {
    return o->step([&closure]() -> Tensor {
      val r = closure();
      if (r.isNull() || r.isUndefined()) gradlab::runtime_error("the closure raised an exception");
      return r.as<Tensor>();
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

  class_<Tensor>("Tensor")
      .function("defined", &Tensor::defined)
      .function("requiresGrad", &Tensor::requires_grad)
      .function("isLeaf", &Tensor::is_leaf)
      .function("numel", &Tensor::numel)
      .function("version", &Tensor::version);
  register_vector<Tensor>("TensorVector");

  function("tensorFrom", &tensor_from);
  function("tensorData", &tensor_data);
  function("tensorShape", &tensor_shape);
  function(
      "dtypeOf", +[](const Tensor& t) { return std::string(gradlab::dtype_name(t.dtype())); });
  function(
      "same", +[](const Tensor& a, const Tensor& b) { return a.same(b); });
  function(
      "setRequiresGrad", +[](Tensor& t, bool on) { guarded([&] { t.requires_grad_(on); }); });
  function(
      "grad", +[](const Tensor& t) { return t.grad(); });
  function(
      "setGrad", +[](Tensor& t, const Tensor& g) { guarded([&] { t.set_grad(g); }); });
  function(
      "gradFn", +[](const Tensor& t) { return t.grad_fn(); });
  function(
      "item", +[](const Tensor& t) { return guarded([&] { return t.item(); }); });
  function(
      "repr", +[](const Tensor& t) { return guarded([&] { return t.repr(); }); });
  function(
      "clone", +[](const Tensor& t) { return guarded([&] { return t.clone(); }); });
  function(
      "detach", +[](const Tensor& t) { return guarded([&] { return t.detach(); }); });
  function(
      "toDtype", +[](const Tensor& t, const std::string& d) {
        return guarded([&] { return t.to(gradlab::parse_dtype(d)); });
      });
  function(
      "backward", +[](const Tensor& t, const Tensor& g, bool retain) {
        guarded([&] { t.backward(g, retain); });
      });
  function(
      "backwardScalar",
      +[](const Tensor& t, bool retain) { guarded([&] { t.backward(Tensor(), retain); }); });
  function(
      "clearGrad", +[](Tensor& t) { t.set_grad(Tensor()); });
  function("heapUsedBytes", &heap_used);
  function(
      "heapBytes", +[] { return static_cast<double>(__builtin_wasm_memory_size(0)) * 65536.0; });

  function("isGradEnabled", &gradlab::grad_enabled);
  function("setGradEnabled", &gradlab::set_grad_enabled);

  // in-place
  function(
      "add_",
      +[](Tensor& a, const Tensor& b, double alpha) { guarded([&] { a.add_(b, alpha); }); });
  function(
      "mul_", +[](Tensor& a, const Tensor& b) { guarded([&] { a.mul_(b); }); });
  function(
      "div_", +[](Tensor& a, const Tensor& b) { guarded([&] { a.div_(b); }); });
  function(
      "copy_", +[](Tensor& a, const Tensor& b) { guarded([&] { a.copy_(b); }); });
  function(
      "zero_", +[](Tensor& a) { guarded([&] { a.zero_(); }); });

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
        return o->param_groups().at(i).params;
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
