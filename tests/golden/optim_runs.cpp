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

std::string check_run(const json::value& run, const json::value& problems) {
  if (run.has("error")) return skip_because("PyTorch itself raised: " + run["error"].str());
  const std::string opt_name = run["optimizer"].str();
  if (!optim::find_optimizer(opt_name)) return skip_because(kNotImplemented);
  const std::string prob_name = run["problem"].str();
  if (!has_formula(prob_name))
    return skip_because("problem '" + prob_name + "': " + kNotImplemented);
  if (!problems.has(prob_name)) return "optim.json's problems has no entry '" + prob_name + "'";

  // The run starts from its recorded init, on the data its problem entry records.
  std::vector<Tensor> init;
  for (const auto& t : run["init"].array()) init.push_back(tensor_from(t));
  problem prob = make_problem(prob_name, problems[prob_name], init);

  optim::options opts = options_from_json(run["options"]);
  std::vector<optim::param_group> groups;
  if (run.has("param_groups")) {
    for (const auto& g : run["param_groups"].array()) {
      optim::param_group pg;
      for (const auto& idx : g["params"].array())
        pg.params.push_back(prob.params[static_cast<std::size_t>(idx.number())]);
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
  // A set without problem data cannot be checked: every run says so.
  static const json::value none = json::value::make_object({});
  const json::value& problems = optim.has("problems") ? optim["problems"] : none;
  for (const auto& run : optim["runs"].array())
    r.run(run_name(run), [&] { return check_run(run, problems); });
}

}  // namespace gradlab::golden
