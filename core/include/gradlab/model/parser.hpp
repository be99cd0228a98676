#pragma once
/// \file parser.hpp
/// The model language's parser: a Python-expression subset, newline- or ';'-separated
/// statements, `param` declarations. Never crashes or recurses without bound: nesting is
/// limited and every failure is a model_error with a position.
#include <string>

#include "gradlab/model/ast.hpp"
#include "gradlab/model/diagnostic.hpp"

namespace gradlab::model {

/// Parses text; throws model_error (type SyntaxError) on the first error.
program parse(const std::string& text);

}  // namespace gradlab::model
