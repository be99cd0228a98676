// embedding: row lookup, with a dense or sparse (row-listing) weight gradient.
#include <algorithm>

#include "gradlab/error.hpp"
#include "gradlab/ops.hpp"
#include "ops/kernels.hpp"

namespace gradlab {

namespace {
class EmbeddingBackward0 : public Node {
 public:
  EmbeddingBackward0(std::vector<std::int64_t> idx, shape_t weight_shape, bool sparse)
      : idx_(std::move(idx)), shape_(std::move(weight_shape)), sparse_(sparse) {}
  std::string name() const override { return "EmbeddingBackward0"; }
  // d(weight[idx])/dweight: row idx[r] collects g[r] (summed over repeated indices)
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    const std::size_t width = shape_[1];
    Tensor out = dispatch(g[0].dtype(), [&](auto tag) {
      using T = decltype(tag);
      xt::xarray<T> w = xt::zeros<T>(shape_);
      const T* gp = g[0].data<T>().data();
      for (std::size_t r = 0; r < idx_.size(); ++r) {
        T* row = w.data() + static_cast<std::size_t>(idx_[r]) * width;
        for (std::size_t j = 0; j < width; ++j) row[j] += gp[r * width + j];
      }
      return Tensor(std::move(w));
    });
    if (sparse_) out.set_sparse_rows(idx_);  // one entry per lookup, as PyTorch's indices
    return {out};
  }

 private:
  std::vector<std::int64_t> idx_;
  shape_t shape_;
  bool sparse_;
};
}  // namespace

Tensor embedding(const std::vector<std::int64_t>& indices, const shape_t& index_shape,
                 const Tensor& weight, bool sparse) {
  if (weight.dim() != 2) runtime_error("'weight' must be 2-D");
  if (numel(index_shape) != indices.size())
    runtime_error("shape '" + shape_str(index_shape) + "' is invalid for input of size " +
                  std::to_string(indices.size()));
  const std::size_t rows = weight.shape()[0], width = weight.shape()[1];
  for (auto i : indices)
    if (i < 0 || static_cast<std::size_t>(i) >= rows) index_error("index out of range in self");
  shape_t os = index_shape;
  os.push_back(width);
  Tensor out = dispatch(weight.dtype(), [&](auto tag) {
    using T = decltype(tag);
    xt::xarray<T> o = xt::xarray<T>::from_shape(os);
    const T* w = weight.data<T>().data();
    for (std::size_t r = 0; r < indices.size(); ++r)
      std::copy(w + static_cast<std::size_t>(indices[r]) * width,
                w + (static_cast<std::size_t>(indices[r]) + 1) * width, o.data() + r * width);
    return Tensor(std::move(o));
  });
  kernels::record<EmbeddingBackward0>({&weight}, out, [&] {
    return std::make_shared<EmbeddingBackward0>(indices, weight.shape(), sparse);
  });
  return out;
}

Tensor embedding(const std::vector<std::int64_t>& indices, const Tensor& weight, bool sparse) {
  return embedding(indices, {indices.size()}, weight, sparse);
}

Tensor embedding(const Tensor& indices, const Tensor& weight, bool sparse) {
  return embedding(kernels::to_indices(indices), indices.shape(), weight, sparse);
}

}  // namespace gradlab
