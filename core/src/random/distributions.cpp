// torch.rand / randn / randint / randperm and the in-place draws, as ATen's CPU kernels draw
// them (DistributionTemplates.h, DistributionsHelper.h, TransformationHelper.h,
// TensorFactories.cpp). Every formula's multiply-add is one fused operation, as in PyTorch's
// x86-64 build (GCC contracts `x * (to - from) + from` and `v * std + mean` there; Debian's
// PyTorch matches only that way).
#include "gradlab/random/distributions.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>

#include "gradlab/autograd.hpp"
#include "gradlab/error.hpp"
#include "random/box_muller.hpp"

namespace gradlab::random {

namespace {

/// A number as c10::str prints it in TORCH_CHECK messages: an ostream's default format, which
/// is printf's %g ("1", "0.5", "3e+38", "nan"). snprintf keeps iostreams out of the module.
std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

template <class T>
const char* type_meta_name() {  // caffe2::TypeMeta's name, as "... for float"
  return std::is_same<T, float>::value ? "float" : "double";
}
template <class T>
const char* scalar_type_name() {  // c10::toString(ScalarType)
  return std::is_same<T, float>::value ? "Float" : "Double";
}

/// uniform_impl_'s checks; returns from and to clamped to the dtype's range.
template <class T>
void check_uniform(double& from, double& to) {
  const double lo = std::numeric_limits<T>::lowest(), hi = std::numeric_limits<T>::max();
  if (!(from >= lo && from <= hi))
    runtime_error(std::string("from is out of bounds for ") + type_meta_name<T>());
  if (!(to >= lo && to <= hi))
    runtime_error(std::string("to is out of bounds for ") + type_meta_name<T>());
  if (!(from <= to))
    runtime_error("uniform_ expects to return a [from, to) range, but found from=" + num(from) +
                  " > to=" + num(to));
  if (!(to - from <= hi))
    runtime_error(std::string("uniform_ expects to-from <= std::numeric_limits<") +
                  scalar_type_name<T>() + ">::max(), but found to=" + num(to) +
                  " and from=" + num(from) + " which result in to-from to exceed the limit");
}

void check_normal_std(double std) {
  if (!(std >= 0.0)) runtime_error("normal expects std >= 0.0, but found std " + num(std));
}

void check_bernoulli_p(double p) {
  if (!(0 <= p && p <= 1))
    runtime_error("bernoulli_ expects p to be in [0, 1], but got p=" + num(p));
}

template <class T>
void uniform_impl(T* out, std::size_t n, double from_d, double to_d, generator& g) {
  check_uniform<T>(from_d, to_d);
  const auto from = static_cast<T>(from_d), to = static_cast<T>(to_d);
  const T span = to - from;
  const bool clamp = g.version() == formulas::pytorch_2;
  for (std::size_t i = 0; i < n; ++i) {
    T x;
    if constexpr (std::is_same<T, float>::value)
      x = std::fmaf(detail::uniform01_f32(g), span, from);
    else
      x = std::fma(detail::uniform01_f64(g), span, from);
    // PyTorch 2.x maps a value that rounded up to `to` back to `from` (1.13 keeps it)
    out[i] = (clamp && x == to) ? from : x;
  }
}

template <class T>
void normal_impl(T* out, std::size_t n, double mean, double std, generator& g) {
  check_normal_std(std);
  if (n < 16) {
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<T>(detail::normal_one(g, mean, std));
    return;
  }
  const auto m = static_cast<T>(mean), s = static_cast<T>(std);
  auto uniform = [&g]() -> T {
    if constexpr (std::is_same<T, float>::value)
      return detail::uniform01_f32(g);
    else
      return detail::uniform01_f64(g);
  };
  for (std::size_t i = 0; i < n; ++i) out[i] = uniform();
  for (std::size_t i = 0; i + 16 <= n; i += 16) detail::normal_fill_16(out + i, m, s);
  if (n % 16 != 0) {
    // the tail: the last 16 values are drawn afresh and transformed again
    T* last = out + n - 16;
    for (int i = 0; i < 16; ++i) last[i] = uniform();
    detail::normal_fill_16(last, m, s);
  }
}

template <class T>
void bernoulli_impl(T* out, std::size_t n, double p, generator& g) {
  check_bernoulli_p(p);
  for (std::size_t i = 0; i < n; ++i) out[i] = detail::uniform01_f64(g) < p ? T(1) : T(0);
}

/// random_from_to_kernel: values base + (draw mod range); a 64-bit draw when range >= 2^32.
template <class F>
void random_from_to(std::uint64_t range, std::int64_t base, std::size_t n, generator& g, F put) {
  const bool wide = range >= (std::uint64_t{1} << 32);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t v = wide ? g.random64() : g.random();
    put(i, static_cast<std::int64_t>(v % range + static_cast<std::uint64_t>(base)));
  }
}

void check_from_less_than_to(std::int64_t from, std::int64_t to) {
  if (from >= to)
    runtime_error("random_ expects 'from' to be less than 'to', but got from=" +
                  std::to_string(from) + " >= to=" + std::to_string(to));
}

/// static_cast<int64_t> of a float as x86-64 performs it: out of range gives INT64_MIN.
template <class T>
std::int64_t to_int64(T v) {
  if (!(v >= -0x1p63 && v < 0x1p63)) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(v);
}

/// update_from / update_to: the nearest integers inside [from, to) that T holds exactly.
template <class T>
std::int64_t update_from(std::int64_t from) {
  const auto from_plus_1 = to_int64(static_cast<T>(from + 1));
  if (from_plus_1 < from) {
    std::int64_t a = std::abs(from + 1);
    int bits = 0;
    while (a >>= 1) ++bits;
    from = from_plus_1 + (std::int64_t{1} << (bits - std::numeric_limits<T>::digits + 1));
  }
  return from;
}
template <class T>
std::int64_t update_to(std::int64_t to) {
  const auto to_minus_1 = to_int64(static_cast<T>(to - 1));
  if (to_minus_1 >= to) {
    std::int64_t a = std::abs(to - 1);
    int bits = 0;
    while (a >>= 1) ++bits;
    to = to_minus_1 - (std::int64_t{1} << (bits - std::numeric_limits<T>::digits + 1));
  }
  return to;
}

template <class T>
void randint_impl(T* out, std::size_t n, std::int64_t low, std::int64_t high, generator& g) {
  check_from_less_than_to(low, high);
  low = update_from<T>(low);
  high = update_to<T>(high);
  if (low >= high)
    runtime_error(
        "random_ expects 'from' casted to dtype to be less than 'to' casted to dtype, but got "
        "from=" +
        std::to_string(low) + " >= to=" + std::to_string(high));
  if (n == 0) return;
  const auto range = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low);
  random_from_to(range, low, n, g,
                 [out](std::size_t i, std::int64_t v) { out[i] = static_cast<T>(v); });
}

/// Writes into a tensor's storage with PyTorch's in-place checks.
template <class F>
Tensor& fill_in_place(Tensor& t, F fill) {
  t.check_inplace();
  dispatch(t.dtype(), [&](auto tag) {
    using T = decltype(tag);
    auto& a = t.mutable_data<T>();
    fill(a.data(), a.size());
  });
  t.mark_modified();
  return t;
}

}  // namespace

void uniform_fill(float* out, std::size_t n, double from, double to, generator& g) {
  uniform_impl(out, n, from, to, g);
}
void uniform_fill(double* out, std::size_t n, double from, double to, generator& g) {
  uniform_impl(out, n, from, to, g);
}
void normal_fill(float* out, std::size_t n, double mean, double std, generator& g) {
  normal_impl(out, n, mean, std, g);
}
void normal_fill(double* out, std::size_t n, double mean, double std, generator& g) {
  normal_impl(out, n, mean, std, g);
}
void bernoulli_fill(float* out, std::size_t n, double p, generator& g) {
  bernoulli_impl(out, n, p, g);
}
void bernoulli_fill(double* out, std::size_t n, double p, generator& g) {
  bernoulli_impl(out, n, p, g);
}

std::vector<std::int64_t> randint(std::int64_t low, std::int64_t high, std::size_t n,
                                  generator& g) {
  check_from_less_than_to(low, high);
  check_numel({n});
  std::vector<std::int64_t> out(n);
  const auto range = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low);
  random_from_to(range, low, n, g, [&out](std::size_t i, std::int64_t v) { out[i] = v; });
  return out;
}

std::vector<std::int64_t> randperm(std::int64_t n, generator& g) {
  if (n < 0) runtime_error("n must be non-negative, got" + std::to_string(n));
  check_numel({static_cast<std::size_t>(n)});
  std::vector<std::int64_t> r(static_cast<std::size_t>(n));
  if (n < std::numeric_limits<std::uint32_t>::max() / 20) {
    // Fisher-Yates from the front, one 32-bit draw per position (all PyTorch versions)
    for (std::int64_t i = 0; i < n; ++i) r[i] = i;
    for (std::int64_t i = 0; i + 1 < n; ++i) {
      const std::int64_t z =
          static_cast<std::int64_t>(g.random() % static_cast<std::uint64_t>(n - i));
      std::swap(r[i], r[z + i]);
    }
  } else {
    // PyTorch 2.x, n >= 214748364: the inside-out shuffle with 64-bit draws
    for (std::int64_t i = 0; i < n; ++i) {
      const auto z = static_cast<std::int64_t>(g.random64() % static_cast<std::uint64_t>(i + 1));
      r[i] = r[z];
      r[z] = i;
    }
  }
  return r;
}

Tensor rand(const shape_t& shape, dtype d, generator& g) {
  Tensor t = Tensor::zeros(shape, d);
  return uniform_(t, 0.0, 1.0, g);
}

Tensor randn(const shape_t& shape, dtype d, generator& g) { return normal(0.0, 1.0, shape, d, g); }

Tensor normal(double mean, double std, const shape_t& shape, dtype d, generator& g) {
  check_normal_std(std);
  Tensor t = Tensor::zeros(shape, d);
  return normal_(t, mean, std, g);
}

Tensor randint(std::int64_t low, std::int64_t high, const shape_t& shape, dtype d, generator& g) {
  Tensor t = Tensor::zeros(shape, d);
  dispatch(d, [&](auto tag) {
    using T = decltype(tag);
    auto& a = t.mutable_data<T>();
    randint_impl<T>(a.data(), a.size(), low, high, g);
  });
  return t;
}

Tensor randperm(std::int64_t n, dtype d, generator& g) {
  const std::int64_t most =
      d == dtype::float32 ? (std::int64_t{1} << 24) + 1 : (std::int64_t{1} << 53) + 1;
  if (n > most)
    runtime_error(std::string("n cannot be greater than 2^") + (d == dtype::float32 ? "24" : "53") +
                  "+1 for " + (d == dtype::float32 ? "Float" : "Double") + " type.");
  const std::vector<std::int64_t> r = randperm(n, g);
  Tensor t = Tensor::zeros({r.size()}, d);
  dispatch(d, [&](auto tag) {
    using T = decltype(tag);
    auto& a = t.mutable_data<T>();
    for (std::size_t i = 0; i < r.size(); ++i) a.data()[i] = static_cast<T>(r[i]);
  });
  return t;
}

Tensor& uniform_(Tensor& t, double from, double to, generator& g) {
  return fill_in_place(t, [&](auto* p, std::size_t n) { uniform_impl(p, n, from, to, g); });
}

Tensor& normal_(Tensor& t, double mean, double std, generator& g) {
  return fill_in_place(t, [&](auto* p, std::size_t n) { normal_impl(p, n, mean, std, g); });
}

Tensor& bernoulli_(Tensor& t, double p, generator& g) {
  return fill_in_place(t, [&](auto* q, std::size_t n) { bernoulli_impl(q, n, p, g); });
}

}  // namespace gradlab::random
