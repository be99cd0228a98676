#pragma once
// Private: native stack headroom. The recursive walks that input can drive deep (the
// parser, the compiler, repr and comparisons of nested containers, nested VM runs) call
// stack_low() and give up with a RecursionError instead of overflowing the stack.
namespace gradlab::py {

/// Marks the stack position of the outermost entry into the interpreter on this thread
/// (natively, stack use is measured from there; WebAssembly asks Emscripten).
struct stack_base_scope {
  stack_base_scope();
  ~stack_base_scope();
  const char* saved;
};

/// True when less headroom is left than a deep step may need: natively, more than
/// kNativeStackBudget bytes are in use since the outermost stack_base_scope; in
/// WebAssembly, less than an eighth of the stack (at least 16 KiB) is free.
bool stack_low();

/// The parser's and compiler's way out: a RecursionError "during compilation" (thrown as a
/// syntax_error whose type is RecursionError, as the parser's own nesting limits do).
void check_stack_compiling();

constexpr unsigned long kNativeStackBudget = 2ul << 20;

}  // namespace gradlab::py
