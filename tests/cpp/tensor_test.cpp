#include <catch2/catch.hpp>

#include "gradlab/autograd.hpp"
#include "gradlab/error.hpp"
#include "gradlab/ops.hpp"

using namespace gradlab;

TEST_CASE("tensors default to float32 and carry PyTorch's autograd fields", "[tensor]") {
  Tensor t = Tensor::from_values({1.0, 2.0}, {2});
  CHECK(t.dtype() == dtype::float32);
  CHECK_FALSE(t.requires_grad());
  CHECK(t.is_leaf());
  CHECK_FALSE(t.grad().defined());
  CHECK(t.grad_fn() == nullptr);
  Tensor d = Tensor::from_values({1.0}, {1}, dtype::float64, true);
  CHECK(d.dtype() == dtype::float64);
  CHECK(d.requires_grad());
}

TEST_CASE("float32 storage rounds like PyTorch's", "[tensor]") {
  Tensor t = Tensor::from_values({0.1}, {});
  CHECK(t.item() == static_cast<double>(0.1f));
  CHECK(Tensor::from_values({0.1}, {}, dtype::float64).item() == 0.1);
}

TEST_CASE("broadcasting follows NumPy and reports PyTorch's message", "[tensor][shape]") {
  Tensor a = Tensor::from_values({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor b = Tensor::from_values({10, 20, 30}, {3});
  Tensor c = a + b;
  CHECK(c.shape() == shape_t{2, 3});
  CHECK(c.to_vector() == std::vector<double>{11, 22, 33, 14, 25, 36});
  Tensor col = Tensor::from_values({1, 2}, {2, 1});
  CHECK((col * b).shape() == shape_t{2, 3});
  Tensor bad = Tensor::from_values({1, 2, 3, 4}, {4});
  REQUIRE_THROWS_WITH(b + bad,
                      "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0");
}

TEST_CASE("dtype promotion: float64 wins, Python numbers never promote", "[tensor]") {
  Tensor f = Tensor::from_values({1.0}, {1});
  Tensor d = Tensor::from_values({1.0}, {1}, dtype::float64);
  CHECK((f + d).dtype() == dtype::float64);
  CHECK((f * 2.0).dtype() == dtype::float32);
  Tensor d0 = Tensor::from_values({2.0}, {}, dtype::float64);
  CHECK((f * d0).dtype() == dtype::float32);  // a 0-dim tensor does not promote a 1-d one
}

TEST_CASE("repr matches PyTorch's printing", "[tensor][repr]") {
  CHECK(Tensor::from_values({4517.296875, 82.5999984741211}, {2}).repr() == "tensor([4517.2969,   82.6000])");
  CHECK(Tensor::from_values({5.3671, -17.3012}, {2}, dtype::float32, true).repr() ==
        "tensor([  5.3671, -17.3012], requires_grad=True)");
  CHECK(Tensor::from_values({0.95483, -0.000826}, {2}, dtype::float32, true).repr() ==
        "tensor([ 9.5483e-01, -8.2600e-04], requires_grad=True)");
  CHECK(Tensor::from_values({1.0, 0.0}, {2}).repr() == "tensor([1., 0.])");
  CHECK(Tensor::from_values({2.5}, {}, dtype::float64).repr() == "tensor(2.5000, dtype=torch.float64)");
  CHECK(Tensor::from_values({1, 2, 3, 4}, {2, 2}).repr() == "tensor([[1., 2.],\n        [3., 4.]])");
  CHECK(Tensor::from_values({NAN, NAN}, {2}).repr() == "tensor([nan, nan])");
}

TEST_CASE("py_repr prints floats as Python does", "[error]") {
  CHECK(py_repr(-0.1) == "-0.1");
  CHECK(py_repr(1e-5) == "1e-05");
  CHECK(py_repr(0.001) == "0.001");
  CHECK(py_repr(-1.0) == "-1.0");
  CHECK(py_repr(1e16) == "1e+16");
  CHECK(py_repr(123.25) == "123.25");
}

TEST_CASE("in-place ops bump the version and respect no_grad", "[tensor]") {
  Tensor p = Tensor::from_values({1.0, 2.0}, {2}, dtype::float32, true);
  REQUIRE_THROWS_WITH(p.sub_(Tensor::from_values({1, 1}, {2})),
                      "a leaf Variable that requires grad is being used in an in-place operation.");
  {
    no_grad_guard ng;
    p.sub_(Tensor::from_values({1, 1}, {2}));
  }
  CHECK(p.to_vector() == std::vector<double>{0.0, 1.0});
  CHECK(p.version() == 1);
}
