// Iteration: the built-in iterators (lists, tuples, ranges, strings, dicts and their views,
// sets, zip, enumerate, map, filter, reversed, generator expressions) and the protocol
// (__iter__ / __next__ and the old __getitem__ protocol) for everything else.
#include "python/vm.hpp"

namespace gradlab::py {

value dict_view_dict(const value& v);

namespace {

/// One object kind for every native iterator: `kind` says which.
struct iter_object : object {
  iter_object(type_object* t, value src) : object(t), source(std::move(src)) {}
  void clear() noexcept override {
    source = value();
    extra.clear();
    object::clear();
  }
  value source;              ///< the sequence, dict, set, or the iterators for zip/map
  std::vector<value> extra;  ///< zip/map: iterators; map/filter: the function first
  std::int64_t pos = 0, end = 0, step = 1;
  std::size_t expect_size = 0;  ///< dicts/sets: changed size during iteration
  bool done = false;
};

iter_object* as_iter(const value& v) { return static_cast<iter_object*>(v.as_object()); }

value new_iter(type_object* t, value src) {
  return value::steal(new iter_object(t, std::move(src)));
}

[[noreturn]] void changed(const char* what) {
  raisef(rt().e_runtime, "%s changed size during iteration", what);
}

/// The next item of a native iterator; null when exhausted.
value native_next(iter_object* it) {
  native_tick();
  runtime& r = rt();
  type_object* t = it->type;
  if (it->done) return value();
  if (t == r.t_list_iter || t == r.t_tuple_iter || t == r.t_generator) {
    object* o = it->source.as_object();
    const std::vector<value>& items = o->type->kind == layout::list
                                          ? static_cast<list_object*>(o)->items
                                          : static_cast<tuple_object*>(o)->items;
    if (it->pos < static_cast<std::int64_t>(items.size()))
      return items[static_cast<std::size_t>(it->pos++)];
  } else if (t == r.t_range_iter) {
    if (it->step > 0 ? it->pos < it->end : it->pos > it->end) {
      const std::int64_t v = it->pos;
      it->pos += it->step;
      return value::from_int(v);
    }
  } else if (t == r.t_str_iter) {
    auto* s = static_cast<str_object*>(it->source.as_object());
    const std::string& text = s->s;
    if (it->pos < static_cast<std::int64_t>(text.size())) {
      std::size_t b = static_cast<std::size_t>(it->pos), e = b + 1;
      while (e < text.size() && (static_cast<unsigned char>(text[e]) & 0xC0) == 0x80) ++e;
      it->pos = static_cast<std::int64_t>(e);
      return make_str(text.substr(b, e - b));
    }
  } else if (t == r.t_dict_keyiter || t == r.t_dict_valueiter || t == r.t_dict_itemiter) {
    auto* d = static_cast<dict_object*>(it->source.as_object());
    if (d->table.used != it->expect_size) {
      it->done = true;
      changed("dictionary");
    }
    auto& es = d->table.entries;
    while (it->pos < static_cast<std::int64_t>(es.size())) {
      const auto& e = es[static_cast<std::size_t>(it->pos++)];
      if (e.key.is_null()) continue;
      if (t == r.t_dict_keyiter) return e.key;
      if (t == r.t_dict_valueiter) return e.val;
      return make_tuple({e.key, e.val});
    }
  } else if (t == r.t_set_iter) {
    auto* s = static_cast<set_object*>(it->source.as_object());
    if (s->used != it->expect_size) {
      it->done = true;
      changed("Set");
    }
    while (it->pos < static_cast<std::int64_t>(s->table.size())) {
      const auto& e = s->table[static_cast<std::size_t>(it->pos++)];
      if (!e.key.is_null()) return e.key;
    }
  } else if (t == r.t_zip) {
    if (it->extra.empty()) {
      it->done = true;
      return value();
    }
    std::vector<value> items;
    for (value& sub : it->extra) {
      value v = next(sub);
      if (v.is_null()) {
        it->done = true;
        return value();
      }
      items.push_back(std::move(v));
    }
    return make_tuple(std::move(items));
  } else if (t == r.t_enumerate) {
    value v = next(it->source);
    if (!v.is_null()) return make_tuple({value::from_int(it->pos++), std::move(v)});
  } else if (t == r.t_map) {
    std::vector<value> args;
    for (std::size_t i = 1; i < it->extra.size(); ++i) {
      value v = next(it->extra[i]);
      if (v.is_null()) {
        it->done = true;
        return value();
      }
      args.push_back(std::move(v));
    }
    return call(it->extra[0], std::move(args));
  } else if (t == r.t_filter) {
    for (value v = next(it->source); !v.is_null(); v = next(it->source)) {
      const bool keep = it->extra[0].is_none() ? truthy(v) : truthy(call(it->extra[0], {v}));
      if (keep) return v;
    }
  } else if (t == r.t_reversed) {
    if (it->pos > 0) {
      --it->pos;
      object* o = it->source.as_object();
      if (o->type->kind == layout::list) {
        auto& items = static_cast<list_object*>(o)->items;
        if (it->pos < static_cast<std::int64_t>(items.size()))
          return items[static_cast<std::size_t>(it->pos)];
      } else {
        return getitem(it->source, value::from_int(it->pos));
      }
    }
  } else if (t == r.t_seq_iter) {
    try {
      return getitem(it->source, value::from_int(it->pos++));
    } catch (const py_exception& e) {
      if (!e.exc.type()->is_subtype(r.e_index) && !e.exc.type()->is_subtype(r.e_stop)) throw;
    }
  } else if (t == r.t_callable_iter) {
    value v = call(it->source, {});
    if (!py_eq(v, it->extra[0])) return v;
  }
  it->done = true;
  return value();
}

bool is_native_iter(type_object* t) { return t->kind == layout::iterator; }

}  // namespace

value make_generator(value list) {
  auto* g = new iter_object(rt().t_generator, std::move(list));
  return value::steal(g);
}

/// iter(v) for the VM: an iterator, or null with fn set to a Python __iter__ to call.
value iter_step(const value& v, value& fn) {
  runtime& r = rt();
  if (v.is_object()) {
    object* o = v.as_object();
    type_object* t = o->type;
    if (value it = t->get_slot(slot::iter); !it.is_null()) {
      if (it.is_object() && it.as_object()->type == r.t_function) {
        fn = it;
        return value();
      }
      value res = call(it, {v});
      if (lookup_special(res, slot::next).is_null() && !is_native_iter(res.type()))
        raisef(r.e_type, "iter() returned non-iterator of type '%s'", tname(res));
      return res;
    }
    switch (t->kind) {
      case layout::list:
        return new_iter(r.t_list_iter, v);
      case layout::tuple:
        return new_iter(r.t_tuple_iter, v);
      case layout::str:
        return new_iter(r.t_str_iter, v);
      case layout::range: {
        auto* rg = static_cast<range_object*>(o);
        value it = new_iter(r.t_range_iter, value());
        as_iter(it)->pos = rg->start;
        as_iter(it)->end = rg->stop;
        as_iter(it)->step = rg->step;
        return it;
      }
      case layout::dict: {
        value it = new_iter(r.t_dict_keyiter, v);
        as_iter(it)->expect_size = static_cast<dict_object*>(o)->table.used;
        return it;
      }
      case layout::set: {
        value it = new_iter(r.t_set_iter, v);
        as_iter(it)->expect_size = static_cast<set_object*>(o)->used;
        return it;
      }
      case layout::iterator:
        return v;
      default:
        break;
    }
    if (t == r.t_dict_keys || t == r.t_dict_values || t == r.t_dict_items) {
      value d = dict_view_dict(v);
      value it = new_iter(t == r.t_dict_keys     ? r.t_dict_keyiter
                          : t == r.t_dict_values ? r.t_dict_valueiter
                                                 : r.t_dict_itemiter,
                          d);
      as_iter(it)->expect_size = static_cast<dict_object*>(d.as_object())->table.used;
      return it;
    }
    if (!t->get_slot(slot::getitem).is_null()) return new_iter(r.t_seq_iter, v);
  }
  raisef(r.e_type, "'%s' object is not iterable", tname(v));
}

value iter(const value& v) {
  value fn;
  value it = iter_step(v, fn);
  if (!it.is_null()) return it;
  value res = call(fn, {v});
  if (lookup_special(res, slot::next).is_null() && !is_native_iter(res.type()))
    raisef(rt().e_type, "iter() returned non-iterator of type '%s'", tname(res));
  return res;
}

/// next() for the VM's FOR_ITER: the next value, or null with exhausted set, or null
/// with fn set to a Python __next__ to call.
value next_step(const value& it, value& fn, bool& exhausted) {
  runtime& r = rt();
  object* o = it.as_object();
  if (o->type->kind == layout::iterator) {
    value v = native_next(static_cast<iter_object*>(o));
    exhausted = v.is_null();
    return v;
  }
  value nx = o->type->get_slot(slot::next);
  if (nx.is_null()) raisef(r.e_type, "'%s' object is not an iterator", tname(it));
  if (nx.is_object() && nx.as_object()->type == r.t_function) {
    fn = nx;
    return value();
  }
  try {
    return call(nx, {it});
  } catch (const py_exception& e) {
    if (!e.exc.type()->is_subtype(r.e_stop)) throw;
  }
  exhausted = true;
  return value();
}

value next(const value& it) {
  runtime& r = rt();
  if (!it.is_object()) raisef(r.e_type, "'%s' object is not an iterator", tname(it));
  object* o = it.as_object();
  if (o->type->kind == layout::iterator) return native_next(static_cast<iter_object*>(o));
  value nx = o->type->get_slot(slot::next);
  if (nx.is_null()) raisef(r.e_type, "'%s' object is not an iterator", tname(it));
  try {
    return call(nx, {it});
  } catch (const py_exception& e) {
    if (!e.exc.type()->is_subtype(r.e_stop)) throw;
  }
  return value();
}

// ------------------------------------------------------------------ iterator builtins

namespace {

value b_zip(interpreter&, value* a, std::size_t, native_function*) {
  value it = new_iter(rt().t_zip, value());
  for (const value& s : static_cast<tuple_object*>(a[0].as_object())->items)
    as_iter(it)->extra.push_back(iter(s));
  if (truthy(a[1]) && !as_iter(it)->extra.empty()) {
    // strict=True: compare lengths eagerly (the common use, with sequences)
    std::vector<std::vector<value>> all;
    for (value& sub : as_iter(it)->extra) all.push_back(to_vector(sub));
    for (std::size_t i = 1; i < all.size(); ++i)
      if (all[i].size() != all[0].size()) {
        const bool shorter = all[i].size() < all[0].size();
        raisef(rt().e_value, "zip() argument %lld is %s than argument%s",
               static_cast<long long>(i + 1), (shorter ? "shorter" : "longer"),
               (i == 1 ? std::string(" 1") : "s 1-" + std::to_string(i)).c_str());
      }
    as_iter(it)->extra.clear();
    for (auto& v : all) as_iter(it)->extra.push_back(iter(make_list(std::move(v))));
  }
  return it;
}

value b_enumerate(interpreter&, value* a, std::size_t, native_function*) {
  value it = new_iter(rt().t_enumerate, iter(a[0]));
  as_iter(it)->pos = index_of(a[1], "");
  return it;
}

value b_map(interpreter&, value* a, std::size_t, native_function*) {
  auto& rest = static_cast<tuple_object*>(a[1].as_object())->items;
  if (rest.empty()) raise(rt().e_type, "map() must have at least two arguments.");
  value it = new_iter(rt().t_map, value());
  as_iter(it)->extra.push_back(a[0]);
  for (const value& s : rest) as_iter(it)->extra.push_back(iter(s));
  return it;
}

value b_filter(interpreter&, value* a, std::size_t, native_function*) {
  value it = new_iter(rt().t_filter, iter(a[1]));
  as_iter(it)->extra.push_back(a[0]);
  return it;
}

value b_reversed(interpreter&, value* a, std::size_t, native_function*) {
  runtime& r = rt();
  const value& s = a[0];
  if (value rv = lookup_special(s, slot::iter); s.is_object()) {
    (void)rv;
    if (value* m = s.type()->lookup(intern("__reversed__"))) return call(*m, {s});
    const layout k = s.as_object()->type->kind;
    if (k == layout::range) {
      auto* rg = static_cast<range_object*>(s.as_object());
      value it = new_iter(r.t_range_iter, value());
      as_iter(it)->pos = rg->start + (rg->length - 1) * rg->step;
      as_iter(it)->end = rg->start - rg->step;
      as_iter(it)->step = -rg->step;
      if (rg->length == 0) as_iter(it)->done = true;
      return it;
    }
    if (k == layout::dict)
      return new_iter(r.t_list_iter, make_list([&] {
                        std::vector<value> keys = to_vector(s);
                        return std::vector<value>(keys.rbegin(), keys.rend());
                      }()));
    if (k == layout::list || k == layout::tuple || k == layout::str ||
        !s.type()->get_slot(slot::getitem).is_null()) {
      value it = new_iter(r.t_reversed, s);
      as_iter(it)->pos = len(s);
      return it;
    }
  }
  raisef(r.e_type, "'%s' object is not reversible", tname(s));
}

value b_iter(interpreter&, value* a, std::size_t, native_function*) {
  if (a[1].is_null()) return iter(a[0]);
  value it = new_iter(rt().t_callable_iter, a[0]);
  as_iter(it)->extra.push_back(a[1]);
  return it;
}

value b_next(interpreter&, value* a, std::size_t, native_function*) {
  runtime& r = rt();
  if (!a[0].is_object() || (a[0].as_object()->type->kind != layout::iterator &&
                            lookup_special(a[0], slot::next).is_null()))
    raisef(r.e_type, "'%s' object is not an iterator", tname(a[0]));
  value v = next(a[0]);
  if (!v.is_null()) return v;
  if (!a[1].is_null()) return a[1];
  raise_value(make_exception_args(r.e_stop, {}));
}

value it_iter(interpreter&, value* a, std::size_t, native_function*) { return a[0]; }
value it_next(interpreter&, value* a, std::size_t, native_function*) {
  value v = native_next(as_iter(a[0]));
  if (v.is_null()) raise_value(make_exception_args(rt().e_stop, {}));
  return v;
}

}  // namespace

void init_iterators(runtime& r) {
  for (type_object* t :
       {r.t_list_iter, r.t_tuple_iter, r.t_range_iter, r.t_str_iter, r.t_dict_keyiter,
        r.t_dict_valueiter, r.t_dict_itemiter, r.t_set_iter, r.t_zip, r.t_enumerate, r.t_map,
        r.t_filter, r.t_reversed, r.t_callable_iter, r.t_seq_iter, r.t_generator}) {
    add_method(t, "__iter__", it_iter, "self, /");
    add_method(t, "__next__", it_next, "self, /");
    t->final = true;
  }
  module_object* b = r.builtins.get();
  add_function(b, "zip", b_zip, "*iterables, strict=False");
  add_function(b, "enumerate", b_enumerate, "iterable, start=0");
  add_function(b, "map", b_map, "func, /, *iterables");
  add_function(b, "filter", b_filter, "function, iterable, /");
  add_function(b, "reversed", b_reversed, "sequence, /");
  add_function(b, "iter", b_iter, "object, sentinel=_missing, /");
  add_function(b, "next", b_next, "iterator, default=_missing, /");
}

}  // namespace gradlab::py
