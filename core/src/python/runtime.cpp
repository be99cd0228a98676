// The runtime's construction (the built-in types, the builtins module, the standard
// modules) and its teardown, which breaks every reference cycle so that all objects go.
#include "python/vm.hpp"

namespace gradlab::py {

void declare_builtins(runtime& r);

namespace {
object* alloc_plain(type_object* t) { return new object(t); }
}  // namespace

void runtime::write(int stream, const std::string& s) {
  if (out)
    out(out_ctx, stream, s.data(), s.size());
  else
    std::fwrite(s.data(), 1, s.size(), stream == 2 ? stderr : stdout);
}

runtime::runtime() {
  runtime_scope scope(this);
  // bootstrap: type, object and dict before anything that has a namespace
  t_type = new type_object(nullptr, "type", nullptr, layout::type);
  t_type->type = t_type;
  incref(t_type);
  t_object = new type_object(t_type, "object", nullptr, layout::object);
  t_type->base = t_object;
  incref(t_object);
  t_dict = new type_object(t_type, "dict", t_object, layout::dict);
  for (type_object* t : {t_type, t_object, t_dict}) {
    t->dict = new dict_object();
    all_types.push_back(t);
  }
  t_object->alloc = alloc_plain;
  auto make = [&](const char* n, type_object* base, layout k, bool final = false) {
    type_object* t = new_builtin_type(n, base, k);
    t->final = final;
    return t;
  };
  t_none = make("NoneType", nullptr, layout::object, true);
  t_int = make("int", nullptr, layout::object);
  t_bool = make("bool", t_int, layout::object, true);
  t_float = make("float", nullptr, layout::object);
  t_str = make("str", nullptr, layout::str);
  t_tuple = make("tuple", nullptr, layout::tuple);
  t_list = make("list", nullptr, layout::list);
  t_set = make("set", nullptr, layout::set);
  t_frozenset = make("frozenset", nullptr, layout::set);
  t_range = make("range", nullptr, layout::range, true);
  t_slice = make("slice", nullptr, layout::slice, true);
  t_function = make("function", nullptr, layout::function, true);
  t_builtin = make("builtin_function_or_method", nullptr, layout::native_function, true);
  t_method = make("method", nullptr, layout::method, true);
  t_module = make("module", nullptr, layout::module);
  t_cell = make("cell", nullptr, layout::cell, true);
  t_code = make("code", nullptr, layout::code, true);
  t_property = make("property", nullptr, layout::property);
  t_staticmethod = make("staticmethod", nullptr, layout::staticmethod);
  t_classmethod = make("classmethod", nullptr, layout::classmethod);
  t_super = make("super", nullptr, layout::super);
  t_notimpl = make("NotImplementedType", nullptr, layout::object, true);
  t_ellipsis = make("ellipsis", nullptr, layout::object, true);
  t_source = make("source", nullptr, layout::object, true);
  t_generator = make("generator", nullptr, layout::iterator, true);
  t_list_iter = make("list_iterator", nullptr, layout::iterator, true);
  t_tuple_iter = make("tuple_iterator", nullptr, layout::iterator, true);
  t_range_iter = make("range_iterator", nullptr, layout::iterator, true);
  t_str_iter = make("str_ascii_iterator", nullptr, layout::iterator, true);
  t_dict_keyiter = make("dict_keyiterator", nullptr, layout::iterator, true);
  t_dict_valueiter = make("dict_valueiterator", nullptr, layout::iterator, true);
  t_dict_itemiter = make("dict_itemiterator", nullptr, layout::iterator, true);
  t_set_iter = make("set_iterator", nullptr, layout::iterator, true);
  t_zip = make("zip", nullptr, layout::iterator, true);
  t_enumerate = make("enumerate", nullptr, layout::iterator, true);
  t_map = make("map", nullptr, layout::iterator, true);
  t_filter = make("filter", nullptr, layout::iterator, true);
  t_reversed = make("reversed", nullptr, layout::iterator, true);
  t_callable_iter = make("callable_iterator", nullptr, layout::iterator, true);
  t_seq_iter = make("iterator", nullptr, layout::iterator, true);
  t_dict_keys = make("dict_keys", nullptr, layout::object, true);
  t_dict_values = make("dict_values", nullptr, layout::object, true);
  t_dict_items = make("dict_items", nullptr, layout::object, true);
  t_ordered_dict = make("OrderedDict", t_dict, layout::dict);
  t_textio = make("TextIOWrapper", nullptr, layout::object, true);
  t_textio->module = "_io";
  not_implemented = value::steal(new object(t_notimpl));
  ellipsis = value::steal(new object(t_ellipsis));
  s_init = intern("__init__");
  s_name = intern("__name__");
  s_qualname = intern("__qualname__");
  s_module = intern("__module__");
  s_class = intern("__class__");
  s_dict = intern("__dict__");
  s_call = intern("__call__");
  s_args = intern("args");
  s_self = intern("self");
  builtins = ref<module_object>::adopt(new module_object("builtins"));
  building_builtins = true;
  declare_builtins(*this);
  init_exceptions(*this);
  init_builtins(*this);
  init_iterators(*this);
  init_str_methods(*this);
  init_list_methods(*this);
  init_dict_methods(*this);
  init_set_methods(*this);
  register_std_modules(*this);
  building_builtins = false;
  modules.set(make_str("builtins"), value(builtins));
  for (type_object* t : all_types) t->update_slots();
  frames.reserve(kRecursionLimit + kMaxNested + 64);  // frames never move in practice
}

recursion_scope::recursion_scope(const char* where) {
  runtime& r = rt();
  if (r.depth + 1 > kRecursionLimit || stack_low())
    raisef(r.e_recursion, "maximum recursion depth exceeded%s", where);
  ++r.depth;
}
recursion_scope::~recursion_scope() { --rt().depth; }

runtime::~runtime() {
  runtime_scope scope(this);
  while (!frames.empty()) pop_frame();
  handled = value();
  kwnames = value();
  result_error = value();
  // every live object: hold it, clear it (dropping its references), then let it go
  std::vector<object*> all;
  all.reserve(live);
  for (object* o = objects; o; o = o->next_) {
    incref(o);
    all.push_back(o);
  }
  for (object* o : all) o->clear();
  chunks.clear();
  builtins = nullptr;
  main = nullptr;
  modules.clear();
  interned.clear();
  not_implemented = value();
  ellipsis = value();
  s_init = s_name = s_qualname = s_module = s_class = s_dict = s_call = s_args = s_self = value();
  slot_index.clear();
  for (type_object* t : all_types) decref(t);
  all_types.clear();
  t_type->type = nullptr;  // type's type is itself: drop that reference
  decref(t_type);
  for (object* o : all) decref(o);
  for (signature* s : signatures) delete s;
}

}  // namespace gradlab::py
