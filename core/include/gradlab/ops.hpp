#pragma once
/// \file ops.hpp
/// The public, differentiable op set. Ops are the only way to make non-leaf tensors.
#include "gradlab/ops/arith.hpp"
#include "gradlab/ops/index.hpp"
#include "gradlab/ops/reduce.hpp"
