// autograd.json: each op case replayed in float64; the output and the gradient of
// sum(output * upstream) are compared with PyTorch's.
#include <map>

#include "golden.hpp"
#include "gradlab/ops.hpp"
#include "problems.hpp"

namespace gradlab::golden {

namespace {
using args = std::vector<Tensor>;

/// gen.py's `(b > 0).double()`: 1.0 where b > 0, else 0.0 (a constant target).
Tensor positive_mask(const Tensor& b) {
  std::vector<double> v(b.numel());
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = b.at(i) > 0 ? 1.0 : 0.0;
  return Tensor::from_values(v, b.shape(), b.dtype());
}

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
      {"sqrt", [](const args& a) { return sqrt(a[0]); }},
      {"abs", [](const args& a) { return abs(a[0]); }},
      {"rpow", [](const args& a) { return pow(2.0, a[0]); }},
      {"pow_tensor", [](const args& a) { return pow(a[0], a[1]); }},
      {"tanh", [](const args& a) { return tanh(a[0]); }},
      {"sigmoid", [](const args& a) { return sigmoid(a[0]); }},
      {"relu", [](const args& a) { return relu(a[0]); }},
      {"leaky_relu", [](const args& a) { return leaky_relu(a[0], 0.01); }},
      {"elu", [](const args& a) { return elu(a[0]); }},
      {"gelu", [](const args& a) { return gelu(a[0]); }},
      {"gelu_tanh", [](const args& a) { return gelu(a[0], "tanh"); }},
      {"silu", [](const args& a) { return silu(a[0]); }},
      {"softplus", [](const args& a) { return softplus(a[0]); }},
      {"sin", [](const args& a) { return sin(a[0]); }},
      {"cos", [](const args& a) { return cos(a[0]); }},
      {"clamp", [](const args& a) { return a[0].clamp(-0.5, 0.7); }},
      {"sum_all", [](const args& a) { return a[0].sum(); }},
      {"sum_dim0", [](const args& a) { return a[0].sum(0); }},
      {"sum_dim1_keepdim", [](const args& a) { return a[0].sum(1, true); }},
      {"mean_all", [](const args& a) { return a[0].mean(); }},
      {"mean_dim1", [](const args& a) { return a[0].mean(1); }},
      {"max_all", [](const args& a) { return a[0].max(); }},
      {"min_all", [](const args& a) { return a[0].min(); }},
      {"max_dim1", [](const args& a) { return max(a[0], 1).values; }},
      {"maximum", [](const args& a) { return maximum(a[0], a[1]); }},
      {"matmul_mm", [](const args& a) { return matmul(a[0], a[1]); }},
      {"matmul_dot", [](const args& a) { return matmul(a[0], a[1]); }},
      {"matmul_mv", [](const args& a) { return matmul(a[0], a[1]); }},
      {"matmul_vm", [](const args& a) { return matmul(a[0], a[1]); }},
      {"transpose",
       [](const args& a) {
         return a[0].t() * vals({4, 3}, 5);
       }},
      {"reshape",
       [](const args& a) {
         return a[0].reshape({2, 6}) * vals({2, 6}, 6);
       }},
      {"unbind",
       [](const args& a) {
         std::vector<Tensor> parts;
         const auto us = a[0].unbind(0);
         for (std::size_t i = 0; i < us.size(); ++i)
           parts.push_back(us[i] * static_cast<double>(i + 1));
         return stack(parts);
       }},
      {"stack",
       [](const args& a) {
         return stack({a[0], a[1]});
       }},
      {"cat",
       [](const args& a) {
         return cat({a[0], a[1]}, 0);
       }},
      {"softmax", [](const args& a) { return softmax(a[0], -1); }},
      {"log_softmax", [](const args& a) { return log_softmax(a[0], -1); }},
      {"mse_loss", [](const args& a) { return mse_loss(a[0], a[1]); }},
      {"l1_loss", [](const args& a) { return l1_loss(a[0], a[1]); }},
      {"huber_loss", [](const args& a) { return huber_loss(a[0], a[1], 0.5); }},
      {"bce_with_logits",
       [](const args& a) { return binary_cross_entropy_with_logits(a[0], positive_mask(a[1])); }},
      {"bce",
       [](const args& a) { return binary_cross_entropy(sigmoid(a[0]), positive_mask(a[1])); }},
      {"cross_entropy",
       [](const args& a) {
         return cross_entropy(a[0], std::vector<std::int64_t>{0, 2, 1, 2});
       }},
      {"linear_layer", [](const args& a) { return linear(a[0], a[1], a[2]); }},
      {"mlp_tanh", [](const args& a) { return matmul(tanh(matmul(a[0], a[1].t()) + a[2]), a[3]); }},
      {"index_select_elem", [](const args& a) { return a[0][0] * 3.0 + a[0][1].pow(2); }},
      {"thermometer_loss",
       [](const args& a) { return (a[0][0] * a[1] + a[0][1] - a[2]).pow(2).mean(); }},
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
  for (const auto& in : c["inputs"].array())
    inputs.push_back(tensor_from(in, in["requires_grad"].boolean()));
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
