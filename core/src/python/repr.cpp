// repr() and str() of every built-in kind, __repr__/__str__ for the rest, and "[...]" for
// a container that contains itself.
#include <cstdio>

#include "python/vm.hpp"

namespace gradlab::py {

value dict_view_dict(const value& v);

namespace {

thread_local std::vector<object*> g_repr_stack;

struct repr_guard {
  bool recursive = false;
  object* o;
  explicit repr_guard(object* x) : o(x) {
    for (object* p : g_repr_stack)
      if (p == x) recursive = true;
    if (!recursive) g_repr_stack.push_back(x);
  }
  ~repr_guard() {
    if (!recursive) g_repr_stack.pop_back();
  }
};

std::string address(const void* p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%012llx",
                static_cast<unsigned long long>(reinterpret_cast<std::uintptr_t>(p)));
  return buf;
}

std::string qualified(type_object* t) {
  return t->module == "builtins" ? t->qualname : t->module + "." + t->qualname;
}

std::string builtin_repr(const value& v) {
  runtime& r = rt();
  switch (v.kind()) {
    case value::tag::null:
    case value::tag::none:
      return "None";
    case value::tag::boolean:
      return v.as_bool() ? "True" : "False";
    case value::tag::integer:
      return int_repr(v.as_int());
    case value::tag::floating:
      return float_repr(v.as_float());
    case value::tag::object:
      break;
  }
  object* o = v.as_object();
  type_object* t = o->type;
  switch (t->kind) {
    case layout::str:
      return quote(static_cast<str_object*>(o)->s);
    case layout::list: {
      repr_guard g(o);
      recursion_scope rs(" while getting the repr of an object");
      if (g.recursive) return "[...]";
      return seq_repr(static_cast<list_object*>(o)->items, "[", "]", false);
    }
    case layout::tuple: {
      repr_guard g(o);
      recursion_scope rs(" while getting the repr of an object");
      if (g.recursive) return "(...)";
      return seq_repr(static_cast<tuple_object*>(o)->items, "(", ")", true);
    }
    case layout::dict: {
      repr_guard g(o);
      recursion_scope rs(" while getting the repr of an object");
      if (g.recursive) return "{...}";
      return dict_repr(static_cast<dict_object*>(o));
    }
    case layout::set: {
      repr_guard g(o);
      recursion_scope rs(" while getting the repr of an object");
      if (g.recursive) return t->name + "(...)";
      return set_repr(static_cast<set_object*>(o));
    }
    case layout::range: {
      auto* rg = static_cast<range_object*>(o);
      std::string s = "range(" + int_repr(rg->start) + ", " + int_repr(rg->stop);
      if (rg->step != 1) s += ", " + int_repr(rg->step);
      return s + ")";
    }
    case layout::slice: {
      auto* s = static_cast<slice_object*>(o);
      return "slice(" + repr_s(s->start) + ", " + repr_s(s->stop) + ", " + repr_s(s->step) + ")";
    }
    case layout::type: {
      auto* c = static_cast<type_object*>(o);
      return "<class '" + qualified(c) + "'>";
    }
    case layout::function: {
      auto* f = static_cast<function_object*>(o);
      return "<function " + str_of(f->qualname) + " at " + address(o) + ">";
    }
    case layout::native_function: {
      auto* f = static_cast<native_function*>(o);
      if (f->owner) return "<method '" + f->name + "' of '" + f->owner->name + "' objects>";
      return "<built-in function " + f->name + ">";
    }
    case layout::method: {
      auto* m = static_cast<method_object*>(o);
      std::string fname;
      if (m->func.is_object() && m->func.as_object()->type == r.t_function)
        fname = str_of(static_cast<function_object*>(m->func.as_object())->qualname);
      else if (m->func.is_object() && m->func.as_object()->type == r.t_builtin) {
        auto* nf = static_cast<native_function*>(m->func.as_object());
        return "<built-in method " + nf->name + " of " + type_name(m->self) + " object at " +
               address(m->self.ptr()) + ">";
      }
      return "<bound method " + fname + " of " + repr_s(m->self) + ">";
    }
    case layout::module: {
      auto* m = static_cast<module_object*>(o);
      if (value f = m->get("__file__"); is_str(f))
        return "<module '" + m->name + "' from '" + str_of(f) + "'>";
      return "<module '" + m->name + "' (built-in)>";
    }
    case layout::exception: {
      value fn = t->get_slot(slot::repr);
      return str_of(call(fn, {v}));
    }
    default:
      break;
  }
  if (t == r.t_notimpl) return "NotImplemented";
  if (t == r.t_ellipsis) return "Ellipsis";
  if (t == r.t_dict_keys || t == r.t_dict_values || t == r.t_dict_items) {
    repr_guard g(o);
    if (g.recursive) return "...";
    return t->name + "(" + seq_repr(to_vector(v), "[", "]", false) + ")";
  }
  if (t == r.t_generator) return "<generator object <genexpr> at " + address(o) + ">";
  if (t == r.t_cell) return "<cell at " + address(o) + ">";
  return "<" + qualified(t) + " object at " + address(o) + ">";
}

}  // namespace

value repr(const value& v) {
  if (v.is_object()) {
    type_object* t = v.as_object()->type;
    if (value fn = t->get_slot(slot::repr); !fn.is_null() && t->kind != layout::exception) {
      value s = call(fn, {v});
      if (!is_str(s))
        raise(rt().e_type, "__repr__ returned non-string (type " + type_name(s) + ")");
      return s;
    }
  }
  return make_str(builtin_repr(v));
}

value str(const value& v) {
  if (v.is_object()) {
    object* o = v.as_object();
    type_object* t = o->type;
    if (t->kind == layout::str) {
      if (t == rt().t_str) return v;
      return make_str(static_cast<str_object*>(o)->s);
    }
    if (value fn = t->get_slot(slot::str); !fn.is_null()) {
      value s = call(fn, {v});
      if (!is_str(s)) raise(rt().e_type, "__str__ returned non-string (type " + type_name(s) + ")");
      return s;
    }
  }
  return repr(v);
}

std::string repr_s(const value& v) {
  if (!v.is_object()) return builtin_repr(v);
  return str_of(repr(v));
}

std::string str_s(const value& v) {
  if (v.is_int()) return int_repr(v.as_int());
  if (is_str(v) && v.type() == rt().t_str) return str_of(v);
  return str_of(str(v));
}

}  // namespace gradlab::py
