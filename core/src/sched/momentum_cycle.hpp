#pragma once
// What OneCycleLR and CyclicLR share: per-group parameters given as one number or one per
// group (PyTorch's _format_param), and writing a cycled momentum into a group: betas[0] for
// optimizers with betas (Adam family), "momentum" otherwise (SGD, RMSprop).
#include <string>
#include <vector>

#include "gradlab/error.hpp"
#include "gradlab/sched.hpp"

namespace gradlab::sched::detail {

inline std::vector<double> format_param(const std::string& name, const optim::optimizer& opt,
                                        const options& o) {
  const std::size_t n = opt.param_groups().size();
  const auto& v = o.get(name);
  if (auto* xs = std::get_if<std::vector<double>>(&v)) {
    if (xs->size() != n)
      value_error(name + " must have the same length as optimizer.param_groups. " + name + " has " +
                  std::to_string(xs->size()) + " values, param_groups has " + std::to_string(n) +
                  ".");
    return *xs;
  }
  return std::vector<double>(n, o.num(name));
}

/// True when the optimizer cycles betas[0]; raises PyTorch's error when it has neither.
inline bool uses_beta1(const optim::optimizer& opt) {
  const auto& d = opt.defaults();
  if (!d.has("momentum") && !d.has("betas"))
    value_error("optimizer must support momentum or beta1 with `cycle_momentum` option enabled");
  return d.has("betas");
}

inline void set_momentum(optim::param_group& g, bool use_beta1, double m) {
  if (use_beta1) {
    auto betas = g.opts.vec("betas");
    betas.at(0) = m;
    g.opts.set("betas", betas);
  } else {
    g.opts.set("momentum", m);
  }
}

}  // namespace gradlab::sched::detail
