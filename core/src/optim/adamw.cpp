// torch.optim.AdamW: in PyTorch 2.x a thin subclass of Adam that fixes decoupled_weight_decay
// to True and defaults weight_decay to 1e-2.
#include "gradlab/optim/adamw.hpp"

namespace gradlab::optim {

namespace {
std::vector<option_spec> adamw_specs() {
  auto specs = Adam::info().specs;
  for (auto& s : specs) {
    if (s.name == "weight_decay") s.default_value = 1e-2;
    if (s.name == "decoupled_weight_decay") s.default_value = true;
  }
  return specs;
}
}  // namespace

AdamW::AdamW(std::vector<param_group> groups, const options& opts)
    : Adam(std::move(groups), opts, adamw_specs()) {}

optimizer_info AdamW::info() {
  return {"AdamW", adamw_specs(),
          [](std::vector<param_group> g, const options& o) -> std::unique_ptr<optimizer> {
            return std::make_unique<AdamW>(std::move(g), o);
          }};
}

}  // namespace gradlab::optim
