#pragma once
/// \file torch.hpp
/// PyTorch on the Python interpreter: `import torch`, `torch.optim`, `torch.optim.lr_scheduler`
/// backed by gradlab's engine (core/src/python/torch).
#include "gradlab/python/interpreter.hpp"

namespace gradlab::py {

/// Makes `torch`, `torch.optim` (and their submodules) importable in ip. Also sets grad mode
/// on: a script stopped inside `with torch.no_grad():` must not leave the next one without it.
void install_torch(interpreter& ip);

}  // namespace gradlab::py
