#include <catch2/catch.hpp>

#include "gradlab/autograd.hpp"
#include "gradlab/error.hpp"
#include "gradlab/ops.hpp"

using namespace gradlab;

TEST_CASE("grad is None until the first backward, then accumulates", "[autograd]") {
  Tensor w = Tensor::from_values({2.0}, {}, dtype::float64, true);
  Tensor x = Tensor::from_values({1.0, 2.0, 3.0}, {3}, dtype::float64);
  CHECK_FALSE(w.grad().defined());
  (w * x).sum().backward();
  REQUIRE(w.grad().defined());
  CHECK(w.grad().item() == 6.0);
  (w * x).sum().backward();
  CHECK(w.grad().item() == 12.0);
  w.grad().zero_();
  CHECK(w.grad().item() == 0.0);
  CHECK_FALSE(x.grad().defined());
}

TEST_CASE("grad_fn names and edges follow PyTorch", "[autograd]") {
  Tensor p = Tensor::from_values({1.0, 0.0}, {2}, dtype::float32, true);
  Tensor x = Tensor::from_values({3.0, 4.0}, {2});
  auto wb = p.unbind();
  Tensor loss = (wb[0] * x + wb[1]).pow(2).mean();
  REQUIRE(loss.grad_fn());
  CHECK(loss.grad_fn()->name() == "MeanBackward0");
  const auto& pow_edge = loss.grad_fn()->next_edges().at(0);
  CHECK(pow_edge.fn->name() == "PowBackward0");
  const auto& add = pow_edge.fn->next_edges().at(0).fn;
  CHECK(add->name() == "AddBackward0");
  const auto& mul = add->next_edges().at(0).fn;
  CHECK(mul->name() == "MulBackward0");
  CHECK(mul->next_edges().at(0).fn->name() == "UnbindBackward0");
  CHECK(mul->next_edges().at(1).fn == nullptr);  // x does not require grad: None
  CHECK(mul->next_edges().at(0).fn->next_edges().at(0).fn->name() == "AccumulateGrad");
  CHECK(p[0].grad_fn()->name() == "SelectBackward0");
}

TEST_CASE("broadcast gradients are summed back to the input's shape", "[autograd]") {
  Tensor a = Tensor::from_values({1, 2, 3, 4, 5, 6}, {2, 3}, dtype::float64, true);
  Tensor b = Tensor::from_values({1, 1, 1}, {3}, dtype::float64, true);
  Tensor s = Tensor::from_values({2}, {}, dtype::float64, true);
  ((a * b) * s).sum().backward();
  CHECK(b.grad().shape() == shape_t{3});
  CHECK(b.grad().to_vector() == std::vector<double>{10, 14, 18});
  CHECK(s.grad().shape() == shape_t{});
  CHECK(s.grad().item() == 21.0);
}

TEST_CASE("backward errors say what PyTorch says", "[autograd]") {
  Tensor p = Tensor::from_values({1.0, 0.0}, {2}, dtype::float32, true);
  REQUIRE_THROWS_WITH((p * 2.0).backward(), "grad can be implicitly created only for scalar outputs");
  Tensor q = Tensor::from_values({1.0, 0.0}, {2});
  REQUIRE_THROWS_WITH((q * 2.0).sum().backward(),
                      "element 0 of tensors does not require grad and does not have a grad_fn");
  Tensor l = (p * p).sum();
  l.backward();
  REQUIRE_THROWS_WITH(l.backward(), Catch::Contains("Trying to backward through the graph a second time"));
  Tensor r = (p * p).sum();
  r.backward({}, true);
  r.backward();  // retain_graph kept the saved values for this second pass
  CHECK(p.grad().to_vector() == std::vector<double>{6.0, 0.0});
}

TEST_CASE("no_grad records nothing; detach cuts the graph", "[autograd]") {
  Tensor w = Tensor::from_values({3.0}, {}, dtype::float32, true);
  {
    no_grad_guard ng;
    Tensor y = w * 2.0;
    CHECK_FALSE(y.requires_grad());
    CHECK(y.grad_fn() == nullptr);
  }
  CHECK((w * 2.0).requires_grad());
  Tensor d = w.detach();
  CHECK_FALSE(d.requires_grad());
  CHECK(d.is_leaf());
}

TEST_CASE("a saved tensor modified in place is detected", "[autograd]") {
  Tensor w = Tensor::from_values({3.0}, {}, dtype::float32, true);
  Tensor x = Tensor::from_values({2.0}, {});
  Tensor y = w * x;
  x.mul_(2.0);
  REQUIRE_THROWS_WITH(y.backward(), Catch::Contains("modified by an inplace operation"));
}

TEST_CASE("deep graphs do not overflow the stack", "[autograd]") {
  Tensor w = Tensor::from_values({1.0}, {}, dtype::float64, true);
  Tensor y = w;
  for (int i = 0; i < 100000; ++i) y = y + 1.0;
  y.backward();
  CHECK(w.grad().item() == 1.0);
}
