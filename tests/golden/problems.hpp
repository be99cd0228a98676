#pragma once
// The optimisation problems of optim.json, rebuilt from gen.py's definitions.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "gradlab/tensor.hpp"

namespace gradlab::golden {

/// gen.py's deterministic value generator vals(shape, k): no RNG, so any engine can rebuild it.
Tensor vals(const shape_t& shape, int k, double lo = -2.0, double hi = 2.0, bool positive = false,
            dtype d = dtype::float64);

/// Finds gen.py's offset K such that vals(shape, K + offset) * scale equals the recorded
/// initial tensor `init` (K = 0 in the default sets; regenerated sets may use another).
int recover_k(const Tensor& init, int offset, double scale);

struct problem {
  std::vector<Tensor> params;
  std::function<Tensor()> loss;
};

/// Builds a problem by name. `init` holds the run's recorded initial params: problems whose
/// data depend on gen.py's offset K recover K from them, so other generated sets work too.
/// Returns false when gradlab cannot build it yet.
using problem_factory = std::function<problem(const std::vector<Tensor>& init)>;
const std::map<std::string, problem_factory>& problems();

}  // namespace gradlab::golden
