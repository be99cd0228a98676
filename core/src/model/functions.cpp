// The model language's function table. Each entry: name, parameters, PyTorch spelling and a
// lowering through the public ops API. The op table's rows (op_table.def) come first, made
// from the rows; the entries below are the ops with options or several operands.
#include "gradlab/model/functions.hpp"

#include <cmath>
#include <iterator>
#include <limits>

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

// A Tensor -> Tensor row of the op table (op_table.def): a method when PyTorch has
// Tensor.NAME; its PyTorch spelling torch.NAME, else F.NAME. A row without ns_model gets
// a null name, left out of the table below.
#define GRADLAB_UNARY_OP(NAME, GRAD_FN, PARAMS, NAMESPACES, JS)               \
  function_info{(ns_model & (NAMESPACES)) != 0 ? #NAME : nullptr,             \
                {PARAMS},                                                     \
                1,                                                            \
                (ns_tensor & (NAMESPACES)) != 0,                              \
                false,                                                        \
                (ns_torch & (NAMESPACES)) != 0 ? "torch." #NAME : "F." #NAME, \
                [](const bound_args& a) { return unary_entry(&gradlab::NAME, a, #NAME); }},

/// A tensor argument where PyTorch insists on a Tensor (a number is its TypeError).
Tensor strict_tensor(const bound_args& a, std::size_t i, const std::string& fn, const char* name) {
  if (a[i] && a[i]->is_number())
    type_error(fn + "(): argument '" + name + "' must be Tensor, not float");
  return tensor_arg(a, i, fn);
}

long long int_arg(const bound_args& a, std::size_t i, const std::string& fn, const char* name) {
  const double v = number_arg(a, i, fn);
  if (v != std::floor(v) || std::fabs(v) > 1e9)
    type_error(fn + "(): argument '" + name + "' must be int, not float");
  return static_cast<long long>(v);
}

double opt_number(const bound_args& a, std::size_t i, const std::string& fn, double dflt) {
  return a[i] ? number_arg(a, i, fn) : dflt;
}

/// sum/mean over everything, or over one dim (keepdim optional).
value reduction(Tensor (*all)(const Tensor&), Tensor (*along)(const Tensor&, long long, bool),
                const bound_args& a, const std::string& fn) {
  const Tensor x = tensor_arg(a, 0, fn);
  if (!a[1]) {
    if (a[2]) type_error(fn + "(): keepdim needs dim");
    return value::of(all(x));
  }
  const bool keep = a[2] && number_arg(a, 2, fn) != 0;
  return value::of(along(x, int_arg(a, 1, fn, "dim"), keep));
}

Tensor sum_all(const Tensor& x) { return gradlab::sum(x); }
Tensor mean_all(const Tensor& x) { return gradlab::mean(x); }
Tensor sum_dim(const Tensor& x, long long d, bool k) { return gradlab::sum(x, d, k); }
Tensor mean_dim(const Tensor& x, long long d, bool k) { return gradlab::mean(x, d, k); }
Tensor max_all(const Tensor& x) { return gradlab::max(x); }
Tensor min_all(const Tensor& x) { return gradlab::min(x); }

/// A loss of (input, target): both must be tensors, as in torch.nn.functional.
template <Tensor (*F)(const Tensor&, const Tensor&)>
value loss2(const bound_args& a, const char* fn) {
  return value::of(F(strict_tensor(a, 0, fn, "input"), strict_tensor(a, 1, fn, "target")));
}

}  // namespace

const std::vector<function_info>& functions() {
  // constexpr: the table is data in the module, built by the compiler
  static constexpr function_info entries[] = {
  // the op table's Tensor -> Tensor rows
#include "gradlab/ops/op_table.def"
      {"pow",
       {"input", "exponent"},
       2,
       true,
       false,
       "torch.pow",
       [](const bound_args& a) {
         if (a[1]->is_number()) return value::of(gradlab::pow(tensor_arg(a, 0, "pow"), a[1]->num));
         if (a[0]->is_number()) return value::of(gradlab::pow(a[0]->num, a[1]->t));
         return value::of(gradlab::pow(a[0]->t, a[1]->t));
       }},
      {"clamp",
       {"input", "min", "max"},
       1,
       true,
       false,
       "torch.clamp",
       [](const bound_args& a) {
         if (!a[1] && !a[2])
           runtime_error("torch.clamp: At least one of 'min' or 'max' must not be None");
         const double inf = std::numeric_limits<double>::infinity();
         return value::of(gradlab::clamp(tensor_arg(a, 0, "clamp"), opt_number(a, 1, "clamp", -inf),
                                         opt_number(a, 2, "clamp", inf)));
       }},
      {"maximum",
       {"input", "other"},
       2,
       true,
       false,
       "torch.maximum",
       [](const bound_args& a) {
         return value::of(gradlab::maximum(strict_tensor(a, 0, "maximum", "input"),
                                           strict_tensor(a, 1, "maximum", "other")));
       }},
      // activations with options
      {"leaky_relu",
       {"input", "negative_slope"},
       1,
       false,
       false,
       "F.leaky_relu",
       [](const bound_args& a) {
         return value::of(gradlab::leaky_relu(tensor_arg(a, 0, "leaky_relu"),
                                              opt_number(a, 1, "leaky_relu", 0.01)));
       }},
      {"elu",
       {"input", "alpha"},
       1,
       false,
       false,
       "F.elu",
       [](const bound_args& a) {
         return value::of(gradlab::elu(tensor_arg(a, 0, "elu"), opt_number(a, 1, "elu", 1.0)));
       }},
      {"gelu",
       {"input"},
       1,
       false,
       false,
       "F.gelu",
       [](const bound_args& a) { return value::of(gradlab::gelu(tensor_arg(a, 0, "gelu"))); }},
      {"softplus",
       {"input", "beta", "threshold"},
       1,
       false,
       false,
       "F.softplus",
       [](const bound_args& a) {
         return value::of(gradlab::softplus(tensor_arg(a, 0, "softplus"),
                                            opt_number(a, 1, "softplus", 1.0),
                                            opt_number(a, 2, "softplus", 20.0)));
       }},
      {"softmax",
       {"input", "dim"},
       2,
       true,
       false,
       "torch.softmax",
       [](const bound_args& a) {
         return value::of(
             gradlab::softmax(tensor_arg(a, 0, "softmax"), int_arg(a, 1, "softmax", "dim")));
       }},
      {"log_softmax",
       {"input", "dim"},
       2,
       true,
       false,
       "torch.log_softmax",
       [](const bound_args& a) {
         return value::of(gradlab::log_softmax(tensor_arg(a, 0, "log_softmax"),
                                               int_arg(a, 1, "log_softmax", "dim")));
       }},
      // reductions
      {"sum",
       {"input", "dim", "keepdim"},
       1,
       true,
       false,
       "torch.sum",
       [](const bound_args& a) { return reduction(&sum_all, &sum_dim, a, "sum"); }},
      {"mean",
       {"input", "dim", "keepdim"},
       1,
       true,
       false,
       "torch.mean",
       [](const bound_args& a) { return reduction(&mean_all, &mean_dim, a, "mean"); }},
      {"max",
       {"input"},
       1,
       true,
       false,
       "torch.max",
       [](const bound_args& a) { return value::of(max_all(tensor_arg(a, 0, "max"))); }},
      {"min",
       {"input"},
       1,
       true,
       false,
       "torch.min",
       [](const bound_args& a) { return value::of(min_all(tensor_arg(a, 0, "min"))); }},
      // linear algebra and shapes
      {"matmul",
       {"input", "other"},
       2,
       true,
       false,
       "torch.matmul",
       [](const bound_args& a) {
         return value::of(gradlab::matmul(strict_tensor(a, 0, "matmul", "input"),
                                          strict_tensor(a, 1, "matmul", "other")));
       }},
      {"mm",
       {"input", "mat2"},
       2,
       true,
       false,
       "torch.mm",
       [](const bound_args& a) {
         return value::of(
             gradlab::mm(strict_tensor(a, 0, "mm", "input"), strict_tensor(a, 1, "mm", "mat2")));
       }},
      {"dot",
       {"input", "tensor"},
       2,
       true,
       false,
       "torch.dot",
       [](const bound_args& a) {
         return value::of(gradlab::dot(strict_tensor(a, 0, "dot", "input"),
                                       strict_tensor(a, 1, "dot", "tensor")));
       }},
      {"linear",
       {"input", "weight", "bias"},
       2,
       false,
       false,
       "F.linear",
       [](const bound_args& a) {
         return value::of(gradlab::linear(strict_tensor(a, 0, "linear", "input"),
                                          strict_tensor(a, 1, "linear", "weight"),
                                          a[2] ? strict_tensor(a, 2, "linear", "bias") : Tensor()));
       }},
      {"t",
       {"input"},
       1,
       true,
       false,
       "torch.t",
       [](const bound_args& a) { return value::of(gradlab::t(tensor_arg(a, 0, "t"))); }},
      {"T",
       {"input"},
       1,
       true,
       true,
       "",
       [](const bound_args& a) {
         const Tensor x = tensor_arg(a, 0, "T");
         if (x.dim() > 2) runtime_error("gradlab's .T supports tensors of at most 2 dimensions");
         return value::of(gradlab::t(x));
       }},
      {"mT",
       {"input"},
       1,
       true,
       true,
       "",
       [](const bound_args& a) {
         const Tensor x = tensor_arg(a, 0, "mT");
         if (x.dim() < 2)
           runtime_error("tensor.mT is only supported on matrices or batches of matrices. Got " +
                         std::to_string(x.dim()) + "-D tensor.");
         return value::of(gradlab::transpose(x, -2, -1));
       }},
      {"transpose",
       {"input", "dim0", "dim1"},
       3,
       true,
       false,
       "torch.transpose",
       [](const bound_args& a) {
         return value::of(gradlab::transpose(tensor_arg(a, 0, "transpose"),
                                             int_arg(a, 1, "transpose", "dim0"),
                                             int_arg(a, 2, "transpose", "dim1")));
       }},
      {"squeeze",
       {"input", "dim"},
       2,
       true,
       false,
       "torch.squeeze",
       [](const bound_args& a) {
         return value::of(
             gradlab::squeeze(tensor_arg(a, 0, "squeeze"), int_arg(a, 1, "squeeze", "dim")));
       }},
      {"unsqueeze",
       {"input", "dim"},
       2,
       true,
       false,
       "torch.unsqueeze",
       [](const bound_args& a) {
         return value::of(
             gradlab::unsqueeze(tensor_arg(a, 0, "unsqueeze"), int_arg(a, 1, "unsqueeze", "dim")));
       }},
      // losses (torch.nn.functional, reduction='mean')
      {"mse_loss",
       {"input", "target"},
       2,
       false,
       false,
       "F.mse_loss",
       [](const bound_args& a) { return loss2<&gradlab::mse_loss>(a, "mse_loss"); }},
      {"l1_loss",
       {"input", "target"},
       2,
       false,
       false,
       "F.l1_loss",
       [](const bound_args& a) { return loss2<&gradlab::l1_loss>(a, "l1_loss"); }},
      {"huber_loss",
       {"input", "target", "delta"},
       2,
       false,
       false,
       "F.huber_loss",
       [](const bound_args& a) {
         return value::of(gradlab::huber_loss(strict_tensor(a, 0, "huber_loss", "input"),
                                              strict_tensor(a, 1, "huber_loss", "target"),
                                              opt_number(a, 2, "huber_loss", 1.0)));
       }},
      {"binary_cross_entropy",
       {"input", "target"},
       2,
       false,
       false,
       "F.binary_cross_entropy",
       [](const bound_args& a) {
         return loss2<&gradlab::binary_cross_entropy>(a, "binary_cross_entropy");
       }},
      {"binary_cross_entropy_with_logits",
       {"input", "target"},
       2,
       false,
       false,
       "F.binary_cross_entropy_with_logits",
       [](const bound_args& a) {
         return loss2<&gradlab::binary_cross_entropy_with_logits>(
             a, "binary_cross_entropy_with_logits");
       }},
      {"cross_entropy",
       {"input", "target"},
       2,
       false,
       false,
       "(lambda input, target: F.cross_entropy(input, target.long()))",
       [](const bound_args& a) {
         // gradlab has no integer dtype: class targets are whole-number floats; PyTorch needs
         // .long()
         return value::of(gradlab::cross_entropy(strict_tensor(a, 0, "cross_entropy", "input"),
                                                 strict_tensor(a, 1, "cross_entropy", "target")));
       }},
  };
  static const std::vector<function_info> table = [] {
    std::vector<function_info> t;
    for (const auto& e : entries)
      if (e.name) t.push_back(e);
    return t;
  }();
  return table;
}

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
    type_error(std::string(f.name) + "() takes " + plural(f.params.size(), "positional argument") +
               " but " + std::to_string(positional.size()) +
               (positional.size() == 1 ? " was" : " were") + " given");
  for (std::size_t i = 0; i < positional.size(); ++i)
    if (!positional[i].none) slots[i] = std::move(positional[i]);
  for (auto& [k, v] : keywords) {
    std::size_t i = 0;
    while (i < f.params.size() && f.params[i] != k) ++i;
    if (i == f.params.size())
      type_error(std::string(f.name) + "() got an unexpected keyword argument '" + k + "'");
    if (slots[i] || (i < positional.size() && positional[i].none))
      type_error(std::string(f.name) + "() got multiple values for argument '" + k + "'");
    if (!v.none) slots[i] = std::move(v);
  }
  for (std::size_t i = 0; i < f.required; ++i)
    if (!slots[i])
      type_error(std::string(f.name) + "() missing required argument '" + f.params[i] + "'");
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
