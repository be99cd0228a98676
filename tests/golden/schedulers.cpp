// schedulers.json: the lr seen at each epoch under each torch.optim.lr_scheduler class, on
// SGD(lr=0.1) over one parameter; each scheduler is built by name from its recorded options.
#include "golden.hpp"
#include "gradlab/optim/optimizer.hpp"
#include "gradlab/sched.hpp"

namespace gradlab::golden {

namespace {
optim::option_value to_option(const json::value& v) {
  if (v.is_null()) return std::monostate{};
  if (v.is_bool()) return v.boolean();
  if (v.is_number()) return v.number();
  if (v.is_string()) return v.str();
  std::vector<double> xs;
  for (const auto& x : v.array()) xs.push_back(x.real());
  return xs;
}

std::string check_run(const json::value& run) {
  if (run.has("error")) return skip_because("PyTorch itself raised: " + run["error"].str());
  const std::string name = run["scheduler"].str();
  if (!sched::find_scheduler(name)) return skip_because(kNotImplemented);

  Tensor p = Tensor::zeros({1}).requires_grad_(true);
  auto opt = optim::make_optimizer("SGD", {{{p}, {}}}, {{"lr", run["base_lr"].real()}});
  optim::options opts;
  for (const auto& [k, v] : run["options"].object()) opts.set(k, to_option(v));
  auto sch = sched::make_scheduler(name, *opt, opts);

  const auto& lrs = run["lrs"].array();
  for (std::size_t e = 0; e < lrs.size(); ++e) {
    const double lr = opt->param_groups()[0].opts.num("lr");
    auto err = compare_value(lr, lrs[e].real(), 1e-12, 0.0, "epoch " + std::to_string(e) + " lr");
    if (!err.empty()) return err;
    opt->step();
    if (run.has("metric"))
      sch->step(run["metric"][e].real());
    else
      sch->step();
  }
  return "";
}
}  // namespace

void check_schedulers(const json::value& schedulers, report& r) {
  for (const auto& run : schedulers["runs"].array())
    r.run("schedulers/" + run["scheduler"].str(), [&] { return check_run(run); });
}

}  // namespace gradlab::golden
