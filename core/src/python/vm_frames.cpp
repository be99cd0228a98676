// Frames: the value stack in chunks (so frames never move), pushing a Python function's
// frame with its arguments bound (cells and free variables set up), and popping frames.
#include "python/vm.hpp"

namespace gradlab::py {

namespace {

constexpr std::size_t kChunk = 4096;  // values per chunk of the value stack

value* alloc_slots(runtime& r, std::size_t need, std::uint32_t& chunk) {
  if (r.chunks.empty()) r.chunks.emplace_back(kChunk > need ? kChunk : need);
  if (r.chunk_top + need > r.chunks[r.chunk].size()) {
    ++r.chunk;
    if (r.chunk == r.chunks.size())
      r.chunks.emplace_back(kChunk > need ? kChunk : need);
    else if (r.chunks[r.chunk].size() < need)
      r.chunks[r.chunk] = std::vector<value>(need);
    r.chunk_top = 0;
  }
  chunk = r.chunk;
  value* p = r.chunks[r.chunk].data() + r.chunk_top;
  r.chunk_top += need;
  return p;
}

frame& new_frame(runtime& r, code_object* code, std::uint8_t cont, std::uint8_t cost) {
  if (r.depth + cost > kRecursionLimit) raise(r.e_recursion, "maximum recursion depth exceeded");
  if (r.frames.size() + 1 > r.frames.capacity()) r.frames.reserve(r.frames.capacity() * 2 + 64);
  std::uint32_t chunk;
  value* p = alloc_slots(r, code->nslots() + static_cast<std::size_t>(code->stacksize) + 1, chunk);
  r.frames.emplace_back();
  frame& f = r.frames.back();
  f.code = code;
  f.locals = p;
  f.sp = p + code->nslots();
  f.cont = cont;
  f.cost = cost;
  f.chunk = chunk;
  r.depth += cost;
  return f;
}

}  // namespace

binder_spec function_spec(function_object* fn) {
  code_object* c = fn->code.get();
  binder_spec s;
  s.qualname = str_of(fn->qualname);
  s.names = c->varnames.data();
  s.npos = c->argcount;
  s.posonly = c->posonly;
  s.nkwonly = c->kwonly;
  s.varargs = c->varargs ? c->argcount + c->kwonly : -1;
  s.varkw = c->varkw ? c->argcount + c->kwonly + (c->varargs ? 1 : 0) : -1;
  s.pos_defaults = fn->defaults.data();
  s.ndefaults = fn->defaults.size();
  s.kwdefaults =
      fn->kwdefaults.is_null() ? nullptr : static_cast<dict_object*>(fn->kwdefaults.as_object());
  return s;
}

void pop_frame() {
  runtime& r = rt();
  frame& f = r.frames.back();
  for (value* p = f.locals; p < f.sp; ++p) *p = value();
  r.depth -= f.cost;
  r.chunk = f.chunk;
  r.chunk_top = static_cast<std::size_t>(f.locals - r.chunks[f.chunk].data());
  r.frames.pop_back();
}

void push_function_frame(const value& func, value* args, std::size_t n, const value& kwnames,
                         std::uint8_t cont) {
  runtime& r = rt();
  auto* fn = static_cast<function_object*>(func.as_object());
  code_object* c = fn->code.get();
  frame& f = new_frame(r, c, cont, 1);
  f.func = func;
  f.module = fn->module.get();
  value* locals = f.locals;
  const bool simple = kwnames.is_null() && !c->varargs && !c->varkw && c->kwonly == 0 &&
                      n == static_cast<std::size_t>(c->argcount);
  if (simple) {
    for (std::size_t i = 0; i < n; ++i) locals[i] = args[i];
  } else {
    try {
      bind_args(function_spec(fn), args, n, kwnames, locals);
    } catch (...) {
      pop_frame();
      throw;
    }
  }
  const std::size_t nl = c->nlocals();
  for (std::size_t i = 0; i < c->cellvars.size(); ++i) {
    auto* cell = new cell_object();
    const std::int32_t a = c->cell_args[i];
    if (a >= 0) cell->v = std::move(locals[a]);
    locals[nl + i] = value::steal(cell);
  }
  for (std::size_t i = 0; i < c->freevars.size(); ++i)
    locals[nl + c->cellvars.size() + i] = fn->closure[i];
}

void push_module_frame(ref<code_object> code, module_object* m, std::uint8_t cont) {
  runtime& r = rt();
  frame& f = new_frame(r, code.get(), cont, 1);
  f.func = value(code);  // keeps the code alive
  f.module = m;
}

}  // namespace gradlab::py
