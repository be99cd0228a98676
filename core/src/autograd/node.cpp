// Graph nodes, edges, saved tensors and grad mode: the parts of autograd that ops touch.
#include <atomic>

#include "gradlab/autograd.hpp"
#include "gradlab/error.hpp"
#include "gradlab/ops.hpp"
#include "ops/kernels.hpp"

namespace gradlab {

namespace {
thread_local bool g_grad_enabled = true;
std::atomic<std::uint64_t> g_next_sequence_nr{0};

const char* kBackwardTwice =
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward.";
}  // namespace

bool grad_enabled() { return g_grad_enabled; }
void set_grad_enabled(bool on) { g_grad_enabled = on; }

Node::Node() : sequence_nr_(g_next_sequence_nr++) {}

Node::~Node() {
  for (auto& e : next_edges_) release_node(std::move(e.fn));
}

void release_node(std::shared_ptr<Node> node) {
  thread_local std::vector<std::shared_ptr<Node>> graveyard;
  thread_local bool draining = false;
  if (!node) return;
  graveyard.push_back(std::move(node));
  if (draining) return;  // the loop below, further up the stack, will free it
  draining = true;
  while (!graveyard.empty()) {
    std::shared_ptr<Node> last = std::move(graveyard.back());
    graveyard.pop_back();
    last.reset();  // may push the nodes it owned; they are freed by this same loop
  }
  draining = false;
}

std::uint32_t Node::add_input_meta(const Tensor& output) {
  input_meta_.push_back({output.shape(), output.dtype()});
  return static_cast<std::uint32_t>(input_meta_.size() - 1);
}

}  // namespace gradlab

gradlab::TensorImpl::~TensorImpl() { release_node(std::move(grad_fn)); }

namespace gradlab {

SavedTensor::SavedTensor(const Tensor& t, bool is_output) : saved_(t.defined()) {
  if (!t.defined()) return;
  version_ = t.version();
  if (is_output) {
    tensor_ = t.detach();  // a node must not own the tensor whose grad_fn it is
  } else {
    tensor_ = t;
    original_ = t.impl();
  }
}

Tensor SavedTensor::unpack() const {
  if (!saved_) return Tensor();
  if (!tensor_.defined()) runtime_error(kBackwardTwice);
  if (original_ && tensor_.version() != version_)
    runtime_error(
        "one of the variables needed for gradient computation has been modified by an "
        "inplace operation: [torch." +
        std::string(tensor_.dtype() == dtype::float32 ? "FloatTensor" : "DoubleTensor") + " " +
        shape_str(tensor_.shape()) + "] is at version " + std::to_string(tensor_.version()) +
        "; expected version " + std::to_string(version_) +
        " instead. Hint: the backtrace further above can show the operation that failed to "
        "compute its gradient.");
  return tensor_;
}

namespace {
/// The row list of the sum of two gradients: both lists one after the other when both are
/// sparse (PyTorch's sparse + sparse is uncoalesced too), none (dense) as soon as one is
/// dense, as PyTorch's sparse + dense gives a dense tensor.
std::optional<std::vector<std::int64_t>> summed_rows(const Tensor& a, const Tensor& b) {
  if (!a.is_sparse() || !b.is_sparse()) return std::nullopt;
  std::vector<std::int64_t> rows = a.sparse_rows();
  rows.insert(rows.end(), b.sparse_rows().begin(), b.sparse_rows().end());
  return rows;
}
}  // namespace

Tensor add_gradients(const Tensor& a, const Tensor& b) {
  Tensor sum = add(a, b);
  sum.set_sparse_rows(summed_rows(a, b));
  return sum;
}

AccumulateGrad::AccumulateGrad(std::shared_ptr<TensorImpl> leaf) : leaf_(std::move(leaf)) {
  add_input_meta(Tensor(leaf_));
}

std::vector<Tensor> AccumulateGrad::apply(std::vector<Tensor>&& grads) {
  Tensor g = std::move(grads[0]);
  if (!g.defined()) return {};
  Tensor var(leaf_);
  Tensor current = var.grad();
  if (!current.defined()) {
    // The leaf needs a buffer of its own, since the incoming gradient may be shared with
    // another leaf or held by the caller. When nothing else holds it (the engine has moved
    // it here), it is taken as is, as PyTorch steals it: no copy on the common path.
    const TensorImpl* gi = g.impl();
    const bool sole =
        g.impl_ptr().use_count() == 1 && !gi->requires_grad && !gi->grad_fn && !gi->wrapped_number;
    var.set_grad(sole ? g : g.detach());
  } else {
    // Accumulate in place, as PyTorch does: the lesson of the forgotten zero_grad().
    no_grad_guard ng;
    auto rows = summed_rows(current, g);
    current.add_(g);
    current.set_sparse_rows(std::move(rows));
  }
  return {};
}

Edge gradient_edge(const Tensor& t) {
  if (!t.defined() || !t.requires_grad()) return {};
  if (t.grad_fn()) return {t.grad_fn(), t.impl()->output_nr};
  auto acc = t.impl()->grad_accumulator.lock();
  if (!acc) {
    acc = std::make_shared<AccumulateGrad>(t.impl_ptr());
    t.impl()->grad_accumulator = acc;
  }
  return {acc, 0};
}

namespace {
class ReleasedStandIn : public Node {
 public:
  explicit ReleasedStandIn(std::string name) : name_(std::move(name)) { mark_released(); }
  std::string name() const override { return name_; }
  std::vector<Tensor> apply(std::vector<Tensor>&&) override { runtime_error(kBackwardTwice); }
  bool saves_values() const override { return true; }

 private:
  std::string name_;
};
}  // namespace

void attach_released_grad_fn(Tensor& t, std::string name) {
  auto node = std::make_shared<ReleasedStandIn>(std::move(name));
  connect(node, {}, {&t});
}

bool is_released_stand_in(const Node& n) { return dynamic_cast<const ReleasedStandIn*>(&n); }

bool any_requires_grad(std::initializer_list<const Tensor*> inputs) {
  for (auto* t : inputs)
    if (t->defined() && t->requires_grad()) return true;
  return false;
}

void connect(const std::shared_ptr<Node>& node, const std::vector<const Tensor*>& inputs,
             const std::vector<Tensor*>& outputs) {
  for (auto* in : inputs) node->add_next_edge(gradient_edge(*in));
  for (auto* out : outputs) {
    out->impl()->requires_grad = true;
    out->impl()->grad_fn = node;
    out->impl()->output_nr = node->add_input_meta(*out);
  }
}

}  // namespace gradlab
