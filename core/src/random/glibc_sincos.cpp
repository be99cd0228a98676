// glibc's sin and cos (IBM Accurate Mathematical Library, s_sin.c) as its x86-64 FMA build
// computes them. Each std::fma below stands where GCC fuses a product into a sum in that build
// (found from GCC's GIMPLE for the same expressions, and checked against glibc's results);
// every other operation rounds on its own (the project builds with -ffp-contract=off).
#include <cmath>
#include <cstdint>
#include <cstring>

#include "random/glibc_math.hpp"

namespace gradlab::random::detail {

namespace {

// Coefficients: s1..s5 approximate sin on |x| < 0.126; sn3, sn5, cs2..cs6 the sin and cos of
// the small remainder around a table point; hp0 + hp1 = pi/2; mp1 + mp2 + pp3 + pp4 = pi/2
// split so that xn * mp1 and xn * mp2 are exact; hpinv = 2/pi. big = 1.5 * 2^45 rounds a
// number to a multiple of 1/128 and leaves that multiple in its low word; toint = 1.5 * 2^52
// rounds to an integer the same way.
constexpr double s1 = -0x1.5555555555555p-3, s2 = 0x1.1111111110ecep-7, s3 = -0x1.a01a019db08b8p-13,
                 s4 = 0x1.71de27b9a7ed9p-19, s5 = -0x1.addffc2fcdf59p-26;
constexpr double sn3 = -1.66666666666664880952546298448555e-01,
                 sn5 = 8.33333214285722277379541354343671e-03,
                 cs2 = 4.99999999999999999999950396842453e-01,
                 cs4 = -4.16666666666664434524222570944589e-02,
                 cs6 = 1.38888874007937613028114285595617e-03;
constexpr double big = 0x1.8p45, hp0 = 0x1.921fb54442d18p0, hp1 = 0x1.1a62633145c07p-54,
                 mp1 = 0x1.921fb58p0, mp2 = -0x1.dde973cp-27, pp3 = -0x1.cb3b398p-55,
                 pp4 = -0x1.d747f23e32ed7p-83, hpinv = 0x1.45f306dc9c883p-1, toint = 0x1.8p52;

std::uint64_t bits(double d) {
  std::uint64_t u;
  std::memcpy(&u, &d, sizeof u);
  return u;
}

// ---- sin(k/128) and cos(k/128), k = 0..109, each as a double-double (hi + lo) ----
// glibc keeps these in a table; here they are computed once, exactly: a Taylor series in
// 256-bit fixed point (limb 0 the integer part, 7 limbs of 32 fractional bits), then hi =
// round(v) and lo = round(v - hi). glibc's table has the same hi words; 18 of its 220 lo words
// differ from the correctly rounded ones in their last bits, a change of under 2^-100 relative
// that moves no result we have measured (tests/cpp/random_test.cpp sweeps against glibc).
struct fixed {
  static constexpr int limbs = 8;
  std::uint32_t l[limbs] = {};

  void mul(std::uint32_t m) {
    std::uint64_t carry = 0;
    for (int i = limbs - 1; i >= 0; --i) {
      const std::uint64_t p = std::uint64_t{l[i]} * m + carry;
      l[i] = static_cast<std::uint32_t>(p);
      carry = p >> 32;
    }
  }
  void div(std::uint32_t d) {
    std::uint64_t r = 0;
    for (int i = 0; i < limbs; ++i) {
      const std::uint64_t cur = (r << 32) | l[i];
      l[i] = static_cast<std::uint32_t>(cur / d);
      r = cur % d;
    }
  }
  void add(const fixed& o) {
    std::uint64_t carry = 0;
    for (int i = limbs - 1; i >= 0; --i) {
      const std::uint64_t s = std::uint64_t{l[i]} + o.l[i] + carry;
      l[i] = static_cast<std::uint32_t>(s);
      carry = s >> 32;
    }
  }
  void sub(const fixed& o) {  // requires *this >= o
    std::int64_t borrow = 0;
    for (int i = limbs - 1; i >= 0; --i) {
      std::int64_t d = std::int64_t{l[i]} - o.l[i] - borrow;
      borrow = d < 0;
      l[i] = static_cast<std::uint32_t>(d + (borrow << 32));
    }
  }
  bool less(const fixed& o) const {
    for (int i = 0; i < limbs; ++i)
      if (l[i] != o.l[i]) return l[i] < o.l[i];
    return false;
  }
  bool zero() const {
    for (auto v : l)
      if (v) return false;
    return true;
  }
  int bit(int pos) const {  // pos 0 = the lowest bit of the integer limb; pos p > 0 weighs 2^-p
    if (pos >= limbs * 32 - 31) return 0;
    const int from_top = pos + 31;  // bit index counted from the top of l[0]
    return (l[from_top / 32] >> (31 - from_top % 32)) & 1;
  }
  /// Round to nearest (ties to even) double; the value must be below 2.
  double to_double() const {
    int top = 0;  // weight 2^-top of the leading one bit
    while (top < limbs * 32 - 31 && !bit(top)) ++top;
    if (top >= limbs * 32 - 31) return 0.0;
    std::uint64_t m = 0;
    for (int i = 0; i < 53; ++i) m = (m << 1) | static_cast<std::uint64_t>(bit(top + i));
    const int round = bit(top + 53);
    bool sticky = false;
    for (int p = top + 54; p < limbs * 32 - 31 && !sticky; ++p) sticky = bit(p);
    if (round && (sticky || (m & 1))) ++m;
    return std::ldexp(static_cast<double>(m), -top - 52);
  }
  /// The exact fixed-point value of a double in [0, 2) whose last bit weighs 2^-224 or more.
  static fixed of(double d) {
    fixed f;
    int e = 0;
    const double frac = std::frexp(d, &e);  // d = frac 2^e, frac in [0.5, 1)
    const auto m = static_cast<std::uint64_t>(std::ldexp(frac, 53));
    for (int i = 0; i < 53; ++i) {
      if (!((m >> i) & 1)) continue;
      const int pos = 53 - e - i;  // this bit weighs 2^(e - 53 + i) = 2^-pos
      const int from_top = pos + 31;
      f.l[from_top / 32] |= 1u << (31 - from_top % 32);
    }
    return f;
  }
};

/// hi + lo = v with hi = round(v), lo = round(v - hi).
void split(const fixed& v, double& hi, double& lo) {
  hi = v.to_double();
  const fixed h = fixed::of(hi);
  fixed d = v;
  if (d.less(h)) {
    d = h;
    d.sub(v);
    lo = -d.to_double();
  } else {
    d.sub(h);
    lo = d.to_double();
  }
}

/// sum over n >= first, step 2, of (-1)^((n - first)/2) x^n / n! with x = k/128
fixed taylor(std::uint32_t k, int first) {
  fixed term, plus, minus;
  term.l[0] = 1;
  for (int n = 1; n <= first; ++n) {  // x^first / first!
    term.mul(k);
    term.div(128);
    term.div(static_cast<std::uint32_t>(n));
  }
  bool negative = false;
  for (int n = first; !term.zero(); n += 2, negative = !negative) {
    (negative ? minus : plus).add(term);
    term.mul(k * k);
    term.div(128 * 128);
    term.div(static_cast<std::uint32_t>((n + 1) * (n + 2)));
  }
  plus.sub(minus);
  return plus;
}

struct sincos_table {
  double v[110][4];  // sin hi, sin lo, cos hi, cos lo
  sincos_table() {
    for (std::uint32_t k = 0; k < 110; ++k) {
      split(taylor(k, 1), v[k][0], v[k][1]);
      split(taylor(k, 0), v[k][2], v[k][3]);
    }
  }
};

const double* table_row(double u) {
  static const sincos_table t;
  // u = big + |x|: its low word is |x| * 128 rounded to an integer
  return t.v[static_cast<std::uint32_t>(bits(u))];
}

/// sin(x + dx) for |x| < 0.855469, dx a small correction (0 for an exact argument).
double do_sin(double x, double dx) {
  if (std::fabs(x) < 0.126) {
    // x + x^3 P(x^2) + (1 - x^2) dx / 2, glibc's TAYLOR_SIN
    const double xx = x * x;
    double p = std::fma(xx, s5, s4);
    p = std::fma(xx, p, s3);
    p = std::fma(xx, p, s2);
    p = std::fma(xx, p, s1);
    const double t = std::fma(xx, std::fma(p, x, -(dx * 0.5)), dx);
    return x + t;
  }
  const double xold = x;
  if (x <= 0) dx = -dx;
  const double u = big + std::fabs(x);
  x = std::fabs(x) - (u - big);  // the remainder from the nearest k/128
  const double xx = x * x;
  const double s = x + std::fma(x * xx, std::fma(xx, sn5, sn3), dx);
  const double c = std::fma(x, dx, xx * std::fma(xx, std::fma(xx, cs6, cs4), cs2));
  const double* r = table_row(u);  // sin, cos of k/128 as double-doubles
  const double cor = std::fma(s, r[2], std::fma(-c, r[0], std::fma(s, r[3], r[1])));
  return std::copysign(r[0] + cor, xold);
}

/// cos(x + dx) for |x| < 0.855469.
double do_cos(double x, double dx) {
  if (x < 0) dx = -dx;
  const double u = big + std::fabs(x);
  x = std::fabs(x) - (u - big) + dx;
  const double xx = x * x;
  const double s = std::fma(x * xx, std::fma(xx, sn5, sn3), x);
  const double c = xx * std::fma(xx, std::fma(xx, cs6, cs4), cs2);
  const double* r = table_row(u);
  const double cor = std::fma(-s, r[0], std::fma(-c, r[2], std::fma(-s, r[1], r[3])));
  return r[2] + cor;
}

/// x = n pi/2 + (a + da) with |a| <= pi/4; returns n mod 4.
int reduce(double x, double& a, double& da) {
  const double t = std::fma(x, hpinv, toint);
  const double xn = t - toint;
  const double y = std::fma(-xn, mp2, std::fma(-xn, mp1, x));
  const double t2 = std::fma(-xn, pp3, y);
  double db = std::fma(-xn, pp3, y - t2);
  const double b = std::fma(-xn, pp4, t2);
  db = db + std::fma(-xn, pp4, t2 - b);
  a = b;
  da = db;
  return static_cast<int>(bits(t) & 3);
}

double do_sincos(double a, double da, int n) {
  const double r = (n & 1) ? do_cos(a, da) : do_sin(a, da);
  return (n & 2) ? -r : r;
}

std::uint32_t high_word(double x) {
  return static_cast<std::uint32_t>(bits(x) >> 32) & 0x7fffffffu;
}

}  // namespace

double glibc_sin(double x) {
  const std::uint32_t k = high_word(x);
  if (k < 0x3e500000u) return x;  // |x| < 2^-26
  if (k < 0x3feb6000u) return do_sin(x, 0);
  if (k < 0x400368fdu) return std::copysign(do_cos(hp0 - std::fabs(x), hp1), x);
  if (k < 0x419921fbu) {
    double a, da;
    const int n = reduce(x, a, da);
    return do_sincos(a, da, n);
  }
  return std::sin(x);
}

double glibc_cos(double x) {
  const std::uint32_t k = high_word(x);
  if (k < 0x3e400000u) return 1.0;  // |x| < 2^-27
  if (k < 0x3feb6000u) return do_cos(x, 0);
  if (k < 0x400368fdu) {
    const double y = hp0 - std::fabs(x);
    const double a = y + hp1;
    const double da = (y - a) + hp1;
    return do_sin(a, da);
  }
  if (k < 0x419921fbu) {
    double a, da;
    const int n = reduce(x, a, da);
    return do_sincos(a, da, n + 1);
  }
  return std::cos(x);
}

}  // namespace gradlab::random::detail
