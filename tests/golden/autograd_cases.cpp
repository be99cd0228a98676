// autograd.json: each op case replayed in float64; the output and the gradient of
// sum(output * upstream) are compared with PyTorch's.
#include <map>

#include "golden.hpp"
#include "gradlab/ops.hpp"
#include "problems.hpp"

namespace gradlab::golden {

namespace {
using args = std::vector<Tensor>;
using case_fn = std::function<Tensor(const args&)>;

/// The expression behind each case name, as written in gen.py.
const std::map<std::string, case_fn>& cases() {
  static const std::map<std::string, case_fn> all = {
      {"add", [](const args& a) { return a[0] + a[1]; }},
      {"add_broadcast_row", [](const args& a) { return a[0] + a[1]; }},
      {"add_broadcast_outer", [](const args& a) { return a[0] + a[1]; }},
      {"add_scalar_tensor", [](const args& a) { return a[0] + a[1]; }},
      {"sub", [](const args& a) { return a[0] - a[1]; }},
      {"sub_broadcast", [](const args& a) { return a[0] - a[1]; }},
      {"mul", [](const args& a) { return a[0] * a[1]; }},
      {"mul_broadcast_col", [](const args& a) { return a[0] * a[1]; }},
      {"mul_const_input", [](const args& a) { return a[0] * a[1]; }},
      {"div", [](const args& a) { return a[0] / a[1]; }},
      {"div_broadcast", [](const args& a) { return a[0] / a[1]; }},
      {"neg", [](const args& a) { return -a[0]; }},
      {"exp", [](const args& a) { return exp(a[0]); }},
      {"log", [](const args& a) { return log(a[0]); }},
      {"square_pow2", [](const args& a) { return a[0].pow(2); }},
      {"pow3", [](const args& a) { return a[0].pow(3); }},
      {"pow_half", [](const args& a) { return a[0].pow(0.5); }},
      {"pow_neg", [](const args& a) { return a[0].pow(-1.5); }},
      {"sum_all", [](const args& a) { return a[0].sum(); }},
      {"mean_all", [](const args& a) { return a[0].mean(); }},
      {"index_select_elem", [](const args& a) { return a[0][0] * 3.0 + a[0][1].pow(2); }},
      {"thermometer_loss", [](const args& a) { return (a[0][0] * a[1] + a[0][1] - a[2]).pow(2).mean(); }},
      {"shared_subexpr", [](const args& a) { return (a[0] * a[0] + a[0]).sum() * a[0].mean(); }},
      {"detach", [](const args& a) { return a[0] * a[0].detach(); }},
  };
  return all;
}

std::string check_case(const json::value& c) {
  if (c.has("error")) return skip_because("PyTorch itself raised: " + c["error"].str());
  auto it = cases().find(c["name"].str());
  if (it == cases().end()) return skip_because(kNotImplemented);
  args inputs;
  for (const auto& in : c["inputs"].array()) inputs.push_back(tensor_from(in, in["requires_grad"].boolean()));
  const double rtol = 1e-10, atol = 1e-12;
  Tensor out = it->second(inputs);
  auto e = compare(out, c["output"], rtol, atol, "output");
  if (!e.empty()) return e;
  (out * tensor_from(c["upstream"])).sum().backward();
  const auto& grads = c["grads"].array();
  for (std::size_t i = 0; i < grads.size(); ++i) {
    const std::string what = "grad of input " + std::to_string(i);
    if (grads[i].is_null()) {
      if (inputs[i].grad().defined()) return what + " should be None";
      continue;
    }
    e = compare(inputs[i].grad(), grads[i], rtol, atol, what);
    if (!e.empty()) return e;
  }
  return "";
}
}  // namespace

void check_autograd(const json::value& autograd, report& r) {
  for (const auto& c : autograd["cases"].array())
    r.run("autograd/" + c["name"].str(), [&] { return check_case(c); });
}

}  // namespace gradlab::golden
