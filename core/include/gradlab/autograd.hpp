#pragma once
/// \file autograd.hpp
/// The dynamic graph: nodes named as PyTorch names its grad_fn classes, the edges between
/// them, grad mode, and the backward engine. The engine never names a specific op.
#include <memory>
#include <string>
#include <vector>

#include "gradlab/tensor.hpp"

namespace gradlab {

class Node;

/// An edge to the node that receives a gradient, and which of its inputs it arrives at
/// (PyTorch's `next_functions` entries: (node, input_nr)). A null fn is None.
struct Edge {
  std::shared_ptr<Node> fn;
  std::uint32_t input_nr = 0;
};

/// Shape and dtype a node's incoming gradient must have. The engine reduces broadcast
/// gradients to this shape in one place (engine.cpp), so ops never do it themselves.
struct InputMeta {
  shape_t shape;
  gradlab::dtype dtype = dtype::float32;
};

/// A tensor saved for backward, with the version it had: if it is modified in place before
/// backward runs, PyTorch's "modified by an inplace operation" error is raised. An op's own
/// output is saved as a detached copy, so that a node never owns the tensor that owns it.
class SavedTensor {
 public:
  SavedTensor() = default;
  explicit SavedTensor(const Tensor& t, bool is_output = false);
  /// The saved value; throws if it was modified in place since it was saved.
  Tensor unpack() const;
  void reset() { tensor_ = Tensor(); }

 private:
  Tensor tensor_;
  const TensorImpl* original_ = nullptr;  // for the version check on inputs only
  std::uint32_t version_ = 0;
  bool saved_ = false;
};

class Node : public std::enable_shared_from_this<Node> {
 public:
  /// Releases the edges through release_node(): graphs are freed iteratively.
  virtual ~Node();
  /// PyTorch's grad_fn class name: "MulBackward0", "AccumulateGrad", ...
  virtual std::string name() const = 0;
  /// Gradients for each next edge, given the gradients of this node's outputs.
  /// Undefined tensors mean "no gradient" (zero).
  virtual std::vector<Tensor> apply(std::vector<Tensor>&& grad_outputs) = 0;
  /// Frees saved values after backward (unless retain_graph).
  virtual void release_saved() {}
  /// Whether this node saved values for backward (then a second backward is an error).
  virtual bool saves_values() const { return false; }

  const std::vector<Edge>& next_edges() const { return next_edges_; }
  const std::vector<InputMeta>& input_meta() const { return input_meta_; }
  std::size_t num_outputs() const { return input_meta_.size(); }
  bool released() const { return released_; }
  /// Creation order, used to break ties in topological order like PyTorch's sequence_nr.
  std::uint64_t sequence_nr() const { return sequence_nr_; }

  // Graph construction, used by ops.
  void add_next_edge(Edge e) { next_edges_.push_back(std::move(e)); }
  std::uint32_t add_input_meta(const Tensor& output);
  void mark_released() { released_ = true; }
  /// Whether the gradient for input i is wanted (its edge is not None).
  bool needs_input_grad(std::size_t i) const {
    return i < next_edges_.size() && next_edges_[i].fn != nullptr;
  }
  Node();

 private:
  std::vector<Edge> next_edges_;
  std::vector<InputMeta> input_meta_;
  bool released_ = false;
  std::uint64_t sequence_nr_ = 0;
};

/// The sink of a leaf that requires grad: adds the incoming gradient into leaf.grad.
class AccumulateGrad : public Node {
 public:
  explicit AccumulateGrad(std::shared_ptr<TensorImpl> leaf);
  std::string name() const override { return "AccumulateGrad"; }
  std::vector<Tensor> apply(std::vector<Tensor>&& grads) override;
  Tensor variable() const { return Tensor(leaf_); }

 private:
  std::shared_ptr<TensorImpl> leaf_;
};

/// Drops a reference to a node. When it was the last one, the node is destroyed by a loop
/// that also takes over the nodes it frees in turn: no recursion, however deep the graph.
void release_node(std::shared_ptr<Node> node);

/// The sum of two gradients flowing into the same place, out of place; two sparse gradients
/// (embedding(..., sparse=true)) give a sparse one listing both gradients' rows.
Tensor add_gradients(const Tensor& a, const Tensor& b);

/// The edge that a gradient for t must follow: t's grad_fn, its AccumulateGrad if it is a
/// leaf requiring grad, or None.
Edge gradient_edge(const Tensor& t);

/// Grad mode (torch.is_grad_enabled). Thread-local, as in PyTorch.
bool grad_enabled();
void set_grad_enabled(bool on);

/// RAII `with torch.no_grad():`.
class no_grad_guard {
 public:
  no_grad_guard() : prev_(grad_enabled()) { set_grad_enabled(false); }
  ~no_grad_guard() { set_grad_enabled(prev_); }
  no_grad_guard(const no_grad_guard&) = delete;
  no_grad_guard& operator=(const no_grad_guard&) = delete;

 private:
  bool prev_;
};

/// RAII `with torch.enable_grad():` (LBFGS closures run under it).
class enable_grad_guard {
 public:
  enable_grad_guard() : prev_(grad_enabled()) { set_grad_enabled(true); }
  ~enable_grad_guard() { set_grad_enabled(prev_); }
  enable_grad_guard(const enable_grad_guard&) = delete;
  enable_grad_guard& operator=(const enable_grad_guard&) = delete;

 private:
  bool prev_;
};

/// torch.autograd.backward(roots, grads, retain_graph): topological order, iterative.
void backward(const std::vector<Tensor>& roots, const std::vector<Tensor>& grads,
              bool retain_graph = false);

/// Makes t (a fresh leaf) the output of a node that stands for one a backward() has released:
/// it has the given name, no edges, and a gradient reaching it raises PyTorch's "backward
/// through the graph a second time" error. The JS API rebuilds with it a tensor that it had
/// moved out of the WebAssembly heap after its graph was spent.
void attach_released_grad_fn(Tensor& t, std::string name);
/// Whether n is such a stand-in.
bool is_released_stand_in(const Node& n);

/// Whether an op on these inputs must record a node.
bool any_requires_grad(std::initializer_list<const Tensor*> inputs);

/// Wires a freshly made node to its inputs and outputs: the op's only contact with the
/// graph. Outputs become non-leaves that require grad, with grad_fn = node.
void connect(const std::shared_ptr<Node>& node, const std::vector<const Tensor*>& inputs,
             const std::vector<Tensor*>& outputs);

}  // namespace gradlab
