// set and frozenset with CPython's table (linear probing, then perturbation; resize at 60%
// fill), so that sets of ints print in the order CPython prints them.
#include "python/runtime.hpp"

namespace gradlab::py {

namespace {

constexpr std::size_t kLinearProbes = 9;

bool keys_equal(const value& a, const value& b) {
  if (a.is(b)) return true;
  if (is_str(a) && is_str(b)) return str_of(a) == str_of(b);
  return py_eq(a, b);
}

void insert_clean(std::vector<set_object::entry>& table, const value& key, std::int64_t hash) {
  const std::size_t mask = table.size() - 1;
  std::size_t i = static_cast<std::size_t>(hash) & mask;
  std::uint64_t perturb = static_cast<std::uint64_t>(hash);
  for (;;) {
    if (table[i].key.is_null()) break;
    bool found = false;
    if (i + kLinearProbes <= mask) {
      for (std::size_t j = 1; j <= kLinearProbes; ++j)
        if (table[i + j].key.is_null()) {
          i += j;
          found = true;
          break;
        }
    }
    if (found) break;
    perturb >>= 5;
    i = (i * 5 + 1 + static_cast<std::size_t>(perturb)) & mask;
  }
  table[i].key = key;
  table[i].hash = hash;
  table[i].dummy = false;
}

set_object* as_set(const value& v) { return static_cast<set_object*>(v.as_object()); }
bool is_set(const value& v) { return v.is_object() && v.as_object()->type->kind == layout::set; }

}  // namespace

void set_object::resize(std::size_t minused) {
  std::size_t n = 8;
  while (n <= minused) n <<= 1;
  std::vector<entry> old(n);
  old.swap(table);
  fill = used;
  for (auto& e : old)
    if (!e.key.is_null()) insert_clean(table, e.key, e.hash);
}

bool set_object::contains(const value& key, std::int64_t hash) const {
  const std::size_t mask = table.size() - 1;
  std::size_t i = static_cast<std::size_t>(hash) & mask;
  std::uint64_t perturb = static_cast<std::uint64_t>(hash);
  for (;;) {
    std::size_t probes = i + kLinearProbes <= mask ? kLinearProbes : 0;
    for (std::size_t j = 0;; ++j) {
      const entry& e = table[i + j];
      if (e.key.is_null() && !e.dummy) return false;
      if (!e.key.is_null() && e.hash == hash && keys_equal(e.key, key)) return true;
      if (probes-- == 0) break;
    }
    perturb >>= 5;
    i = (i * 5 + 1 + static_cast<std::size_t>(perturb)) & mask;
  }
}

void set_object::add(const value& key, std::int64_t hash) {
  const std::size_t mask = table.size() - 1;
  std::size_t i = static_cast<std::size_t>(hash) & mask;
  std::uint64_t perturb = static_cast<std::uint64_t>(hash);
  entry* freeslot = nullptr;
  entry* e = nullptr;
  for (;;) {
    std::size_t probes = i + kLinearProbes <= mask ? kLinearProbes : 0;
    e = &table[i];
    bool unused = false;
    for (;;) {
      if (e->key.is_null() && !e->dummy) {
        unused = true;
        break;
      }
      if (!e->key.is_null() && e->hash == hash && keys_equal(e->key, key)) return;
      if (e->dummy && !freeslot) freeslot = e;
      if (probes-- == 0) break;
      ++e;
    }
    if (unused) break;
    perturb >>= 5;
    i = (i * 5 + 1 + static_cast<std::size_t>(perturb)) & mask;
  }
  if (freeslot) {
    ++used;
    freeslot->key = key;
    freeslot->hash = hash;
    freeslot->dummy = false;
    return;
  }
  ++fill;
  ++used;
  e->key = key;
  e->hash = hash;
  if (fill * 5 < mask * 3) return;
  resize(used > 50000 ? used * 2 : used * 4);
}

bool set_object::discard(const value& key, std::int64_t hash) {
  const std::size_t mask = table.size() - 1;
  std::size_t i = static_cast<std::size_t>(hash) & mask;
  std::uint64_t perturb = static_cast<std::uint64_t>(hash);
  for (;;) {
    std::size_t probes = i + kLinearProbes <= mask ? kLinearProbes : 0;
    for (std::size_t j = 0;; ++j) {
      entry& e = table[i + j];
      if (e.key.is_null() && !e.dummy) return false;
      if (!e.key.is_null() && e.hash == hash && keys_equal(e.key, key)) {
        value old = std::move(e.key);
        e.key = value();
        e.dummy = true;
        e.hash = -1;
        --used;
        return true;
      }
      if (probes-- == 0) break;
    }
    perturb >>= 5;
    i = (i * 5 + 1 + static_cast<std::size_t>(perturb)) & mask;
  }
}

value make_set(type_object* t) { return value::steal(new set_object(t)); }

// CPython's set_merge: one resize up front, a straight copy when the table is empty and
// the same size, else insertions in the other table's order.
static void merge(set_object* s, set_object* o) {
  if (s == o || o->used == 0) return;
  if ((s->fill + o->used) * 5 >= (s->table.size() - 1) * 3) s->resize((s->used + o->used) * 2);
  if (s->fill == 0 && s->table.size() == o->table.size() && o->fill == o->used) {
    for (std::size_t i = 0; i < o->table.size(); ++i) {
      s->table[i].key = o->table[i].key;
      s->table[i].hash = o->table[i].hash;
      s->table[i].dummy = false;
    }
    s->fill = o->fill;
    s->used = o->used;
    return;
  }
  if (s->fill == 0) {
    s->fill = s->used = o->used;
    for (auto& e : o->table)
      if (!e.key.is_null()) insert_clean(s->table, e.key, e.hash);
    return;
  }
  for (std::size_t i = 0; i < o->table.size(); ++i) {
    const value k = o->table[i].key;
    if (!k.is_null()) s->add(k, o->table[i].hash);
  }
}

void set_update(set_object* s, const value& iterable) {
  if (is_set(iterable)) {
    merge(s, as_set(iterable));
    return;
  }
  if (iterable.is_object() && iterable.as_object()->type->kind == layout::dict) {
    auto* d = static_cast<dict_object*>(iterable.as_object());
    const std::size_t n = d->table.used;
    if ((s->fill + n) * 5 >= (s->table.size() - 1) * 3) s->resize((s->used + n) * 2);
    for (std::size_t i = 0; i < d->table.entries.size(); ++i)
      if (!d->table.entries[i].key.is_null())
        s->add(d->table.entries[i].key, d->table.entries[i].hash);
    return;
  }
  for (const value& v : to_vector(iterable)) s->add(v, py_hash(v));
}

std::string set_repr(set_object* s) {
  const bool frozen = s->type->is_subtype(rt().t_frozenset);
  const bool exact = s->type == rt().t_set || s->type == rt().t_frozenset;
  if (s->used == 0) return s->type->name + "()";
  std::string r = (!exact || frozen) ? s->type->name + "({" : "{";
  bool first = true;
  for (std::size_t i = 0; i < s->table.size(); ++i) {
    const value k = s->table[i].key;
    if (k.is_null()) continue;
    if (!first) r += ", ";
    first = false;
    r += repr_s(k);
  }
  return r + ((!exact || frozen) ? "})" : "}");
}

namespace {

set_object* self(value* a) { return as_set(a[0]); }

value new_like(set_object* s) {
  return make_set(s->type->is_subtype(rt().t_frozenset) ? rt().t_frozenset : rt().t_set);
}

value copy_of(set_object* s) {
  value r = new_like(s);
  merge(as_set(r), s);
  return r;
}

value other_set(const value& v) {
  if (is_set(v)) return v;
  value s = make_set(rt().t_set);
  set_update(as_set(s), v);
  return s;
}

value s_add(interpreter&, value* a, std::size_t, native_function*) {
  self(a)->add(a[1], py_hash(a[1]));
  return value::none();
}
value s_discard(interpreter&, value* a, std::size_t, native_function*) {
  self(a)->discard(a[1], py_hash(a[1]));
  return value::none();
}
value s_remove(interpreter&, value* a, std::size_t, native_function*) {
  if (!self(a)->discard(a[1], py_hash(a[1]))) raise_value(make_exception_args(rt().e_key, {a[1]}));
  return value::none();
}
value s_pop(interpreter&, value* a, std::size_t, native_function*) {
  set_object* s = self(a);
  if (s->used == 0) raise(rt().e_key, "pop from an empty set");
  const std::size_t mask = s->table.size() - 1;
  std::size_t i = s->finger & mask;
  while (s->table[i].key.is_null()) i = i + 1 > mask ? 0 : i + 1;
  value k = std::move(s->table[i].key);
  s->table[i].key = value();
  s->table[i].dummy = true;
  s->table[i].hash = -1;
  --s->used;
  s->finger = i + 1;
  return k;
}
value s_clear(interpreter&, value* a, std::size_t, native_function*) {
  set_object* s = self(a);
  std::vector<set_object::entry> t(8);
  t.swap(s->table);
  s->fill = s->used = 0;
  return value::none();
}
value s_copy(interpreter&, value* a, std::size_t, native_function*) { return copy_of(self(a)); }
value s_update(interpreter&, value* a, std::size_t, native_function*) {
  for (const value& o : static_cast<tuple_object*>(a[1].as_object())->items) set_update(self(a), o);
  return value::none();
}
value s_union(interpreter&, value* a, std::size_t, native_function*) {
  value r = copy_of(self(a));
  for (const value& o : static_cast<tuple_object*>(a[1].as_object())->items)
    set_update(as_set(r), o);
  return r;
}

value intersect(set_object* a, const value& other_v) {
  value ov = other_set(other_v);
  set_object* b = as_set(ov);
  value r = new_like(a);
  set_object* big = a;
  set_object* small = b;
  if (b->used > a->used) {
    big = b;
    small = a;
  }
  for (std::size_t i = 0; i < small->table.size(); ++i) {
    const value k = small->table[i].key;
    if (!k.is_null() && big->contains(k, small->table[i].hash))
      as_set(r)->add(k, small->table[i].hash);
  }
  return r;
}

value difference(set_object* a, const value& other_v) {
  value ov = other_set(other_v);
  set_object* b = as_set(ov);
  value r;
  if ((a->used >> 2) > b->used) {
    r = copy_of(a);
    for (std::size_t i = 0; i < b->table.size(); ++i)
      if (!b->table[i].key.is_null()) as_set(r)->discard(b->table[i].key, b->table[i].hash);
    return r;
  }
  r = new_like(a);
  for (std::size_t i = 0; i < a->table.size(); ++i) {
    const value k = a->table[i].key;
    if (!k.is_null() && !b->contains(k, a->table[i].hash)) as_set(r)->add(k, a->table[i].hash);
  }
  return r;
}

value symdiff(set_object* a, const value& other_v) {
  value ov = other_set(other_v);
  set_object* b = as_set(ov);
  value r = copy_of(a);
  for (std::size_t i = 0; i < b->table.size(); ++i) {
    const value k = b->table[i].key;
    if (k.is_null()) continue;
    if (!as_set(r)->discard(k, b->table[i].hash)) as_set(r)->add(k, b->table[i].hash);
  }
  return r;
}

value s_intersection(interpreter&, value* a, std::size_t, native_function*) {
  value r = copy_of(self(a));
  for (const value& o : static_cast<tuple_object*>(a[1].as_object())->items)
    r = intersect(as_set(r), o);
  return r;
}
value s_difference(interpreter&, value* a, std::size_t, native_function*) {
  value r = copy_of(self(a));
  for (const value& o : static_cast<tuple_object*>(a[1].as_object())->items)
    r = difference(as_set(r), o);
  return r;
}
value s_symdiff(interpreter&, value* a, std::size_t, native_function*) {
  return symdiff(self(a), a[1]);
}

bool subset(set_object* a, set_object* b) {
  if (a->used > b->used) return false;
  for (std::size_t i = 0; i < a->table.size(); ++i)
    if (!a->table[i].key.is_null() && !b->contains(a->table[i].key, a->table[i].hash)) return false;
  return true;
}
value s_issubset(interpreter&, value* a, std::size_t, native_function*) {
  value o = other_set(a[1]);
  return value::from_bool(subset(self(a), as_set(o)));
}
value s_issuperset(interpreter&, value* a, std::size_t, native_function*) {
  value o = other_set(a[1]);
  return value::from_bool(subset(as_set(o), self(a)));
}
value s_isdisjoint(interpreter&, value* a, std::size_t, native_function*) {
  value o = other_set(a[1]);
  value r = intersect(self(a), o);
  return value::from_bool(as_set(r)->used == 0);
}
value s_difference_update(interpreter&, value* a, std::size_t, native_function*) {
  set_object* s = self(a);
  for (const value& o : static_cast<tuple_object*>(a[1].as_object())->items)
    for (const value& k : to_vector(o)) s->discard(k, py_hash(k));
  return value::none();
}
value s_intersection_update(interpreter&, value* a, std::size_t, native_function*) {
  set_object* s = self(a);
  value r = copy_of(s);
  for (const value& o : static_cast<tuple_object*>(a[1].as_object())->items)
    r = intersect(as_set(r), o);
  s->table = as_set(r)->table;
  s->fill = as_set(r)->fill;
  s->used = as_set(r)->used;
  return value::none();
}

value s_new(interpreter&, value* a, std::size_t, native_function*) {
  auto* t = static_cast<type_object*>(a[0].as_object());
  value s = make_set(t);
  if (!a[1].is_null()) set_update(as_set(s), a[1]);
  return s;
}

}  // namespace

/// Set operators for the VM: | & - ^ (null when not both sets), and comparisons.
value set_binary(const value& a, const value& b, binary_op op) {
  if (!is_set(a) || !is_set(b)) return value();
  switch (op) {
    case binary_op::or_: {
      value r = copy_of(as_set(a));
      merge(as_set(r), as_set(b));
      return r;
    }
    case binary_op::and_:
      return intersect(as_set(a), b);
    case binary_op::sub:
      return difference(as_set(a), b);
    case binary_op::xor_:
      return symdiff(as_set(a), b);
    default:
      return value();
  }
}

value set_compare(const value& a, const value& b, compare_op op) {
  if (!is_set(a) || !is_set(b)) return value();
  set_object* x = as_set(a);
  set_object* y = as_set(b);
  switch (op) {
    case compare_op::eq:
      return value::from_bool(x->used == y->used && subset(x, y));
    case compare_op::ne:
      return value::from_bool(!(x->used == y->used && subset(x, y)));
    case compare_op::le:
      return value::from_bool(subset(x, y));
    case compare_op::ge:
      return value::from_bool(subset(y, x));
    case compare_op::lt:
      return value::from_bool(x->used < y->used && subset(x, y));
    case compare_op::gt:
      return value::from_bool(y->used < x->used && subset(y, x));
    default:
      return value();
  }
}

std::int64_t frozenset_hash(set_object* s) {
  // CPython's frozenset hash (shuffled xor of the element hashes)
  std::uint64_t h = 0;
  for (auto& e : s->table) {
    if (e.key.is_null()) continue;
    std::uint64_t x = static_cast<std::uint64_t>(e.hash);
    h ^= ((x ^ 89869747ULL) ^ (x << 16)) * 3644798167ULL;
  }
  h ^= (static_cast<std::uint64_t>(s->used) + 1) * 1927868237ULL;
  h ^= (h >> 11) ^ (h >> 25);
  h = h * 69069U + 907133923ULL;
  if (h == static_cast<std::uint64_t>(-1)) h = 590923713ULL;
  return static_cast<std::int64_t>(h);
}

void init_set_methods(runtime& r) {
  for (type_object* t : {r.t_set, r.t_frozenset}) {
    add_method(t, "__new__", s_new, "cls, iterable=_missing, /");
    add_method(t, "copy", s_copy, "self, /");
    add_method(t, "union", s_union, "self, /, *others");
    add_method(t, "intersection", s_intersection, "self, /, *others");
    add_method(t, "difference", s_difference, "self, /, *others");
    add_method(t, "symmetric_difference", s_symdiff, "self, other, /");
    add_method(t, "issubset", s_issubset, "self, other, /");
    add_method(t, "issuperset", s_issuperset, "self, other, /");
    add_method(t, "isdisjoint", s_isdisjoint, "self, other, /");
  }
  type_object* t = r.t_set;
  add_method(t, "add", s_add, "self, object, /");
  add_method(t, "discard", s_discard, "self, object, /");
  add_method(t, "remove", s_remove, "self, object, /");
  add_method(t, "pop", s_pop, "self, /");
  add_method(t, "clear", s_clear, "self, /");
  add_method(t, "update", s_update, "self, /, *others");
  add_method(t, "difference_update", s_difference_update, "self, /, *others");
  add_method(t, "intersection_update", s_intersection_update, "self, /, *others");
}

}  // namespace gradlab::py
