// The model language's function table: the op table's rows (op_table.def) it has (ns_model),
// called through their generic entry (call_op binds with Python's messages), and the
// attributes x.T and x.mT, which are no ops.
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

/// A model-language value as a bound op argument: the language's numbers are Python floats.
op_arg to_op_arg(value v) {
  if (v.none) return op_arg::of_none();
  if (v.is_number()) return op_arg::of_real(v.num);
  return op_arg::of_tensor(std::move(v.t));
}

}  // namespace

const std::vector<function_info>& functions() {
  static const std::vector<function_info> table = [] {
    std::vector<function_info> t;
    // the op table's rows the model language has (ns_model): a method where PyTorch has
    // Tensor.NAME; spelled torch.NAME in the Python export, else F.NAME
    static std::vector<std::string> spellings;
    spellings.reserve(op_table().size());
    for (const op_info& row : op_table()) {
      if (!row.in(ns_model)) continue;
      spellings.push_back((row.in(ns_torch) ? "torch." : "F.") + std::string(row.name));
      function_info f{row.name, {}, 0, row.in(ns_tensor), false, spellings.back().c_str(), nullptr};
      f.op = &row;
      t.push_back(f);
    }
    // gradlab has no integer dtype: class targets are whole-number floats; PyTorch needs .long()
    for (auto& f : t)
      if (std::string(f.name) == "cross_entropy")
        f.python = "(lambda input, target: F.cross_entropy(input, target.long()))";
    // attributes, not ops: x.T and x.mT
    t.push_back({"T", {"input"}, 1, true, true, "", [](const bound_args& a) {
                   const Tensor x = tensor_arg(a, 0, "T");
                   if (x.dim() > 2)
                     runtime_error("gradlab's .T supports tensors of at most 2 dimensions");
                   return value::of(gradlab::t(x));
                 }});
    t.push_back({"mT", {"input"}, 1, true, true, "", [](const bound_args& a) {
                   const Tensor x = tensor_arg(a, 0, "mT");
                   if (x.dim() < 2)
                     runtime_error(
                         "tensor.mT is only supported on matrices or batches of matrices. Got " +
                         std::to_string(x.dim()) + "-D tensor.");
                   return value::of(gradlab::transpose(x, -2, -1));
                 }});
    return t;
  }();
  return table;
}

value call_function(const function_info& f, std::vector<value> positional,
                    std::vector<std::pair<std::string, value>> keywords) {
  if (!f.op) return f.lower(bind_arguments(f, std::move(positional), std::move(keywords)));
  std::vector<op_arg> pos;
  for (auto& v : positional) pos.push_back(to_op_arg(std::move(v)));
  std::vector<std::pair<std::string, op_arg>> kw;
  for (auto& [k, v] : keywords) kw.emplace_back(k, to_op_arg(std::move(v)));
  return value::of(call_op(*f.op, std::move(pos), std::move(kw)));
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
