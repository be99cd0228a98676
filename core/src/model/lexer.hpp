#pragma once
// Private: the model language's tokens and tokenizer.
#include <string>
#include <vector>

#include "gradlab/model/ast.hpp"

namespace gradlab::model {

enum class tok { name, number, op, newline, end };

struct token {
  tok kind = tok::end;
  std::string text;
  double number = 0;
  span where;
};

/// Splits text into tokens. Newlines inside brackets are dropped (Python's implicit line
/// joining); ';' becomes a newline token. Throws model_error on a bad character.
std::vector<token> tokenize(const std::string& text);

}  // namespace gradlab::model
