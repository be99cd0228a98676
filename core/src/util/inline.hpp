#pragma once
// Forced inlining for the elementwise kernels: a loop vectorises only if everything it calls
// is inlined into it, and GCC keeps large helpers (exp, log, tanh) and the lambdas that call
// them out of line by its own size heuristics.
#if defined(__GNUC__) || defined(__clang__)
#define GRADLAB_INLINE inline __attribute__((always_inline))
#define GRADLAB_INLINE_LAMBDA __attribute__((always_inline))
#else
#define GRADLAB_INLINE inline
#define GRADLAB_INLINE_LAMBDA
#endif
