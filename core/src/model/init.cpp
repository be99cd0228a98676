// Parameter initialisers: numbers, literal lists, zeros, ones, full(v), randn(mean, std,
// seed), uniform(low, high, seed). Deterministic: values come from gradlab's own rng.
#include <cmath>

#include "gradlab/error.hpp"
#include "gradlab/model/model.hpp"
#include "gradlab/model/rng.hpp"

namespace gradlab::model {

namespace {

[[noreturn]] void fail(const program& p, int e, const std::string& msg,
                       const char* type = "ValueError") {
  const span& s = p.at(e).where;
  diagnostic d;
  d.line = s.line;
  d.col = s.col;
  d.end_col = s.end_line == s.line && s.end_col > s.col ? s.end_col : s.col + 1;
  d.message = msg;
  d.type = type;
  throw model_error(d);
}

double constant(const program& p, int e) {
  const expr& x = p.at(e);
  if (x.kind == expr_kind::number) {
    if (x.text == "None") fail(p, e, "expected a number here, not None");
    return x.number;
  }
  if (x.kind == expr_kind::unary) {
    const double v = constant(p, x.args[0]);
    return x.text == "-" ? -v : v;
  }
  fail(p, e, "expected a number here");
}

void flatten(const program& p, int e, std::vector<double>& out, shape_t& shape, std::size_t depth) {
  const expr& x = p.at(e);
  if (x.kind != expr_kind::list) {
    if (depth != shape.size()) fail(p, e, "the nested lists have uneven lengths");
    out.push_back(constant(p, e));
    return;
  }
  if (depth == shape.size()) {
    if (!out.empty()) fail(p, e, "the nested lists have uneven lengths");
    shape.push_back(x.args.size());
  } else if (depth > shape.size() || shape[depth] != x.args.size()) {
    fail(p, e, "the nested lists have uneven lengths");
  }
  if (x.args.empty()) fail(p, e, "an empty list cannot initialise a parameter");
  for (int a : x.args) flatten(p, a, out, shape, depth + 1);
}

struct init_call {
  std::string name;
  std::vector<double> args;
};

/// Reads name(...) / name with numeric positional and keyword arguments into slots.
std::vector<double> bind(const program& p, int e, const std::vector<std::string>& names,
                         const std::vector<double>& defaults) {
  const expr& x = p.at(e);
  std::vector<double> v = defaults;
  std::vector<bool> given(names.size(), false);
  if (x.kind == expr_kind::call) {
    if (x.args.size() > names.size())
      fail(p, e, x.text + "() takes at most " + std::to_string(names.size()) + " arguments",
           "TypeError");
    for (std::size_t i = 0; i < x.args.size(); ++i) {
      v[i] = constant(p, x.args[i]);
      given[i] = true;
    }
    for (const auto& k : x.kwargs) {
      std::size_t i = 0;
      while (i < names.size() && names[i] != k.name) ++i;
      if (i == names.size())
        fail(p, e, x.text + "() got an unexpected keyword argument '" + k.name + "'", "TypeError");
      if (given[i])
        fail(p, e, x.text + "() got multiple values for argument '" + k.name + "'", "TypeError");
      v[i] = constant(p, k.value);
      given[i] = true;
    }
  }
  for (std::size_t i = 0; i < names.size(); ++i)
    if (std::isnan(v[i]))
      fail(p, e, x.text + "() missing required argument '" + names[i] + "'", "TypeError");
  return v;
}

/// The seed argument as the generator's 64-bit seed. A whole number from 0 to 2^64 - 1: a
/// larger one (seed=1e300) has no conversion (it was undefined behaviour; the fuzzer found it).
std::uint64_t seed_of(const program& p, int init, double s) {
  if (!(s >= 0 && s < 0x1p64) || s != std::floor(s))
    fail(p, init, "seed must be a whole number from 0 to 2**64 - 1");
  return static_cast<std::uint64_t>(s);
}

}  // namespace

Tensor initial_value(const program& p, int init, shape_t shape, bool has_shape,
                     std::uint64_t default_seed) {
  if (init < 0) return Tensor::zeros(shape);
  const expr& x = p.at(init);
  if (x.kind == expr_kind::list) {
    std::vector<double> values;
    shape_t got;
    flatten(p, init, values, got, 0);
    if (has_shape && numel(got) != numel(shape))
      fail(p, init,
           "the list has " + std::to_string(values.size()) +
               " values but the parameter has shape " + shape_str(shape) + " (" +
               std::to_string(numel(shape)) + " values)");
    return Tensor::from_values(values, has_shape ? shape : got);
  }
  if (x.kind == expr_kind::number || x.kind == expr_kind::unary)
    return Tensor::full(shape, constant(p, init));
  const bool named = x.kind == expr_kind::name || x.kind == expr_kind::call;
  const std::string fn = named ? x.text : "";
  const double nan = std::nan("");
  const std::size_t n = numel(shape);
  if (fn == "zeros" && bind(p, init, {}, {}).empty()) return Tensor::zeros(shape);
  if (fn == "ones" && bind(p, init, {}, {}).empty()) return Tensor::full(shape, 1.0);
  if (fn == "full") return Tensor::full(shape, bind(p, init, {"value"}, {nan})[0]);
  if (fn == "randn" || fn == "normal") {
    const auto a =
        bind(p, init, {"mean", "std", "seed"}, {0.0, 1.0, static_cast<double>(default_seed)});
    rng r(seed_of(p, init, a[2]));
    std::vector<double> v(n);
    for (auto& e : v) e = a[0] + a[1] * r.normal();
    return Tensor::from_values(v, shape);
  }
  if (fn == "uniform" || fn == "rand") {
    const auto a =
        bind(p, init, {"low", "high", "seed"}, {0.0, 1.0, static_cast<double>(default_seed)});
    rng r(seed_of(p, init, a[2]));
    std::vector<double> v(n);
    for (auto& e : v) e = a[0] + (a[1] - a[0]) * r.uniform();
    return Tensor::from_values(v, shape);
  }
  fail(p, init,
       "a parameter's initial value must be a number, a list like [1.0, 0.0], zeros, ones, "
       "full(v), randn(mean=0, std=1, seed=0) or uniform(low=0, high=1, seed=0)");
}

}  // namespace gradlab::model
