// int (int64, OverflowError beyond) and float arithmetic with Python's semantics: floor
// division and modulo round toward minus infinity, true division of ints gives a float,
// int ** negative int gives a float, mixed int/float comparisons are exact, and hashes are
// CPython's (so that sets and dicts of numbers behave the same).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "python/runtime.hpp"

namespace gradlab::py {

void overflow() {
  raise(rt().e_overflow, "int too large: gradlab's ints are 64-bit (Python's are unbounded)");
}

namespace {

bool is_num(const value& v) { return v.is_int() || v.is_float() || v.is_bool(); }
std::int64_t ival(const value& v) {
  return v.is_int() ? v.as_int() : static_cast<std::int64_t>(v.as_bool());
}

[[noreturn]] void zero(const char* msg) { raise(rt().e_zero, msg); }

std::int64_t floordiv(std::int64_t a, std::int64_t b) {
  if (b == 0) zero("integer division or modulo by zero");
  if (a == INT64_MIN && b == -1) overflow();
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

std::int64_t mod(std::int64_t a, std::int64_t b, const char* msg = "integer modulo by zero") {
  if (b == 0) zero(msg);
  if (b == -1) return 0;
  std::int64_t r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) r += b;
  return r;
}

void float_divmod(double vx, double wx, double& floordiv, double& m) {
  m = std::fmod(vx, wx);
  double div = (vx - m) / wx;
  if (m != 0) {
    if ((wx < 0) != (m < 0)) {
      m += wx;
      div -= 1.0;
    }
  } else {
    m = std::copysign(0.0, wx);
  }
  if (div != 0) {
    floordiv = std::floor(div);
    if (div - floordiv > 0.5) floordiv += 1.0;
  } else {
    floordiv = std::copysign(0.0, vx / wx);
  }
}

double true_div_ints(std::int64_t a, std::int64_t b) {
  if (b == 0) zero("division by zero");
  const std::int64_t lim = 1LL << 53;
  if (a > -lim && a < lim && b > -lim && b < lim)
    return static_cast<double>(a) / static_cast<double>(b);
  return static_cast<double>(static_cast<long double>(a) / static_cast<long double>(b));
}

value int_pow(std::int64_t base, std::int64_t exp) {
  if (exp < 0) {
    if (base == 0) zero("0.0 cannot be raised to a negative power");
    return value::from_float(std::pow(static_cast<double>(base), static_cast<double>(exp)));
  }
  std::int64_t result = 1, b = base;
  while (exp > 0) {
    if (exp & 1)
      if (__builtin_mul_overflow(result, b, &result)) overflow();
    exp >>= 1;
    if (exp && __builtin_mul_overflow(b, b, &b)) overflow();
  }
  return value::from_int(result);
}

value float_pow(double a, double b) {
  if (a == 0 && b < 0) zero("0.0 cannot be raised to a negative power");
  if (a < 0 && b != std::floor(b) && std::isfinite(b) && std::isfinite(a))
    raise(rt().e_value,
          "complex numbers are not supported by gradlab (a negative number to a fractional power)");
  const double r = std::pow(a, b);
  if (std::isinf(r) && std::isfinite(a) && std::isfinite(b))
    raise(rt().e_overflow, "(34, 'Numerical result out of range')");
  return value::from_float(r);
}

}  // namespace

value num_binary(const value& a, const value& b, binary_op op) {
  if (!is_num(a) || !is_num(b)) return value();
  if (!a.is_float() && !b.is_float()) {
    const std::int64_t x = ival(a), y = ival(b);
    std::int64_t r = 0;
    switch (op) {
      case binary_op::add:
        if (__builtin_add_overflow(x, y, &r)) overflow();
        return value::from_int(r);
      case binary_op::sub:
        if (__builtin_sub_overflow(x, y, &r)) overflow();
        return value::from_int(r);
      case binary_op::mul:
        if (__builtin_mul_overflow(x, y, &r)) overflow();
        return value::from_int(r);
      case binary_op::truediv:
        return value::from_float(true_div_ints(x, y));
      case binary_op::floordiv:
        return value::from_int(floordiv(x, y));
      case binary_op::mod:
        return value::from_int(mod(x, y));
      case binary_op::pow:
        return int_pow(x, y);
      case binary_op::and_:
        return a.is_bool() && b.is_bool() ? value::from_bool(x & y) : value::from_int(x & y);
      case binary_op::or_:
        return a.is_bool() && b.is_bool() ? value::from_bool(x | y) : value::from_int(x | y);
      case binary_op::xor_:
        return a.is_bool() && b.is_bool() ? value::from_bool(x ^ y) : value::from_int(x ^ y);
      case binary_op::lshift:
        if (y < 0) raise(rt().e_value, "negative shift count");
        if (x == 0) return value::from_int(0);
        if (y >= 63 || (x > 0 ? x > (INT64_MAX >> y) : x < (INT64_MIN >> y))) overflow();
        return value::from_int(static_cast<std::int64_t>(static_cast<std::uint64_t>(x) << y));
      case binary_op::rshift:
        if (y < 0) raise(rt().e_value, "negative shift count");
        return value::from_int(y >= 64 ? (x < 0 ? -1 : 0) : x >> y);
      case binary_op::matmul:
        return value();
    }
    return value();
  }
  const double x = a.is_float() ? a.as_float() : static_cast<double>(ival(a));
  const double y = b.is_float() ? b.as_float() : static_cast<double>(ival(b));
  switch (op) {
    case binary_op::add:
      return value::from_float(x + y);
    case binary_op::sub:
      return value::from_float(x - y);
    case binary_op::mul:
      return value::from_float(x * y);
    case binary_op::truediv:
      if (y == 0) zero("float division by zero");
      return value::from_float(x / y);
    case binary_op::floordiv: {
      if (y == 0) zero("float floor division by zero");
      double q, m;
      float_divmod(x, y, q, m);
      return value::from_float(q);
    }
    case binary_op::mod: {
      if (y == 0) zero("float modulo");
      double q, m;
      float_divmod(x, y, q, m);
      return value::from_float(m);
    }
    case binary_op::pow:
      return float_pow(x, y);
    default:
      return value();
  }
}

/// divmod() on numbers.
value num_divmod(const value& a, const value& b) {
  if (!a.is_float() && !b.is_float()) {
    const std::int64_t x = ival(a), y = ival(b);
    return make_tuple({value::from_int(floordiv(x, y)),
                       value::from_int(mod(x, y, "integer division or modulo by zero"))});
  }
  const double x = to_double(a), y = to_double(b);
  if (y == 0) zero("float divmod()");
  double q, m;
  float_divmod(x, y, q, m);
  return make_tuple({value::from_float(q), value::from_float(m)});
}

/// Exact comparison of an int with a float: -1, 0, 1, or 2 when unordered (NaN).
int compare_int_float(std::int64_t i, double d) {
  if (std::isnan(d)) return 2;
  if (d >= 9223372036854775808.0) return -1;
  if (d < -9223372036854775808.0) return 1;
  const double t = std::trunc(d);
  const auto ti = static_cast<std::int64_t>(t);
  if (i != ti) return i < ti ? -1 : 1;
  if (d == t) return 0;
  return d > t ? -1 : 1;
}

/// Numeric comparison; null when either is not a number.
value num_compare(const value& a, const value& b, compare_op op) {
  if (!is_num(a) || !is_num(b)) return value();
  int c;
  if (!a.is_float() && !b.is_float()) {
    const std::int64_t x = ival(a), y = ival(b);
    c = x < y ? -1 : x > y ? 1 : 0;
  } else if (a.is_float() && b.is_float()) {
    const double x = a.as_float(), y = b.as_float();
    c = (std::isnan(x) || std::isnan(y)) ? 2 : x < y ? -1 : x > y ? 1 : 0;
  } else if (a.is_float()) {
    c = compare_int_float(ival(b), a.as_float());
    if (c != 2) c = -c;
  } else {
    c = compare_int_float(ival(a), b.as_float());
  }
  bool r = false;
  switch (op) {
    case compare_op::lt:
      r = c == -1;
      break;
    case compare_op::le:
      r = c == -1 || c == 0;
      break;
    case compare_op::eq:
      r = c == 0;
      break;
    case compare_op::ne:
      r = c != 0;
      break;
    case compare_op::gt:
      r = c == 1;
      break;
    case compare_op::ge:
      r = c == 1 || c == 0;
      break;
    default:
      return value();
  }
  return value::from_bool(r);
}

// ------------------------------------------------------------------ hashing

constexpr std::uint64_t kModulus = (1ULL << 61) - 1;

std::int64_t hash_int(std::int64_t i) {
  const bool neg = i < 0;
  std::uint64_t u = neg ? 0 - static_cast<std::uint64_t>(i) : static_cast<std::uint64_t>(i);
  u %= kModulus;
  std::int64_t h = neg ? -static_cast<std::int64_t>(u) : static_cast<std::int64_t>(u);
  return h == -1 ? -2 : h;
}

// CPython's _Py_HashDouble: the value of the float modulo 2**61 - 1.
std::int64_t hash_float(double v) {
  if (!std::isfinite(v)) return std::isinf(v) ? (v > 0 ? 314159 : -314159) : 0;
  int e;
  double m = std::frexp(v, &e);
  int sign = 1;
  if (m < 0) {
    sign = -1;
    m = -m;
  }
  std::uint64_t x = 0;
  while (m) {
    x = ((x << 28) & kModulus) | x >> (61 - 28);
    m *= 268435456.0;
    e -= 28;
    const auto y = static_cast<std::uint64_t>(m);
    m -= static_cast<double>(y);
    x += y;
    if (x >= kModulus) x -= kModulus;
  }
  e = e >= 0 ? e % 61 : 61 - 1 - ((-1 - e) % 61);
  x = ((x << e) & kModulus) | x >> (61 - e);
  std::int64_t h = static_cast<std::int64_t>(x) * sign;
  return h == -1 ? -2 : h;
}

// ------------------------------------------------------------------ text

std::string int_repr(std::int64_t i) { return std::to_string(i); }
std::string float_repr(double d) { return py_repr(d); }

value parse_int(const std::string& text, int base, bool& ok) {
  ok = false;
  std::size_t i = 0, n = text.size();
  while (i < n && std::strchr(" \t\n\r\f\v", text[i])) ++i;
  while (n > i && std::strchr(" \t\n\r\f\v", text[n - 1])) --n;
  bool neg = false;
  if (i < n && (text[i] == '+' || text[i] == '-')) neg = text[i++] == '-';
  if (base == 0 || base == 16 || base == 8 || base == 2) {
    if (i + 1 < n && text[i] == '0') {
      const char p = static_cast<char>(text[i + 1] | 32);
      const int b = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 0;
      if (b && (base == 0 || base == b)) {
        base = b;
        i += 2;
        if (i < n && text[i] == '_') ++i;
      }
    }
    if (base == 0) {
      base = 10;
      // base 0 refuses leading zeros ("010")
      if (i + 1 < n && text[i] == '0') {
        for (std::size_t k = i; k < n; ++k)
          if (text[k] != '0' && text[k] != '_') return value();
      }
    }
  }
  if (i >= n) return value();
  std::uint64_t v = 0;
  bool big = false, prev_digit = false;
  for (; i < n; ++i) {
    const char c = text[i];
    if (c == '_') {
      if (!prev_digit || i + 1 >= n) return value();
      prev_digit = false;
      continue;
    }
    int d;
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if (c >= 'a' && c <= 'z')
      d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'Z')
      d = c - 'A' + 10;
    else
      return value();
    if (d >= base) return value();
    prev_digit = true;
    if (v > (UINT64_MAX - static_cast<std::uint64_t>(d)) / static_cast<std::uint64_t>(base))
      big = true;
    v = v * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(d);
  }
  ok = true;
  if (big || v > static_cast<std::uint64_t>(INT64_MAX) + (neg ? 1 : 0)) overflow();
  return value::from_int(neg ? static_cast<std::int64_t>(0 - v) : static_cast<std::int64_t>(v));
}

bool parse_float(const std::string& text, double& out) {
  std::size_t i = 0, n = text.size();
  while (i < n && std::strchr(" \t\n\r\f\v", text[i])) ++i;
  while (n > i && std::strchr(" \t\n\r\f\v", text[n - 1])) --n;
  std::string t = text.substr(i, n - i);
  std::string lower;
  for (char c : t) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  std::string body = lower;
  bool neg = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    neg = body[0] == '-';
    body = body.substr(1);
  }
  if (body == "inf" || body == "infinity") {
    out = neg ? -HUGE_VAL : HUGE_VAL;
    return true;
  }
  if (body == "nan") {
    out = neg ? -NAN : NAN;
    return true;
  }
  // digits, one '.', an exponent; underscores only between digits
  std::string clean;
  bool digit_seen = false;
  for (std::size_t k = 0; k < t.size(); ++k) {
    const char c = t[k];
    if (c == '_') {
      if (k == 0 || k + 1 >= t.size() || !std::isdigit(static_cast<unsigned char>(t[k - 1])) ||
          !std::isdigit(static_cast<unsigned char>(t[k + 1])))
        return false;
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(c)))
      digit_seen = true;
    else if (!std::strchr("+-.eE", c))
      return false;
    clean += c;
  }
  if (!digit_seen) return false;
  char* end = nullptr;
  out = std::strtod(clean.c_str(), &end);
  return end && *end == '\0';
}

}  // namespace gradlab::py
