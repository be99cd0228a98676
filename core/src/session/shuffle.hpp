#pragma once
// Private: the epoch row order for mini-batches, shared by training and the export so that
// PyTorch replays exactly the batches gradlab used.
#include <numeric>
#include <vector>

#include "gradlab/model/rng.hpp"

namespace gradlab::detail {

/// Fisher-Yates over 0..n-1, drawing from r.
inline std::vector<std::size_t> shuffled_rows(model::rng& r, std::size_t n) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[r.below(i)]);
  return order;
}

}  // namespace gradlab::detail
