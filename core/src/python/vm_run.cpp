// Running the loop: exception unwinding through the code objects' handler tables (adding
// traceback entries frame by frame), native -> Python re-entry, and the periodic checks
// (time slices, pause requests, the cancel flag, the step limit, the line hook).
#include <new>

#include "gradlab/error.hpp"
#include "python/vm.hpp"

namespace gradlab::py {

exec_status dispatch(std::size_t stop, value* result);

namespace {

constexpr std::uint64_t kCheckInterval = 1024;

/// Finds a handler for exc in the frames above `stop`, popping the frames that have none.
bool handle(runtime& r, py_exception& e, std::size_t stop) {
  value exc = e.exc;
  auto* eo = static_cast<exception_object*>(exc.as_object());
  bool add = !e.reraise;
  if (add && !r.handled.is_null() && !r.handled.is_none() && !r.handled.is(exc)) {
    // the exception being handled becomes its context (breaking any cycle, as CPython)
    value o = r.handled;
    while (o.is_object()) {
      auto* oe = static_cast<exception_object*>(o.as_object());
      if (oe->context.is(exc)) {
        oe->context = value();
        break;
      }
      o = oe->context;
    }
    eo->context = r.handled;
  }
  while (r.frames.size() > stop) {
    frame& f = r.frames.back();
    const std::uint32_t lasti = f.ip ? f.ip - 1 : 0;
    if (add) add_traceback(eo, f.code, lasti);
    add = true;
    if (!r.stopping) {
      for (const auto& h : f.code->handlers) {
        if (lasti < h.start || lasti >= h.end) continue;
        value* base = f.locals + f.code->nslots() + h.depth;
        while (f.sp > base) *--f.sp = value();
        *f.sp++ = exc;
        f.ip = h.target;
        return true;
      }
    }
    const std::uint8_t c = f.cont;
    const int aux = f.aux;
    value extra = f.extra;
    pop_frame();
    if (c == c_import && extra.is_object()) {  // a module that failed to import is forgotten
      r.modules.erase(make_str(static_cast<module_object*>(extra.as_object())->name));
    }
    if (c == c_for_iter && !r.stopping && exc.type()->is_subtype(r.e_stop) &&
        r.frames.size() > stop) {
      frame& caller = r.frames.back();
      *--caller.sp = value();
      caller.ip = static_cast<std::uint32_t>(aux);
      return true;
    }
    if (c == c_nested || c == c_module) break;
  }
  e.exc = exc;
  e.reraise = false;
  return false;
}

}  // namespace

void add_traceback(exception_object* e, code_object* code, std::uint32_t lasti) {
  incref(code);
  e->traceback.push_back({code, lasti});
}

value exception_from_current() {
  runtime& r = rt();
  try {
    throw;
  } catch (const py_exception& e) {
    return e.exc;
  } catch (const gradlab::error& e) {
    type_object* t = r.ip->exception_type(e.type());
    return make_exception(t ? t : r.e_runtime, e.what());
  } catch (const std::bad_alloc&) {
    return make_exception(r.e_memory, "");
  } catch (const syntax_error& e) {
    return make_exception(r.e_syntax, e.message);
  } catch (const std::exception& e) {
    return make_exception(r.e_runtime, std::string("internal error: ") + e.what());
  }
}

exec_status execute(std::size_t stop, value* result) {
  runtime& r = rt();
  for (;;) {
    py_exception pe;
    try {
      return dispatch(stop, result);
    } catch (const py_exception& e) {
      pe = e;
    } catch (const vm_stop&) {
      throw;
    } catch (...) {
      pe.exc = exception_from_current();
    }
    r.kwnames = value();
    if (!handle(r, pe, stop)) throw pe;
  }
}

void native_check() {
  runtime& r = rt();
  const std::uint64_t done = r.tick_base - r.tick;
  r.steps += done;
  r.slice_left -= done < r.slice_left ? done : r.slice_left;
  r.limit_left -= done < r.limit_left ? done : r.limit_left;
  if (r.cancel_flag && *r.cancel_flag) {
    r.stopping = true;
    raise(r.e_keyboard, "");
  }
  if (r.limit_left == 0) {
    r.stopping = true;
    raise(r.e_timeout, "the script ran past its step limit");
  }
  std::uint64_t n = kCheckInterval;
  if (r.limit_left < n) n = r.limit_left;
  if (r.nested == 0 && r.slice_left < n) n = r.slice_left;  // 0: the VM pauses next
  r.tick = r.tick_base = n;
}

void force_check(runtime& r) {
  r.tick_base -= r.tick;
  r.tick = 0;
}

bool check_events(frame* f) {
  runtime& r = rt();
  const std::uint64_t done = r.tick_base;
  r.steps += done;
  r.slice_left -= done < r.slice_left ? done : r.slice_left;
  r.limit_left -= done < r.limit_left ? done : r.limit_left;
  r.tick_base = 0;
  if (r.cancel_flag && *r.cancel_flag) {
    r.stopping = true;
    raise(r.e_keyboard, "");
  }
  if (r.limit_left == 0) {
    r.stopping = true;
    raise(r.e_timeout,
          r.stop_message.empty() ? "the script ran past its step limit" : r.stop_message);
  }
  if (r.line_hook && f->ip < f->code->positions.size()) {
    const int line = f->code->positions[f->ip].line;
    if (line > 0 && line != r.last_line) {
      r.last_line = line;
      r.line_hook(r.line_ctx, *r.ip, line);
    }
  }
  if ((r.slice_left == 0 || r.pause_requested) && r.nested == 0) {
    r.pause_requested = false;
    return true;
  }
  std::uint64_t n = kCheckInterval;
  if (r.nested == 0 && r.slice_left < n) n = r.slice_left;
  if (r.limit_left < n) n = r.limit_left;
  if (r.line_hook) n = 1;
  if (n == 0) n = 1;
  r.tick = r.tick_base = n;
  return false;
}

value run_nested(const value& f, value* args, std::size_t n, const value& kwnames) {
  runtime& r = rt();
  if (r.nested >= kMaxNested || r.depth + 2 > kRecursionLimit || stack_low())
    raise(r.e_recursion, "maximum recursion depth exceeded while calling a Python object");
  const std::size_t stop = r.frames.size();
  push_function_frame(f, args, n, kwnames, c_nested);
  ++r.frames.back().cost;  // the native call counts as a level, as in CPython
  ++r.depth;
  ++r.nested;
  value result;
  try {
    execute(stop, &result);
  } catch (...) {
    --r.nested;
    throw;
  }
  --r.nested;
  return result;
}

/// CPython's _PyObject_FunctionStr: "__main__.f()", "list.append()", "len()".
std::string function_display_name(const value& fn) {
  if (fn.is_object()) {
    object* o = fn.as_object();
    if (o->type == rt().t_function) {
      auto* f = static_cast<function_object*>(o);
      const std::string& m = f->module ? f->module->name : std::string("builtins");
      return (m == "builtins" ? "" : m + ".") + str_of(f->qualname) + "()";
    }
    if (o->type == rt().t_builtin) {
      auto* f = static_cast<native_function*>(o);
      return (f->sig ? f->sig->name : f->name) + "()";
    }
    if (o->type == rt().t_method)
      return function_display_name(static_cast<method_object*>(o)->func);
    if (o->type->kind == layout::type) {
      auto* t = static_cast<type_object*>(o);
      return (t->module == "builtins" ? "" : t->module + ".") + t->qualname + "()";
    }
  }
  return type_name(fn) + " object";
}

int current_line() {
  runtime& r = rt();
  if (r.frames.empty()) return 0;
  const frame& f = r.frames.back();
  const std::uint32_t i = f.ip ? f.ip - 1 : 0;
  return i < f.code->positions.size() ? f.code->positions[i].line : 0;
}

}  // namespace gradlab::py
