// Embind registration of gradlab's engine. Registration only: every function here is a
// thin adapter. C++ errors never cross into JS as exceptions (that unwinds wasm frames and
// leaks); they are caught here and left in an error slot that the JS wrapper turns into a
// thrown Error with PyTorch's message.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <new>
#include <string>

#include "gradlab/autograd.hpp"
#include "gradlab/error.hpp"
#include "gradlab/ops.hpp"
#include "gradlab/optim/optimizer.hpp"
#include "guard.hpp"
#include "options_val.hpp"

using namespace emscripten;
using gradlab::Node;
using gradlab::Tensor;
namespace optim = gradlab::optim;
using gradlab_wasm::from_option;
using gradlab_wasm::from_options;
using gradlab_wasm::g_error;
using gradlab_wasm::guarded;
using gradlab_wasm::to_option;
using gradlab_wasm::to_options;

namespace {

bool has_error() { return g_error.set; }
// Returns [type, message] and clears the slot.
val take_error() {
  val out = val::array();
  out.call<void>("push", val(g_error.type));
  out.call<void>("push", val(g_error.message));
  g_error = {};
  return out;
}

gradlab::shape_t to_shape(const val& js) {
  gradlab::shape_t s;
  for (double d : convertJSArrayToNumberVector<double>(js)) {
    if (!(d >= 0) || d != static_cast<double>(static_cast<std::size_t>(d)))
      gradlab::value_error("invalid shape entry " + gradlab::py_repr(d));
    s.push_back(static_cast<std::size_t>(d));
  }
  return s;
}

Tensor tensor_from(const val& values, const val& shape, const std::string& dtype, bool requires_grad) {
  return guarded([&] {
    return Tensor::from_values(convertJSArrayToNumberVector<double>(values), to_shape(shape),
                               gradlab::parse_dtype(dtype), requires_grad);
  });
}

// A view into the heap; the JS wrapper copies it at once (the heap may grow and move).
val tensor_data(const Tensor& t) {
  return std::visit([](const auto& a) { return val(typed_memory_view(a.size(), a.data())); }, t.storage());
}

val tensor_shape(const Tensor& t) {
  val out = val::array();
  for (auto d : t.shape()) out.call<void>("push", static_cast<double>(d));
  return out;
}

// groups: [{params: [Tensor, ...], options: {...}}]
std::shared_ptr<optim::optimizer> make_optimizer(const std::string& name, const val& groups, const val& opts) {
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
double node_id(const std::shared_ptr<Node>& n) { return static_cast<double>(reinterpret_cast<std::uintptr_t>(n.get())); }
unsigned node_next_count(const std::shared_ptr<Node>& n) { return n ? static_cast<unsigned>(n->next_edges().size()) : 0; }
std::shared_ptr<Node> node_next(const std::shared_ptr<Node>& n, unsigned i) { return n->next_edges().at(i).fn; }
unsigned node_next_input(const std::shared_ptr<Node>& n, unsigned i) { return n->next_edges().at(i).input_nr; }
// AccumulateGrad's leaf, for drawing which parameter a gradient lands in.
Tensor node_variable(const std::shared_ptr<Node>& n) {
  auto acc = std::dynamic_pointer_cast<gradlab::AccumulateGrad>(n);
  return acc ? acc->variable() : Tensor();
}

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
  function("dtypeOf", +[](const Tensor& t) { return std::string(gradlab::dtype_name(t.dtype())); });
  function("same", +[](const Tensor& a, const Tensor& b) { return a.same(b); });
  function("setRequiresGrad", +[](Tensor& t, bool on) { guarded([&] { t.requires_grad_(on); }); });
  function("grad", +[](const Tensor& t) { return t.grad(); });
  function("setGrad", +[](Tensor& t, const Tensor& g) { guarded([&] { t.set_grad(g); }); });
  function("gradFn", +[](const Tensor& t) { return t.grad_fn(); });
  function("item", +[](const Tensor& t) { return guarded([&] { return t.item(); }); });
  function("repr", +[](const Tensor& t) { return guarded([&] { return t.repr(); }); });
  function("detach", +[](const Tensor& t) { return guarded([&] { return t.detach(); }); });
  function("toDtype", +[](const Tensor& t, const std::string& d) {
    return guarded([&] { return t.to(gradlab::parse_dtype(d)); });
  });
  function("backward", +[](const Tensor& t, const Tensor& g, bool retain) {
    guarded([&] { t.backward(g, retain); });
  });
  function("backwardScalar", +[](const Tensor& t, bool retain) { guarded([&] { t.backward(Tensor(), retain); }); });
  function("clearGrad", +[](Tensor& t) { t.set_grad(Tensor()); });
  function("heapBytes", +[] { return static_cast<double>(__builtin_wasm_memory_size(0)) * 65536.0; });

  function("isGradEnabled", &gradlab::grad_enabled);
  function("setGradEnabled", &gradlab::set_grad_enabled);

  // ops (the JS layer turns Python numbers into wrapped scalars)
  function("wrapScalar", +[](double v, const Tensor& like) { return gradlab::wrap_scalar(v, like); });
  function("add", +[](const Tensor& a, const Tensor& b, double alpha) { return guarded([&] { return gradlab::add(a, b, alpha); }); });
  function("sub", +[](const Tensor& a, const Tensor& b, double alpha) { return guarded([&] { return gradlab::sub(a, b, alpha); }); });
  function("mul", +[](const Tensor& a, const Tensor& b) { return guarded([&] { return gradlab::mul(a, b); }); });
  function("div", +[](const Tensor& a, const Tensor& b) { return guarded([&] { return gradlab::div(a, b); }); });
  function("neg", +[](const Tensor& a) { return guarded([&] { return gradlab::neg(a); }); });
  function("pow", +[](const Tensor& a, double e) { return guarded([&] { return gradlab::pow(a, e); }); });
  function("exp", +[](const Tensor& a) { return guarded([&] { return gradlab::exp(a); }); });
  function("log", +[](const Tensor& a) { return guarded([&] { return gradlab::log(a); }); });
  function("sum", +[](const Tensor& a) { return guarded([&] { return gradlab::sum(a); }); });
  function("mean", +[](const Tensor& a) { return guarded([&] { return gradlab::mean(a); }); });
  function("select", +[](const Tensor& a, double dim, double i) {
    return guarded([&] { return gradlab::select(a, static_cast<long long>(dim), static_cast<long long>(i)); });
  });
  function("unbind", +[](const Tensor& a, double dim) {
    return guarded([&] { return gradlab::unbind(a, static_cast<long long>(dim)); });
  });

  // in-place
  function("add_", +[](Tensor& a, const Tensor& b, double alpha) { guarded([&] { a.add_(b, alpha); }); });
  function("mul_", +[](Tensor& a, const Tensor& b) { guarded([&] { a.mul_(b); }); });
  function("div_", +[](Tensor& a, const Tensor& b) { guarded([&] { a.div_(b); }); });
  function("copy_", +[](Tensor& a, const Tensor& b) { guarded([&] { a.copy_(b); }); });
  function("zero_", +[](Tensor& a) { guarded([&] { a.zero_(); }); });

  // optimizers
  class_<optim::optimizer>("Optimizer").smart_ptr<std::shared_ptr<optim::optimizer>>("OptimizerPtr");
  function("optimizerRegistry", &optimizer_registry);
  function("makeOptimizer", &make_optimizer);
  function("optimizerName", +[](const std::shared_ptr<optim::optimizer>& o) { return o->name(); });
  function("optimizerZeroGrad", +[](const std::shared_ptr<optim::optimizer>& o, bool none) { guarded([&] { o->zero_grad(none); }); });
  function("optimizerStep", +[](const std::shared_ptr<optim::optimizer>& o) { return guarded([&] { return o->step(); }); });
  function("optimizerGroupCount", +[](const std::shared_ptr<optim::optimizer>& o) { return static_cast<unsigned>(o->param_groups().size()); });
  function("optimizerGroupOptions", +[](const std::shared_ptr<optim::optimizer>& o, unsigned i) {
    return from_options(o->param_groups().at(i).opts);
  });
  function("optimizerGroupParams", +[](const std::shared_ptr<optim::optimizer>& o, unsigned i) {
    return o->param_groups().at(i).params;
  });
  function("optimizerSetOption", +[](const std::shared_ptr<optim::optimizer>& o, unsigned i, const std::string& k, const val& v) {
    guarded([&] { o->param_groups().at(i).opts.set(k, to_option(v)); });
  });
  function("optimizerState", &optimizer_state);
}
