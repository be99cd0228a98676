// The backward engine: an iterative topological walk (no recursion, so deep graphs cannot
// overflow the stack), with broadcast gradients reduced to each input's shape in one place.
#include <algorithm>
#include <cstdint>
#include <queue>
#include <utility>
#include <variant>
#include <vector>

#include "gradlab/autograd.hpp"
#include "gradlab/error.hpp"
#include "gradlab/ops.hpp"

namespace gradlab {

namespace {

/// The one place where a gradient is made to fit the input it flows into: broadcast
/// dimensions are summed away and the dtype follows the input's.
Tensor fit_gradient(Tensor g, const InputMeta& meta) {
  const bool same_shape = std::visit(
      [&](const auto& a) {  // compared in place: no shape vector is built on this hot path
        return a.shape().size() == meta.shape.size() &&
               std::equal(a.shape().begin(), a.shape().end(), meta.shape.begin());
      },
      g.storage());
  if (!same_shape) g = sum_to(g, meta.shape);
  if (g.dtype() != meta.dtype) g = g.to(meta.dtype);
  return g;
}

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
                    "] has a shape of torch.Size(" + shape_str(g.shape()) + ") and output[" +
                    std::to_string(i) + "] has a shape of torch.Size(" + shape_str(r.shape()) +
                    ").");
    }
    root_edges.push_back(gradient_edge(r));
    root_grads.push_back(g);
  }

  // Every reachable node gets one record in a flat vector, found through a small
  // open-addressing table: no per-node heap nodes (unordered_map) and no shared_ptr copies
  // in the ready queue. Raw pointers are safe: the roots keep the whole graph alive.
  struct record {
    Node* node;
    int deps = 0;                // edges still to deliver into this node
    bool done = false;           // already applied (the same root given twice)
    std::vector<Tensor> inputs;  // gradients of the node's outputs, summed as they arrive
  };
  std::vector<record> recs;
  std::vector<std::uint32_t> table(16, UINT32_MAX);  // power of two, kept under half full
  auto slot_of = [&](Node* n) -> std::uint32_t& {
    std::size_t mask = table.size() - 1;
    std::size_t h = (reinterpret_cast<std::uintptr_t>(n) >> 4) * 0x9E3779B97F4A7C15ull;
    for (std::size_t i = (h >> 20) & mask;; i = (i + 1) & mask)
      if (table[i] == UINT32_MAX || recs[table[i]].node == n) return table[i];
  };
  // The record of n, made on first sight; `fresh` tells whether it was just made.
  auto find_or_add = [&](Node* n, bool& fresh) -> std::uint32_t {
    std::uint32_t& s = slot_of(n);
    fresh = s == UINT32_MAX;
    if (!fresh) return s;
    s = static_cast<std::uint32_t>(recs.size());
    recs.push_back(record{n, 0, false, {}});
    const std::uint32_t id = s;  // s dangles once the table grows
    if (2 * recs.size() > table.size()) {
      std::vector<std::uint32_t> old(table.size() * 2, UINT32_MAX);
      table.swap(old);
      for (std::uint32_t r = 0; r < recs.size(); ++r) slot_of(recs[r].node) = r;
    }
    return id;
  };

  // Count, for every reachable node, how many edges lead into it.
  std::vector<std::uint32_t> root_ids;
  {
    std::vector<Node*> stack;
    bool fresh = false;
    for (auto& e : root_edges) {
      root_ids.push_back(find_or_add(e.fn.get(), fresh));
      if (fresh) stack.push_back(e.fn.get());
    }
    while (!stack.empty()) {
      Node* n = stack.back();
      stack.pop_back();
      for (const Edge& e : n->next_edges()) {
        if (!e.fn) continue;
        const std::uint32_t id = find_or_add(e.fn.get(), fresh);
        ++recs[id].deps;
        if (fresh) stack.push_back(e.fn.get());
      }
    }
  }

  no_grad_guard ng;  // gradients themselves are not differentiated (no create_graph)
  auto deliver = [&](record& r, std::uint32_t input_nr, Tensor g) {
    auto& buf = r.inputs;
    if (buf.empty()) buf.resize(r.node->num_outputs());
    if (!g.defined()) return;
    g = fit_gradient(std::move(g), r.node->input_meta()[input_nr]);
    Tensor& slot = buf[input_nr];
    slot = slot.defined() ? add_gradients(slot, g) : g;  // out of place: g may be shared
  };

  // later-created nodes first, as PyTorch's sequence_nr ordering
  using entry = std::pair<std::uint64_t, std::uint32_t>;  // (sequence_nr, record)
  std::priority_queue<entry> ready;
  for (std::size_t i = 0; i < root_edges.size(); ++i) {
    record& r = recs[root_ids[i]];
    deliver(r, root_edges[i].input_nr, root_grads[i]);
    // a root reachable from another root waits for its dependencies
    if (r.deps == 0) ready.push({r.node->sequence_nr(), root_ids[i]});
  }
  while (!ready.empty()) {
    const std::uint32_t id = ready.top().second;
    ready.pop();
    if (recs[id].done) continue;  // the same root given twice
    recs[id].done = true;
    Node* node = recs[id].node;
    std::vector<Tensor> inputs = std::move(recs[id].inputs);
    if (inputs.empty()) inputs.resize(node->num_outputs());
    const bool any =
        std::any_of(inputs.begin(), inputs.end(), [](const Tensor& t) { return t.defined(); });
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
      const std::uint32_t next = slot_of(e.fn.get());
      record& r = recs[next];
      deliver(r, e.input_nr, i < outputs.size() ? std::move(outputs[i]) : Tensor());
      if (--r.deps == 0) ready.push({r.node->sequence_nr(), next});
    }
  }
}

}  // namespace gradlab
