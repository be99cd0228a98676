// Native stack headroom (see stack.hpp).
#include "python/stack.hpp"

#include "gradlab/python/parser.hpp"

#ifdef __EMSCRIPTEN__
#include <emscripten/stack.h>
#endif

namespace gradlab::py {

namespace {
thread_local const char* g_stack_base = nullptr;
}

stack_base_scope::stack_base_scope() : saved(g_stack_base) {
  const char here = 0;
  if (!g_stack_base) g_stack_base = &here;
}

stack_base_scope::~stack_base_scope() { g_stack_base = saved; }

bool stack_low() {
#ifdef __EMSCRIPTEN__
  const auto total = emscripten_stack_get_base() - emscripten_stack_get_end();
  const auto reserve = total / 8 < 16384 ? 16384 : total / 8;
  return emscripten_stack_get_free() < reserve;
#else
  const char here = 0;
  return g_stack_base && static_cast<unsigned long>(g_stack_base - &here) > kNativeStackBudget;
#endif
}

void check_stack_compiling() {
  if (!stack_low()) return;
  syntax_error e;
  e.type = "RecursionError";
  e.message = "maximum recursion depth exceeded during compilation";
  e.fatal = true;
  throw e;
}

}  // namespace gradlab::py
