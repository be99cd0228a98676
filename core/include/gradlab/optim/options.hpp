#pragma once
/// \file options.hpp
/// Optimizer hyper-parameters as PyTorch keeps them: a dictionary per param group, with
/// defaults declared by each algorithm. Values are None, bool, number, string or a tuple.
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace gradlab::optim {

using option_value = std::variant<std::monostate, bool, double, std::string, std::vector<double>>;

/// Python-style repr of an option value (None, True, 0.1, 'strong_wolfe', (0.9, 0.999)).
std::string option_repr(const option_value& v);

class options {
 public:
  options() = default;
  options(std::initializer_list<std::pair<const std::string, option_value>> init) : values_(init) {}

  bool has(const std::string& k) const { return values_.count(k) != 0; }
  bool is_none(const std::string& k) const;
  double num(const std::string& k) const;
  bool flag(const std::string& k) const;
  const std::string& str(const std::string& k) const;
  const std::vector<double>& vec(const std::string& k) const;
  const option_value& get(const std::string& k) const;
  options& set(const std::string& k, option_value v) {
    values_[k] = std::move(v);
    return *this;
  }
  const std::map<std::string, option_value>& values() const { return values_; }

 private:
  std::map<std::string, option_value> values_;
};

/// One option an algorithm accepts, with PyTorch's default. A required argument (an lr
/// scheduler's step_size, T_max, ...) has no default: required is true.
struct option_spec {
  std::string name;
  option_value default_value;
  bool required = false;
};

}  // namespace gradlab::optim
