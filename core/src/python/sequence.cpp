// list and tuple: indexing and slicing (negative indices, steps), comparisons, repr, and
// the list methods (sort is stable and leaves the list untouched if a comparison raises).
#include <algorithm>

#include "python/runtime.hpp"

namespace gradlab::py {

slice_object::slice_object(value a, value b, value c)
    : object(rt().t_slice), start(std::move(a)), stop(std::move(b)), step(std::move(c)) {}
void slice_object::clear() noexcept {
  start = stop = step = value();
  object::clear();
}

namespace {

std::int64_t slice_part(const value& v) {
  if (v.is_int()) return v.as_int();
  if (v.is_bool()) return v.as_bool();
  if (v.is_object() && !lookup_special(v, slot::index).is_null()) return index_of(v, "slice");
  raise(rt().e_type, "slice indices must be integers or None or have an __index__ method");
}

}  // namespace

void slice_object::indices(std::int64_t length, std::int64_t& b, std::int64_t& e, std::int64_t& st,
                           std::int64_t& count) const {
  st = step.is_none() ? 1 : slice_part(step);
  if (st == 0) raise(rt().e_value, "slice step cannot be zero");
  const bool neg = st < 0;
  auto clamp = [&](const value& v, std::int64_t dflt) {
    if (v.is_none()) return dflt;
    std::int64_t i = slice_part(v);
    if (i < 0) {
      i += length;
      if (i < 0) i = neg ? -1 : 0;
    } else if (i >= length) {
      i = neg ? length - 1 : length;
    }
    return i;
  };
  b = clamp(start, neg ? length - 1 : 0);
  e = clamp(stop, neg ? -1 : length);
  if (neg)
    count = e < b ? (b - e - 1) / (-st) + 1 : 0;
  else
    count = b < e ? (e - b - 1) / st + 1 : 0;
}

bool slice_indices(const value& s, std::int64_t length, std::int64_t& b, std::int64_t& e,
                   std::int64_t& st, std::int64_t& count) {
  static_cast<slice_object*>(s.as_object())->indices(length, b, e, st, count);
  return true;
}

std::int64_t norm_index(std::int64_t i, std::int64_t n, const char* what) {
  if (i < 0) i += n;
  if (i < 0 || i >= n) raisef(rt().e_index, "%s index out of range", what);
  return i;
}

value seq_getitem(const value& seq, const value& key) {
  object* o = seq.as_object();
  const bool is_list = o->type->kind == layout::list;
  const std::vector<value>& items =
      is_list ? static_cast<list_object*>(o)->items : static_cast<tuple_object*>(o)->items;
  const auto n = static_cast<std::int64_t>(items.size());
  if (key.is_int() || key.is_bool())
    return items[static_cast<std::size_t>(
        norm_index(key.is_int() ? key.as_int() : key.as_bool(), n, is_list ? "list" : "tuple"))];
  if (key.is_object() && key.as_object()->type->kind == layout::slice) {
    std::int64_t b, e, st, count;
    slice_indices(key, n, b, e, st, count);
    std::vector<value> out;
    out.reserve(static_cast<std::size_t>(count));
    for (std::int64_t i = 0, k = b; i < count; ++i, k += st)
      out.push_back(items[static_cast<std::size_t>(k)]);
    return is_list ? make_list(std::move(out)) : make_tuple(std::move(out));
  }
  if (key.is_object() && !lookup_special(key, slot::index).is_null())
    return seq_getitem(seq, value::from_int(index_of(key, "")));
  raisef(rt().e_type, "%s indices must be integers or slices, not %s", is_list ? "list" : "tuple",
         tname(key));
}

std::string seq_repr(const std::vector<value>& items, const char* open, const char* close,
                     bool tuple) {
  std::string s = open;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) s += ", ";
    s += repr_s(items[i]);
  }
  if (tuple && items.size() == 1) s += ",";
  return s + close;
}

bool seq_eq(const std::vector<value>& a, const std::vector<value>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i)
    if (!a[i].is(b[i]) && !py_eq(a[i], b[i])) return false;
  return true;
}

value seq_compare(const std::vector<value>& a, const std::vector<value>& b, compare_op op) {
  std::size_t i = 0;
  for (; i < a.size() && i < b.size(); ++i)
    if (!a[i].is(b[i]) && !py_eq(a[i], b[i])) break;
  if (i >= a.size() || i >= b.size()) {
    const std::size_t x = a.size(), y = b.size();
    switch (op) {
      case compare_op::lt:
        return value::from_bool(x < y);
      case compare_op::le:
        return value::from_bool(x <= y);
      case compare_op::eq:
        return value::from_bool(x == y);
      case compare_op::ne:
        return value::from_bool(x != y);
      case compare_op::gt:
        return value::from_bool(x > y);
      default:
        return value::from_bool(x >= y);
    }
  }
  if (op == compare_op::eq) return value::from_bool(false);
  if (op == compare_op::ne) return value::from_bool(true);
  return compare(a[i], b[i], op);
}

namespace {

list_object* self(value* a) { return static_cast<list_object*>(a[0].as_object()); }

value l_append(interpreter&, value* a, std::size_t, native_function*) {
  self(a)->items.push_back(a[1]);
  return value::none();
}
value l_extend(interpreter&, value* a, std::size_t, native_function*) {
  std::vector<value> more = to_vector(a[1]);
  auto& items = self(a)->items;
  check_size(items.size() + more.size());
  items.insert(items.end(), more.begin(), more.end());
  return value::none();
}
value l_insert(interpreter&, value* a, std::size_t, native_function*) {
  auto& items = self(a)->items;
  const auto n = static_cast<std::int64_t>(items.size());
  std::int64_t i = index_of(a[1], "");
  if (i < 0) i = std::max<std::int64_t>(0, i + n);
  if (i > n) i = n;
  items.insert(items.begin() + i, a[2]);
  return value::none();
}
value l_pop(interpreter&, value* a, std::size_t, native_function*) {
  auto& items = self(a)->items;
  if (items.empty()) raise(rt().e_index, "pop from empty list");
  const auto n = static_cast<std::int64_t>(items.size());
  std::int64_t i = a[1].is_null() ? n - 1 : index_of(a[1], "");
  if (i < 0) i += n;
  if (i < 0 || i >= n) raise(rt().e_index, "pop index out of range");
  value v = std::move(items[static_cast<std::size_t>(i)]);
  items.erase(items.begin() + i);
  return v;
}
value l_remove(interpreter&, value* a, std::size_t, native_function*) {
  auto& items = self(a)->items;
  for (std::size_t i = 0; i < items.size(); ++i)
    if (items[i].is(a[1]) || py_eq(items[i], a[1])) {
      value keep = std::move(items[i]);
      items.erase(items.begin() + static_cast<std::ptrdiff_t>(i));
      return value::none();
    }
  raise(rt().e_value, "list.remove(x): x not in list");
}
value find_in(const std::vector<value>& items, value* a, const std::string& what) {
  const auto n = static_cast<std::int64_t>(items.size());
  std::int64_t b = a[2].is_null() ? 0 : index_of(a[2], ""),
               e = a[3].is_null() ? n : index_of(a[3], "");
  if (b < 0) b = std::max<std::int64_t>(0, b + n);
  if (e < 0) e = std::max<std::int64_t>(0, e + n);
  for (std::int64_t i = b; i < std::min(e, n); ++i)
    if (items[static_cast<std::size_t>(i)].is(a[1]) ||
        py_eq(items[static_cast<std::size_t>(i)], a[1]))
      return value::from_int(i);
  raise(rt().e_value, what);
}
value l_index(interpreter&, value* a, std::size_t, native_function*) {
  return find_in(self(a)->items, a, repr_s(a[1]) + " is not in list");
}
value t_index(interpreter&, value* a, std::size_t, native_function*) {
  return find_in(static_cast<tuple_object*>(a[0].as_object())->items, a,
                 "tuple.index(x): x not in tuple");
}
value count_in(const std::vector<value>& items, const value& x) {
  std::int64_t c = 0;
  for (std::size_t i = 0; i < items.size(); ++i) c += items[i].is(x) || py_eq(items[i], x);
  return value::from_int(c);
}
value l_count(interpreter&, value* a, std::size_t, native_function*) {
  return count_in(self(a)->items, a[1]);
}
value t_count(interpreter&, value* a, std::size_t, native_function*) {
  return count_in(static_cast<tuple_object*>(a[0].as_object())->items, a[1]);
}
value l_reverse(interpreter&, value* a, std::size_t, native_function*) {
  std::reverse(self(a)->items.begin(), self(a)->items.end());
  return value::none();
}
value l_copy(interpreter&, value* a, std::size_t, native_function*) {
  return make_list(self(a)->items);
}
value l_clear(interpreter&, value* a, std::size_t, native_function*) {
  std::vector<value> old;
  old.swap(self(a)->items);
  return value::none();
}

}  // namespace

/// Sorts values (stable); keys computed by key (if not None); the input is not modified.
std::vector<value> sorted_values(std::vector<value> items, const value& key, bool reverse) {
  std::vector<value> keys;
  if (!key.is_none() && !key.is_null()) {
    keys.reserve(items.size());
    for (const value& v : items) keys.push_back(call(key, {v}));
  } else {
    keys = items;
  }
  // CPython: reverse, stable sort, reverse again (equal items keep their order)
  std::vector<std::size_t> order(items.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  if (reverse) std::reverse(order.begin(), order.end());
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    return compare_bool(keys[x], keys[y], compare_op::lt);
  });
  if (reverse) std::reverse(order.begin(), order.end());
  std::vector<value> out;
  out.reserve(items.size());
  for (std::size_t i : order) out.push_back(items[i]);
  return out;
}

namespace {
value l_sort(interpreter&, value* a, std::size_t, native_function*) {
  list_object* l = self(a);
  std::vector<value> copy = l->items;
  std::vector<value> out = sorted_values(std::move(copy), a[1], truthy(a[2]));
  l->items.swap(out);
  return value::none();
}
value l_new(interpreter&, value* a, std::size_t, native_function*) {
  auto* t = static_cast<type_object*>(a[0].as_object());
  std::vector<value> items;
  if (!a[1].is_null()) items = to_vector(a[1]);
  auto* l = new list_object(std::move(items));
  if (t != rt().t_list) {
    decref(l->type);
    l->type = t;
    incref(t);
  }
  return value::steal(l);
}
value t_new(interpreter&, value* a, std::size_t, native_function*) {
  auto* t = static_cast<type_object*>(a[0].as_object());
  if (!a[1].is_null() && a[1].is_object() && a[1].as_object()->type == rt().t_tuple &&
      t == rt().t_tuple)
    return a[1];
  std::vector<value> items;
  if (!a[1].is_null()) items = to_vector(a[1]);
  auto* l = new tuple_object(std::move(items));
  if (t != rt().t_tuple) {
    decref(l->type);
    l->type = t;
    incref(t);
  }
  return value::steal(l);
}
}  // namespace

void init_list_methods(runtime& r) {
  type_object* t = r.t_list;
  add_method(t, "__new__", l_new, "cls, iterable=_missing, /");
  add_method(t, "append", l_append, "self, object, /");
  add_method(t, "extend", l_extend, "self, iterable, /");
  add_method(t, "insert", l_insert, "self, index, object, /");
  add_method(t, "pop", l_pop, "self, index=_missing, /");
  add_method(t, "remove", l_remove, "self, value, /");
  add_method(t, "index", l_index, "self, value, start=_missing, stop=_missing, /");
  add_method(t, "count", l_count, "self, value, /");
  add_method(t, "reverse", l_reverse, "self, /");
  add_method(t, "copy", l_copy, "self, /");
  add_method(t, "clear", l_clear, "self, /");
  add_method(t, "sort", l_sort, "self, /, *, key=None, reverse=False");
  type_object* tt = r.t_tuple;
  add_method(tt, "__new__", t_new, "cls, iterable=_missing, /");
  add_method(tt, "index", t_index, "self, value, start=_missing, stop=_missing, /");
  add_method(tt, "count", t_count, "self, value, /");
}

}  // namespace gradlab::py
