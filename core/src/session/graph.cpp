// The graph snapshot: a walk of the real autograd graph from the loss's grad_fn through
// Node::next_edges, labelled with what the traced forward knows (source text, values).
#include <algorithm>
#include <cmath>
#include <map>

#include "gradlab/autograd.hpp"
#include "gradlab/session.hpp"

namespace gradlab {

namespace {
void summarise(const Tensor& t, std::vector<double>& head, double& mn, double& mx, double& mean) {
  const std::vector<double> v = t.to_vector();
  head.assign(v.begin(), v.begin() + static_cast<long>(std::min<std::size_t>(8, v.size())));
  if (v.empty()) return;
  mn = *std::min_element(v.begin(), v.end());
  mx = *std::max_element(v.begin(), v.end());
  double s = 0;
  for (double x : v) s += x;
  mean = s / static_cast<double>(v.size());
}
}  // namespace

graph_snapshot session::graph(std::size_t max_nodes) const {
  graph_snapshot g;
  if (!loss_.defined() || !loss_.grad_fn()) return g;
  std::map<const Node*, int> ids;       // every node met, by id (walk order)
  std::map<std::string, int> data_ids;  // one node per data column
  std::map<const Node*, const model::trace_entry*> traced;
  for (const auto& t : trace_)
    if (t.fn) traced.emplace(t.fn.get(), &t);  // the first text that made a node names it

  // Interior gradients: PyTorch keeps none for non-leaves, so replay the latest forward on
  // copies with a zero "probe" added to every op's result; backward then leaves dL/d(result)
  // in each probe's .grad, matched to the drawn nodes by trace order.
  std::vector<Tensor> probes;
  if (backward_done_ && max_nodes > 0) {
    try {
      enable_grad_guard eg;
      std::vector<Tensor> ps;
      for (const auto& p : forward_params_) ps.push_back(p.clone().requires_grad_(true));
      std::vector<model::trace_entry> ptrace;
      model_.loss(ps, forward_cols_, &ptrace, &probes).backward();
      if (ptrace.size() != trace_.size()) probes.clear();
    } catch (const std::exception&) {
      probes.clear();  // the drawing goes without interior gradients
    }
  }

  // Nodes past max_nodes get an id and a count but no labels or values, and no edges drawn.
  std::map<std::pair<std::string, std::string>, std::size_t> count_at;  // (kind, name) -> counts
  auto add_node = [&](graph_node n) {
    n.id = static_cast<int>(g.total_nodes++);
    const auto key = std::make_pair(n.kind, n.kind == "param" || n.kind == "data" ? "" : n.name);
    const auto c = count_at.emplace(key, g.counts.size());
    if (c.second) g.counts.push_back({key.first, key.second, 0});
    ++g.counts[c.first->second].count;
    if (g.nodes.size() < max_nodes) g.nodes.push_back(std::move(n));
    return static_cast<int>(g.total_nodes - 1);
  };
  auto kept = [&](int id) { return static_cast<std::size_t>(id) < max_nodes; };
  auto add_edge = [&](int from, int to, int input_nr) {
    ++g.total_edges;
    if (kept(from) && kept(to)) g.edges.push_back({from, to, input_nr});
  };
  auto node_for = [&](const std::shared_ptr<Node>& fn, std::vector<const Node*>& queue) {
    auto it = ids.find(fn.get());
    if (it != ids.end()) return it->second;
    graph_node n;
    n.name = fn->name();
    n.kind = "op";
    const bool keep = g.total_nodes < max_nodes;
    if (auto* acc = dynamic_cast<const AccumulateGrad*>(fn.get())) {
      n.kind = "accumulate";
      n.label = "AccumulateGrad";
      (void)acc;
    } else if (auto t = traced.find(fn.get()); keep && t != traced.end()) {
      n.label = t->second->text;
      n.shape = t->second->value.shape();
      summarise(t->second->value, n.value, n.min, n.max, n.mean);
      const std::size_t k = static_cast<std::size_t>(t->second - trace_.data());
      if (k < probes.size() && probes[k].grad().defined()) {
        n.has_grad = true;
        double a, b, c;
        summarise(probes[k].grad(), n.grad, a, b, c);
      }
    }
    const int id = add_node(std::move(n));
    ids[fn.get()] = id;
    queue.push_back(fn.get());
    return id;
  };

  std::vector<const Node*> queue;
  node_for(loss_.grad_fn(), queue);
  for (std::size_t qi = 0; qi < queue.size(); ++qi) {
    const Node* fn = queue[qi];
    const int to = ids[fn];
    if (auto* acc = dynamic_cast<const AccumulateGrad*>(fn)) {
      // the leaf behind AccumulateGrad: a parameter
      const Tensor leaf = acc->variable();
      graph_node n;
      n.kind = "param";
      if (g.total_nodes < max_nodes) {
        for (std::size_t i = 0; i < params_.size(); ++i)
          if (params_[i].same(leaf)) n.name = model_.params()[i].name;
        n.label = n.name;
        n.shape = leaf.shape();
        summarise(leaf, n.value, n.min, n.max, n.mean);
        const Tensor grad = leaf.grad();
        n.has_grad = grad.defined();
        if (n.has_grad) {
          double a, b, c;
          summarise(grad, n.grad, a, b, c);
        }
      }
      add_edge(add_node(std::move(n)), to, 0);
      continue;
    }
    const auto t = traced.find(fn);
    const auto& edges = fn->next_edges();
    // None edges are inputs without grad: match them with the traced operands that are data
    // columns, by position when that lines up, else in order (addmm puts bias first).
    auto is_column = [&](const std::string& label) {
      return std::any_of(full_columns_.begin(), full_columns_.end(),
                         [&](const auto& c) { return c.first == label; });
    };
    std::vector<std::string> none_label(edges.size());
    if (t != traced.end()) {
      const auto& ops = t->second->operands;
      std::vector<std::size_t> none_edges;
      std::vector<std::string> columns;
      for (std::size_t i = 0; i < edges.size(); ++i)
        if (!edges[i].fn) none_edges.push_back(i);
      for (const auto& o : ops)
        if (is_column(o)) columns.push_back(o);
      bool by_position = ops.size() == edges.size();
      for (std::size_t i = 0; by_position && i < ops.size(); ++i)
        if (is_column(ops[i]) && edges[i].fn) by_position = false;
      if (by_position) {
        for (std::size_t i = 0; i < edges.size(); ++i)
          if (!edges[i].fn && is_column(ops[i])) none_label[i] = ops[i];
      } else if (columns.size() == none_edges.size()) {
        for (std::size_t k = 0; k < none_edges.size(); ++k) none_label[none_edges[k]] = columns[k];
      }
    }
    for (std::size_t i = 0; i < edges.size(); ++i) {
      if (edges[i].fn) {
        add_edge(node_for(edges[i].fn, queue), to, static_cast<int>(i));
        continue;
      }
      const std::string& label = none_label[i];
      if (label.empty()) continue;
      const auto col = std::find_if(full_columns_.begin(), full_columns_.end(),
                                    [&](const auto& c) { return c.first == label; });
      auto d = data_ids.find(label);
      int from;
      if (d == data_ids.end()) {
        graph_node n;
        n.kind = "data";
        n.name = n.label = label;
        n.shape = col->second.shape();
        if (g.total_nodes < max_nodes) summarise(col->second, n.value, n.min, n.max, n.mean);
        from = add_node(std::move(n));
        data_ids[label] = from;
      } else {
        from = d->second;
      }
      add_edge(from, to, static_cast<int>(i));
    }
  }
  return g;
}

}  // namespace gradlab
