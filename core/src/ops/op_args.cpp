// The op table at run time (gradlab/ops/op_args.hpp): the rows, the one binder of arguments
// to a row's PARAMS, and the readers the row adapters use.
#include "gradlab/ops/op_args.hpp"

#include <cmath>
#include <cstdlib>
#include <iterator>
#include <map>
#include <mutex>

#include "gradlab/error.hpp"
#include "gradlab/ops.hpp"
#include "ops/unary.hpp"

namespace gradlab {

op_arg op_arg::of_bool(bool v) {
  op_arg a;
  a.kind = boolean;
  a.b = v;
  return a;
}
op_arg op_arg::of_int(long long v) {
  op_arg a;
  a.kind = integer;
  a.i = v;
  return a;
}
op_arg op_arg::of_real(double v) {
  op_arg a;
  a.kind = real;
  a.r = v;
  return a;
}
op_arg op_arg::of_tensor(Tensor v) {
  op_arg a;
  a.kind = tensor;
  a.t = std::move(v);
  return a;
}
op_arg op_arg::of_ints(std::vector<long long> v) {
  op_arg a;
  a.kind = ints;
  a.list = std::move(v);
  return a;
}
op_arg op_arg::of_string(std::string v) {
  op_arg a;
  a.kind = string;
  a.s = std::move(v);
  return a;
}

const char* op_arg::type_name() const {
  switch (kind) {
    case none:
      return "NoneType";
    case boolean:
      return "bool";
    case integer:
      return "int";
    case real:
      return "float";
    case tensor:
      return "Tensor";
    case ints:
      return "tuple";
    case string:
      return "str";
  }
  return "object";
}

// ------------------------------------------------------------------ the rows
const std::vector<op_info>& op_table() {
  static const std::vector<op_info> table = [] {
    std::vector<op_info> rows = {
#define GRADLAB_UNARY_OP(NAME, GRAD_FN, PARAMS, NAMESPACES, JS)   \
  {#NAME,                                                         \
   #GRAD_FN,                                                      \
   PARAMS,                                                        \
   NAMESPACES,                                                    \
   #JS,                                                           \
   &gradlab::NAME,                                                \
   [](const op_arg* a, std::size_t) {                             \
     return gradlab::NAME(op_read::tensor(a, 0, #NAME, "input")); \
   },                                                             \
   [](float x) { return kernels::NAME##_fn{}(x); }},
#define GRADLAB_OP(NAME, GRAD_FN, PARAMS, NAMESPACES, JS) \
  {#NAME, #GRAD_FN, PARAMS, NAMESPACES, #JS, nullptr, &op_call::NAME, nullptr},
#include "gradlab/ops/op_table.def"
    };
    return rows;
  }();
  return table;
}

const op_info* find_op(const std::string& name) {
  for (const auto& r : op_table())
    if (name == r.name) return &r;
  return nullptr;
}

bool planned_op(const std::string& name) {
  static constexpr const char* planned[] = {
#define GRADLAB_PLANNED_OP(NAME) #NAME,
#include "gradlab/ops/op_table.def"
  };
  for (const char* p : planned)
    if (name == p) return true;
  return false;
}

// ------------------------------------------------------------------ binding
namespace {

struct param {
  std::string name;
  bool has_default = false;
  op_arg dflt;
  bool keyword_only = false;
};

op_arg parse_default(const std::string& v) {
  if (v == "None") return op_arg::of_none();
  if (v == "True" || v == "False") return op_arg::of_bool(v == "True");
  if (v.size() >= 2 && v.front() == '\'') return op_arg::of_string(v.substr(1, v.size() - 2));
  if (v.find_first_of(".eE") == std::string::npos) return op_arg::of_int(std::atoll(v.c_str()));
  return op_arg::of_real(std::atof(v.c_str()));
}

std::vector<param> parse_params(const char* text) {
  std::vector<param> out;
  bool kw_only = false;
  std::string s = text;
  std::size_t pos = 0;
  while (pos <= s.size()) {
    std::size_t end = s.find(',', pos);
    if (end == std::string::npos) end = s.size();
    std::string item = s.substr(pos, end - pos);
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    while (!item.empty() && item.back() == ' ') item.pop_back();
    pos = end + 1;
    if (item.empty()) continue;
    if (item == "*") {
      kw_only = true;
      continue;
    }
    param p;
    p.keyword_only = kw_only;
    const std::size_t eq = item.find('=');
    p.name = item.substr(0, eq);
    if (eq != std::string::npos) {
      p.has_default = true;
      p.dflt = parse_default(item.substr(eq + 1));
    }
    out.push_back(std::move(p));
  }
  return out;
}

const std::vector<param>& params_of(const op_info& op) {
  static std::mutex m;
  static std::map<const op_info*, std::vector<param>> cache;
  std::lock_guard<std::mutex> lock(m);
  auto it = cache.find(&op);
  if (it == cache.end()) it = cache.emplace(&op, parse_params(op.params)).first;
  return it->second;
}

std::string plural(std::size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// CPython's list of names: 'a', 'a' and 'b', 'a', 'b', and 'c'
std::string name_list(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += names.size() == 2 ? " and " : i + 1 == names.size() ? ", and " : ", ";
    out += "'" + names[i] + "'";
  }
  return out;
}

}  // namespace

std::vector<op_arg> bind_op_args(const op_info& op, std::vector<op_arg> positional,
                                 std::vector<std::pair<std::string, op_arg>> keywords) {
  const std::vector<param>& ps = params_of(op);
  const std::string fn = std::string(op.name) + "()";
  std::size_t npos = 0, nreq = 0;
  for (const auto& p : ps)
    if (!p.keyword_only) {
      ++npos;
      if (!p.has_default) nreq = npos;
    }
  if (positional.size() > npos) {
    const std::string takes = nreq == npos ? plural(npos, "positional argument")
                                           : "from " + std::to_string(nreq) + " to " +
                                                 std::to_string(npos) + " positional arguments";
    type_error(fn + " takes " + takes + " but " + std::to_string(positional.size()) +
               (positional.size() == 1 ? " was" : " were") + " given");
  }
  std::vector<op_arg> out(ps.size());
  std::vector<bool> given(ps.size(), false);
  for (std::size_t i = 0; i < positional.size(); ++i) {
    out[i] = std::move(positional[i]);
    given[i] = true;
  }
  for (auto& [k, v] : keywords) {
    std::size_t i = 0;
    while (i < ps.size() && ps[i].name != k) ++i;
    if (i == ps.size()) type_error(fn + " got an unexpected keyword argument '" + k + "'");
    if (given[i]) type_error(fn + " got multiple values for argument '" + k + "'");
    out[i] = std::move(v);
    given[i] = true;
  }
  std::vector<std::string> missing, missing_kw;
  for (std::size_t i = 0; i < ps.size(); ++i) {
    if (given[i]) continue;
    if (ps[i].has_default)
      out[i] = ps[i].dflt;
    else
      (ps[i].keyword_only ? missing_kw : missing).push_back(ps[i].name);
  }
  if (!missing.empty())
    type_error(fn + " missing " + plural(missing.size(), "required positional argument") + ": " +
               name_list(missing));
  if (!missing_kw.empty())
    type_error(fn + " missing " + plural(missing_kw.size(), "required keyword-only argument") +
               ": " + name_list(missing_kw));
  return out;
}

Tensor call_op(const op_info& op, std::vector<op_arg> positional,
               std::vector<std::pair<std::string, op_arg>> keywords) {
  const std::vector<op_arg> args = bind_op_args(op, std::move(positional), std::move(keywords));
  return op.call(args.data(), args.size());
}

// ------------------------------------------------------------------ readers
namespace op_read {
namespace {
[[noreturn]] void wrong(const op_arg& a, std::size_t i, const char* op, const char* param,
                        const char* want) {
  type_error(std::string(op) + "(): argument '" + param + "' (position " + std::to_string(i + 1) +
             ") must be " + want + ", not " + a.type_name());
}
}  // namespace

Tensor tensor(const op_arg* a, std::size_t i, const char* op, const char* param) {
  if (a[i].kind != op_arg::tensor) wrong(a[i], i, op, param, "Tensor");
  return a[i].t;
}

Tensor optional_tensor(const op_arg* a, std::size_t i, const char* op, const char* param) {
  return a[i].is_none() ? Tensor() : tensor(a, i, op, param);
}

Tensor operand(const op_arg* a, std::size_t i, const Tensor& like, const char* op,
               const char* param) {
  if (a[i].kind == op_arg::tensor) return a[i].t;
  if (!a[i].is_number()) wrong(a[i], i, op, param, "Tensor");
  return wrap_scalar(real(a, i, op, param), like);
}

long long integer(const op_arg* a, std::size_t i, const char* op, const char* param) {
  const op_arg& v = a[i];
  if (v.kind == op_arg::integer) return v.i;
  if (v.kind == op_arg::real && v.r == std::floor(v.r) && std::fabs(v.r) <= 9.2e18)
    return static_cast<long long>(v.r);
  wrong(v, i, op, param, "int");
}

double real(const op_arg* a, std::size_t i, const char* op, const char* param) {
  const op_arg& v = a[i];
  switch (v.kind) {
    case op_arg::real:
      return v.r;
    case op_arg::integer:
      return static_cast<double>(v.i);
    case op_arg::boolean:
      return v.b ? 1.0 : 0.0;
    case op_arg::tensor:
      // a one-element tensor reads as its value (the model language's clamp(x, min=w))
      if (v.t.numel() == 1) return v.t.item();
      type_error(std::string(op) + "(): expected a number, got a tensor of shape " +
                 shape_str(v.t.shape()));
    default:
      wrong(v, i, op, param, "Number");
  }
}

double optional_real(const op_arg* a, std::size_t i, double dflt, const char* op,
                     const char* param) {
  return a[i].is_none() ? dflt : real(a, i, op, param);
}

bool boolean(const op_arg* a, std::size_t i, const char* op, const char* param) {
  const op_arg& v = a[i];
  if (v.kind == op_arg::boolean) return v.b;
  if ((v.kind == op_arg::integer && (v.i == 0 || v.i == 1)) ||
      (v.kind == op_arg::real && (v.r == 0 || v.r == 1)))
    return v.kind == op_arg::integer ? v.i != 0 : v.r != 0;
  wrong(v, i, op, param, "bool");
}

std::vector<long long> ints(const op_arg* a, std::size_t i, const char* op, const char* param) {
  if (a[i].kind == op_arg::ints) return a[i].list;
  return {integer(a, i, op, param)};
}

std::string string(const op_arg* a, std::size_t i, const char* op, const char* param) {
  if (a[i].kind != op_arg::string) wrong(a[i], i, op, param, "str");
  return a[i].s;
}
}  // namespace op_read

}  // namespace gradlab
