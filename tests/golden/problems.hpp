#pragma once
// The optimisation problems of optim.json. Only their loss formulas live here, named as the
// file's `problems` entries name them; their data come from those entries and their
// parameters from each run's recorded `init`, so any set generated the same way is checked
// against what it recorded.
#include <functional>
#include <string>
#include <vector>

#include "gradlab/tensor.hpp"
#include "json.hpp"

namespace gradlab::golden {

/// gen.py's deterministic value generator vals(shape, k): no RNG, so any engine can rebuild it.
Tensor vals(const shape_t& shape, int k, double lo = -2.0, double hi = 2.0, bool positive = false,
            dtype d = dtype::float64);

struct problem {
  std::vector<Tensor> params;
  std::function<Tensor()> loss;
};

/// Whether the checker knows the loss formula of the problem called `name`.
bool has_formula(const std::string& name);

/// Builds problem `name`: its data from `entry` (optim.json's problems[name]), its parameters
/// leaf tensors holding exactly `init` (the run's recorded initial values). Throws with what
/// is missing or mismatched when the entry or init do not fit the formula.
problem make_problem(const std::string& name, const json::value& entry,
                     const std::vector<Tensor>& init);

}  // namespace gradlab::golden
