// optim.json: float64 trajectories of every torch.optim class on small problems.
#include <cmath>

#include "golden.hpp"
#include "gradlab/autograd.hpp"
#include "gradlab/optim/optimizer.hpp"
#include "problems.hpp"

namespace gradlab::golden {

namespace {
std::string run_name(const json::value& run) {
  std::string opts;
  for (const auto& [k, v] : run["options"].object()) {
    if (!opts.empty()) opts += ",";
    opts += k + "=" + optim::option_repr(option_from_json(v));
  }
  std::string name = "optim/" + run["optimizer"].str() + "(" + opts + ")/" + run["problem"].str();
  if (run.has("param_groups")) name += "/param_groups";
  return name;
}

std::string check_run(const json::value& run) {
  if (run.has("error")) return skip_because("PyTorch itself raised: " + run["error"].str());
  const std::string opt_name = run["optimizer"].str();
  if (!optim::find_optimizer(opt_name)) return skip_because(kNotImplemented);
  auto pit = problems().find(run["problem"].str());
  if (pit == problems().end()) return skip_because("problem '" + run["problem"].str() + "': " + kNotImplemented);

  std::vector<Tensor> init;
  for (const auto& t : run["init"].array()) init.push_back(tensor_from(t));
  problem prob = pit->second(init);
  for (std::size_t i = 0; i < init.size(); ++i) {
    // The rebuild must be the same problem (1e-9: libm's sin() may differ by an ulp between
    // glibc and WebAssembly's musl, which gen.py's hash amplifies) ...
    auto e = compare(prob.params[i], run["init"][i], 1e-9, 1e-12, "initial param " + std::to_string(i));
    if (!e.empty()) return e;
    // ... and then starts from PyTorch's exact recorded values.
    no_grad_guard ng;
    prob.params[i].copy_(init[i]);
  }

  optim::options opts = options_from_json(run["options"]);
  std::vector<optim::param_group> groups;
  if (run.has("param_groups")) {
    for (const auto& g : run["param_groups"].array()) {
      optim::param_group pg;
      for (const auto& idx : g["params"].array()) pg.params.push_back(prob.params[static_cast<std::size_t>(idx.number())]);
      for (const auto& [k, v] : g.object())
        if (k != "params") pg.opts.set(k, option_from_json(v));
      groups.push_back(pg);
    }
  } else {
    groups.push_back({prob.params, {}});
  }
  auto opt = optim::make_optimizer(opt_name, groups, opts);

  // Muon's Newton-Schulz runs in bfloat16 in PyTorch: the README's looser loss tolerance.
  const bool muon = opt_name == "Muon";
  const double rtol = muon ? 2e-2 : 1e-8, atol = muon ? 0.0 : 1e-10;
  const auto& losses = run["losses"].array();
  const auto& traj = run["params_each_step"].array();
  for (std::size_t s = 0; s < losses.size(); ++s) {
    Tensor loss;
    if (opt_name == "LBFGS") {
      loss = opt->step([&] {
        opt->zero_grad();
        Tensor l = prob.loss();
        l.backward();
        return l;
      });
    } else {
      opt->zero_grad();
      loss = prob.loss();
      loss.backward();
      opt->step();
    }
    const std::string at = "step " + std::to_string(s + 1) + ": ";
    auto e = compare_value(loss.item(), losses[s].real(), rtol, atol, at + "loss");
    if (!e.empty()) return e;
    if (muon) continue;  // bfloat16 rounding makes per-step params differ beyond float64 tolerance
    for (std::size_t i = 0; i < prob.params.size(); ++i) {
      e = compare(prob.params[i], traj[s][i], rtol, atol, at + "param " + std::to_string(i));
      if (!e.empty()) return e;
    }
  }
  return "";
}
}  // namespace

void check_optim(const json::value& optim, report& r) {
  for (const auto& run : optim["runs"].array()) r.run(run_name(run), [&] { return check_run(run); });
}

}  // namespace gradlab::golden
