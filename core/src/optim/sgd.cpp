// torch.optim.SGD, following the algorithm in PyTorch's documentation:
//   g <- grad (negated if maximize) + weight_decay * p
//   b <- g on the first step, else momentum * b + (1 - dampening) * g
//   g <- g + momentum * b if nesterov, else b        (when momentum != 0)
//   p <- p - lr * g
#include "gradlab/optim/sgd.hpp"

#include <cmath>

#include "gradlab/error.hpp"
#include "gradlab/ops.hpp"

namespace gradlab::optim {

SGD::SGD(std::vector<param_group> groups, const options& opts)
    : optimizer(std::move(groups), info().specs, opts) {
  validate(defaults());
  for (const auto& g : param_groups()) validate(g.opts);
}

optimizer_info SGD::info() {
  return {"SGD",
          {{"lr", 1e-3},
           {"momentum", 0.0},
           {"dampening", 0.0},
           {"weight_decay", 0.0},
           {"nesterov", false},
           {"maximize", false},
           {"foreach", std::monostate{}},
           {"differentiable", false},
           {"fused", std::monostate{}}},
          [](std::vector<param_group> g, const options& o) -> std::unique_ptr<optimizer> {
            return std::make_unique<SGD>(std::move(g), o);
          }};
}

void SGD::validate(const options& o) const {
  const double lr = o.num("lr"), momentum = o.num("momentum"), wd = o.num("weight_decay");
  if (lr < 0.0 || std::isnan(lr)) value_error("Invalid learning rate: " + py_repr(lr));
  if (momentum < 0.0) value_error("Invalid momentum value: " + py_repr(momentum));
  if (wd < 0.0) value_error("Invalid weight_decay value: " + py_repr(wd));
  if (o.flag("nesterov") && (momentum <= 0 || o.num("dampening") != 0))
    value_error("Nesterov momentum requires a momentum and zero dampening");
}

void SGD::update_group(param_group& group) {
  const auto& o = group.opts;
  const double lr = o.num("lr"), momentum = o.num("momentum"), dampening = o.num("dampening"),
               wd = o.num("weight_decay");
  const bool nesterov = o.flag("nesterov"), maximize = o.flag("maximize");
  for (auto& p : group.params) {
    Tensor g = p.grad();
    if (!g.defined()) continue;  // a parameter without grad is skipped
    if (maximize) g = neg(g);
    if (wd != 0) g = add(g, p, wd);
    if (momentum != 0) {
      auto& st = state_of(p);
      auto it = st.buffers.find("momentum_buffer");
      if (it == st.buffers.end()) {
        it = st.buffers.emplace("momentum_buffer", g.detach()).first;
      } else {
        it->second.mul_(momentum).add_(g, 1 - dampening);
      }
      g = nesterov ? add(g, it->second, momentum) : it->second;
    }
    p.add_(g, -lr);
  }
}

}  // namespace gradlab::optim
