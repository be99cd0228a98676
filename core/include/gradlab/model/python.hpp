#pragma once
/// \file python.hpp
/// Writes model-language expressions back as PyTorch Python (functions spelled as the
/// function table says: torch.tanh, F.mse_loss, ...). Used by the session's export.
#include <string>

#include "gradlab/model/ast.hpp"

namespace gradlab::model {

/// The expression as Python, parenthesised by Python's precedence.
std::string python_expr(const program& p, int e);

}  // namespace gradlab::model
