// The model language's function table. Each entry: name, parameters, PyTorch spelling and a
// lowering through the public ops API. Ops that this build lacks are simply absent, so they
// are "unknown function" errors until an entry is added here.
#include "gradlab/model/functions.hpp"

#include <cmath>

#include "gradlab/error.hpp"
#include "gradlab/ops.hpp"

namespace gradlab::model {

namespace {

std::string plural(std::size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

value unary_entry(Tensor (*op)(const Tensor&), const bound_args& a, const std::string& fn) {
  return value::of(op(tensor_arg(a, 0, fn)));
}

#define GRADLAB_UNARY(NAME, PY)                                                       \
  function_info {                                                                     \
#NAME, {"input" }, 1, true, false, PY,                                            \
            [](const bound_args& a) { return unary_entry(&gradlab::NAME, a, #NAME); } \
  }

/// sum/mean: over everything today; a dim argument needs the dim-wise reductions.
value reduction(Tensor (*all)(const Tensor&), const bound_args& a, const std::string& fn) {
  if (a[1] || a[2])
    type_error(fn + "(dim=...) is not available in this build: use " + fn + "() over all elements");
  return value::of(all(tensor_arg(a, 0, fn)));
}

}  // namespace

const std::vector<function_info>& functions() {
  static const std::vector<function_info> table = {
      GRADLAB_UNARY(exp, "torch.exp"),
      GRADLAB_UNARY(log, "torch.log"),
      GRADLAB_UNARY(neg, "torch.neg"),
      {"sum",
       {"input", "dim", "keepdim"},
       1,
       true,
       false,
       "torch.sum",
       [](const bound_args& a) { return reduction(&gradlab::sum, a, "sum"); }},
      {"mean",
       {"input", "dim", "keepdim"},
       1,
       true,
       false,
       "torch.mean",
       [](const bound_args& a) { return reduction(&gradlab::mean, a, "mean"); }},
      {"pow",
       {"input", "exponent"},
       2,
       true,
       false,
       "torch.pow",
       [](const bound_args& a) {
         if (!a[1]->is_number()) type_error("pow(): the exponent must be a number in this build");
         return value::of(gradlab::pow(tensor_arg(a, 0, "pow"), a[1]->num));
       }},
  };
  return table;
}

#undef GRADLAB_UNARY

const function_info* find_function(const std::string& name) {
  for (const auto& f : functions())
    if (f.name == name) return &f;
  return nullptr;
}

std::vector<std::string> function_names() {
  std::vector<std::string> names;
  for (const auto& f : functions()) names.push_back(f.name);
  return names;
}

bound_args bind_arguments(const function_info& f, std::vector<value> positional,
                          std::vector<std::pair<std::string, value>> keywords) {
  bound_args slots(f.params.size());
  if (positional.size() > f.params.size())
    type_error(f.name + "() takes " + plural(f.params.size(), "positional argument") + " but " +
               std::to_string(positional.size()) + (positional.size() == 1 ? " was" : " were") +
               " given");
  for (std::size_t i = 0; i < positional.size(); ++i) slots[i] = std::move(positional[i]);
  for (auto& [k, v] : keywords) {
    std::size_t i = 0;
    while (i < f.params.size() && f.params[i] != k) ++i;
    if (i == f.params.size())
      type_error(f.name + "() got an unexpected keyword argument '" + k + "'");
    if (slots[i]) type_error(f.name + "() got multiple values for argument '" + k + "'");
    slots[i] = std::move(v);
  }
  for (std::size_t i = 0; i < f.required; ++i)
    if (!slots[i]) type_error(f.name + "() missing required argument '" + f.params[i] + "'");
  return slots;
}

Tensor tensor_arg(const bound_args& a, std::size_t i, const std::string& fn, const Tensor& like) {
  if (i >= a.size() || !a[i])
    type_error(fn + "(): argument " + std::to_string(i + 1) + " is missing");
  const value& v = *a[i];
  if (!v.is_number()) return v.t;
  if (like.defined()) return wrap_scalar(v.num, like);
  return Tensor::scalar(v.num, dtype::float32);
}

double number_arg(const bound_args& a, std::size_t i, const std::string& fn) {
  if (i >= a.size() || !a[i])
    type_error(fn + "(): argument " + std::to_string(i + 1) + " is missing");
  const value& v = *a[i];
  if (v.is_number()) return v.num;
  if (v.t.numel() != 1)
    type_error(fn + "(): expected a number, got a tensor of shape " + shape_str(v.t.shape()));
  return v.t.item();
}

}  // namespace gradlab::model
