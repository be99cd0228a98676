#pragma once
/// \file options.hpp
/// Optimizer hyper-parameters as PyTorch keeps them: a dictionary per param group, with
/// defaults declared by each algorithm. Values are None, bool, number, string or a tuple.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace gradlab::optim {

using option_value = std::variant<std::monostate, bool, double, std::string, std::vector<double>>;
/// Lexicographic order (std::string's), compared inline and looked up by string_view:
/// optimizers read their options every step, and building a std::string and calling memcmp
/// per lookup was a visible part of a small model's epoch.
struct option_key_less {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const noexcept {
    const std::size_t n = a.size() < b.size() ? a.size() : b.size();
    for (std::size_t i = 0; i < n; ++i)
      if (a[i] != b[i]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[i]);
    return a.size() < b.size();
  }
};
using option_map = std::map<std::string, option_value, option_key_less>;

/// Python-style repr of an option value (None, True, 0.1, 'strong_wolfe', (0.9, 0.999)).
std::string option_repr(const option_value& v);

/// A fresh number from one global counter, for options::stamp().
std::uint64_t next_option_stamp();

class options {
 public:
  options() = default;
  options(std::initializer_list<std::pair<const std::string, option_value>> init)
      : values_(init), stamp_(next_option_stamp()) {}

  bool has(std::string_view k) const { return values_.find(k) != values_.end(); }
  bool is_none(std::string_view k) const;
  double num(std::string_view k) const;
  bool flag(std::string_view k) const;
  const std::string& str(std::string_view k) const;
  const std::vector<double>& vec(std::string_view k) const;
  const option_value& get(std::string_view k) const;
  options& set(const std::string& k, option_value v) {
    values_[k] = std::move(v);
    stamp_ = next_option_stamp();
    return *this;
  }
  const option_map& values() const { return values_; }
  /// Changes whenever the values do. Stamps come from one global counter, so two
  /// dictionaries with the same stamp hold the same values (one was copied from the other):
  /// what an optimizer decoded from a group's options is current while the stamp matches.
  std::uint64_t stamp() const { return stamp_; }

 private:
  option_map values_;
  std::uint64_t stamp_ = 0;  // every empty dictionary is alike
};

/// A check of one option's value, as data: PyTorch's condition and the text of the error it
/// raises. Made by the functions in namespace `checks` (core/src/optim/declare.hpp).
struct option_check {
  /// Throws when the option `name` of `all` fails the check; null: the option is unchecked.
  void (*test)(const option_check& self, const options& all, const std::string& name) = nullptr;
  const char* text = "";  ///< the message, before the offending value
  double lo = 0, hi = 0;  ///< the bounds the test compares with
};

/// One option an algorithm accepts, with PyTorch's default. A required argument (an lr
/// scheduler's step_size, T_max, ...) has no default: required is true. An optimizer's
/// options also carry their check and its place among PyTorch's constructor checks.
struct option_spec {
  std::string name;
  option_value default_value;
  bool required = false;
  option_check check = {};
  int check_order = 0;  ///< 1 is checked first; PyTorch's order, not the signature's
};

/// Python's error for unpacking a tuple of `got` values into `expected` names.
void check_unpack(std::size_t expected, std::size_t got);
/// Validates `o` against `specs`: first every tuple option's length (Python's unpacking
/// error), then the checks in check_order (PyTorch's ValueErrors, word for word). A group's
/// own options (`group`): a tuple of the wrong length is accepted, unchecked, and left to
/// step(), which raises when it unpacks it, as PyTorch checks only the constructor's arguments.
void run_checks(const std::vector<option_spec>& specs, const options& o, bool group = false);

/// PyTorch's TypeError for a keyword that `owner` (e.g. "SGD", "StepLR") does not take.
void check_known_options(const std::string& owner, const std::vector<option_spec>& specs,
                         const options& given);

}  // namespace gradlab::optim
