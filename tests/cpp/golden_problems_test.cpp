// The golden checker's optimisation problems: data from optim.json's `problems` entries,
// parameters from each run's `init`; only the loss formulas are code.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>

#include "golden.hpp"
#include "gradlab/autograd.hpp"
#include "gradlab/ops.hpp"
#include "problems.hpp"

using namespace gradlab;
using namespace gradlab::golden;

namespace {
const json::value& optim_json() {
  static const json::value o = json::parse_file(std::string(std::getenv("GRADLAB_GOLDEN_DIR")
                                                                ? std::getenv("GRADLAB_GOLDEN_DIR")
                                                                : GRADLAB_DEFAULT_GOLDEN_DIR) +
                                                "/optim.json");
  return o;
}
std::vector<Tensor> init_of(const json::value& run) {
  std::vector<Tensor> init;
  for (const auto& t : run["init"].array()) init.push_back(tensor_from(t));
  return init;
}
}  // namespace

TEST_CASE("every golden problem starts from the run's init and gives PyTorch's first loss",
          "[golden]") {
  const auto& o = optim_json();
  std::size_t checked = 0;
  for (const auto& [name, entry] : o["problems"].object()) {
    REQUIRE(has_formula(name));
    for (const auto& run : o["runs"].array()) {
      if (run.has("error") || run["problem"].str() != name) continue;
      const auto init = init_of(run);
      problem p = make_problem(name, entry, init);
      REQUIRE(p.params.size() == init.size());
      for (std::size_t i = 0; i < init.size(); ++i) {
        CHECK(p.params[i].requires_grad());
        CHECK(p.params[i].to_vector() == init[i].to_vector());
      }
      // losses[0] is the loss at init, before any step
      CHECK(compare_value(p.loss().item(), run["losses"][0].real(), 1e-10, 1e-12, name) == "");
      ++checked;
      break;
    }
  }
  CHECK(checked == o["problems"].size());
}

TEST_CASE("a golden problem takes any init: Rosenbrock from [1.8, -0.5]", "[golden]") {
  // the regenerated set starts Rosenbrock there; the checker used to rebuild [-1.5, 2]
  const auto& entry = optim_json()["problems"]["rosenbrock"];
  problem p =
      make_problem("rosenbrock", entry, {Tensor::from_values({1.8, -0.5}, {2}, dtype::float64)});
  CHECK(p.params[0].to_vector() == std::vector<double>{1.8, -0.5});
  const double x = 1.8, y = -0.5;
  CHECK(p.loss().item() ==
        Approx((1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x)).epsilon(1e-15));
}

TEST_CASE("a golden problem's data are the entry's, not gen.py's", "[golden]") {
  const auto& o = optim_json();
  // a copy of the matrix entry with Y replaced by zeros: the loss is then mean((V tanh(W X))^2)
  auto members = o["problems"]["matrix"].object();
  auto y = members.at("Y").object();
  std::vector<json::value> zeros(18, json::value::make_number(0.0));
  y["data"] = json::value::make_array(zeros);
  members["Y"] = json::value::make_object(y);
  const json::value entry = json::value::make_object(members);
  const Tensor w = vals({3, 4}, 4), v = vals({3, 3}, 5);
  problem p = make_problem("matrix", entry, {w, v});
  const Tensor x = tensor_from(entry["X"]);
  const Tensor want = matmul(v, tanh(matmul(w, x))).pow(2).mean();
  CHECK(p.loss().item() == want.item());
}

TEST_CASE("a golden problem refuses an init or an entry that does not fit its formula",
          "[golden]") {
  const auto& o = optim_json();
  CHECK_THROWS_WITH(make_problem("matrix", o["problems"]["matrix"], {vals({3, 4}, 1)}),
                    "problem 'matrix' has 2 parameter tensors, the run's init 1");
  CHECK_THROWS_WITH(
      make_problem("matrix", json::value::make_object({}), {vals({3, 4}, 1), vals({3, 3}, 2)}),
      Catch::Contains("X"));
  CHECK_THROWS_WITH(make_problem("no_such", o["problems"]["matrix"], {}),
                    "no loss formula for problem 'no_such'");
}

TEST_CASE("the embedding problem's gradient is sparse over the entry's indices", "[golden]") {
  const auto& entry = optim_json()["problems"]["embedding"];
  problem e = make_problem("embedding", entry, {vals({6, 3}, 31)});
  e.loss().backward();
  std::vector<std::int64_t> idx;
  for (const auto& i : entry["idx"].array()) idx.push_back(static_cast<std::int64_t>(i.number()));
  CHECK(e.params[0].grad().sparse_rows() == idx);
}
