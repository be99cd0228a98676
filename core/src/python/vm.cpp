// The bytecode VM. Frames live in runtime::frames, not on the native stack: a call to a
// Python function (or a special method written in Python) pushes a frame with a
// continuation that says what its caller does with the result, so the loop can stop after
// any instruction (a budget, a pause requested by a native function) and resume later.
#include "python/vm.hpp"

namespace gradlab::py {

value num_compare(const value& a, const value& b, compare_op op);
value import_name_step(const value& name, bool leaf, bool& pushed);
void import_star(module_object* into, const value& module);
value make_function(code_object* code, module_object* m, std::uint32_t flags, value* sp);
value build_class_start(const value& func, const value& name, const value& bases, bool& pushed);
value finish_class(frame& body, const value& ret);
value format_value(const value& v, int conversion, const value& spec);
value iter_step(const value& v, value& fn);
value next_step(const value& it, value& fn, bool& exhausted);

namespace {

[[noreturn]] void unbound_local(code_object* c, std::size_t i) {
  raisef(rt().e_unbound,
         "cannot access local variable '%s' where it is not associated with a value",
         (str_of(c->varnames[i])).c_str());
}

[[noreturn]] void name_error(const value& name, module_object* m) {
  value e = make_exception(rt().e_name, "name '" + str_of(name) + "' is not defined");
  auto* eo = static_cast<exception_object*>(e.as_object());
  if (!eo->attrs) eo->attrs = new dict_object();
  eo->attrs->table.set(intern("name"), name);
  eo->attrs->table.set(intern("__module__"), value::borrow(m));  // for "Did you mean"
  raise_value(e);
}

value load_global(module_object* m, std::uint32_t i) {
  const value& v = m->globals[i];
  if (!v.is_null()) return v;
  const value& name = m->slot_names[i];
  if (value* b = rt().builtins->names.get(name)) {
    const value& bv = rt().builtins->globals[static_cast<std::size_t>(b->as_int())];
    if (!bv.is_null()) return bv;
  }
  name_error(name, m);
}

value load_name(frame& f, const value& name) {
  if (!f.ns.is_null())
    if (value* v = static_cast<dict_object*>(f.ns.as_object())->table.get(name)) return *v;
  if (value* s = f.module->names.get(name)) {
    const value& v = f.module->globals[static_cast<std::size_t>(s->as_int())];
    if (!v.is_null()) return v;
  }
  if (value* b = rt().builtins->names.get(name)) {
    const value& bv = rt().builtins->globals[static_cast<std::size_t>(b->as_int())];
    if (!bv.is_null()) return bv;
  }
  name_error(name, f.module);
}

bool exception_matches(const value& exc, const value& spec) {
  runtime& r = rt();
  if (spec.is_object() && spec.as_object()->type->kind == layout::tuple) {
    for (const value& t : static_cast<tuple_object*>(spec.as_object())->items)
      if (exception_matches(exc, t)) return true;
    return false;
  }
  if (!spec.is_object() || spec.as_object()->type->kind != layout::type ||
      !static_cast<type_object*>(spec.as_object())->exception)
    raise(r.e_type, "catching classes that do not inherit from BaseException is not allowed");
  return exc.type()->is_subtype(static_cast<type_object*>(spec.as_object()));
}

value to_exception(const value& v) {
  runtime& r = rt();
  if (v.is_object() && v.as_object()->type->kind == layout::type &&
      static_cast<type_object*>(v.as_object())->exception)
    return call(v, {});
  if (v.is_object() && v.as_object()->type->exception) return v;
  raise(r.e_type, "exceptions must derive from BaseException");
}

bool truth_needs_python(const value& v, value& fn, bool& is_len) {
  if (!v.is_object()) return false;
  type_object* t = v.as_object()->type;
  fn = t->get_slot(slot::bool_);
  is_len = false;
  if (fn.is_null()) {
    fn = t->get_slot(slot::len);
    is_len = true;
  }
  return !fn.is_null() && fn.is_object() && fn.as_object()->type == rt().t_function;
}

bool truth_of_result(const value& res, bool is_len) {
  runtime& r = rt();
  if (!is_len) {
    if (!res.is_bool()) raisef(r.e_type, "__bool__ should return bool, returned %s", tname(res));
    return res.as_bool();
  }
  if (!res.is_int() && !res.is_bool())
    raisef(r.e_type, "'%s' object cannot be interpreted as an integer", tname(res));
  const std::int64_t n = res.is_int() ? res.as_int() : res.as_bool();
  if (n < 0) raise(r.e_value, "__len__() should return >= 0");
  return n != 0;
}

bool is_python_function(const value& fn) {
  return fn.is_object() && fn.as_object()->type == rt().t_function;
}

}  // namespace

// ------------------------------------------------------------------ helpers used by the loop

namespace {

/// Calls fn(args) for the VM: a Python function gets a frame with continuation `c` (true
/// returned); anything else is called now and its result given to `done`.
bool vm_call(const value& fn, value* args, std::size_t n, std::uint8_t c, value& result) {
  if (is_python_function(fn)) {
    push_function_frame(fn, args, n, value(), c);
    return true;
  }
  result = call_args(fn, args, n);
  return false;
}

/// Runs the stages of a binary operation on the two values on top of the caller's stack;
/// either leaves the result on the stack (false) or pushes a Python method's frame (true).
bool binop_run(frame* f, binary_op op, bool inplace, int stage) {
  const value a = f->sp[-2], b = f->sp[-1];
  for (;;) {
    value fn;
    bool swapped = false;
    value r = binary_step(a, b, op, inplace, stage, fn, swapped);
    if (!r.is_null()) {
      f->sp[-2] = std::move(r);
      *--f->sp = value();
      return false;
    }
    value args[2] = {swapped ? b : a, swapped ? a : b};
    if (is_python_function(fn)) {
      push_function_frame(fn, args, 2, value(), c_binop);
      frame& nf = rt().frames.back();
      nf.aux = static_cast<int>(op) | (inplace ? 0x100 : 0) | (stage << 16);
      return true;
    }
    value res = call_args(fn, args, 2);
    if (!res.is(rt().not_implemented)) {
      f->sp[-2] = std::move(res);
      *--f->sp = value();
      return false;
    }
  }
}

bool compare_run(frame* f, compare_op op, int stage) {
  const value a = f->sp[-2], b = f->sp[-1];
  for (;;) {
    value fn;
    bool swapped = false, invert = false;
    value r = compare_step(a, b, op, stage, fn, swapped, invert);
    if (!r.is_null()) {
      f->sp[-2] = std::move(r);
      *--f->sp = value();
      return false;
    }
    value args[2] = {swapped ? b : a, swapped ? a : b};
    if (is_python_function(fn)) {
      push_function_frame(fn, args, 2, value(), c_compare);
      frame& nf = rt().frames.back();
      nf.aux = static_cast<int>(op) | (invert ? 0x100 : 0) | (stage << 16);
      return true;
    }
    value res = call_args(fn, args, 2);
    if (!res.is(rt().not_implemented)) {
      f->sp[-2] = invert ? value::from_bool(!truthy(res)) : std::move(res);
      *--f->sp = value();
      return false;
    }
  }
}

/// CALL: the callable, self-or-null and n arguments are on the stack. Pushes a frame
/// (true) or leaves the result in place of the callable (false).
bool do_call(runtime& r, frame* f, std::size_t n, value kwnames) {
  value* args = f->sp - n;
  value* func = args - 2;
  value* const top = f->sp;
  const std::size_t caller = r.frames.size() - 1;
  // after a frame is pushed the caller's frame may have moved: clear its call slots by index
  auto clear_call = [&]() {
    for (value* p = func; p < top; ++p) *p = value();
    r.frames[caller].sp = func;
  };
  if (!args[-1].is_null()) {
    --args;
    ++n;
  }
  for (int guard = 0; guard < 4; ++guard) {
    const value callable = *func;
    if (!callable.is_object()) break;
    object* o = callable.as_object();
    type_object* t = o->type;
    if (t == r.t_function) {
      push_function_frame(callable, args, n, kwnames, c_push);
      clear_call();
      return true;
    }
    if (t == r.t_builtin) {
      value res = call_native(static_cast<native_function*>(o), args, n, kwnames);
      for (value* p = func + 1; p < top; ++p) *p = value();
      *func = std::move(res);
      r.frames[caller].sp = func + 1;
      return false;
    }
    if (t == r.t_method) {
      auto* m = static_cast<method_object*>(o);
      if (args == func + 2) {  // the self slot is free: use it
        func[1] = m->self;
        --args;
        ++n;
        *func = m->func;
        continue;
      }
      std::vector<value> a(args, args + n);
      a.insert(a.begin(), m->self);
      value mf = m->func;
      if (is_python_function(mf)) {
        push_function_frame(mf, a.data(), a.size(), kwnames, c_push);
        clear_call();
        return true;
      }
      value res = call_args(mf, a.data(), a.size(), kwnames);
      for (value* p = func + 1; p < top; ++p) *p = value();
      *func = std::move(res);
      r.frames[caller].sp = func + 1;
      return false;
    }
    if (t->kind == layout::type || t == r.t_type) {
      auto* cls = static_cast<type_object*>(o);
      const value init = cls->get_slot(slot::init);
      const value nw = cls != r.t_type ? type_new(cls) : value();
      if (cls != r.t_type && is_python_function(init) && !is_python_function(nw)) {
        const std::size_t nkw =
            kwnames.is_null() ? 0 : static_cast<tuple_object*>(kwnames.as_object())->items.size();
        value obj;
        if (nw.is_null()) {
          obj = alloc_instance(cls, n - nkw > 0, kwnames);
        } else {
          std::vector<value> a(args, args + n);
          a.insert(a.begin(), callable);
          obj = call_args(nw, a.data(), a.size(), kwnames);
        }
        if (obj.type()->is_subtype(cls)) {
          // __init__(obj, *args): the slot before the arguments holds obj
          value* a0 = args - 1;
          std::vector<value> a;
          if (a0 == func) {
            a.assign(args, args + n);
            a.insert(a.begin(), obj);
            a0 = a.data();
          } else {
            *a0 = obj;
          }
          value* init_args = a.empty() ? a0 : a.data();
          push_function_frame(init, init_args, n + 1, kwnames, c_init);
          frame& nf = r.frames.back();
          nf.extra = obj;
          ++nf.cost;  // CPython counts type.__call__ as a level too
          ++r.depth;
          clear_call();
          return true;
        }
        for (value* p = func + 1; p < top; ++p) *p = value();
        *func = std::move(obj);
        r.frames[caller].sp = func + 1;
        return false;
      }
      value res = type_call(cls, args, n, kwnames);
      for (value* p = func + 1; p < top; ++p) *p = value();
      *func = std::move(res);
      r.frames[caller].sp = func + 1;
      return false;
    }
    const value c = t->get_slot(slot::call);
    if (c.is_null()) break;
    if (args == func + 2) {
      func[1] = callable;
      --args;
      ++n;
    } else {
      std::vector<value> a(args, args + n);
      a.insert(a.begin(), callable);
      value res = call_args(c, a.data(), a.size(), kwnames);
      for (value* p = func + 1; p < top; ++p) *p = value();
      *func = std::move(res);
      r.frames[caller].sp = func + 1;
      return false;
    }
    *func = c;
    if (is_python_function(c)) {
      push_function_frame(c, args, n, kwnames, c_push);
      frame& nf = r.frames.back();
      ++nf.cost;  // slot_tp_call counts as a level in CPython
      ++r.depth;
      if (r.depth > kRecursionLimit) {
        pop_frame();
        raise(r.e_recursion, "maximum recursion depth exceeded");
      }
      clear_call();
      return true;
    }
  }
  raisef(r.e_type, "'%s' object is not callable", tname(*func));
}

}  // namespace

// ------------------------------------------------------------------ returning

namespace {

/// Hands a returning frame's value to its caller. Returns true when the run must stop
/// (the nested call or the module finished).
bool frame_return(runtime& r, value v, std::size_t stop, value* result) {
  frame& f = r.frames.back();
  const std::uint8_t c = f.cont;
  const int aux = f.aux;
  value extra = std::move(f.extra);
  if (c == c_class) {
    value cls = finish_class(f, v);
    pop_frame();
    frame& caller = r.frames.back();
    *caller.sp++ = std::move(cls);
    return false;
  }
  pop_frame();
  if (c == c_nested || c == c_module || r.frames.size() <= stop) {
    if (result) *result = std::move(v);
    return true;
  }
  frame& caller = r.frames.back();
  switch (c) {
    case c_push:
      *caller.sp++ = std::move(v);
      break;
    case c_discard:
      break;
    case c_init:
      if (!v.is_none()) raisef(r.e_type, "__init__() should return None, not '%s'", tname(v));
      *caller.sp++ = std::move(extra);
      break;
    case c_method:
      *caller.sp++ = std::move(v);
      *caller.sp++ = value();
      break;
    case c_binop:
      if (!v.is(r.not_implemented)) {
        caller.sp[-2] = std::move(v);
        *--caller.sp = value();
      } else {
        binop_run(&caller, static_cast<binary_op>(aux & 0xFF), (aux & 0x100) != 0, aux >> 16);
      }
      break;
    case c_compare:
      if (!v.is(r.not_implemented)) {
        caller.sp[-2] = (aux & 0x100) ? value::from_bool(!truthy(v)) : std::move(v);
        *--caller.sp = value();
      } else {
        compare_run(&caller, static_cast<compare_op>(aux & 0xFF), aux >> 16);
      }
      break;
    case c_truth:
      caller.sp[-1] = value::from_bool(truth_of_result(v, aux != 0));
      --caller.ip;
      break;
    case c_not:
      *caller.sp++ = value::from_bool(!truth_of_result(v, aux != 0));
      break;
    case c_contains:
      *caller.sp++ = value::from_bool(truthy(v) != (aux != 0));
      break;
    case c_for_iter:
      *caller.sp++ = std::move(v);
      break;
    case c_import:
      --caller.ip;
      break;
    default:
      break;
  }
  return false;
}

}  // namespace

// ------------------------------------------------------------------ the loop

bool check_events(frame* f);
void force_check(runtime& r);
std::string function_display_name(const value& fn);

exec_status dispatch(std::size_t stop, value* result) {
  runtime& r = rt();
  frame* f = &r.frames.back();
  code_object* co = f->code;
  const std::uint32_t* code = co->code.data();

#define RELOAD()            \
  do {                      \
    f = &r.frames.back();   \
    co = f->code;           \
    code = co->code.data(); \
  } while (0)
#define TOP() (f->sp[-1])
#define PUSH(v) (*f->sp++ = (v))
#define POP() (std::move(*--f->sp))

  for (;;) {
    if (r.tick == 0 && check_events(f)) return exec_status::paused;
    --r.tick;
    const std::uint32_t ins = code[f->ip++];
    const std::uint32_t arg = ins >> 8;
    switch (static_cast<op>(ins & 0xFF)) {
      case NOP:
        break;
      case POP_TOP:
        *--f->sp = value();
        break;
      case PUSH_NULL:
        PUSH(value());
        break;
      case COPY: {
        value v = f->sp[-static_cast<std::ptrdiff_t>(arg)];
        PUSH(std::move(v));
        break;
      }
      case SWAP:
        f->sp[-1].swap(f->sp[-static_cast<std::ptrdiff_t>(arg)]);
        break;
      case LOAD_CONST:
        PUSH(co->consts[arg]);
        break;
      case LOAD_FAST: {
        const value& v = f->locals[arg];
        if (v.is_null()) unbound_local(co, arg);
        PUSH(v);
        break;
      }
      case STORE_FAST:
        f->locals[arg] = POP();
        break;
      case DELETE_FAST:
        if (f->locals[arg].is_null()) unbound_local(co, arg);
        f->locals[arg] = value();
        break;
      case LOAD_DEREF:
      case LOAD_CLASSDEREF: {
        const std::size_t nl = co->nlocals();
        const std::size_t nc = co->cellvars.size();
        if (static_cast<op>(ins & 0xFF) == LOAD_CLASSDEREF && !f->ns.is_null()) {
          const value& name = arg < nc ? co->cellvars[arg] : co->freevars[arg - nc];
          if (value* v = static_cast<dict_object*>(f->ns.as_object())->table.get(name)) {
            PUSH(*v);
            break;
          }
        }
        auto* cell = static_cast<cell_object*>(f->locals[nl + arg].as_object());
        if (cell->v.is_null()) {
          if (arg < nc)
            raisef(r.e_unbound,
                   "cannot access local variable '%s' where it is not associated with a value",
                   (str_of(co->cellvars[arg])).c_str());
          raisef(r.e_name,
                 "cannot access free variable '%s' where it is not associated with a value in "
                 "enclosing scope",
                 (str_of(co->freevars[arg - nc])).c_str());
        }
        PUSH(cell->v);
        break;
      }
      case STORE_DEREF:
        static_cast<cell_object*>(f->locals[co->nlocals() + arg].as_object())->v = POP();
        break;
      case DELETE_DEREF: {
        auto* cell = static_cast<cell_object*>(f->locals[co->nlocals() + arg].as_object());
        if (cell->v.is_null()) {
          const std::size_t nc = co->cellvars.size();
          raisef(r.e_unbound,
                 "cannot access local variable '%s' where it is not associated with a value",
                 (str_of(arg < nc ? co->cellvars[arg] : co->freevars[arg - nc])).c_str());
        }
        cell->v = value();
        break;
      }
      case LOAD_GLOBAL:
        PUSH(load_global(f->module, arg));
        break;
      case STORE_GLOBAL:
        f->module->globals[arg] = POP();
        break;
      case DELETE_GLOBAL:
        if (f->module->globals[arg].is_null()) name_error(f->module->slot_names[arg], f->module);
        f->module->globals[arg] = value();
        break;
      case LOAD_NAME:
        PUSH(load_name(*f, co->names[arg]));
        break;
      case STORE_NAME: {
        value v = POP();
        if (!f->ns.is_null())
          static_cast<dict_object*>(f->ns.as_object())->table.set(co->names[arg], std::move(v));
        else
          f->module->globals[static_cast<std::size_t>(f->module->slot_for(co->names[arg]))] =
              std::move(v);
        break;
      }
      case DELETE_NAME: {
        const value& name = co->names[arg];
        if (f->ns.is_null() || !static_cast<dict_object*>(f->ns.as_object())->table.erase(name))
          name_error(name, f->module);
        break;
      }
      case LOAD_ATTR:
      case LOAD_METHOD: {
        const bool method = static_cast<op>(ins & 0xFF) == LOAD_METHOD;
        value obj = POP();
        value out;
        const attr_kind kind = find_attribute(obj, co->names[arg], out);
        switch (kind) {
          case attr_kind::value:
            PUSH(std::move(out));
            if (method) PUSH(value());
            break;
          case attr_kind::method:
            if (method) {
              PUSH(std::move(out));
              PUSH(std::move(obj));
            } else {
              PUSH(value::steal(new method_object(std::move(out), std::move(obj))));
            }
            break;
          case attr_kind::call_getter:
          case attr_kind::call_getattr: {
            value args[2] = {obj, co->names[arg]};
            value res;
            if (vm_call(out, args, kind == attr_kind::call_getattr ? 2 : 1,
                        method ? c_method : c_push, res)) {
              RELOAD();
              break;
            }
            PUSH(std::move(res));
            if (method) PUSH(value());
            break;
          }
          case attr_kind::missing:
            attribute_error(obj, co->names[arg]);
        }
        break;
      }
      case STORE_ATTR: {
        value obj = POP();
        value v = POP();
        value fn;
        std::vector<value> args;
        if (!set_attribute(obj, co->names[arg], v, fn, args)) {
          push_function_frame(fn, args.data(), args.size(), value(), c_discard);
          RELOAD();
        }
        break;
      }
      case DELETE_ATTR: {
        value obj = POP();
        delattr(obj, co->names[arg]);
        break;
      }
      case BINARY_SUBSCR: {
        const value& container = f->sp[-2];
        const value& key = f->sp[-1];
        if (container.is_object()) {
          object* o = container.as_object();
          if (o->type == r.t_list && key.is_int()) {
            auto& items = static_cast<list_object*>(o)->items;
            std::int64_t i = key.as_int();
            if (i < 0) i += static_cast<std::int64_t>(items.size());
            if (i >= 0 && i < static_cast<std::int64_t>(items.size())) {
              value v = items[static_cast<std::size_t>(i)];
              *--f->sp = value();
              f->sp[-1] = std::move(v);
              break;
            }
          }
          const value fn = o->type->get_slot(slot::getitem);
          if (is_python_function(fn)) {
            value args[2] = {container, key};
            f->sp -= 2;
            f->sp[0] = value();
            f->sp[1] = value();
            push_function_frame(fn, args, 2, value(), c_push);
            RELOAD();
            break;
          }
        }
        value v = getitem(container, key);
        *--f->sp = value();
        f->sp[-1] = std::move(v);
        break;
      }
      case STORE_SUBSCR: {
        value key = POP();
        value container = POP();
        value v = POP();
        if (container.is_object()) {
          const value fn = container.as_object()->type->get_slot(slot::setitem);
          if (is_python_function(fn)) {
            value args[3] = {container, key, v};
            push_function_frame(fn, args, 3, value(), c_discard);
            RELOAD();
            break;
          }
        }
        setitem(container, key, std::move(v));
        break;
      }
      case DELETE_SUBSCR: {
        value key = POP();
        value container = POP();
        delitem(container, key);
        break;
      }
      case BUILD_SLICE: {
        value step = arg == 3 ? POP() : value::none();
        value stop_v = POP();
        value start = POP();
        PUSH(value::steal(new slice_object(std::move(start), std::move(stop_v), std::move(step))));
        break;
      }
      case BINARY_OP: {
        value& a = f->sp[-2];
        const value& b = f->sp[-1];
        const auto bop = static_cast<binary_op>(arg & 0xFF);
        if (a.is_float() && b.is_float()) {
          const double x = a.as_float(), y = b.as_float();
          if (bop == binary_op::add) {
            a = value::from_float(x + y);
            *--f->sp = value();
            break;
          }
          if (bop == binary_op::sub) {
            a = value::from_float(x - y);
            *--f->sp = value();
            break;
          }
          if (bop == binary_op::mul) {
            a = value::from_float(x * y);
            *--f->sp = value();
            break;
          }
        } else if (a.is_int() && b.is_int()) {
          std::int64_t res;
          const std::int64_t x = a.as_int(), y = b.as_int();
          if (bop == binary_op::add && !__builtin_add_overflow(x, y, &res)) {
            a = value::from_int(res);
            *--f->sp = value();
            break;
          }
          if (bop == binary_op::sub && !__builtin_sub_overflow(x, y, &res)) {
            a = value::from_int(res);
            *--f->sp = value();
            break;
          }
        }
        if (binop_run(f, bop, (arg & 0x100) != 0, 0)) RELOAD();
        break;
      }
      case UNARY_NEGATIVE:
      case UNARY_POSITIVE:
      case UNARY_INVERT: {
        const op o = static_cast<op>(ins & 0xFF);
        const slot s = o == UNARY_NEGATIVE   ? slot::neg
                       : o == UNARY_POSITIVE ? slot::pos
                                             : slot::invert;
        value a = POP();
        const value fn = a.is_object() ? a.as_object()->type->get_slot(s) : value();
        if (is_python_function(fn)) {
          push_function_frame(fn, &a, 1, value(), c_push);
          RELOAD();
          break;
        }
        PUSH(unary(a, o == UNARY_NEGATIVE   ? unary_op::neg
                      : o == UNARY_POSITIVE ? unary_op::pos
                                            : unary_op::invert));
        break;
      }
      case UNARY_NOT: {
        value a = POP();
        value fn;
        bool is_len;
        if (truth_needs_python(a, fn, is_len)) {
          push_function_frame(fn, &a, 1, value(), c_not);
          r.frames.back().aux = is_len;
          RELOAD();
          break;
        }
        PUSH(value::from_bool(!truthy(a)));
        break;
      }
      case COMPARE_OP: {
        const value& a = f->sp[-2];
        const value& b = f->sp[-1];
        const auto cop = static_cast<compare_op>(arg);
        if ((a.is_int() || a.is_float()) && (b.is_int() || b.is_float())) {
          value res = num_compare(a, b, cop);
          *--f->sp = value();
          f->sp[-1] = std::move(res);
          break;
        }
        if (compare_run(f, cop, 0)) RELOAD();
        break;
      }
      case IS_OP: {
        value b = POP();
        value a = POP();
        PUSH(value::from_bool(a.is(b) != (arg != 0)));
        break;
      }
      case CONTAINS_OP: {
        value container = POP();
        value item = POP();
        if (container.is_object()) {
          const value fn = container.as_object()->type->get_slot(slot::contains);
          if (is_python_function(fn)) {
            value args[2] = {container, item};
            push_function_frame(fn, args, 2, value(), c_contains);
            r.frames.back().aux = static_cast<int>(arg);
            RELOAD();
            break;
          }
        }
        PUSH(value::from_bool(contains(container, item) != (arg != 0)));
        break;
      }
      case JUMP:
        f->ip = arg;
        break;
      case POP_JUMP_IF_FALSE:
      case POP_JUMP_IF_TRUE:
      case JUMP_IF_FALSE_OR_POP:
      case JUMP_IF_TRUE_OR_POP: {
        const op o = static_cast<op>(ins & 0xFF);
        const value& v = TOP();
        bool b;
        if (v.is_bool()) {
          b = v.as_bool();
        } else {
          value fn;
          bool is_len;
          if (truth_needs_python(v, fn, is_len)) {
            value a = v;  // c_truth replaces the top with a bool and re-runs this jump
            push_function_frame(fn, &a, 1, value(), c_truth);
            r.frames.back().aux = is_len;
            RELOAD();
            break;
          }
          b = truthy(v);
        }
        const bool jump_on = o == POP_JUMP_IF_TRUE || o == JUMP_IF_TRUE_OR_POP;
        if (o == POP_JUMP_IF_FALSE || o == POP_JUMP_IF_TRUE) {
          *--f->sp = value();
          if (b == jump_on) f->ip = arg;
        } else if (b == jump_on) {
          f->ip = arg;
        } else {
          *--f->sp = value();
        }
        break;
      }
      case POP_JUMP_IF_NOT_NONE: {
        value v = POP();
        if (!v.is_none()) f->ip = arg;
        break;
      }
      case GET_ITER: {
        value v = POP();
        value fn;
        value it = iter_step(v, fn);
        if (it.is_null()) {
          push_function_frame(fn, &v, 1, value(), c_push);
          RELOAD();
          break;
        }
        PUSH(std::move(it));
        break;
      }
      case FOR_ITER: {
        value fn;
        bool exhausted = false;
        value v = next_step(TOP(), fn, exhausted);
        if (!v.is_null()) {
          PUSH(std::move(v));
          break;
        }
        if (exhausted) {
          *--f->sp = value();
          f->ip = arg;
          break;
        }
        value it = TOP();
        push_function_frame(fn, &it, 1, value(), c_for_iter);
        r.frames.back().aux = static_cast<int>(arg);
        RELOAD();
        break;
      }
      case BUILD_TUPLE:
      case BUILD_LIST: {
        std::vector<value> items(arg);
        for (std::uint32_t i = arg; i-- > 0;) items[i] = POP();
        PUSH(static_cast<op>(ins & 0xFF) == BUILD_TUPLE ? make_tuple(std::move(items))
                                                        : make_list(std::move(items)));
        break;
      }
      case BUILD_SET: {
        value s = make_set(r.t_set);
        for (value* p = f->sp - arg; p < f->sp; ++p)
          static_cast<set_object*>(s.as_object())->add(*p, py_hash(*p));
        for (std::uint32_t i = 0; i < arg; ++i) *--f->sp = value();
        PUSH(std::move(s));
        break;
      }
      case BUILD_MAP: {
        auto d = make_dict();
        for (value* p = f->sp - 2 * arg; p < f->sp; p += 2) d->table.set(p[0], p[1]);
        for (std::uint32_t i = 0; i < 2 * arg; ++i) *--f->sp = value();
        PUSH(value(std::move(d)));
        break;
      }
      case LIST_APPEND: {
        value v = POP();
        static_cast<list_object*>(f->sp[-static_cast<std::ptrdiff_t>(arg)].as_object())
            ->items.push_back(std::move(v));
        break;
      }
      case SET_ADD: {
        value v = POP();
        static_cast<set_object*>(f->sp[-static_cast<std::ptrdiff_t>(arg)].as_object())
            ->add(v, py_hash(v));
        break;
      }
      case MAP_ADD: {
        value v = POP();
        value k = POP();
        static_cast<dict_object*>(f->sp[-static_cast<std::ptrdiff_t>(arg)].as_object())
            ->table.set(k, std::move(v));
        break;
      }
      case LIST_EXTEND: {
        value it = POP();
        std::vector<value> more = to_vector(it);
        auto& items =
            static_cast<list_object*>(f->sp[-static_cast<std::ptrdiff_t>(arg)].as_object())->items;
        check_size(items.size() + more.size());
        items.insert(items.end(), more.begin(), more.end());
        break;
      }
      case SET_UPDATE: {
        value it = POP();
        set_update(static_cast<set_object*>(f->sp[-static_cast<std::ptrdiff_t>(arg)].as_object()),
                   it);
        break;
      }
      case DICT_UPDATE:
      case DICT_MERGE: {
        value src = POP();
        auto* d = static_cast<dict_object*>(f->sp[-static_cast<std::ptrdiff_t>(arg)].as_object());
        if (!src.is_object() || src.as_object()->type->kind != layout::dict) {
          value keys = getattr_opt(src, intern("keys"));
          if (keys.is_null()) {
            if (static_cast<op>(ins & 0xFF) == DICT_MERGE) {
              const value& fn = f->sp[-static_cast<std::ptrdiff_t>(arg) - 3];
              raisef(r.e_type, "%s argument after ** must be a mapping, not %s",
                     (function_display_name(fn)).c_str(), tname(src));
            }
            raisef(r.e_type, "'%s' object is not a mapping", tname(src));
          }
          auto tmp = make_dict();
          for (const value& k : to_vector(call(keys, {}))) tmp->table.set(k, getitem(src, k));
          src = value(std::move(tmp));
        }
        for (auto& e : static_cast<dict_object*>(src.as_object())->table.entries) {
          if (e.key.is_null()) continue;
          if (static_cast<op>(ins & 0xFF) == DICT_MERGE) {
            if (!is_str(e.key)) raise(r.e_type, "keywords must be strings");
            if (d->table.get(e.key)) {
              const value& fn = f->sp[-static_cast<std::ptrdiff_t>(arg) - 3];
              raisef(r.e_type, "%s got multiple values for keyword argument '%s'",
                     (function_display_name(fn)).c_str(), (str_of(e.key)).c_str());
            }
          }
          d->table.set_hashed(e.key, e.hash, e.val);
        }
        break;
      }
      case LIST_TO_TUPLE: {
        value l = POP();
        PUSH(make_tuple(static_cast<list_object*>(l.as_object())->items));
        break;
      }
      case UNPACK_SEQUENCE:
      case UNPACK_EX: {
        value seq = POP();
        const bool ex = static_cast<op>(ins & 0xFF) == UNPACK_EX;
        const std::size_t before = ex ? (arg & 0xFF) : arg, after = ex ? (arg >> 8) : 0;
        std::vector<value> items;
        if (seq.is_object() &&
            (seq.as_object()->type == r.t_tuple || seq.as_object()->type == r.t_list)) {
          items = seq.as_object()->type == r.t_tuple
                      ? static_cast<tuple_object*>(seq.as_object())->items
                      : static_cast<list_object*>(seq.as_object())->items;
        } else {
          value it;
          try {
            it = iter(seq);
          } catch (const py_exception& e) {
            if (!e.exc.type()->is_subtype(r.e_type) || !lookup_special(seq, slot::iter).is_null())
              throw;
            raisef(r.e_type, "cannot unpack non-iterable %s object", tname(seq));
          }
          for (value x = next(it); !x.is_null(); x = next(it)) {
            items.push_back(std::move(x));
            if (!ex && items.size() > before) break;
          }
        }
        if (!ex) {
          if (items.size() > before)
            raisef(r.e_value, "too many values to unpack (expected %lld)",
                   static_cast<long long>(before));
          if (items.size() < before)
            raisef(r.e_value, "not enough values to unpack (expected %lld, got %lld)",
                   static_cast<long long>(before), static_cast<long long>(items.size()));
          for (std::size_t i = items.size(); i-- > 0;) PUSH(std::move(items[i]));
        } else {
          if (items.size() < before + after)
            raisef(r.e_value, "not enough values to unpack (expected at least %lld, got %lld)",
                   static_cast<long long>(before + after), static_cast<long long>(items.size()));
          for (std::size_t i = items.size(); i-- > items.size() - after;) PUSH(items[i]);
          PUSH(make_list(std::vector<value>(items.begin() + static_cast<std::ptrdiff_t>(before),
                                            items.end() - static_cast<std::ptrdiff_t>(after))));
          for (std::size_t i = before; i-- > 0;) PUSH(items[i]);
        }
        break;
      }
      case KW_NAMES:
        r.kwnames = co->consts[arg];
        break;
      case CALL: {
        value kw = std::move(r.kwnames);
        r.kwnames = value();
        const bool pushed = do_call(r, f, arg, std::move(kw));
        if (pushed) {
          RELOAD();
        } else if (r.pause_requested) {
          force_check(r);  // stop before the next instruction
        }
        break;
      }
      case CALL_FUNCTION_EX: {
        value kwargs = (arg & 1) ? POP() : value();
        value args = POP();
        if (!args.is_object() || args.as_object()->type != r.t_tuple) {
          if (!args.is_object() || lookup_special(args, slot::iter).is_null()) {
            if (!args.is_object() || (args.as_object()->type->kind != layout::list &&
                                      args.as_object()->type->kind != layout::tuple &&
                                      args.as_object()->type->kind != layout::str &&
                                      args.as_object()->type->kind != layout::dict &&
                                      args.as_object()->type->kind != layout::set &&
                                      args.as_object()->type->kind != layout::range &&
                                      args.as_object()->type->kind != layout::iterator))
              raisef(r.e_type, "%s argument after * must be an iterable, not %s",
                     (function_display_name(f->sp[-2])).c_str(), tname(args));
          }
          args = make_tuple(to_vector(args));
        }
        const auto& items = static_cast<tuple_object*>(args.as_object())->items;
        std::size_t n = items.size();
        std::vector<value> names;
        for (const value& v : items) PUSH(v);
        if (!kwargs.is_null())
          for (auto& e : static_cast<dict_object*>(kwargs.as_object())->table.entries) {
            if (e.key.is_null()) continue;
            names.push_back(e.key);
            PUSH(e.val);
            ++n;
          }
        const bool pushed =
            do_call(r, f, n, names.empty() ? value() : make_tuple(std::move(names)));
        if (pushed)
          RELOAD();
        else if (r.pause_requested)
          force_check(r);
        break;
      }
      case MAKE_FUNCTION: {
        value c = POP();
        value fn = make_function(static_cast<code_object*>(c.as_object()), f->module, arg, f->sp);
        const int extra = ((arg & 1) ? 1 : 0) + ((arg & 2) ? 1 : 0) + ((arg & 8) ? 1 : 0);
        for (int i = 0; i < extra; ++i) *--f->sp = value();
        PUSH(std::move(fn));
        break;
      }
      case LOAD_CLOSURE:
        PUSH(f->locals[co->nlocals() + arg]);
        break;
      case RETURN_VALUE: {
        value v = POP();
        if (frame_return(r, std::move(v), stop, result)) return exec_status::returned;
        RELOAD();
        break;
      }
      case RAISE_VARARGS: {
        if (arg == 0) {
          if (r.handled.is_null() || r.handled.is_none())
            raise(r.e_runtime, "No active exception to reraise");
          throw py_exception{r.handled, true};
        }
        value cause = arg == 2 ? POP() : value();
        value exc = to_exception(POP());
        auto* eo = static_cast<exception_object*>(exc.as_object());
        if (arg == 2) {
          if (cause.is_none()) {
            eo->cause = value::none();
          } else {
            eo->cause = to_exception(cause);
          }
          eo->suppress_context = true;
        }
        throw py_exception{exc, false};
      }
      case RERAISE:
        throw py_exception{POP(), true};
      case PUSH_EXC_INFO: {
        value exc = POP();
        PUSH(r.handled.is_null() ? value::none() : r.handled);
        r.handled = exc;
        PUSH(std::move(exc));
        break;
      }
      case POP_EXCEPT: {
        value prev = POP();
        r.handled = prev.is_none() ? value() : std::move(prev);
        break;
      }
      case CLEANUP_RERAISE: {
        value exc = POP();
        value prev = POP();
        r.handled = prev.is_none() ? value() : std::move(prev);
        throw py_exception{exc, true};
      }
      case CHECK_EXC_MATCH: {
        value spec = POP();
        const bool match = exception_matches(TOP(), spec);
        PUSH(value::from_bool(match));
        break;
      }
      case BEFORE_WITH: {
        value mgr = POP();
        value enter, exit_fn;
        type_object* t = mgr.type();
        value* e1 = t->lookup(intern("__enter__"));
        value* e2 = t->lookup(intern("__exit__"));
        if (!e1 || !e2) {
          if (!e1)
            raisef(r.e_type, "'%s' object does not support the context manager protocol",
                   t->name.c_str());
          raisef(
              r.e_type,
              "'%s' object does not support the context manager protocol (missed __exit__ method)",
              t->name.c_str());
        }
        PUSH(value::steal(new method_object(*e2, mgr)));
        value res;
        if (vm_call(*e1, &mgr, 1, c_push, res)) {
          RELOAD();
          break;
        }
        PUSH(std::move(res));
        break;
      }
      case WITH_EXCEPT_START: {
        const value& exc = f->sp[-1];
        const value& exit_fn = f->sp[-3];
        value args[3] = {value::borrow(exc.type()), exc, value::none()};
        auto* m = static_cast<method_object*>(exit_fn.as_object());
        value full[4] = {m->self, args[0], args[1], args[2]};
        value res;
        if (vm_call(m->func, full, 4, c_push, res)) {
          RELOAD();
          break;
        }
        PUSH(std::move(res));
        break;
      }
      case CALL_EXIT: {
        value exit_fn = POP();
        auto* m = static_cast<method_object*>(exit_fn.as_object());
        value full[4] = {m->self, value::none(), value::none(), value::none()};
        value res;
        if (vm_call(m->func, full, 4, c_push, res)) {
          RELOAD();
          break;
        }
        PUSH(std::move(res));
        break;
      }
      case IMPORT_NAME: {
        bool pushed = false;
        value m = import_name_step(co->consts[arg & 0x7FFFFF], (arg & 0x800000) != 0, pushed);
        if (pushed) {
          RELOAD();
          break;
        }
        PUSH(std::move(m));
        break;
      }
      case IMPORT_FROM: {
        value v = import_from(TOP(), co->names[arg]);
        PUSH(std::move(v));
        break;
      }
      case IMPORT_STAR: {
        value m = POP();
        import_star(f->module, m);
        break;
      }
      case BUILD_CLASS: {
        value bases = POP();
        value name = POP();
        value fn = POP();
        bool pushed = false;
        value cls = build_class_start(fn, name, bases, pushed);
        if (pushed) {
          RELOAD();
          break;
        }
        PUSH(std::move(cls));
        break;
      }
      case FORMAT_VALUE: {
        value spec = (arg & 4) ? POP() : value();
        value v = POP();
        PUSH(format_value(v, static_cast<int>(arg & 3), spec));
        break;
      }
      case BUILD_STRING: {
        std::size_t total = 0;
        for (value* p = f->sp - arg; p < f->sp; ++p) total += str_of(*p).size();
        std::string s;
        s.reserve(total);
        for (value* p = f->sp - arg; p < f->sp; ++p) s += str_of(*p);
        for (std::uint32_t i = 0; i < arg; ++i) *--f->sp = value();
        PUSH(make_str(std::move(s)));
        break;
      }
      case LOAD_ASSERTION_ERROR:
        PUSH(value::borrow(r.e_assert));
        break;
      case MAKE_GENERATOR: {
        value l = POP();
        PUSH(make_generator(std::move(l)));
        break;
      }
      case MAKE_CELL:
      case LOAD_FAST_LOAD_ATTR:
      case OP_COUNT:
        break;
    }
  }
#undef RELOAD
#undef TOP
#undef PUSH
#undef POP
}

}  // namespace gradlab::py
