#include "gradlab/optim/options.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>

#include "gradlab/error.hpp"

namespace gradlab::optim {

namespace {
[[noreturn]] void wrong_type(std::string_view k, const char* want) {
  type_error("option '" + std::string(k) + "' must be " + want);
}
}  // namespace

std::string option_repr(const option_value& v) {
  struct {
    std::string operator()(std::monostate) const { return "None"; }
    std::string operator()(bool b) const { return b ? "True" : "False"; }
    std::string operator()(double d) const {
      // integral options (max_iter, history_size) print as Python ints
      // (the magnitude test first: converting 1e300 to long long is undefined behaviour)
      if (std::fabs(d) < 1e15 && d == static_cast<double>(static_cast<long long>(d)))
        return std::to_string(static_cast<long long>(d));
      return py_repr(d);
    }
    std::string operator()(const std::string& s) const { return "'" + s + "'"; }
    std::string operator()(const std::vector<double>& xs) const {
      std::string out = "(";
      for (std::size_t i = 0; i < xs.size(); ++i) out += (i ? ", " : "") + (*this)(xs[i]);
      return out + (xs.size() == 1 ? ",)" : ")");
    }
  } visitor;
  return std::visit(visitor, v);
}

void check_known_options(const std::string& owner, const std::vector<option_spec>& specs,
                         const options& given) {
  for (const auto& entry : given.values()) {
    const std::string& k = entry.first;  // (clang 14 cannot capture structured bindings)
    const bool ok =
        std::any_of(specs.begin(), specs.end(), [&](const option_spec& s) { return s.name == k; });
    if (!ok) type_error(owner + ".__init__() got an unexpected keyword argument '" + k + "'");
  }
}

std::uint64_t next_option_stamp() {
  static std::atomic<std::uint64_t> last{0};  // 0 is the empty dictionary's
  return ++last;
}

void check_unpack(std::size_t expected, std::size_t got) {
  if (got < expected)
    value_error("not enough values to unpack (expected " + std::to_string(expected) + ", got " +
                std::to_string(got) + ")");
  if (got > expected)
    value_error("too many values to unpack (expected " + std::to_string(expected) + ")");
}

void run_checks(const std::vector<option_spec>& specs, const options& o, bool group) {
  // a tuple of the wrong length: Python's unpacking error (beta1, beta2 = betas) instead of
  // a read past its end
  auto unpacks = [&](const option_spec& spec) {
    const auto* want = std::get_if<std::vector<double>>(&spec.default_value);
    if (!want || !o.has(spec.name)) return true;
    if (!group) check_unpack(want->size(), o.vec(spec.name).size());
    return o.vec(spec.name).size() == want->size();
  };
  for (const auto& spec : specs) unpacks(spec);
  // a handful of checks: found by their order, one pass each (no sort)
  int last = 0;
  for (const auto& spec : specs) last = std::max(last, spec.check.test ? spec.check_order : 0);
  for (int k = 0; k <= last; ++k)
    for (const auto& spec : specs)
      if (spec.check.test && spec.check_order == k && unpacks(spec))
        spec.check.test(spec.check, o, spec.name);
}

const option_value& options::get(std::string_view k) const {
  auto it = values_.find(k);
  if (it == values_.end()) runtime_error("optimizer option '" + std::string(k) + "' is not set");
  return it->second;
}

bool options::is_none(std::string_view k) const {
  return std::holds_alternative<std::monostate>(get(k));
}

double options::num(std::string_view k) const {
  const auto& v = get(k);
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* b = std::get_if<bool>(&v)) return *b ? 1.0 : 0.0;
  wrong_type(k, "a number");
}

bool options::flag(std::string_view k) const {
  const auto& v = get(k);
  if (auto* b = std::get_if<bool>(&v)) return *b;
  if (auto* d = std::get_if<double>(&v)) return *d != 0;
  wrong_type(k, "True or False");
}

const std::string& options::str(std::string_view k) const {
  const auto& v = get(k);
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  wrong_type(k, "a string");
}

const std::vector<double>& options::vec(std::string_view k) const {
  const auto& v = get(k);
  if (auto* s = std::get_if<std::vector<double>>(&v)) return *s;
  wrong_type(k, "a tuple of numbers");
}

}  // namespace gradlab::optim
