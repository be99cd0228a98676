// Importing: host modules (built on first import), modules written in Python (run in a
// frame of their own, so importing never nests the VM), dotted names (a submodule becomes
// an attribute of its parent), and the standard modules gradlab provides: sys and
// collections (math is in math.cpp).
#include <chrono>

#include "python/vm.hpp"

namespace gradlab::py {

value dict_view_dict(const value& v);

namespace {

runtime::module_def* find_def(runtime& r, const std::string& name) {
  for (auto& d : r.module_defs)
    if (d.name == name) return &d;
  return nullptr;
}

[[noreturn]] void not_found(const std::string& name) {
  value e = make_exception(rt().e_modnotfound, "No module named '" + name + "'");
  auto* eo = static_cast<exception_object*>(e.as_object());
  eo->attrs = new dict_object();
  eo->attrs->table.set(intern("name"), make_str(name));
  raise_value(e);
}

/// Raises a SyntaxError found in a module's source as an exception value.
[[noreturn]] void raise_syntax(const syntax_error& se, const std::string& filename) {
  runtime& r = rt();
  type_object* t = r.ip->exception_type(se.type);
  if (!t) t = r.e_syntax;
  value e = make_exception(t, se.message);
  auto* eo = static_cast<exception_object*>(e.as_object());
  eo->attrs = new dict_object();
  auto& a = eo->attrs->table;
  a.set(intern("msg"), make_str(se.message));
  a.set(intern("filename"), make_str(filename));
  a.set(intern("lineno"), se.line > 0 ? value::from_int(se.line) : value::none());
  a.set(intern("offset"), value::from_int(se.offset));
  a.set(intern("end_lineno"), value::from_int(se.end_line));
  a.set(intern("end_offset"), value::from_int(se.end_offset));
  a.set(intern("text"), make_str(se.text));
  raise_value(e);
}

}  // namespace

/// Compiles a module's source; raises SyntaxError as a Python exception.
ref<code_object> compile_source(const std::string& source, const std::string& filename,
                                module_object* m) {
  try {
    program p = parse(source);
    auto src = ref<source_text>::adopt(new source_text(filename, p.source));
    return compile_module(p, m, src);
  } catch (const syntax_error& se) {
    raise_syntax(se, filename);
  }
}

/// IMPORT_NAME: returns the module (the top package unless `leaf`), or starts running a
/// Python module's code in a new frame (pushed = true; IMPORT_NAME runs again after it).
value import_name_step(const value& name, bool leaf, bool& pushed) {
  runtime& r = rt();
  const std::string& full = str_of(name);
  std::size_t pos = 0;
  value parent;
  value top;
  for (;;) {
    const std::size_t dot = full.find('.', pos);
    const std::string prefix = full.substr(0, dot);
    const std::string last =
        full.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    value key = make_str(prefix);
    value m;
    if (value* found = r.modules.get(key)) {
      m = *found;
    } else {
      runtime::module_def* def = find_def(r, prefix);
      if (!def) not_found(prefix);
      auto mod = ref<module_object>::adopt(new module_object(prefix));
      m = value(mod);
      r.modules.set(key, m);
      mod->set("__name__", make_str(prefix));
      if (def->python) {
        const std::string filename = def->filename;
        mod->set("__file__", make_str(filename));
        ref<code_object> code;
        try {
          code = compile_source(def->source, filename, mod.get());
        } catch (...) {
          r.modules.erase(key);
          throw;
        }
        push_module_frame(code, mod.get(), c_import);
        r.frames.back().extra = m;
        pushed = true;
        return value();
      }
      try {
        r.building_builtins = def->builtin;
        def->build(*r.ip, *mod, def->data);
        r.building_builtins = false;
      } catch (...) {
        r.building_builtins = false;
        r.modules.erase(key);
        throw;
      }
      mod->initialized = true;
    }
    if (!parent.is_null()) {
      auto* pm = static_cast<module_object*>(parent.as_object());
      if (pm->get(last.c_str()).is_null()) pm->set(last.c_str(), m);
    }
    if (top.is_null()) top = m;
    parent = m;
    if (dot == std::string::npos) return leaf ? m : top;
    pos = dot + 1;
  }
}

value import_module(const std::string& name, bool leaf) {
  bool pushed = false;
  value m = import_name_step(make_str(name), leaf, pushed);
  if (!pushed) return m;
  // a Python module imported from native code: run it to completion now
  value ignored;
  rt().frames.back().cont = c_nested;
  execute(rt().frames.size() - 1, &ignored);
  return import_name_step(make_str(name), leaf, pushed);
}

value import_from(const value& module, const value& name) {
  runtime& r = rt();
  value v = getattr_opt(module, name);
  if (!v.is_null()) return v;
  auto* m = static_cast<module_object*>(module.as_object());
  const std::string sub = m->name + "." + str_of(name);
  if (find_def(r, sub)) return import_module(sub, true);
  std::string where = "unknown location";
  if (value f = m->get("__file__"); is_str(f)) where = str_of(f);
  value e = make_exception(r.e_import, "cannot import name '" + str_of(name) + "' from '" +
                                           m->name + "' (" + where + ")");
  raise_value(e);
}

void import_star(module_object* into, const value& module) {
  auto* m = static_cast<module_object*>(module.as_object());
  value all = m->get("__all__");
  if (!all.is_null()) {
    for (const value& n : to_vector(all))
      into->globals[static_cast<std::size_t>(into->slot_for(n))] = getattr(module, n);
    return;
  }
  for (std::size_t i = 0; i < m->slot_names.size(); ++i) {
    const std::string& n = str_of(m->slot_names[i]);
    if (n.empty() || n[0] == '_' || m->globals[i].is_null()) continue;
    into->globals[static_cast<std::size_t>(into->slot_for(m->slot_names[i]))] = m->globals[i];
  }
}

// ------------------------------------------------------------------ sys

namespace {

value sys_exit(interpreter&, value* a, std::size_t, native_function*) {
  raise_value(make_exception_args(
      rt().e_systemexit, a[0].is_none() ? std::vector<value>{} : std::vector<value>{a[0]}));
}
value sys_getrecursionlimit(interpreter&, value*, std::size_t, native_function*) {
  return value::from_int(kRecursionLimit);
}
value sys_setrecursionlimit(interpreter&, value* a, std::size_t, native_function*) {
  if (index_of(a[0], "") != kRecursionLimit)
    raise(rt().e_notimpl,
          "sys.setrecursionlimit() is not supported by gradlab (the limit is 1000)");
  return value::none();
}

void build_sys(interpreter&, module_object& m, void*) {
  runtime& r = rt();
  for (int s = 1; s <= 2; ++s) {
    object* io = new object(r.t_textio);
    io->attrs = new dict_object();
    io->attrs->table.set(intern("_stream"), value::from_int(s));
    m.set(s == 1 ? "stdout" : "stderr", value::steal(io));
  }
  m.set("__stdout__", m.get("stdout"));
  m.set("__stderr__", m.get("stderr"));
  add_function(&m, "exit", sys_exit, "status=None, /");
  add_function(&m, "getrecursionlimit", sys_getrecursionlimit, "");
  add_function(&m, "setrecursionlimit", sys_setrecursionlimit, "limit, /");
  m.set("argv", make_list({make_str(r.main ? str_of(r.main->get("__file__")) : "")}));
  m.set("maxsize", value::from_int(INT64_MAX));
  m.set("version", make_str("3.11.2 (gradlab)"));
  m.set("version_info", make_tuple({value::from_int(3), value::from_int(11), value::from_int(2),
                                    make_str("final"), value::from_int(0)}));
  m.set("platform", make_str("gradlab"));
  m.set("byteorder", make_str("little"));
}

// ------------------------------------------------------------------ collections

value od_new(interpreter&, value* a, std::size_t, native_function*) {
  auto* t = static_cast<type_object*>(a[0].as_object());
  auto d = ref<dict_object>::adopt(new dict_object(t));
  if (!a[1].is_null()) {
    value upd = getattr(value(d), intern("update"));
    call(upd, {a[1]});
  }
  auto* kw = static_cast<dict_object*>(a[2].as_object());
  for (auto& e : kw->table.entries)
    if (!e.key.is_null()) d->table.set_hashed(e.key, e.hash, e.val);
  return value(std::move(d));
}

value dd_new(interpreter&, value* a, std::size_t, native_function*) {
  auto* t = static_cast<type_object*>(a[0].as_object());
  auto& args = static_cast<tuple_object*>(a[1].as_object())->items;
  auto d = ref<dict_object>::adopt(new dict_object(t));
  d->attrs = new dict_object();
  value factory = args.empty() ? value::none() : args[0];
  if (!factory.is_none() && !factory.is_object())
    raise(rt().e_type, "first argument must be callable or None");
  d->attrs->table.set(intern("default_factory"), factory);
  if (args.size() > 1) call(getattr(value(d), intern("update")), {args[1]});
  auto* kw = static_cast<dict_object*>(a[2].as_object());
  for (auto& e : kw->table.entries)
    if (!e.key.is_null()) d->table.set_hashed(e.key, e.hash, e.val);
  return value(std::move(d));
}

value dd_missing(interpreter&, value* a, std::size_t, native_function*) {
  auto* d = static_cast<dict_object*>(a[0].as_object());
  value f = d->attrs ? *d->attrs->table.get_str("default_factory") : value::none();
  if (f.is_none()) raise_value(make_exception_args(rt().e_key, {a[1]}));
  value v = call(f, {});
  d->table.set(a[1], v);
  return v;
}

value dd_repr(interpreter&, value* a, std::size_t, native_function*) {
  auto* d = static_cast<dict_object*>(a[0].as_object());
  value f = d->attrs ? *d->attrs->table.get_str("default_factory") : value::none();
  auto* plain = new dict_object();
  value pv = value::steal(plain);
  plain->table = d->table;
  return make_str("defaultdict(" + repr_s(f) + ", " + repr_s(pv) + ")");
}

value dd_getitem(interpreter&, value* a, std::size_t, native_function*) {
  auto* d = static_cast<dict_object*>(a[0].as_object());
  if (value* v = d->table.get(a[1])) return *v;
  value missing = getattr(a[0], intern("__missing__"));
  return call(missing, {a[1]});
}

void build_collections(interpreter&, module_object& m, void*) {
  runtime& r = rt();
  m.set("OrderedDict", value::borrow(r.t_ordered_dict));
  type_object* dd = new_builtin_type("defaultdict", r.t_dict, layout::dict);
  dd->module = "collections";
  add_method(dd, "__new__", dd_new, "cls, /, *args, **kwargs");
  add_method(dd, "__missing__", dd_missing, "self, key, /");
  add_method(dd, "__repr__", dd_repr, "self, /");
  add_method(dd, "__getitem__", dd_getitem, "self, key, /");
  dd->update_slots();
  m.set("defaultdict", value::borrow(dd));
}

// ------------------------------------------------------------------ time

double now_seconds() {
  using clock = std::chrono::system_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}
double monotonic_seconds() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}
value time_time(interpreter&, value*, std::size_t, native_function*) {
  return value::from_float(now_seconds());
}
value time_perf(interpreter&, value*, std::size_t, native_function*) {
  return value::from_float(monotonic_seconds());
}

void build_time(interpreter&, module_object& m, void*) {
  add_function(&m, "time", time_time, "");
  add_function(&m, "perf_counter", time_perf, "");
  add_function(&m, "monotonic", time_perf, "");
}

}  // namespace

void build_math(interpreter& ip, module_object& m, void*);

void register_std_modules(runtime& r) {
  r.module_defs.push_back({"sys", build_sys, nullptr, "", "", false, true});
  r.module_defs.push_back({"math", build_math, nullptr, "", "", false, true});
  r.module_defs.push_back({"collections", build_collections, nullptr, "", "", false, true});
  r.module_defs.push_back({"time", build_time, nullptr, "", "", false, true});
  type_object* od = r.t_ordered_dict;
  od->module = "collections";
  add_method(od, "__new__", od_new, "cls, other=_missing, /, **kwargs");
}

}  // namespace gradlab::py
