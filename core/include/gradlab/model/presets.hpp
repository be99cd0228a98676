#pragma once
/// \file presets.hpp
/// Ready-made lessons: data + the model text + the optimizer settings that go with it.
#include <cstdint>
#include <string>
#include <vector>

#include "gradlab/model/data.hpp"
#include "gradlab/optim/options.hpp"

namespace gradlab::model {

struct preset {
  std::string name;
  std::string description;
  dataset data;
  std::string model_text;
  std::string optimizer = "SGD";  ///< a registered optimizer, or "manual"
  optim::options options;         ///< includes lr
  long epochs = 100;
  bool normalize = false;
};

/// thermometer, thermometer_quadratic, rosenbrock, circle, xor, spiral, gaussian.
std::vector<std::string> preset_names();
/// The preset; the 2-D classification sets are drawn from seed. Throws ValueError for an
/// unknown name (with a suggestion).
preset make_preset(const std::string& name, std::uint64_t seed = 0);

/// Playground-style 2-D classification data: columns x1, x2, y (0 or 1), target y.
dataset classification_data(const std::string& kind, std::size_t n, double noise,
                            std::uint64_t seed);

}  // namespace gradlab::model
