#pragma once
/// \file shape.hpp
/// Shapes, NumPy/PyTorch broadcasting and the shape strings used in error messages.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace gradlab {

using shape_t = std::vector<std::size_t>;

std::size_t numel(const shape_t& s);
/// The most elements one tensor may hold (2^28: 1 GiB of float32). The WebAssembly heap
/// tops out at 2 GB, and a natively allocated giant would be killed by the OS, not caught.
constexpr std::uint64_t kMaxNumel = std::uint64_t{1} << 28;
/// Throws RuntimeError before a tensor of shape s is allocated when its size overflows
/// (PyTorch's "Storage size calculation overflowed with sizes=[...]") or exceeds kMaxNumel.
/// Computed in 64 bits, so 32-bit WebAssembly and native builds agree.
void check_numel(const shape_t& s);
/// The same check on sizes as the user gave them, before they are narrowed to size_t (in
/// 32-bit WebAssembly [4294967296] would otherwise become [0]).
void check_numel_u64(const std::vector<unsigned long long>& s);
/// d as a size_t, or RuntimeError when it does not fit (32-bit WebAssembly: an empty tensor
/// of size [0, 2**40] passes check_numel but cannot be held; never a wrapped size).
std::size_t checked_size(unsigned long long d);
/// "[2, 3]" as PyTorch prints torch.Size in messages.
std::string shape_str(const shape_t& s);
/// The broadcast shape of a and b, or PyTorch's error:
/// "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0".
shape_t broadcast_shapes(const shape_t& a, const shape_t& b);
/// Wraps a possibly negative dim into [0, ndim); PyTorch's IndexError otherwise.
std::size_t wrap_dim(long long dim, std::size_t ndim);

}  // namespace gradlab
