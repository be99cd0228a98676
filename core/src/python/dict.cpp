// dict: an insertion-ordered table (entries in order, an open-addressing index over them),
// and the dict methods.
#include <cstring>

#include "python/runtime.hpp"

namespace gradlab::py {

namespace {

bool keys_equal(const value& a, const value& b) {
  if (a.is(b)) return true;
  if (is_str(a) && is_str(b)) return str_of(a) == str_of(b);
  if (!a.is_object() && !b.is_object()) {
    if (a.is_float() || b.is_float()) return to_double(a) == to_double(b);
    if ((a.is_int() || a.is_bool()) && (b.is_int() || b.is_bool()))
      return (a.is_int() ? a.as_int() : a.as_bool()) == (b.is_int() ? b.as_int() : b.as_bool());
    return a.kind() == b.kind();  // None
  }
  return py_eq(a, b);
}

}  // namespace

std::int64_t dict_table::find(const value& key, std::int64_t hash) const {
  if (index.empty()) return -1;
  const std::size_t mask = index.size() - 1;
  std::size_t i = static_cast<std::size_t>(hash) & mask;
  std::uint64_t perturb = static_cast<std::uint64_t>(hash);
  for (;;) {
    const std::int32_t ix = index[i];
    if (ix == -1) return -1;
    if (ix >= 0) {
      const entry& e = entries[static_cast<std::size_t>(ix)];
      if (e.hash == hash && keys_equal(e.key, key)) return ix;
    }
    perturb >>= 5;
    i = (i * 5 + static_cast<std::size_t>(perturb) + 1) & mask;
  }
}

std::int64_t dict_table::find_text(const char* s, std::size_t n, std::int64_t hash) const {
  if (index.empty()) return -1;
  const std::size_t mask = index.size() - 1;
  std::size_t i = static_cast<std::size_t>(hash) & mask;
  std::uint64_t perturb = static_cast<std::uint64_t>(hash);
  for (;;) {
    const std::int32_t ix = index[i];
    if (ix == -1) return -1;
    if (ix >= 0) {
      const entry& e = entries[static_cast<std::size_t>(ix)];
      if (e.hash == hash && is_str(e.key) && str_of(e.key).size() == n &&
          str_of(e.key).compare(0, n, s, n) == 0)
        return ix;
    }
    perturb >>= 5;
    i = (i * 5 + static_cast<std::size_t>(perturb) + 1) & mask;
  }
}

value* dict_table::get(const value& key) const {
  if (used == 0) return nullptr;
  const std::int64_t ix = find(key, py_hash(key));
  return ix < 0 ? nullptr : const_cast<value*>(&entries[static_cast<std::size_t>(ix)].val);
}

value* dict_table::get_str(const char* s) const {
  if (used == 0) return nullptr;
  const std::size_t n = std::strlen(s);
  const std::int64_t ix = find_text(s, n, str_hash(s, n));
  return ix < 0 ? nullptr : const_cast<value*>(&entries[static_cast<std::size_t>(ix)].val);
}

void dict_table::rebuild(std::size_t capacity) {
  std::vector<entry> live;
  live.reserve(used + 1);
  for (auto& e : entries)
    if (!e.key.is_null()) live.push_back(std::move(e));
  entries.swap(live);
  std::size_t n = 8;
  while (n < capacity) n <<= 1;
  index.assign(n, -1);
  const std::size_t mask = n - 1;
  for (std::size_t k = 0; k < entries.size(); ++k) {
    std::size_t i = static_cast<std::size_t>(entries[k].hash) & mask;
    std::uint64_t perturb = static_cast<std::uint64_t>(entries[k].hash);
    while (index[i] != -1) {
      perturb >>= 5;
      i = (i * 5 + static_cast<std::size_t>(perturb) + 1) & mask;
    }
    index[i] = static_cast<std::int32_t>(k);
  }
}

void dict_table::set_hashed(const value& key, std::int64_t hash, value v) {
  const std::int64_t ix = find(key, hash);
  if (ix >= 0) {
    entries[static_cast<std::size_t>(ix)].val = std::move(v);
    return;
  }
  if ((entries.size() + 1) * 3 >= index.size() * 2) rebuild((used + 1) * 3);
  const std::size_t mask = index.size() - 1;
  std::size_t i = static_cast<std::size_t>(hash) & mask;
  std::uint64_t perturb = static_cast<std::uint64_t>(hash);
  while (index[i] >= 0) {
    perturb >>= 5;
    i = (i * 5 + static_cast<std::size_t>(perturb) + 1) & mask;
  }
  index[i] = static_cast<std::int32_t>(entries.size());
  entries.push_back(entry{key, std::move(v), hash});
  ++used;
}

void dict_table::set(const value& key, value v) { set_hashed(key, py_hash(key), std::move(v)); }

bool dict_table::erase(const value& key) {
  if (used == 0) return false;
  const std::int64_t hash = py_hash(key);
  const std::int64_t ix = find(key, hash);
  if (ix < 0) return false;
  const std::size_t mask = index.size() - 1;
  std::size_t i = static_cast<std::size_t>(hash) & mask;
  std::uint64_t perturb = static_cast<std::uint64_t>(hash);
  while (index[i] != ix) {
    perturb >>= 5;
    i = (i * 5 + static_cast<std::size_t>(perturb) + 1) & mask;
  }
  index[i] = -2;
  entry& e = entries[static_cast<std::size_t>(ix)];
  value k = std::move(e.key), v = std::move(e.val);  // freed after the table is consistent
  e.key = value();
  e.val = value();
  --used;
  if (used == 0) {
    entries.clear();
    index.assign(index.size(), -1);
  }
  return true;
}

void dict_table::clear() noexcept {
  std::vector<entry> e;
  e.swap(entries);
  index.clear();
  used = 0;
}

// ------------------------------------------------------------------ methods

std::string dict_repr(dict_object* d) {
  const bool ordered = d->type->is_subtype(rt().t_ordered_dict);
  std::string s = ordered ? d->type->name + "([" : "{";
  if (ordered && d->table.used == 0) return d->type->name + "()";
  bool first = true;
  // entries may change while reprs run Python code: index, do not iterate
  for (std::size_t i = 0; i < d->table.entries.size(); ++i) {
    const value k = d->table.entries[i].key;
    const value v = d->table.entries[i].val;
    if (k.is_null()) continue;
    if (!first) s += ", ";
    first = false;
    if (ordered)
      s += "(" + repr_s(k) + ", " + repr_s(v) + ")";
    else
      s += repr_s(k) + ": " + repr_s(v);
  }
  return s + (ordered ? "])" : "}");
}

namespace {

dict_object* self_dict(value* a) { return static_cast<dict_object*>(a[0].as_object()); }

[[noreturn]] void key_error(const value& k) { raise_value(make_exception_args(rt().e_key, {k})); }

value d_get(interpreter&, value* a, std::size_t, native_function*) {
  value* v = self_dict(a)->table.get(a[1]);
  return v ? *v : (a[2].is_null() ? value::none() : a[2]);
}

value d_keys(interpreter&, value* a, std::size_t, native_function*);
value d_values(interpreter&, value* a, std::size_t, native_function*);
value d_items(interpreter&, value* a, std::size_t, native_function*);

struct dict_view : object {
  dict_view(type_object* t, value d) : object(t), dict(std::move(d)) {}
  void clear() noexcept override {
    dict = value();
    object::clear();
  }
  value dict;
};

value d_keys(interpreter&, value* a, std::size_t, native_function*) {
  return value::steal(new dict_view(rt().t_dict_keys, a[0]));
}
value d_values(interpreter&, value* a, std::size_t, native_function*) {
  return value::steal(new dict_view(rt().t_dict_values, a[0]));
}
value d_items(interpreter&, value* a, std::size_t, native_function*) {
  return value::steal(new dict_view(rt().t_dict_items, a[0]));
}

value d_pop(interpreter&, value* a, std::size_t, native_function*) {
  dict_object* d = self_dict(a);
  if (value* v = d->table.get(a[1])) {
    value r = *v;
    d->table.erase(a[1]);
    return r;
  }
  if (a[2].is_null()) key_error(a[1]);
  return a[2];
}

value d_popitem(interpreter&, value* a, std::size_t, native_function*) {
  dict_object* d = self_dict(a);
  auto& es = d->table.entries;
  const bool last = a[1].is_null() || truthy(a[1]);
  if (d->table.used == 0) {
    if (d->type->is_subtype(rt().t_ordered_dict)) key_error(make_str("dictionary is empty"));
    key_error(make_str("popitem(): dictionary is empty"));
  }
  for (std::size_t k = 0; k < es.size(); ++k) {
    const std::size_t i = last ? es.size() - 1 - k : k;
    if (es[i].key.is_null()) continue;
    value key = es[i].key, v = es[i].val;
    d->table.erase(key);
    return make_tuple({key, v});
  }
  return value::none();
}

value d_setdefault(interpreter&, value* a, std::size_t, native_function*) {
  dict_object* d = self_dict(a);
  if (value* v = d->table.get(a[1])) return *v;
  value dv = a[2].is_null() ? value::none() : a[2];
  d->table.set(a[1], dv);
  return dv;
}

void update_from(dict_object* d, const value& other) {
  if (other.is_object() && other.as_object()->type->kind == layout::dict) {
    auto* o = static_cast<dict_object*>(other.as_object());
    for (std::size_t i = 0; i < o->table.entries.size(); ++i)
      if (!o->table.entries[i].key.is_null())
        d->table.set_hashed(o->table.entries[i].key, o->table.entries[i].hash,
                            o->table.entries[i].val);
    return;
  }
  value keys = getattr_opt(other, intern("keys"));
  if (!keys.is_null()) {
    for (const value& k : to_vector(call(keys, {}))) d->table.set(k, getitem(other, k));
    return;
  }
  std::int64_t n = 0;
  for (const value& item : to_vector(other)) {
    std::vector<value> kv;
    if (!item.is_object() || (item.as_object()->type->kind != layout::tuple &&
                              item.as_object()->type->kind != layout::list)) {
      if (item.is_object() && item.as_object()->type->kind == layout::str) {
        kv = to_vector(item);
      } else {
        std::vector<value> probe;
        try {
          probe = to_vector(item);
        } catch (const py_exception&) {
          raisef(rt().e_type,
                 "cannot convert dictionary update sequence element #%lld to a sequence",
                 static_cast<long long>(n));
        }
        kv = std::move(probe);
      }
    } else {
      kv = item.as_object()->type->kind == layout::tuple
               ? static_cast<tuple_object*>(item.as_object())->items
               : static_cast<list_object*>(item.as_object())->items;
    }
    if (kv.size() != 2)
      raisef(rt().e_value,
             "dictionary update sequence element #%lld has length %lld; 2 is required",
             static_cast<long long>(n), static_cast<long long>(kv.size()));
    d->table.set(kv[0], kv[1]);
    ++n;
  }
}

value d_update(interpreter&, value* a, std::size_t, native_function*) {
  dict_object* d = self_dict(a);
  if (!a[1].is_null()) update_from(d, a[1]);
  auto* kw = static_cast<dict_object*>(a[2].as_object());
  for (auto& e : kw->table.entries)
    if (!e.key.is_null()) d->table.set_hashed(e.key, e.hash, e.val);
  return value::none();
}

value d_clear(interpreter&, value* a, std::size_t, native_function*) {
  self_dict(a)->table.clear();
  return value::none();
}

value d_copy(interpreter&, value* a, std::size_t, native_function*) {
  dict_object* d = self_dict(a);
  auto n = ref<dict_object>::adopt(
      new dict_object(d->type->is_subtype(rt().t_ordered_dict) ? d->type : rt().t_dict));
  n->table = d->table;
  return value(std::move(n));
}

value d_fromkeys(interpreter&, value* a, std::size_t, native_function*) {
  auto n = make_dict();
  const value v = a[1].is_null() ? value::none() : a[1];
  for (const value& k : to_vector(a[0])) n->table.set(k, v);
  return value(std::move(n));
}

value d_move_to_end(interpreter&, value* a, std::size_t, native_function*) {
  dict_object* d = self_dict(a);
  value* v = d->table.get(a[1]);
  if (!v) key_error(a[1]);
  value val = *v;
  const bool last = a[2].is_null() || truthy(a[2]);
  if (last) {
    d->table.erase(a[1]);
    d->table.set(a[1], val);
  } else {
    dict_table t;
    t.set(a[1], val);
    for (auto& e : d->table.entries)
      if (!e.key.is_null() && !py_eq(e.key, a[1])) t.set_hashed(e.key, e.hash, e.val);
    d->table = std::move(t);
  }
  return value::none();
}

value d_new(interpreter&, value* a, std::size_t, native_function*) {
  auto* t = static_cast<type_object*>(a[0].as_object());
  auto d = ref<dict_object>::adopt(new dict_object(t));
  if (!a[1].is_null()) update_from(d.get(), a[1]);
  auto* kw = static_cast<dict_object*>(a[2].as_object());
  for (auto& e : kw->table.entries)
    if (!e.key.is_null()) d->table.set_hashed(e.key, e.hash, e.val);
  return value(std::move(d));
}

value view_len(const value& v) {
  auto* dv = static_cast<dict_view*>(v.as_object());
  return value::from_int(
      static_cast<std::int64_t>(static_cast<dict_object*>(dv->dict.as_object())->table.used));
}

}  // namespace

value dict_view_dict(const value& v) { return static_cast<dict_view*>(v.as_object())->dict; }

void init_dict_methods(runtime& r) {
  type_object* t = r.t_dict;
  add_method(t, "__new__", d_new, "cls, iterable=_missing, /, **kwargs");
  add_method(t, "get", d_get, "self, key, default=None, /");
  add_method(t, "keys", d_keys, "self, /");
  add_method(t, "values", d_values, "self, /");
  add_method(t, "items", d_items, "self, /");
  add_method(t, "pop", d_pop, "self, key, default=_missing, /");
  add_method(t, "popitem", d_popitem, "self, /");
  add_method(t, "setdefault", d_setdefault, "self, key, default=None, /");
  add_method(t, "update", d_update, "self, other=_missing, /, **kwargs");
  add_method(t, "clear", d_clear, "self, /");
  add_method(t, "copy", d_copy, "self, /");
  add_method(t, "fromkeys", d_fromkeys, "iterable, value=None, /");
  type_object* od = r.t_ordered_dict;
  add_method(od, "move_to_end", d_move_to_end, "self, key, last=True");
  add_method(od, "popitem", d_popitem, "self, last=True");
  (void)view_len;
}

}  // namespace gradlab::py
