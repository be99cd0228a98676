// Attribute access as CPython's generic getattr/setattr: data descriptors (properties) on
// the type first, then the instance's __dict__, then the type's attributes (functions bind
// to the instance), then __getattr__. Classes, modules, functions and exceptions have
// their own attributes.
#include "python/vm.hpp"

namespace gradlab::py {

namespace {

bool name_is(const value& name, const char* s) { return str_of(name) == s; }

value special_attribute(const value& obj, const value& name) {
  runtime& r = rt();
  object* o = obj.ptr();
  const std::string& n = str_of(name);
  if (!o && (obj.is_int() || obj.is_float() || obj.is_bool())) {
    if (n == "real") return obj.is_bool() ? value::from_int(obj.as_bool()) : obj;
    if (n == "imag") return obj.is_float() ? value::from_float(0.0) : value::from_int(0);
  }
  if (n.size() < 4 || n[0] != '_' || n[1] != '_') {
    if (o && o->type->exception) {
      auto* e = static_cast<exception_object*>(o);
      if (n == "args") return e->args;
    }
    return value();
  }
  if (n == "__class__") return value::borrow(obj.type());
  if (n == "__doc__") return value::none();
  if (!o) return value();
  if (n == "__dict__") {
    if (o->type->kind == layout::module) {
      auto* m = static_cast<module_object*>(o);
      auto d = make_dict();
      for (auto& e : m->names.entries)
        if (!e.key.is_null() && !m->globals[static_cast<std::size_t>(e.val.as_int())].is_null())
          d->table.set(e.key, m->globals[static_cast<std::size_t>(e.val.as_int())]);
      return value(std::move(d));
    }
    if (o->type->kind == layout::type) {
      auto d = make_dict();
      d->table = static_cast<type_object*>(o)->dict->table;
      return value(std::move(d));
    }
    if (o->type->has_dict) {
      if (!o->attrs) o->attrs = new dict_object();
      return value::borrow(o->attrs);
    }
    return value();
  }
  switch (o->type->kind) {
    case layout::type: {
      auto* t = static_cast<type_object*>(o);
      if (n == "__name__") return make_str(t->name);
      if (n == "__qualname__") return make_str(t->qualname);
      if (n == "__module__") return make_str(t->module);
      if (n == "__bases__")
        return make_tuple(t->base ? std::vector<value>{value::borrow(t->base)}
                                  : std::vector<value>{});
      if (n == "__base__") return t->base ? value::borrow(t->base) : value::none();
      if (n == "__mro__") {
        std::vector<value> mro;
        for (type_object* b = t; b; b = b->base) mro.push_back(value::borrow(b));
        return make_tuple(std::move(mro));
      }
      break;
    }
    case layout::function: {
      auto* f = static_cast<function_object*>(o);
      if (n == "__name__") return f->name;
      if (n == "__qualname__") return f->qualname;
      if (n == "__module__") return make_str(f->module->name);
      if (n == "__defaults__") return f->defaults.empty() ? value::none() : make_tuple(f->defaults);
      if (n == "__kwdefaults__") return f->kwdefaults.is_null() ? value::none() : f->kwdefaults;
      break;
    }
    case layout::native_function: {
      auto* f = static_cast<native_function*>(o);
      if (n == "__name__") return make_str(f->name);
      if (n == "__qualname__") return make_str(f->owner ? f->owner->name + "." + f->name : f->name);
      if (n == "__module__") return f->owner ? value::none() : make_str("builtins");
      break;
    }
    case layout::method: {
      auto* m = static_cast<method_object*>(o);
      if (n == "__self__") return m->self;
      if (n == "__func__") return m->func;
      if (n == "__name__" || n == "__qualname__") return getattr(m->func, name);
      break;
    }
    case layout::module: {
      auto* m = static_cast<module_object*>(o);
      if (n == "__name__") {
        value v = m->get("__name__");
        return v.is_null() ? make_str(m->name) : v;
      }
      break;
    }
    case layout::exception:
      break;
    default:
      break;
  }
  if (o->type->exception) {
    auto* e = static_cast<exception_object*>(o);
    if (n == "__cause__") return e->cause.is_null() ? value::none() : e->cause;
    if (n == "__context__") return e->context.is_null() ? value::none() : e->context;
    if (n == "__suppress_context__") return value::from_bool(e->suppress_context);
    if (n == "__traceback__") return value::none();
  }
  (void)r;
  return value();
}

attr_kind bind_descriptor(const value& descr, const value& obj, value& out) {
  runtime& r = rt();
  if (descr.is_object()) {
    type_object* dt = descr.as_object()->type;
    if (dt == r.t_function || dt == r.t_builtin) {
      out = descr;
      return attr_kind::method;
    }
    if (dt == r.t_staticmethod) {
      out = static_cast<wrapper_object*>(descr.as_object())->func;
      return attr_kind::value;
    }
    if (dt == r.t_classmethod) {
      out = value::steal(new method_object(static_cast<wrapper_object*>(descr.as_object())->func,
                                           value::borrow(obj.type())));
      return attr_kind::value;
    }
  }
  out = descr;
  return attr_kind::value;
}

}  // namespace

void attribute_error(const value& obj, const value& name) {
  runtime& r = rt();
  std::string msg;
  object* o = obj.ptr();
  if (o && o->type->kind == layout::module)
    msg = "module '" + static_cast<module_object*>(o)->name + "' has no attribute '" +
          str_of(name) + "'";
  else if (o && o->type->kind == layout::type)
    msg = "type object '" + static_cast<type_object*>(o)->name + "' has no attribute '" +
          str_of(name) + "'";
  else
    msg = "'" + type_name(obj) + "' object has no attribute '" + str_of(name) + "'";
  value e = make_exception(r.e_attr, msg);
  auto* eo = static_cast<exception_object*>(e.as_object());
  eo->attrs = new dict_object();
  eo->attrs->table.set(intern("name"), name);
  eo->attrs->table.set(intern("obj"), obj);
  raise_value(e);
}

attr_kind find_attribute(const value& obj, const value& name, value& out) {
  runtime& r = rt();
  type_object* t = obj.type();
  object* o = obj.ptr();
  if (o && t->kind == layout::type) {  // a class attribute
    auto* cls = static_cast<type_object*>(o);
    if (value* v = cls->lookup(name)) {
      if (v->is_object()) {
        type_object* dt = v->as_object()->type;
        if (dt == r.t_staticmethod) {
          out = static_cast<wrapper_object*>(v->as_object())->func;
          return attr_kind::value;
        }
        if (dt == r.t_classmethod) {
          out = static_cast<wrapper_object*>(v->as_object())->func;
          return attr_kind::method;
        }
      }
      out = *v;
      return attr_kind::value;
    }
    out = special_attribute(obj, name);
    if (!out.is_null()) return attr_kind::value;
    if (value* v = t->lookup(name))
      return bind_descriptor(*v, obj, out);  // type's own methods (mro)
    return attr_kind::missing;
  }
  if (o && t == r.t_super) {
    auto* s = static_cast<super_object*>(o);
    type_object* start = static_cast<type_object*>(s->type.as_object());
    for (type_object* b = start->base; b; b = b->base)
      if (b->dict)
        if (value* v = b->dict->table.get(name)) {
          if (s->obj.is_object() && s->obj.as_object()->type->kind == layout::type &&
              v->is_object() && v->as_object()->type == r.t_function) {
            out = *v;  // super() in a classmethod: plain function
            return attr_kind::value;
          }
          if (v->is_object() && v->as_object()->type == r.t_property) {
            out = static_cast<property_object*>(v->as_object())->fget;
            return attr_kind::call_getter;
          }
          attr_kind k = bind_descriptor(*v, s->obj, out);
          if (k == attr_kind::method) {
            out = value::steal(new method_object(out, s->obj));
            return attr_kind::value;
          }
          return k;
        }
    out = special_attribute(obj, name);
    if (!out.is_null()) return attr_kind::value;
    return attr_kind::missing;
  }
  value* descr = t->lookup(name);
  if (descr && descr->is_object() && descr->as_object()->type == r.t_property) {
    auto* p = static_cast<property_object*>(descr->as_object());
    if (p->fget.is_null() || p->fget.is_none()) {
      raisef(r.e_attr, "property '%s' of '%s' object has no getter", (str_of(name)).c_str(),
             t->name.c_str());
    }
    out = p->fget;
    return attr_kind::call_getter;
  }
  if (o) {
    if (o->attrs)
      if (value* v = o->attrs->table.get(name)) {
        out = *v;
        return attr_kind::value;
      }
    if (t->kind == layout::module) {
      auto* m = static_cast<module_object*>(o);
      if (value* s = m->names.get(name)) {
        const value& v = m->globals[static_cast<std::size_t>(s->as_int())];
        if (!v.is_null()) {
          out = v;
          return attr_kind::value;
        }
      }
    }
  }
  if (descr) return bind_descriptor(*descr, obj, out);
  out = special_attribute(obj, name);
  if (!out.is_null()) return attr_kind::value;
  if (value g = t->get_slot(slot::getattr); !g.is_null()) {
    out = g;
    return attr_kind::call_getattr;
  }
  return attr_kind::missing;
}

value getattr(const value& obj, const value& name) {
  value out;
  switch (find_attribute(obj, name, out)) {
    case attr_kind::value:
      return out;
    case attr_kind::method:
      return value::steal(new method_object(out, obj));
    case attr_kind::call_getter:
      return call(out, {obj});
    case attr_kind::call_getattr:
      return call(out, {obj, name});
    case attr_kind::missing:
      break;
  }
  attribute_error(obj, name);
}

value getattr_opt(const value& obj, const value& name) {
  try {
    return getattr(obj, name);
  } catch (const py_exception& e) {
    if (!e.exc.type()->is_subtype(rt().e_attr)) throw;
    return value();
  }
}

/// object.__setattr__: the generic behaviour without a class's __setattr__.
void generic_setattr(const value& obj, const value& name, value v) {
  runtime& r = rt();
  object* o = obj.ptr();
  type_object* t = obj.type();
  if (value* descr = t->lookup(name);
      descr && descr->is_object() && descr->as_object()->type == r.t_property) {
    auto* p = static_cast<property_object*>(descr->as_object());
    if (p->fset.is_null() || p->fset.is_none())
      raisef(r.e_attr, "property '%s' of '%s' object has no setter", (str_of(name)).c_str(),
             t->name.c_str());
    call(p->fset, {obj, std::move(v)});
    return;
  }
  if (o && t->has_dict) {
    if (!o->attrs) o->attrs = new dict_object();
    o->attrs->table.set(name, std::move(v));
    return;
  }
  if (o && t->kind == layout::module) {
    auto* m = static_cast<module_object*>(o);
    m->globals[static_cast<std::size_t>(m->slot_for(name))] = std::move(v);
    return;
  }
  if (o && t->exception) {
    auto* e = static_cast<exception_object*>(o);
    const std::string& n = str_of(name);
    if (n == "args") {
      e->args = make_tuple(to_vector(v));
      return;
    }
    if (n == "__cause__") {
      e->cause = v;
      e->suppress_context = true;
      return;
    }
    if (n == "__context__") {
      e->context = v;
      return;
    }
    if (n == "__suppress_context__") {
      e->suppress_context = truthy(v);
      return;
    }
    if (!o->attrs) o->attrs = new dict_object();
    o->attrs->table.set(name, std::move(v));
    return;
  }
  if (o && t->kind == layout::type) {
    auto* cls = static_cast<type_object*>(o);
    if (!cls->python_class)
      raisef(r.e_type, "cannot set '%s' attribute of immutable type '%s'", (str_of(name)).c_str(),
             cls->name.c_str());
    cls->dict->table.set(name, std::move(v));
    const std::string& n = str_of(name);
    if (n.size() > 4 && n[0] == '_' && n[1] == '_') {  // a special method: refresh the caches
      for (object* x = r.objects; x; x = x->next_)
        if (x->type->kind == layout::type && static_cast<type_object*>(x)->is_subtype(cls))
          static_cast<type_object*>(x)->update_slots();
    }
    return;
  }
  if (o && t->kind == layout::function) {
    if (!o->attrs) o->attrs = new dict_object();
    o->attrs->table.set(name, std::move(v));
    return;
  }
  raisef(r.e_attr, "'%s' object has no attribute '%s'", t->name.c_str(), (str_of(name)).c_str());
}

bool set_attribute(const value& obj, const value& name, const value& v, value& fn,
                   std::vector<value>& args) {
  runtime& r = rt();
  type_object* t = obj.type();
  if (value* descr = t->lookup(name); descr && descr->is_object() &&
                                      descr->as_object()->type == r.t_property &&
                                      t->kind != layout::type) {
    auto* p = static_cast<property_object*>(descr->as_object());
    if (p->fset.is_object() && p->fset.as_object()->type == r.t_function) {
      fn = p->fset;
      args = {obj, v};
      return false;
    }
  }
  if (value s = t->get_slot(slot::setattr); !s.is_null() && t->kind != layout::type) {
    if (s.is_object() && s.as_object()->type == r.t_function) {
      fn = s;
      args = {obj, name, v};
      return false;
    }
    call(s, {obj, name, v});
    return true;
  }
  generic_setattr(obj, name, v);
  return true;
}

void setattr(const value& obj, const value& name, value v) {
  value fn;
  std::vector<value> args;
  if (!set_attribute(obj, name, v, fn, args)) call_args(fn, args.data(), args.size());
}

void delattr(const value& obj, const value& name) {
  runtime& r = rt();
  type_object* t = obj.type();
  object* o = obj.ptr();
  if (value s = t->get_slot(slot::delattr); !s.is_null() && t->kind != layout::type) {
    call(s, {obj, name});
    return;
  }
  if (o && o->attrs && o->attrs->table.erase(name)) return;
  if (o && t->kind == layout::type && static_cast<type_object*>(o)->python_class &&
      static_cast<type_object*>(o)->dict->table.erase(name)) {
    static_cast<type_object*>(o)->update_slots();
    return;
  }
  if (o && t->kind == layout::module) {
    auto* m = static_cast<module_object*>(o);
    if (value* s = m->names.get(name)) {
      value& g = m->globals[static_cast<std::size_t>(s->as_int())];
      if (!g.is_null()) {
        g = value();
        return;
      }
    }
  }
  (void)name_is;
  (void)r;
  attribute_error(obj, name);
}

}  // namespace gradlab::py
