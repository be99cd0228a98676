// The session's views for big models (issue 17): a graph cut to its first nodes with the whole
// graph's size and counts, a landscape computed in slices, a history budget set per session.
#include <catch2/catch.hpp>
#include <string>

#include "gradlab/session.hpp"

using namespace gradlab;

namespace {
// k statements in a chain, each using both parameters: 2k + a few nodes
std::string chain(int k) {
  std::string s = "param w = 1.0\nparam b = 0.0\nh0 = w * t_u + b\n";
  for (int i = 1; i < k; ++i)
    s += "h" + std::to_string(i) + " = h" + std::to_string(i - 1) + " * w + b\n";
  return s + "loss = ((h" + std::to_string(k - 1) + " - t_c) ** 2).mean()\n";
}
}  // namespace

TEST_CASE("session: a graph cut to its first nodes keeps the whole graph's size",
          "[session][graph]") {
  session s;
  s.load_preset("thermometer");
  s.set_model(chain(200));
  REQUIRE(s.run(1));
  const graph_snapshot all = s.graph();
  CHECK(all.nodes.size() == all.total_nodes);
  CHECK(all.edges.size() == all.total_edges);
  CHECK(all.total_nodes > 400);
  const graph_snapshot cut = s.graph(50);
  REQUIRE(cut.nodes.size() == 50);
  CHECK(cut.total_nodes == all.total_nodes);
  CHECK(cut.total_edges == all.total_edges);
  // the same nodes, in the same order, as the first 50 of the whole graph
  for (std::size_t i = 0; i < cut.nodes.size(); ++i) {
    CHECK(cut.nodes[i].id == static_cast<int>(i));
    CHECK(cut.nodes[i].name == all.nodes[i].name);
    CHECK(cut.nodes[i].label == all.nodes[i].label);
    CHECK(cut.nodes[i].value == all.nodes[i].value);
  }
  std::size_t kept = 0;
  for (const auto& e : all.edges) kept += e.from < 50 && e.to < 50;
  CHECK(cut.edges.size() == kept);
  for (const auto& e : cut.edges) CHECK((e.from < 50 && e.to < 50));
  // counts over the whole graph: 200 multiplications by w, 200 additions of b, two leaves
  std::size_t total = 0, mul = 0, add = 0, params = 0;
  for (const auto& c : cut.counts) {
    total += c.count;
    if (c.name == "MulBackward0") mul = c.count;
    if (c.name == "AddBackward0") add = c.count;
    if (c.kind == "param") params = c.count;
  }
  CHECK(total == all.total_nodes);
  CHECK(mul == 200);
  CHECK(add == 200);
  CHECK(params == 2);
  CHECK(s.graph(0).nodes.empty());
  CHECK(s.graph(0).total_nodes == all.total_nodes);
}

TEST_CASE("session: a landscape in slices equals the whole grid", "[session][landscape]") {
  for (const char* preset : {"thermometer", "circle"}) {  // the fused and the general evaluator
    session s;
    s.load_preset(preset);
    REQUIRE(s.run(3));
    const std::size_t n = 7;
    const auto whole = s.landscape({0, 0}, -1.0, 2.0, {1, 0}, -3.0, 1.0, n);
    REQUIRE(whole.loss.size() == n * n);
    CHECK(whole.first == 0);
    std::vector<float> pieces;
    for (std::size_t first = 0; first < n * n; first += 5) {
      const auto part = s.landscape({0, 0}, -1.0, 2.0, {1, 0}, -3.0, 1.0, n, first, 5);
      CHECK(part.first == first);
      CHECK(part.loss.size() == std::min<std::size_t>(5, n * n - first));
      pieces.insert(pieces.end(), part.loss.begin(), part.loss.end());
    }
    CHECK(pieces == whole.loss);  // bit for bit
    CHECK(s.landscape({0, 0}, -1.0, 2.0, {1, 0}, -3.0, 1.0, n, n * n, 5).loss.empty());
    CHECK_THROWS(s.landscape({0, 0}, -1.0, 2.0, {1, 0}, -3.0, 1.0, n, n * n + 1, 5));
  }
}

TEST_CASE("session: the parameter history budget is per session and leaves no gaps",
          "[session][history]") {
  session s;
  s.load_preset("thermometer");
  s.set_optimizer("SGD", {{"lr", 1e-4}});
  // two parameters: 4 numbers per epoch (values and grads)
  s.set_param_history_budget(40);
  REQUIRE(s.run(20));
  CHECK(s.records().param_epochs == 10);
  CHECK(s.records().params[0].values.size() == 10);
  // a larger budget later does not append epochs after the gap
  s.set_param_history_budget(1000);
  REQUIRE(s.run(5));
  CHECK(s.records().param_epochs == 10);
  CHECK(s.records().epochs() == 25);
  s.reset();
  REQUIRE(s.run(5));
  CHECK(s.records().param_epochs == 5);
}
