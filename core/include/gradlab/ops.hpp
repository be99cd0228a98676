#pragma once
/// \file ops.hpp
/// The public, differentiable op set. Ops are the only way to make non-leaf tensors.
#include "gradlab/ops/activation.hpp"
#include "gradlab/ops/arith.hpp"
#include "gradlab/ops/elementwise.hpp"
#include "gradlab/ops/embedding.hpp"
#include "gradlab/ops/index.hpp"
#include "gradlab/ops/linalg.hpp"
#include "gradlab/ops/loss.hpp"
#include "gradlab/ops/reduce.hpp"
#include "gradlab/ops/shape.hpp"
#include "gradlab/ops/unary.hpp"
