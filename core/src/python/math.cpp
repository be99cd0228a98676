// The math module: the C library's functions with CPython's errors ("math domain error",
// "math range error") and its exact algorithms where they differ (fsum, isclose, floor and
// ceil returning ints, factorial and friends on ints).
#include <cerrno>
#include <cmath>
#include <limits>

#include "python/runtime.hpp"

namespace gradlab::py {

namespace {

[[noreturn]] void domain() { raise(rt().e_value, "math domain error"); }
[[noreturn]] void range_error() { raise(rt().e_overflow, "math range error"); }

double arg(const value& v) {
  if (v.is_float()) return v.as_float();
  if (v.is_int()) return static_cast<double>(v.as_int());
  if (v.is_bool()) return v.as_bool();
  if (!lookup_special(v, slot::float_).is_null() || !lookup_special(v, slot::index).is_null())
    return to_double(v);
  raisef(rt().e_type, "must be real number, not %s", tname(v));
}

// CPython's math_1: NaN from a non-NaN input is a domain error, an infinite result from a
// finite input is a range error (or a domain error for functions like log at 0).
value unary(double x, double (*f)(double), bool can_overflow) {
  errno = 0;
  const double r = f(x);
  if (std::isnan(r) && !std::isnan(x)) domain();
  if (std::isinf(r) && std::isfinite(x)) {
    if (can_overflow) range_error();
    domain();
  }
  return value::from_float(r);
}

#define MATH1(name, fn, overflow)                                         \
  value m_##name(interpreter&, value* a, std::size_t, native_function*) { \
    return unary(                                                         \
        arg(a[0]), [](double x) { return fn(x); }, overflow);             \
  }
MATH1(sqrt, std::sqrt, false)
MATH1(exp, std::exp, true)
MATH1(exp2, std::exp2, true)
MATH1(expm1, std::expm1, true)
MATH1(log2, std::log2, false)
MATH1(log10, std::log10, false)
MATH1(log1p, std::log1p, false)
MATH1(sin, std::sin, false)
MATH1(cos, std::cos, false)
MATH1(tan, std::tan, false)
MATH1(asin, std::asin, false)
MATH1(acos, std::acos, false)
MATH1(atan, std::atan, false)
MATH1(sinh, std::sinh, true)
MATH1(cosh, std::cosh, true)
MATH1(tanh, std::tanh, false)
MATH1(asinh, std::asinh, false)
MATH1(acosh, std::acosh, false)
MATH1(atanh, std::atanh, false)
MATH1(fabs, std::fabs, false)
MATH1(erf, std::erf, false)
MATH1(erfc, std::erfc, false)
MATH1(gamma, std::tgamma, true)
MATH1(lgamma, std::lgamma, true)
#undef MATH1

value m_log(interpreter&, value* a, std::size_t, native_function*) {
  auto ln = [](const value& v) {
    const double x = arg(v);
    if (x <= 0 || std::isnan(x)) {
      if (std::isnan(x)) return x;
      domain();
    }
    return std::log(x);
  };
  const double num = ln(a[0]);
  if (a[1].is_null()) return value::from_float(num);
  const double den = ln(a[1]);
  if (den == 0) raise(rt().e_zero, "float division by zero");
  return value::from_float(num / den);
}

value m_pow(interpreter&, value* a, std::size_t, native_function*) {
  const double x = arg(a[0]), y = arg(a[1]);
  if (x == 0 && y < 0 && std::isfinite(y)) domain();
  if (x < 0 && std::isfinite(x) && std::isfinite(y) && y != std::floor(y)) domain();
  const double r = std::pow(x, y);
  if (std::isinf(r) && std::isfinite(x) && std::isfinite(y)) range_error();
  return value::from_float(r);
}

value to_int(double r) {
  if (std::isnan(r)) raise(rt().e_value, "cannot convert float NaN to integer");
  if (std::isinf(r)) raise(rt().e_overflow, "cannot convert float infinity to integer");
  if (std::fabs(r) >= 9.223372036854775807e18) overflow();
  return value::from_int(static_cast<std::int64_t>(r));
}

value round_method(const value& v, const char* name, double (*f)(double)) {
  if (v.is_int()) return v;
  if (v.is_bool()) return value::from_int(v.as_bool());
  if (value* m = v.type()->lookup(intern(name))) return call(*m, {v});
  return to_int(f(arg(v)));
}
value m_floor(interpreter&, value* a, std::size_t, native_function*) {
  return round_method(a[0], "__floor__", [](double x) { return std::floor(x); });
}
value m_ceil(interpreter&, value* a, std::size_t, native_function*) {
  return round_method(a[0], "__ceil__", [](double x) { return std::ceil(x); });
}
value m_trunc(interpreter&, value* a, std::size_t, native_function*) {
  return round_method(a[0], "__trunc__", [](double x) { return std::trunc(x); });
}

value m_fmod(interpreter&, value* a, std::size_t, native_function*) {
  const double x = arg(a[0]), y = arg(a[1]);
  if (std::isinf(y) && std::isfinite(x)) return value::from_float(x);
  if (y == 0 || std::isinf(x)) {
    if (std::isnan(x) || std::isnan(y)) return value::from_float(NAN);
    domain();
  }
  return value::from_float(std::fmod(x, y));
}
value m_remainder(interpreter&, value* a, std::size_t, native_function*) {
  const double x = arg(a[0]), y = arg(a[1]);
  if ((y == 0 || std::isinf(x)) && !std::isnan(x) && !std::isnan(y)) domain();
  return value::from_float(std::remainder(x, y));
}
value m_atan2(interpreter&, value* a, std::size_t, native_function*) {
  return value::from_float(std::atan2(arg(a[0]), arg(a[1])));
}
value m_copysign(interpreter&, value* a, std::size_t, native_function*) {
  return value::from_float(std::copysign(arg(a[0]), arg(a[1])));
}
value m_hypot(interpreter&, value* a, std::size_t, native_function*) {
  double r = 0;
  bool first = true;
  for (const value& v : static_cast<tuple_object*>(a[0].as_object())->items) {
    r = first ? std::fabs(arg(v)) : std::hypot(r, arg(v));
    first = false;
  }
  return value::from_float(r);
}
value m_degrees(interpreter&, value* a, std::size_t, native_function*) {
  return value::from_float(arg(a[0]) * (180.0 / 3.141592653589793));
}
value m_radians(interpreter&, value* a, std::size_t, native_function*) {
  return value::from_float(arg(a[0]) * (3.141592653589793 / 180.0));
}
value m_isnan(interpreter&, value* a, std::size_t, native_function*) {
  return value::from_bool(std::isnan(arg(a[0])));
}
value m_isinf(interpreter&, value* a, std::size_t, native_function*) {
  return value::from_bool(std::isinf(arg(a[0])));
}
value m_isfinite(interpreter&, value* a, std::size_t, native_function*) {
  return value::from_bool(std::isfinite(arg(a[0])));
}

value m_isclose(interpreter&, value* a, std::size_t, native_function*) {
  const double x = arg(a[0]), y = arg(a[1]), rel = arg(a[2]), abs_tol = arg(a[3]);
  if (rel < 0 || abs_tol < 0) raise(rt().e_value, "tolerances must be non-negative");
  if (x == y) return value::from_bool(true);
  if (std::isinf(x) || std::isinf(y)) return value::from_bool(false);
  const double diff = std::fabs(y - x);
  return value::from_bool((diff <= std::fabs(rel * y)) || (diff <= std::fabs(rel * x)) ||
                          (diff <= abs_tol));
}

// Shewchuk's exact partial sums, as CPython's fsum
value m_fsum(interpreter&, value* a, std::size_t, native_function*) {
  std::vector<double> p;
  double special = 0;
  bool inf_nan = false;
  value it = iter(a[0]);
  for (value v = next(it); !v.is_null(); v = next(it)) {
    double x = arg(v);
    if (!std::isfinite(x)) {
      if (std::isinf(x) && inf_nan && std::isinf(special) && special != x)
        special = NAN;
      else if (!inf_nan || !std::isnan(special))
        special = inf_nan ? special + x : x;
      inf_nan = true;
      continue;
    }
    std::size_t i = 0;
    for (double y : p) {
      if (std::fabs(x) < std::fabs(y)) std::swap(x, y);
      const double hi = x + y;
      const double lo = y - (hi - x);
      if (lo != 0.0) p[i++] = lo;
      x = hi;
    }
    p.resize(i);
    p.push_back(x);
  }
  if (inf_nan) {
    if (std::isnan(special)) raise(rt().e_value, "-inf + inf in fsum");
    return value::from_float(special);
  }
  double hi = 0;
  if (!p.empty()) {
    std::size_t n = p.size();
    hi = p[--n];
    double lo = 0;
    while (n > 0) {
      const double x = hi;
      const double y = p[--n];
      hi = x + y;
      const double yr = hi - x;
      lo = y - yr;
      if (lo != 0.0) break;
    }
    if (n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0))) {
      const double y = lo * 2.0;
      const double x = hi + y;
      const double yr = x - hi;
      if (y == yr) hi = x;
    }
  }
  return value::from_float(hi);
}

std::int64_t int_arg(const value& v, const char* fname) {
  if (v.is_float()) raise(rt().e_type, "'float' object cannot be interpreted as an integer");
  (void)fname;
  return index_of(v, "");
}

value m_factorial(interpreter&, value* a, std::size_t, native_function*) {
  const std::int64_t n = int_arg(a[0], "factorial");
  if (n < 0) raise(rt().e_value, "factorial() not defined for negative values");
  std::int64_t r = 1;
  for (std::int64_t i = 2; i <= n; ++i)
    if (__builtin_mul_overflow(r, i, &r)) overflow();
  return value::from_int(r);
}

std::int64_t gcd(std::int64_t x, std::int64_t y) {
  x = x < 0 ? -x : x;
  y = y < 0 ? -y : y;
  while (y) {
    const std::int64_t t = x % y;
    x = y;
    y = t;
  }
  return x;
}
value m_gcd(interpreter&, value* a, std::size_t, native_function*) {
  std::int64_t g = 0;
  for (const value& v : static_cast<tuple_object*>(a[0].as_object())->items)
    g = gcd(g, int_arg(v, "gcd"));
  return value::from_int(g);
}
value m_lcm(interpreter&, value* a, std::size_t, native_function*) {
  std::int64_t l = 1;
  for (const value& v : static_cast<tuple_object*>(a[0].as_object())->items) {
    const std::int64_t x = int_arg(v, "lcm");
    if (x == 0) return value::from_int(0);
    const std::int64_t g = gcd(l, x);
    if (__builtin_mul_overflow(l / g, x < 0 ? -x : x, &l)) overflow();
  }
  return value::from_int(l);
}
value m_comb(interpreter&, value* a, std::size_t, native_function*) {
  const std::int64_t n = int_arg(a[0], "comb"), k = int_arg(a[1], "comb");
  if (n < 0) raise(rt().e_value, "n must be a non-negative integer");
  if (k < 0) raise(rt().e_value, "k must be a non-negative integer");
  if (k > n) return value::from_int(0);
  std::int64_t r = 1;
  const std::int64_t kk = k < n - k ? k : n - k;
  for (std::int64_t i = 1; i <= kk; ++i) {
    __int128 t = static_cast<__int128>(r) * (n - kk + i);
    t /= i;
    if (t > INT64_MAX) overflow();
    r = static_cast<std::int64_t>(t);
  }
  return value::from_int(r);
}
value m_perm(interpreter&, value* a, std::size_t, native_function*) {
  const std::int64_t n = int_arg(a[0], "perm");
  const std::int64_t k = a[1].is_none() ? n : int_arg(a[1], "perm");
  if (n < 0) raise(rt().e_value, "n must be a non-negative integer");
  if (k < 0) raise(rt().e_value, "k must be a non-negative integer");
  if (k > n) return value::from_int(0);
  std::int64_t r = 1;
  for (std::int64_t i = 0; i < k; ++i)
    if (__builtin_mul_overflow(r, n - i, &r)) overflow();
  return value::from_int(r);
}
value m_prod(interpreter&, value* a, std::size_t, native_function*) {
  value acc = a[1];
  value it = iter(a[0]);
  for (value v = next(it); !v.is_null(); v = next(it)) acc = binary(acc, v, binary_op::mul, false);
  return acc;
}
value m_frexp(interpreter&, value* a, std::size_t, native_function*) {
  int e = 0;
  const double m = std::frexp(arg(a[0]), &e);
  return make_tuple({value::from_float(m), value::from_int(e)});
}
value m_ldexp(interpreter&, value* a, std::size_t, native_function*) {
  const double r = std::ldexp(arg(a[0]), static_cast<int>(int_arg(a[1], "ldexp")));
  if (std::isinf(r) && std::isfinite(arg(a[0]))) range_error();
  return value::from_float(r);
}
value m_modf(interpreter&, value* a, std::size_t, native_function*) {
  double ip;
  const double f = std::modf(arg(a[0]), &ip);
  return make_tuple({value::from_float(f), value::from_float(ip)});
}
value m_dist(interpreter&, value* a, std::size_t, native_function*) {
  std::vector<value> p = to_vector(a[0]), q = to_vector(a[1]);
  if (p.size() != q.size())
    raise(rt().e_value, "both points must have the same number of dimensions");
  double r = 0;
  for (std::size_t i = 0; i < p.size(); ++i) r = std::hypot(r, arg(p[i]) - arg(q[i]));
  return value::from_float(r);
}

}  // namespace

void build_math(interpreter&, module_object& m, void*) {
  struct fn {
    const char* name;
    native_fn f;
    const char* params;
  };
  static const fn fns[] = {{"acos", m_acos, "x, /"},
                           {"acosh", m_acosh, "x, /"},
                           {"asin", m_asin, "x, /"},
                           {"asinh", m_asinh, "x, /"},
                           {"atan", m_atan, "x, /"},
                           {"atan2", m_atan2, "y, x, /"},
                           {"atanh", m_atanh, "x, /"},
                           {"ceil", m_ceil, "x, /"},
                           {"comb", m_comb, "n, k, /"},
                           {"copysign", m_copysign, "x, y, /"},
                           {"cos", m_cos, "x, /"},
                           {"cosh", m_cosh, "x, /"},
                           {"degrees", m_degrees, "x, /"},
                           {"dist", m_dist, "p, q, /"},
                           {"erf", m_erf, "x, /"},
                           {"erfc", m_erfc, "x, /"},
                           {"exp", m_exp, "x, /"},
                           {"exp2", m_exp2, "x, /"},
                           {"expm1", m_expm1, "x, /"},
                           {"fabs", m_fabs, "x, /"},
                           {"factorial", m_factorial, "x, /"},
                           {"floor", m_floor, "x, /"},
                           {"fmod", m_fmod, "x, y, /"},
                           {"frexp", m_frexp, "x, /"},
                           {"fsum", m_fsum, "seq, /"},
                           {"gamma", m_gamma, "x, /"},
                           {"gcd", m_gcd, "*integers"},
                           {"hypot", m_hypot, "*coordinates"},
                           {"isclose", m_isclose, "a, b, *, rel_tol=1e-09, abs_tol=0.0"},
                           {"isfinite", m_isfinite, "x, /"},
                           {"isinf", m_isinf, "x, /"},
                           {"isnan", m_isnan, "x, /"},
                           {"lcm", m_lcm, "*integers"},
                           {"ldexp", m_ldexp, "x, i, /"},
                           {"lgamma", m_lgamma, "x, /"},
                           {"log", m_log, "x, base=_missing, /"},
                           {"log10", m_log10, "x, /"},
                           {"log1p", m_log1p, "x, /"},
                           {"log2", m_log2, "x, /"},
                           {"modf", m_modf, "x, /"},
                           {"perm", m_perm, "n, k=None, /"},
                           {"pow", m_pow, "x, y, /"},
                           {"prod", m_prod, "iterable, /, *, start=1"},
                           {"radians", m_radians, "x, /"},
                           {"remainder", m_remainder, "x, y, /"},
                           {"sin", m_sin, "x, /"},
                           {"sinh", m_sinh, "x, /"},
                           {"sqrt", m_sqrt, "x, /"},
                           {"tan", m_tan, "x, /"},
                           {"tanh", m_tanh, "x, /"},
                           {"trunc", m_trunc, "x, /"}};
  for (const fn& f : fns) add_function(&m, f.name, f.f, f.params);
  m.set("pi", value::from_float(3.141592653589793));
  m.set("e", value::from_float(2.718281828459045));
  m.set("tau", value::from_float(6.283185307179586));
  m.set("inf", value::from_float(std::numeric_limits<double>::infinity()));
  m.set("nan", value::from_float(std::numeric_limits<double>::quiet_NaN()));
}

}  // namespace gradlab::py
