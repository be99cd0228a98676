// stack and cat: forward and backward side by side.
#include "gradlab/error.hpp"
#include "gradlab/ops.hpp"
#include "ops/kernels.hpp"

namespace gradlab {

namespace {
/// Concatenates `parts` (already checked: same shape except along dim) along dim into `out`.
Tensor join(const std::vector<Tensor>& parts, std::size_t dim, const shape_t& out_shape, dtype d) {
  return dispatch(d, [&](auto tag) {
    using T = decltype(tag);
    xt::xarray<T> out = xt::xarray<T>::from_shape(out_shape);
    const kernels::dim_split os(out_shape, dim);
    std::size_t offset = 0;  // where along dim the current part starts
    for (const Tensor& p : parts) {
      xt::xarray<T> tmp;
      const T* src = kernels::as<T>(p, tmp).data();
      const std::size_t len = p.dim() == out_shape.size() ? p.shape()[dim] : 1;
      const std::size_t block = len * os.inner;
      for (std::size_t o = 0; o < os.outer; ++o)
        std::copy(src + o * block, src + (o + 1) * block,
                  out.data() + (o * os.size + offset) * os.inner);
      offset += len;
    }
    return Tensor(std::move(out));
  });
}

/// g's slice [start, start + len) along dim, in `shape`.
Tensor slice_of(const Tensor& g, std::size_t dim, std::size_t start, std::size_t len,
                const shape_t& shape) {
  const kernels::dim_split gs(g.shape(), dim);
  return dispatch(g.dtype(), [&](auto tag) {
    using T = decltype(tag);
    xt::xarray<T> out = xt::xarray<T>::from_shape(shape);
    const T* src = g.data<T>().data();
    const std::size_t block = len * gs.inner;
    for (std::size_t o = 0; o < gs.outer; ++o)
      std::copy(src + (o * gs.size + start) * gs.inner,
                src + (o * gs.size + start) * gs.inner + block, out.data() + o * block);
    return Tensor(std::move(out));
  });
}

/// CatBackward0 / StackBackward0: each input gets its slice of the gradient.
class JoinBackward : public Node {
 public:
  JoinBackward(const char* name, std::size_t dim, std::vector<shape_t> shapes,
               std::vector<std::size_t> lens)
      : name_(name), dim_(dim), shapes_(std::move(shapes)), lens_(std::move(lens)) {}
  std::string name() const override { return name_; }
  // d(cat)/d(part i) = the slice of g that part i filled
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    std::vector<Tensor> out(shapes_.size());
    std::size_t start = 0;
    for (std::size_t i = 0; i < shapes_.size(); ++i) {
      if (needs_input_grad(i)) out[i] = slice_of(g[0], dim_, start, lens_[i], shapes_[i]);
      start += lens_[i];
    }
    return out;
  }

 private:
  const char* name_;
  std::size_t dim_;
  std::vector<shape_t> shapes_;
  std::vector<std::size_t> lens_;
};

Tensor record_join(const std::vector<Tensor>& parts, Tensor out, const char* name, std::size_t dim,
                   std::vector<std::size_t> lens) {
  if (!grad_enabled()) return out;
  bool any = false;
  for (const auto& p : parts) any = any || p.requires_grad();
  if (!any) return out;
  std::vector<shape_t> shapes;
  std::vector<const Tensor*> ins;
  for (const auto& p : parts) {
    shapes.push_back(p.shape());
    ins.push_back(&p);
  }
  connect(std::make_shared<JoinBackward>(name, dim, std::move(shapes), std::move(lens)), ins,
          {&out});
  return out;
}

dtype promoted(const std::vector<Tensor>& ts) {
  dtype d = ts[0].dtype();
  for (const auto& t : ts) d = promote(d, t.dtype());
  return d;
}
}  // namespace

Tensor stack(const std::vector<Tensor>& tensors, long long dim) {
  if (tensors.empty()) runtime_error("stack expects a non-empty TensorList");
  const shape_t s0 = tensors[0].shape();
  for (std::size_t i = 1; i < tensors.size(); ++i)
    if (tensors[i].shape() != s0)
      runtime_error("stack expects each tensor to be equal size, but got " + shape_str(s0) +
                    " at entry 0 and " + shape_str(tensors[i].shape()) + " at entry " +
                    std::to_string(i));
  const std::size_t d = wrap_dim(dim, s0.size() + 1);
  shape_t os = s0;
  os.insert(os.begin() + static_cast<long>(d), tensors.size());
  Tensor out = join(tensors, d, os, promoted(tensors));
  return record_join(tensors, out, "StackBackward0", d,
                     std::vector<std::size_t>(tensors.size(), 1));
}

Tensor cat(const std::vector<Tensor>& tensors, long long dim) {
  if (tensors.empty()) runtime_error("torch.cat(): expected a non-empty list of Tensors");
  for (std::size_t i = 0; i < tensors.size(); ++i)
    if (tensors[i].dim() == 0)
      runtime_error("zero-dimensional tensor (at position " + std::to_string(i) +
                    ") cannot be concatenated");
  // PyTorch still skips legacy empty 1-D tensors (shape [0]) when the others are not
  std::vector<Tensor> parts;
  for (const auto& t : tensors)
    if (!(t.dim() == 1 && t.numel() == 0)) parts.push_back(t);
  if (parts.empty()) parts.push_back(tensors[0]);
  const shape_t s0 = parts[0].shape();
  const std::size_t d = wrap_dim(dim, s0.size());
  shape_t os = s0;
  os[d] = 0;
  std::vector<std::size_t> lens;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const shape_t si = parts[i].shape();
    if (si.size() != s0.size())
      runtime_error("Tensors must have same number of dimensions: got " +
                    std::to_string(s0.size()) + " and " + std::to_string(si.size()));
    for (std::size_t k = 0; k < s0.size(); ++k)
      if (k != d && si[k] != s0[k])
        runtime_error("Sizes of tensors must match except in dimension " + std::to_string(d) +
                      ". Expected size " + std::to_string(s0[k]) + " but got size " +
                      std::to_string(si[k]) + " for tensor number " + std::to_string(i) +
                      " in the list.");
    os[d] += si[d];
    lens.push_back(si[d]);
  }
  Tensor out = join(parts, d, os, promoted(parts));
  return record_join(parts, out, "CatBackward0", d, std::move(lens));
}

}  // namespace gradlab
