#include "gradlab/shape.hpp"

#include <algorithm>
#include <cstdint>

#include "gradlab/error.hpp"

namespace gradlab {

std::size_t numel(const shape_t& s) {
  std::size_t n = 1;
  for (auto d : s) n *= d;
  return n;
}

namespace {
template <class Dims>
std::string dims_str(const Dims& s) {
  std::string out = "[";
  for (std::size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + "]";
}

template <class Dims>
void check_numel_of(const Dims& s) {
  std::uint64_t n = 1;
  bool overflow = false;
  for (std::uint64_t d : s) {
    if (d != 0 && n > UINT64_MAX / d) overflow = true;
    n *= d;
  }
  for (auto d : s)
    if (d == 0) return;  // an empty tensor allocates nothing, whatever the other sizes
  if (overflow) runtime_error("Storage size calculation overflowed with sizes=" + dims_str(s));
  if (n > kMaxNumel)
    runtime_error("not enough memory: a tensor of shape " + dims_str(s) + " would hold " +
                  std::to_string(n) + " elements (gradlab's limit is " + std::to_string(kMaxNumel) +
                  " elements per tensor)");
}
}  // namespace

void check_numel(const shape_t& s) { check_numel_of(s); }
void check_numel_u64(const std::vector<unsigned long long>& s) { check_numel_of(s); }

std::size_t checked_size(unsigned long long d) {
  if (d > static_cast<unsigned long long>(SIZE_MAX))
    runtime_error("the size " + std::to_string(d) +
                  " is larger than gradlab's WebAssembly build can hold (" +
                  std::to_string(SIZE_MAX) + ")");
  return static_cast<std::size_t>(d);
}

std::string shape_str(const shape_t& s) { return dims_str(s); }

shape_t broadcast_shapes(const shape_t& a, const shape_t& b) {
  if (a == b) return a;
  const std::size_t n = std::max(a.size(), b.size());
  shape_t out(n);
  for (std::size_t i = 0; i < n; ++i) {  // align from the right, as NumPy does
    const std::size_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    const std::size_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    if (da != db && da != 1 && db != 1)
      runtime_error("The size of tensor a (" + std::to_string(da) +
                    ") must match the size of tensor b (" + std::to_string(db) +
                    ") at non-singleton dimension " + std::to_string(i));
    out[i] = da == 1 ? db : da;
  }
  check_numel(out);  // broadcasting is where an op's output can outgrow its inputs
  return out;
}

std::size_t wrap_dim(long long dim, std::size_t ndim) {
  const long long n = static_cast<long long>(ndim == 0 ? 1 : ndim);
  if (dim < -n || dim >= n)
    index_error("Dimension out of range (expected to be in range of [" + std::to_string(-n) + ", " +
                std::to_string(n - 1) + "], but got " + std::to_string(dim) + ")");
  return static_cast<std::size_t>(dim < 0 ? dim + n : dim);
}

}  // namespace gradlab
