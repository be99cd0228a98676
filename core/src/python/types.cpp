// Types: creation (built-in, host and class statements), the special-method cache, calling
// a type (object.__new__ then __init__), native function signatures, and the descriptors
// (property, staticmethod, classmethod, super).
#include "python/runtime.hpp"

namespace gradlab::py {

namespace {
const char* const kSlotNames[] = {
    "__add__",      "__and__",      "__floordiv__", "__lshift__",    "__matmul__",    "__mul__",
    "__mod__",      "__or__",       "__pow__",      "__rshift__",    "__sub__",       "__truediv__",
    "__xor__",      "__radd__",     "__rand__",     "__rfloordiv__", "__rlshift__",   "__rmatmul__",
    "__rmul__",     "__rmod__",     "__ror__",      "__rpow__",      "__rrshift__",   "__rsub__",
    "__rtruediv__", "__rxor__",     "__iadd__",     "__iand__",      "__ifloordiv__", "__ilshift__",
    "__imatmul__",  "__imul__",     "__imod__",     "__ior__",       "__ipow__",      "__irshift__",
    "__isub__",     "__itruediv__", "__ixor__",     "__neg__",       "__pos__",       "__invert__",
    "__abs__",      "__lt__",       "__le__",       "__eq__",        "__ne__",        "__gt__",
    "__ge__",       "__bool__",     "__len__",      "__getitem__",   "__setitem__",   "__delitem__",
    "__contains__", "__iter__",     "__next__",     "__call__",      "__repr__",      "__str__",
    "__format__",   "__hash__",     "__getattr__",  "__setattr__",   "__delattr__",   "__enter__",
    "__exit__",     "__init__",     "__new__",      "__index__",     "__int__",       "__float__",
    "__round__",    "__get__",      "__set__"};
static_assert(sizeof(kSlotNames) / sizeof(kSlotNames[0]) == static_cast<int>(slot::count),
              "slot names");
}  // namespace

const char* slot_name(slot s) { return kSlotNames[static_cast<int>(s)]; }

type_object::type_object(type_object* metatype, std::string n, type_object* b, layout k)
    : object(metatype), name(n), qualname(std::move(n)), base(b), kind(k) {
  if (base) incref(base);
  if (rt().t_dict) dict = new dict_object();
  if (base) {
    has_dict = base->has_dict;
    exception = base->exception;
    alloc = base->alloc;
  }
}

type_object::~type_object() { clear(); }

void type_object::clear() noexcept {
  if (dict) {
    dict_object* d = dict;
    dict = nullptr;
    decref(d);
  }
  if (base) {
    type_object* b = base;
    base = nullptr;
    decref(b);
  }
  for (auto& s : slots) s = value();
  object::clear();
}

bool type_object::is_subtype(const type_object* other) const {
  for (const type_object* t = this; t; t = t->base)
    if (t == other) return true;
  return false;
}

value* type_object::lookup(const value& n) const {
  for (const type_object* t = this; t; t = t->base)
    if (t->dict)
      if (value* v = t->dict->table.get(n)) return v;
  return nullptr;
}

void type_object::update_slots() {
  runtime& r = rt();
  if (r.slot_index.size() == 0)
    for (int s = 0; s < static_cast<int>(slot::count); ++s)
      r.slot_index.set(intern(kSlotNames[s]), value::from_int(s));
  for (auto& s : slots) s = value();
  // the namespaces from the base down, so that a subclass overrides (object's defaults
  // are not cached: its generic behaviour is the VM's)
  std::vector<const type_object*> chain;
  for (const type_object* t = this; t && t != r.t_object; t = t->base) chain.push_back(t);
  for (std::size_t k = chain.size(); k-- > 0;) {
    if (!chain[k]->dict) continue;
    for (const auto& e : chain[k]->dict->table.entries) {
      if (e.key.is_null() || !is_str(e.key)) continue;
      const std::string& n = str_of(e.key);
      if (n.size() < 5 || n[0] != '_' || n[1] != '_') continue;
      const std::int64_t ix = r.slot_index.find_text(n.data(), n.size(), py_hash(e.key));
      if (ix >= 0) slots[r.slot_index.entries[static_cast<std::size_t>(ix)].val.as_int()] = e.val;
    }
  }
}

type_object* new_builtin_type(const char* name, type_object* base, layout kind) {
  runtime& r = rt();
  auto* t = new type_object(r.t_type, name, base ? base : r.t_object, kind);
  r.all_types.push_back(t);  // the runtime keeps the reference
  return t;
}

// ------------------------------------------------------------------ signatures

// A parameter list in Python syntax ("self, other, /, *args, key=None, **kwargs"); defaults
// are literals (numbers, strings, None, True, False; `_missing`: optional without a value).
// Parameters are stored in CPython's local order: positional, keyword-only, *args, **kwargs.
const signature* parse_signature(const std::string& name, const char* params) {
  auto* sig = new signature();
  rt().signatures.push_back(sig);
  sig->name = name;
  sig->builtin = rt().building_builtins;
  struct param {
    std::string name;
    int kind;  // 0 positional, 1 keyword-only, 2 *args, 3 **kwargs
    bool optional;
    value dflt;
  };
  std::vector<param> ps;
  bool star = false;
  const std::string text = params;
  std::size_t i = 0;
  auto skip = [&]() {
    while (i < text.size() && text[i] == ' ') ++i;
  };
  while (skip(), i < text.size()) {
    std::size_t e = i;
    char quote = 0;
    for (; e < text.size() && (quote || text[e] != ','); ++e)
      if (text[e] == '\'' || text[e] == '"')
        quote = quote == text[e] ? 0 : (quote ? quote : text[e]);
    std::string item = text.substr(i, e - i);
    while (!item.empty() && item.back() == ' ') item.pop_back();
    i = e + 1;
    if (item == "/") {
      sig->positional_only = static_cast<int>(ps.size());
      continue;
    }
    if (item == "*") {
      star = true;
      continue;
    }
    param p{"", star ? 1 : 0, false, value()};
    if (item.compare(0, 2, "**") == 0) {
      p.kind = 3;
      item = item.substr(2);
    } else if (item[0] == '*') {
      p.kind = 2;
      star = true;
      item = item.substr(1);
    }
    const std::size_t eq = item.find('=');
    p.name = item.substr(0, eq);
    if (eq != std::string::npos) {
      p.optional = true;
      const std::string d = item.substr(eq + 1);
      if (d == "None")
        p.dflt = value::none();
      else if (d == "True" || d == "False")
        p.dflt = value::from_bool(d == "True");
      else if (d[0] == '\'' || d[0] == '"')
        p.dflt = make_str(d == "'\\n'" ? std::string("\n") : d.substr(1, d.size() - 2));
      else if (d == "_missing")
        p.dflt = value();
      else if (d.find_first_of(".e") != std::string::npos)
        p.dflt = value::from_float(std::strtod(d.c_str(), nullptr));
      else
        p.dflt = value::from_int(std::strtoll(d.c_str(), nullptr, 10));
    }
    ps.push_back(std::move(p));
  }
  for (int pass = 0; pass < 4; ++pass)
    for (std::size_t w = 0; w < ps.size(); ++w) {
      const param& p = ps[w];
      if (p.kind != pass) continue;
      if (p.kind == 2) sig->varargs = static_cast<int>(w);
      if (p.kind == 3) sig->varkw = static_cast<int>(w);
      sig->names.push_back(intern(p.name));
      sig->optional.push_back(p.optional || p.kind >= 2);
      sig->defaults.push_back(p.dflt);
      sig->slots.push_back(static_cast<int>(w));
      if (p.kind == 0) ++sig->positional;
      if (p.kind == 1) ++sig->keyword_only;
    }
  return sig;
}

value make_native(const char* name, native_fn fn, const char* params, type_object* owner) {
  std::string full = owner ? owner->name + "." + name : std::string(name);
  const signature* sig = params ? parse_signature(full, params) : nullptr;
  auto* f = new native_function(name, fn, sig);
  f->owner = owner;
  return value::steal(f);
}

void add_method(type_object* t, const char* name, native_fn fn, const char* params) {
  t->dict->table.set(intern(name), make_native(name, fn, params, t));
}

void add_function(module_object* m, const char* name, native_fn fn, const char* params) {
  value f = make_native(name, fn, params);
  auto* nf = static_cast<native_function*>(f.as_object());
  if (nf->sig && nf->sig->builtin && m->name != "builtins")  // "math.sqrt() takes ..."
    const_cast<signature*>(nf->sig)->name = m->name + "." + name;
  m->set(name, std::move(f));
}

// ------------------------------------------------------------------ classes

value make_class(const value& name, const value& bases, const value& ns, const value& qualname) {
  runtime& r = rt();
  auto& bl = static_cast<tuple_object*>(bases.as_object())->items;
  type_object* base = r.t_object;
  if (bl.size() > 1) {
    std::vector<value> real;
    for (const value& b : bl)
      if (!b.is(value::borrow(r.t_object))) real.push_back(b);
    if (real.size() > 1) raise(r.e_type, "multiple inheritance is not supported by gradlab");
    if (real.size() == 1) base = static_cast<type_object*>(real[0].as_object());
  } else if (bl.size() == 1) {
    if (!bl[0].is_object() || bl[0].as_object()->type->kind != layout::type)
      raise(r.e_type, "bases must be types");
    base = static_cast<type_object*>(bl[0].as_object());
  }
  if (base->final) raisef(r.e_type, "type '%s' is not an acceptable base type", base->name.c_str());
  auto* t = new type_object(r.t_type, str_of(name), base, base->kind);
  value tv = value::steal(t);
  t->python_class = true;
  t->qualname = qualname.is_null() ? t->name : str_of(qualname);
  t->has_dict = true;
  auto* d = static_cast<dict_object*>(ns.as_object());
  t->dict->table = d->table;
  if (value* m = t->dict->table.get(r.s_module); m && is_str(*m)) t->module = str_of(*m);
  t->dict->table.erase(intern("__qualname__"));
  // __eq__ without __hash__ makes instances unhashable, as in CPython
  if (t->dict->table.get(intern("__eq__")) && !t->dict->table.get(intern("__hash__")))
    t->dict->table.set(intern("__hash__"), value::none());
  // __new__ defined in a class body is a static method
  if (value* nw = t->dict->table.get(intern("__new__"));
      nw && nw->is_object() && nw->as_object()->type == r.t_function) {
    object* sm = new object(r.t_staticmethod);
    sm->attrs = new dict_object();
    sm->attrs->table.set(intern("__func__"), *nw);
    *nw = value::steal(sm);
  }
  t->update_slots();
  return tv;
}

}  // namespace gradlab::py
