#pragma once
/// \file diagnostic.hpp
/// What the model language reports when text cannot become a model: a position the editor
/// can underline and a message a learner can act on.
#include <string>
#include <vector>

#include "gradlab/error.hpp"

namespace gradlab::model {

/// 1-based line and column (in characters) of the offending span; end_col is exclusive and
/// on the same line as col.
struct diagnostic {
  int line = 0;
  int col = 0;
  int end_col = 0;
  std::string message;
  std::string type = "SyntaxError";  ///< SyntaxError, NameError, RuntimeError, ValueError, ...
  /// "2:5: NameError: name 't_uu' is not defined. Did you mean 't_u'?"
  std::string str() const;
};

/// A gradlab::error that carries where in the model text it happened.
class model_error : public gradlab::error {
 public:
  explicit model_error(diagnostic d) : gradlab::error(d.type, d.message), diag_(std::move(d)) {}
  const diagnostic& where() const { return diag_; }

 private:
  diagnostic diag_;
};

/// Levenshtein distance (small inputs: names).
std::size_t edit_distance(const std::string& a, const std::string& b);
/// The closest candidate close enough to be a likely misspelling of name, or "".
std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace gradlab::model
