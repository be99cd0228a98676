// The op set beyond gradcheck: PyTorch's error messages, grad_fn names, float32 support,
// sparse embedding gradients.
#include "gradlab/ops.hpp"

#include <catch2/catch.hpp>

#include "gradlab/autograd.hpp"
#include "gradlab/error.hpp"

using namespace gradlab;

namespace {
Tensor ones(const shape_t& s, dtype d = dtype::float64, bool rg = false) {
  Tensor t = Tensor::full(s, 1.0, d);
  if (rg) t.requires_grad_();
  return t;
}
}  // namespace

TEST_CASE("shape errors say what PyTorch says", "[ops][errors]") {
  REQUIRE_THROWS_WITH(
      ones({3}) + ones({4}),
      "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0");
  REQUIRE_THROWS_WITH(matmul(ones({2, 3}), ones({4, 5})),
                      "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
  REQUIRE_THROWS_WITH(mm(ones({2, 3}), ones({4, 5})),
                      "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
  // 1-D @ 2-D goes through unsqueeze(0) and mm, so the message shows the unsqueezed row
  REQUIRE_THROWS_WITH(matmul(ones({3}), ones({4, 2})),
                      "mat1 and mat2 shapes cannot be multiplied (1x3 and 4x2)");
  REQUIRE_THROWS_WITH(matmul(ones({2, 3}), ones({4})),
                      "size mismatch, got input (2), mat (2x3), vec (4)");
  REQUIRE_THROWS_WITH(
      matmul(ones({3}), ones({4})),
      "inconsistent tensor size, expected tensor [3] and src [4] to have the same number of "
      "elements, but got 3 and 4 elements respectively");
  REQUIRE_THROWS_WITH(matmul(ones({}), ones({2, 2})),
                      "both arguments to matmul need to be at least 1D, but they are 0D and 2D");
  REQUIRE_THROWS_WITH(linear(ones({2, 3}), ones({4, 5}), ones({4})),
                      "mat1 and mat2 shapes cannot be multiplied (2x3 and 5x4)");
  REQUIRE_THROWS_WITH(linear(ones({}), ones({2, 2})),
                      "both arguments to linear need to be at least 1D, but they are 0D and 2D");
  REQUIRE_THROWS_WITH(mm(ones({2, 3}, dtype::float32), ones({3, 2})),
                      "expected m1 and m2 to have the same dtype, but got: float != double");
  REQUIRE_THROWS_WITH(ones({2, 3}).reshape({2, 5}),
                      "shape '[2, 5]' is invalid for input of size 6");
  REQUIRE_THROWS_WITH(ones({6}).reshape({-1, 4}), "shape '[-1, 4]' is invalid for input of size 6");
  REQUIRE_THROWS_WITH(ones({6}).reshape({-1, -1}), "only one dimension can be inferred");
  REQUIRE_THROWS_WITH(
      cat({ones({2, 3}), ones({2, 4})}, 0),
      "Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for "
      "tensor number 1 in the list.");
  REQUIRE_THROWS_WITH(cat({ones({2, 3}), ones({3})}, 0),
                      "Tensors must have same number of dimensions: got 2 and 1");
  REQUIRE_THROWS_WITH(cat({ones({}), ones({})}),
                      "zero-dimensional tensor (at position 0) cannot be concatenated");
  REQUIRE_THROWS_WITH(cat({}), "torch.cat(): expected a non-empty list of Tensors");
  REQUIRE_THROWS_WITH(
      stack({ones({3}), ones({4})}),
      "stack expects each tensor to be equal size, but got [3] at entry 0 and [4] at entry 1");
  REQUIRE_THROWS_WITH(stack({}), "stack expects a non-empty TensorList");
  REQUIRE_THROWS_WITH(ones({2, 3, 4}).t(),
                      "t() expects a tensor with <= 2 dimensions, but self is 3D");
  REQUIRE_THROWS_WITH(ones({2, 3}).sum(2),
                      "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
}

TEST_CASE("loss and lookup errors say what PyTorch says", "[ops][errors]") {
  const std::vector<std::int64_t> bad{0, 5};
  REQUIRE_THROWS_WITH(cross_entropy(ones({2, 3}), bad), "Target 5 is out of bounds.");
  try {
    cross_entropy(ones({2, 3}), bad);
  } catch (const error& e) {
    CHECK(e.type() == "IndexError");
  }
  REQUIRE_THROWS_WITH(cross_entropy(ones({2, 3}), std::vector<std::int64_t>{0, -1}),
                      "Target -1 is out of bounds.");
  REQUIRE_THROWS_WITH(cross_entropy(ones({2, 3}), std::vector<std::int64_t>{0}),
                      "Expected input batch_size (2) to match target batch_size (1).");
  REQUIRE_THROWS_WITH(
      binary_cross_entropy_with_logits(ones({4}), ones({3})),
      "Target size (torch.Size([3])) must be the same as input size (torch.Size([4]))");
  REQUIRE_THROWS_WITH(binary_cross_entropy(ones({4}), ones({3})),
                      "Using a target size (torch.Size([3])) that is different to the input size "
                      "(torch.Size([4])) is deprecated. Please ensure they have the same size.");
  REQUIRE_THROWS_WITH(binary_cross_entropy(ones({2}) * 2.0, ones({2})),
                      "all elements of input should be between 0 and 1");
  REQUIRE_THROWS_WITH(embedding({0, 6}, ones({6, 3})), "index out of range in self");
  REQUIRE_THROWS_WITH(gelu(ones({2}), "fast"), "approximate argument must be either none or tanh.");
}

TEST_CASE("grad_fn names follow PyTorch", "[ops]") {
  const Tensor v = ones({3}, dtype::float64, true), m = ones({3, 3}, dtype::float64, true);
  CHECK(matmul(v, v).grad_fn()->name() == "DotBackward0");
  CHECK(matmul(m, v).grad_fn()->name() == "MvBackward0");
  CHECK(matmul(m, m).grad_fn()->name() == "MmBackward0");
  const Tensor vm = matmul(v, m);  // PyTorch: a.unsqueeze(0).mm(b).squeeze_(0)
  CHECK(vm.grad_fn()->name() == "SqueezeBackward4");
  CHECK(vm.grad_fn()->next_edges()[0].fn->name() == "MmBackward0");
  const Tensor lin = linear(m, m, v);
  CHECK(lin.grad_fn()->name() == "AddmmBackward0");
  CHECK(lin.grad_fn()->next_edges()[2].fn->name() == "TBackward0");
  // PyTorch 2.11 folds a 1-D or n-D input into rows for one addmm, then views it back
  // (Linear.cpp: any contiguous input with a 1-D bias goes to _flatten_nd_linear, 2.5 on).
  // Debian's 1.13 gives AddBackward0 here (matmul, then add_): gradlab follows 2.x.
  const Tensor lin1 = linear(v, m, v);
  CHECK(lin1.grad_fn()->name() == "ViewBackward0");
  CHECK(lin1.grad_fn()->next_edges()[0].fn->name() == "AddmmBackward0");
  CHECK(linear(v, m).grad_fn()->name() == "SqueezeBackward4");
  CHECK(m.t().grad_fn()->name() == "TBackward0");
  CHECK(m.transpose(0, 1).grad_fn()->name() == "TransposeBackward0");
  CHECK(m.reshape({9}).grad_fn()->name() == "ViewBackward0");
  CHECK(stack({v, v}).grad_fn()->name() == "StackBackward0");
  CHECK(cat({v, v}).grad_fn()->name() == "CatBackward0");
  CHECK(m.sum(0).grad_fn()->name() == "SumBackward1");
  CHECK(m.mean(0).grad_fn()->name() == "MeanBackward1");
  CHECK(m.max().grad_fn()->name() == "MaxBackward1");
  CHECK(max(m, 0).values.grad_fn()->name() == "MaxBackward0");
  CHECK(min(m, 0).values.grad_fn()->name() == "MinBackward0");
  CHECK(pow(v, v).grad_fn()->name() == "PowBackward1");
  CHECK(pow(2.0, v).grad_fn()->name() == "PowBackward2");
  CHECK(v.clamp(0, 1).grad_fn()->name() == "ClampBackward1");
  CHECK(gelu(v, "tanh").grad_fn()->name() == "GeluBackward0");
  CHECK(softmax(m, 1).grad_fn()->name() == "SoftmaxBackward0");
  CHECK(log_softmax(m, 1).grad_fn()->name() == "LogSoftmaxBackward0");
  CHECK(cross_entropy(m, std::vector<std::int64_t>{0, 1, 2}).grad_fn()->name() ==
        "NllLossBackward0");
  CHECK(mse_loss(v, v).grad_fn()->name() == "MseLossBackward0");
  CHECK(l1_loss(v, v).grad_fn()->name() == "MeanBackward0");
  CHECK(huber_loss(v, v).grad_fn()->name() == "HuberLossBackward0");
  CHECK(binary_cross_entropy(v * 0.5, v).grad_fn()->name() == "BinaryCrossEntropyBackward0");
  CHECK(binary_cross_entropy_with_logits(v, v).grad_fn()->name() ==
        "BinaryCrossEntropyWithLogitsBackward0");
  CHECK(embedding({0, 1}, m).grad_fn()->name() == "EmbeddingBackward0");
}

TEST_CASE("max and min over a dim return values and indices", "[ops]") {
  const Tensor a = Tensor::from_values({1, 5, 5, 0, -1, 2}, {2, 3}, dtype::float64, true);
  const auto r = max(a, 1);
  CHECK(r.values.to_vector() == std::vector<double>{5, 2});
  CHECK(r.indices == std::vector<std::int64_t>{1, 2});  // the first of tied maxima
  r.values.sum().backward();
  CHECK(a.grad().to_vector() == std::vector<double>{0, 1, 0, 0, 0, 1});
  const auto k = min(a, 0, true);
  CHECK(k.values.shape() == shape_t{1, 3});
  CHECK(k.indices == std::vector<std::int64_t>{1, 1, 1});
  // the all-reduce shares the gradient among ties, as PyTorch's evenly_distribute_backward
  const Tensor b = Tensor::from_values({1, 3, 3}, {3}, dtype::float64, true);
  b.max().backward();
  CHECK(b.grad().to_vector() == std::vector<double>{0, 0.5, 0.5});
}

TEST_CASE("ops keep float32 in float32", "[ops]") {
  const Tensor a = Tensor::from_values({0.5, -1, 2, 3, 1, 0.25}, {2, 3}, dtype::float32, true);
  const Tensor b = Tensor::from_values({1, 2, 3, 4, 5, 6}, {3, 2}, dtype::float32, true);
  const Tensor y = softmax(matmul(tanh(a), b), 1);
  CHECK(y.dtype() == dtype::float32);
  (y * Tensor::from_values({1, 0, 0, 1}, {2, 2}, dtype::float32)).sum().backward();
  CHECK(a.grad().dtype() == dtype::float32);
  CHECK(b.grad().dtype() == dtype::float32);
  CHECK(cross_entropy(a, std::vector<std::int64_t>{0, 2}).dtype() == dtype::float32);
}

TEST_CASE("a sparse embedding gradient lists its rows and accumulates both lists",
          "[ops][sparse]") {
  using rows = std::vector<std::int64_t>;
  Tensor w =
      Tensor::from_values({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, {6, 2}, dtype::float64, true);
  embedding({2, 0, 2}, w, true).sum().backward();
  REQUIRE(w.grad().is_sparse());
  // one entry per lookup, repeats kept, like PyTorch's uncoalesced indices
  CHECK(w.grad().sparse_rows() == rows{2, 0, 2});
  // the values are the dense (coalesced) sums
  CHECK(w.grad().to_vector() == std::vector<double>{1, 1, 0, 0, 2, 2, 0, 0, 0, 0, 0, 0});
  embedding({5}, w, true).sum().backward();  // AccumulateGrad: sparse + sparse stays sparse
  CHECK(w.grad().sparse_rows() == rows{2, 0, 2, 5});
  CHECK(w.grad().at(10) == 1.0);
  // two lookups in one graph meet in the engine before AccumulateGrad: still sparse
  w.set_grad(Tensor());
  (embedding({1}, w, true).sum() + embedding({4}, w, true).sum()).backward();
  CHECK(w.grad().is_sparse());
  CHECK((w.grad().sparse_rows() == rows{1, 4} || w.grad().sparse_rows() == rows{4, 1}));
  // a dense contribution makes it dense, as sparse + dense is dense in PyTorch
  (w * 2.0).sum().backward();
  CHECK_FALSE(w.grad().is_sparse());
  // zero_() empties the row list of a sparse gradient (nnz 0 in PyTorch)
  w.set_grad(Tensor());
  embedding({3}, w, true).sum().backward();
  {
    no_grad_guard ng;
    w.grad().zero_();
  }
  CHECK(w.grad().is_sparse());
  CHECK(w.grad().sparse_rows().empty());
  // the default (sparse=false) gives a dense gradient, like PyTorch
  Tensor v = Tensor::from_values({1, 2, 3, 4}, {2, 2}, dtype::float64, true);
  embedding({1}, v).sum().backward();
  CHECK_FALSE(v.grad().is_sparse());
}

TEST_CASE("the blocked matmul kernel agrees with a plain triple loop at odd sizes",
          "[ops][matmul]") {
  struct dims {
    std::size_t m, k, n;
  };
  for (dtype d : {dtype::float32, dtype::float64})
    for (const dims& s : {dims{1, 1, 1}, dims{5, 300, 37}, dims{17, 9, 33}, dims{4, 513, 16}}) {
      std::vector<double> va(s.m * s.k), vb(s.k * s.n);
      for (std::size_t i = 0; i < va.size(); ++i) va[i] = static_cast<double>((i * 7) % 11) - 5.0;
      for (std::size_t i = 0; i < vb.size(); ++i) vb[i] = static_cast<double>((i * 5) % 13) - 6.0;
      const Tensor c =
          mm(Tensor::from_values(va, {s.m, s.k}, d), Tensor::from_values(vb, {s.k, s.n}, d));
      std::size_t wrong = 0;
      for (std::size_t i = 0; i < s.m; ++i)
        for (std::size_t j = 0; j < s.n; ++j) {
          double want = 0;  // small integers: every partial sum is exact in float32 too
          for (std::size_t p = 0; p < s.k; ++p) want += va[i * s.k + p] * vb[p * s.n + j];
          wrong += c.at(i * s.n + j) != want;
        }
      INFO(s.m << "x" << s.k << " @ " << s.k << "x" << s.n << " in " << dtype_name(d));
      CHECK(wrong == 0);
    }
}
