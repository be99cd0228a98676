#pragma once
/// \file shape.hpp
/// Shapes, NumPy/PyTorch broadcasting and the shape strings used in error messages.
#include <cstddef>
#include <string>
#include <vector>

namespace gradlab {

using shape_t = std::vector<std::size_t>;

std::size_t numel(const shape_t& s);
/// "[2, 3]" as PyTorch prints torch.Size in messages.
std::string shape_str(const shape_t& s);
/// The broadcast shape of a and b, or PyTorch's error:
/// "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0".
shape_t broadcast_shapes(const shape_t& a, const shape_t& b);
/// Wraps a possibly negative dim into [0, ndim); PyTorch's IndexError otherwise.
std::size_t wrap_dim(long long dim, std::size_t ndim);

}  // namespace gradlab
