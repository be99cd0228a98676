// The backward engine: an iterative topological walk (no recursion, so deep graphs cannot
// overflow the stack), with broadcast gradients reduced to each input's shape in one place.
#include <algorithm>
#include <queue>
#include <unordered_map>

#include "gradlab/autograd.hpp"
#include "gradlab/error.hpp"
#include "gradlab/ops.hpp"

namespace gradlab {

namespace {

/// The one place where a gradient is made to fit the input it flows into: broadcast
/// dimensions are summed away and the dtype follows the input's.
Tensor fit_gradient(Tensor g, const InputMeta& meta) {
  if (g.shape() != meta.shape) g = sum_to(g, meta.shape);
  if (g.dtype() != meta.dtype) g = g.to(meta.dtype);
  return g;
}

struct ReadyOrder {  // later-created nodes first, as PyTorch's sequence_nr ordering
  bool operator()(const std::shared_ptr<Node>& a, const std::shared_ptr<Node>& b) const {
    return a->sequence_nr() < b->sequence_nr();
  }
};

}  // namespace

void backward(const std::vector<Tensor>& roots, const std::vector<Tensor>& grads,
              bool retain_graph) {
  std::vector<Edge> root_edges;
  std::vector<Tensor> root_grads;
  for (std::size_t i = 0; i < roots.size(); ++i) {
    const Tensor& r = roots[i];
    if (!r.requires_grad())
      runtime_error("element " + std::to_string(i) +
                    " of tensors does not require grad and does not have a grad_fn");
    Tensor g = i < grads.size() ? grads[i] : Tensor();
    if (!g.defined()) {
      if (r.numel() != 1) runtime_error("grad can be implicitly created only for scalar outputs");
      g = Tensor::full(r.shape(), 1.0, r.dtype());
    } else if (g.shape() != r.shape()) {
      runtime_error("Mismatch in shape: grad_output[" + std::to_string(i) +
                    "] has a shape of torch.Size(" + shape_str(g.shape()) +
                    ") and output[" + std::to_string(i) + "] has a shape of torch.Size(" +
                    shape_str(r.shape()) + ").");
    }
    root_edges.push_back(gradient_edge(r));
    root_grads.push_back(g);
  }

  // Count, for every reachable node, how many edges lead into it.
  std::unordered_map<Node*, int> deps;
  {
    std::vector<Node*> stack;
    std::unordered_map<Node*, bool> seen;
    for (auto& e : root_edges)
      if (!seen[e.fn.get()]) {
        seen[e.fn.get()] = true;
        stack.push_back(e.fn.get());
      }
    while (!stack.empty()) {
      Node* n = stack.back();
      stack.pop_back();
      for (const Edge& e : n->next_edges()) {
        if (!e.fn) continue;
        ++deps[e.fn.get()];
        if (!seen[e.fn.get()]) {
          seen[e.fn.get()] = true;
          stack.push_back(e.fn.get());
        }
      }
    }
  }

  no_grad_guard ng;  // gradients themselves are not differentiated (no create_graph)
  std::unordered_map<Node*, std::vector<Tensor>> buffers;
  auto deliver = [&](const Edge& e, Tensor g) {
    auto& buf = buffers[e.fn.get()];
    if (buf.empty()) buf.resize(e.fn->num_outputs());
    if (!g.defined()) return;
    g = fit_gradient(std::move(g), e.fn->input_meta()[e.input_nr]);
    Tensor& slot = buf[e.input_nr];
    slot = slot.defined() ? add_gradients(slot, g) : g;  // out of place: g may be shared
  };

  std::priority_queue<std::shared_ptr<Node>, std::vector<std::shared_ptr<Node>>, ReadyOrder> ready;
  for (std::size_t i = 0; i < root_edges.size(); ++i) {
    deliver(root_edges[i], root_grads[i]);
    // a root reachable from another root waits for its dependencies
    if (deps[root_edges[i].fn.get()] == 0) ready.push(root_edges[i].fn);
  }
  std::unordered_map<Node*, bool> queued;
  while (!ready.empty()) {
    std::shared_ptr<Node> node = ready.top();
    ready.pop();
    if (queued[node.get()]) continue;  // the same root given twice
    queued[node.get()] = true;
    std::vector<Tensor> inputs = std::move(buffers[node.get()]);
    buffers.erase(node.get());
    if (inputs.empty()) inputs.resize(node->num_outputs());
    const bool any = std::any_of(inputs.begin(), inputs.end(),
                                 [](const Tensor& t) { return t.defined(); });
    std::vector<Tensor> outputs;
    if (any) outputs = node->apply(std::move(inputs));
    if (!retain_graph) {
      node->release_saved();
      node->mark_released();
    }
    const auto& edges = node->next_edges();
    for (std::size_t i = 0; i < edges.size(); ++i) {
      const Edge& e = edges[i];
      if (!e.fn) continue;
      deliver(e, i < outputs.size() ? outputs[i] : Tensor());
      if (--deps[e.fn.get()] == 0) ready.push(e.fn);
    }
  }
}

}  // namespace gradlab
