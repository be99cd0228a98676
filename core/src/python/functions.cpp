// Making functions (defaults, keyword-only defaults, closures) and classes (the class body
// runs in a frame of its own with a namespace dict; the class is built when it returns).
#include "python/vm.hpp"

namespace gradlab::py {

value make_function(code_object* code, module_object* m, std::uint32_t flags, value* sp) {
  auto* f = new function_object(ref<code_object>::borrow(code), ref<module_object>::borrow(m));
  value fv = value::steal(f);
  value* p = sp;
  if (flags & 8) f->closure = static_cast<tuple_object*>((--p)->as_object())->items;
  if (flags & 2) f->kwdefaults = *--p;
  if (flags & 1) f->defaults = static_cast<tuple_object*>((--p)->as_object())->items;
  f->name = code->name;
  f->qualname = code->qualname;
  return fv;
}

value build_class_start(const value& func, const value& name, const value& bases, bool& pushed) {
  auto* f = static_cast<function_object*>(func.as_object());
  auto ns = make_dict();
  value modname = f->module->get("__name__");
  ns->table.set(rt().s_module, modname.is_null() ? make_str(f->module->name) : modname);
  ns->table.set(intern("__qualname__"), f->code->qualname);
  push_function_frame(func, nullptr, 0, value(), c_class);
  frame& fr = rt().frames.back();
  fr.ns = value(std::move(ns));
  fr.extra = make_tuple({name, bases});
  pushed = true;
  return value();
}

value finish_class(frame& body, const value& ret) {
  auto& info = static_cast<tuple_object*>(body.extra.as_object())->items;
  value cls = make_class(info[0], info[1], body.ns, body.code->qualname);
  if (ret.is_object() && ret.as_object()->type == rt().t_cell)
    static_cast<cell_object*>(ret.as_object())->v = cls;
  return cls;
}

}  // namespace gradlab::py
