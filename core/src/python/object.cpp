// Object lifetime: every object is linked into its runtime's list of live objects (so the
// runtime can break reference cycles when it is torn down), and frees go through a queue
// once they nest deeply (a list of a list of ... a million deep must not overflow the stack).
#include <cstring>

#include "python/runtime.hpp"

namespace gradlab::py {

namespace {
thread_local runtime* g_rt = nullptr;
thread_local int g_free_depth = 0;
thread_local std::vector<object*>* g_pending = nullptr;
}  // namespace

runtime& rt() { return *g_rt; }

runtime_scope::runtime_scope(runtime* r) : saved(g_rt) { g_rt = r; }
runtime_scope::~runtime_scope() { g_rt = saved; }

object::object(type_object* t) noexcept : type(t) {
  if (t) incref(t);
  if (runtime* r = g_rt) {
    next_ = r->objects;
    if (next_) next_->prev_ = this;
    r->objects = this;
    ++r->live;
  }
}

object::~object() {
  if (prev_) {
    prev_->next_ = next_;
  } else if (g_rt && g_rt->objects == this) {
    g_rt->objects = next_;
  }
  if (next_) next_->prev_ = prev_;
  if (g_rt) --g_rt->live;
  if (attrs) decref(attrs);
  if (type) decref(type);
}

void object::clear() noexcept {
  if (attrs) {
    dict_object* a = attrs;
    attrs = nullptr;
    decref(a);
  }
}

void object_free(object* o) noexcept {
  if (g_free_depth >= 48) {
    if (!g_pending) g_pending = new std::vector<object*>();
    g_pending->push_back(o);
    return;
  }
  ++g_free_depth;
  delete o;
  --g_free_depth;
  if (g_free_depth == 0 && g_pending) {
    while (!g_pending->empty()) {
      object* p = g_pending->back();
      g_pending->pop_back();
      ++g_free_depth;
      delete p;
      --g_free_depth;
    }
  }
}

type_object* value::type() const noexcept {
  runtime& r = rt();
  switch (tag_) {
    case tag::object:
      return u_.o->type;
    case tag::boolean:
      return r.t_bool;
    case tag::integer:
      return r.t_int;
    case tag::floating:
      return r.t_float;
    default:
      return r.t_none;
  }
}

bool value::is(const value& o) const noexcept {
  if (tag_ != o.tag_) return false;
  switch (tag_) {
    case tag::object:
      return u_.o == o.u_.o;
    case tag::boolean:
      return u_.b == o.u_.b;
    case tag::integer:
      return u_.i == o.u_.i;
    case tag::floating:
      return std::memcmp(&u_.f, &o.u_.f, sizeof(double)) == 0;
    default:
      return true;
  }
}

// ------------------------------------------------------------------ simple objects

str_object::str_object(std::string v) : object(rt().t_str), s(std::move(v)) {}

std::size_t str_object::length() {
  if (chars < 0) chars = static_cast<std::int32_t>(utf8_length(s));
  return static_cast<std::size_t>(chars);
}

tuple_object::tuple_object(std::vector<value> v) : object(rt().t_tuple), items(std::move(v)) {}
void tuple_object::clear() noexcept {
  std::vector<value> t;
  t.swap(items);
  object::clear();
}

list_object::list_object(std::vector<value> v) : object(rt().t_list), items(std::move(v)) {}
void list_object::clear() noexcept {
  std::vector<value> t;
  t.swap(items);
  object::clear();
}

dict_object::dict_object() : object(rt().t_dict) {}
dict_object::dict_object(type_object* t) : object(t) {}
void dict_object::clear() noexcept {
  table.clear();
  object::clear();
}

set_object::set_object(type_object* t) : object(t) {}
void set_object::clear() noexcept {
  std::vector<entry> t(8);
  t.swap(table);
  fill = used = finger = 0;
  object::clear();
}

module_object::module_object(std::string n) : object(rt().t_module), name(std::move(n)) {}
void module_object::clear() noexcept {
  std::vector<value> g;
  g.swap(globals);
  std::vector<value> sn;
  sn.swap(slot_names);
  names.clear();
  object::clear();
}

std::int32_t module_object::slot_for(const value& name) {
  if (value* v = names.get(name)) return static_cast<std::int32_t>(v->as_int());
  const auto i = static_cast<std::int32_t>(globals.size());
  globals.emplace_back();
  slot_names.push_back(name);
  names.set(name, value::from_int(i));
  return i;
}

value module_object::get(const char* n) const {
  if (value* v = names.get_str(n)) return globals[static_cast<std::size_t>(v->as_int())];
  return value();
}

void module_object::set(const char* n, value v) {
  globals[static_cast<std::size_t>(slot_for(intern(n)))] = std::move(v);
}

native_function::native_function(const char* n, native_fn f, const signature* s)
    : object(rt().t_builtin), name(n), fn(f), sig(s) {}
void native_function::clear() noexcept {
  data = value();
  object::clear();
}

method_object::method_object(value f, value s)
    : object(rt().t_method), func(std::move(f)), self(std::move(s)) {}
void method_object::clear() noexcept {
  func = value();
  self = value();
  object::clear();
}

property_object::property_object(value g, value s)
    : object(rt().t_property), fget(std::move(g)), fset(std::move(s)) {}
void property_object::clear() noexcept {
  fget = value();
  fset = value();
  object::clear();
}

exception_object::exception_object(type_object* t) : object(t) {}
void exception_object::clear_traceback() noexcept {
  for (auto& e : traceback) decref(e.code);
  traceback.clear();
}
void exception_object::clear() noexcept {
  args = value();
  cause = value();
  context = value();
  clear_traceback();
  object::clear();
}
exception_object::~exception_object() { clear_traceback(); }

cell_object::cell_object() : object(rt().t_cell) {}
void cell_object::clear() noexcept {
  v = value();
  object::clear();
}

source_text::source_text(std::string f, std::string t)
    : object(rt().t_source), filename(std::move(f)), text(std::move(t)) {
  line_starts.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') line_starts.push_back(static_cast<std::uint32_t>(i + 1));
}

std::string source_text::line(int n) const {
  if (n < 1 || static_cast<std::size_t>(n) > line_starts.size()) return "";
  const std::size_t b = line_starts[static_cast<std::size_t>(n - 1)];
  if (b >= text.size()) return "";
  const std::size_t e = text.find('\n', b);
  return text.substr(b, e == std::string::npos ? std::string::npos : e - b);
}

code_object::code_object() : object(rt().t_code) {}
void code_object::clear() noexcept {
  consts.clear();
  names.clear();
  varnames.clear();
  cellvars.clear();
  freevars.clear();
  name = value();
  qualname = value();
  source = nullptr;
  object::clear();
}

function_object::function_object(ref<code_object> c, ref<module_object> m)
    : object(rt().t_function), code(std::move(c)), module(std::move(m)) {}
void function_object::clear() noexcept {
  code = nullptr;
  module = nullptr;
  defaults.clear();
  kwdefaults = value();
  closure.clear();
  name = value();
  qualname = value();
  object::clear();
}

// ------------------------------------------------------------------ helpers

value make_str(std::string s) { return value::steal(new str_object(std::move(s))); }

value intern(const std::string& s) {
  runtime& r = rt();
  // the intern table maps a str to itself
  const std::int64_t h = str_hash(s.data(), s.size());
  const std::int64_t ix = r.interned.find_text(s.data(), s.size(), h);
  if (ix >= 0) return r.interned.entries[static_cast<std::size_t>(ix)].val;
  value key = make_str(s);
  auto* so = static_cast<str_object*>(key.as_object());
  so->interned = true;
  so->hash = h;
  r.interned.set_hashed(key, h, key);
  return key;
}

value make_tuple(std::vector<value> items) {
  return value::steal(new tuple_object(std::move(items)));
}
value make_list(std::vector<value> items) {
  return value::steal(new list_object(std::move(items)));
}
ref<dict_object> make_dict() { return ref<dict_object>::adopt(new dict_object()); }

bool is_str(const value& v) { return v.is_object() && v.as_object()->type->kind == layout::str; }
const std::string& str_of(const value& v) { return static_cast<str_object*>(v.as_object())->s; }

bool is_instance(const value& v, const type_object* t) { return v.type()->is_subtype(t); }

}  // namespace gradlab::py
