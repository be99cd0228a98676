// The generic operations on values (CPython's abstract object layer): truth, hashing,
// comparisons and arithmetic with the special-method protocol (a reflected method is tried
// when the first returns NotImplemented, a subclass's reflected method first), items,
// length, iteration and calls from native code.
#include <cmath>

#include "python/runtime.hpp"

namespace gradlab::py {

value num_compare(const value& a, const value& b, compare_op op);
value set_binary(const value& a, const value& b, binary_op op);
value set_compare(const value& a, const value& b, compare_op op);
std::int64_t frozenset_hash(set_object* s);
value dict_view_dict(const value& v);

const std::string& type_name(const value& v) { return v.type()->name; }

value lookup_special(const value& obj, slot s) { return obj.type()->get_slot(s); }

void check_size(std::size_t items, bool bytes) {
  if (items > (bytes ? kMaxItems * 8 : kMaxItems)) raise(rt().e_memory, "");
}

namespace {

layout kind_of(const value& v) {
  return v.is_object() ? v.as_object()->type->kind : layout::object;
}

const char* const kOpSymbols[] = {"+", "&",  "//", "<<", "@", "*", "%",
                                  "|", "**", ">>", "-",  "/", "^"};
const char* const kCmpSymbols[] = {"<", "<=", "==", "!=", ">", ">="};

value call2(const value& f, const value& a, const value& b) {
  value args[2] = {a, b};
  return call_args(f, args, 2);
}
value call1(const value& f, const value& a) {
  value args[1] = {a};
  return call_args(f, args, 1);
}

std::vector<value>& items_of(const value& v) {
  object* o = v.as_object();
  return o->type->kind == layout::list ? static_cast<list_object*>(o)->items
                                       : static_cast<tuple_object*>(o)->items;
}

value repeat(const value& seq, std::int64_t n) {
  const std::vector<value>& src = items_of(seq);
  std::vector<value> out;
  if (n > 0) {
    if (!src.empty() && static_cast<std::uint64_t>(n) > kMaxItems / src.size())
      raise(rt().e_memory, "");
    out.reserve(src.size() * static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) out.insert(out.end(), src.begin(), src.end());
  }
  return kind_of(seq) == layout::list ? make_list(std::move(out)) : make_tuple(std::move(out));
}

std::string repeat_str(const std::string& s, std::int64_t n) {
  std::string out;
  if (n > 0) {
    if (!s.empty() && static_cast<std::uint64_t>(n) > kMaxItems * 8 / s.size())
      raise(rt().e_memory, "");
    out.reserve(s.size() * static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) out += s;
  }
  return out;
}

/// Built-in behaviour of the operators on built-in types (null: not applicable).
value builtin_binary(const value& a, const value& b, binary_op op, bool inplace) {
  if (value r = num_binary(a, b, op); !r.is_null()) return r;
  const layout ka = kind_of(a), kb = kind_of(b);
  switch (op) {
    case binary_op::add:
      if (ka == layout::str && kb == layout::str) {
        check_size(str_of(a).size() + str_of(b).size(), true);
        return make_str(str_of(a) + str_of(b));
      }
      if (ka == layout::list && kb == layout::list) {
        check_size(items_of(a).size() + items_of(b).size());
        if (inplace) {
          auto& dst = static_cast<list_object*>(a.as_object())->items;
          std::vector<value> src = items_of(b);
          dst.insert(dst.end(), src.begin(), src.end());
          return a;
        }
        std::vector<value> v = items_of(a);
        v.insert(v.end(), items_of(b).begin(), items_of(b).end());
        return make_list(std::move(v));
      }
      if (ka == layout::list && inplace) {  // list += any iterable
        std::vector<value> src = to_vector(b);
        auto& dst = static_cast<list_object*>(a.as_object())->items;
        check_size(dst.size() + src.size());
        dst.insert(dst.end(), src.begin(), src.end());
        return a;
      }
      if (ka == layout::tuple && kb == layout::tuple) {
        check_size(items_of(a).size() + items_of(b).size());
        std::vector<value> v = items_of(a);
        v.insert(v.end(), items_of(b).begin(), items_of(b).end());
        return make_tuple(std::move(v));
      }
      break;
    case binary_op::mul:
      if ((ka == layout::str || ka == layout::list || ka == layout::tuple) && is_int_like(b)) {
        const std::int64_t n = b.is_bool() ? b.as_bool() : b.as_int();
        if (ka == layout::str) return make_str(repeat_str(str_of(a), n));
        if (inplace && ka == layout::list) {
          value r = repeat(a, n);
          static_cast<list_object*>(a.as_object())
              ->items.swap(static_cast<list_object*>(r.as_object())->items);
          return a;
        }
        return repeat(a, n);
      }
      if ((kb == layout::str || kb == layout::list || kb == layout::tuple) && is_int_like(a)) {
        const std::int64_t n = a.is_bool() ? a.as_bool() : a.as_int();
        return kb == layout::str ? make_str(repeat_str(str_of(b), n)) : repeat(b, n);
      }
      break;
    case binary_op::mod:
      if (ka == layout::str && a.type() == rt().t_str) return percent_format(str_of(a), b);
      break;
    case binary_op::or_:
      if (ka == layout::dict && kb == layout::dict) {
        auto* d = static_cast<dict_object*>(a.as_object());
        value r = inplace ? a : value(ref<dict_object>::adopt(new dict_object(d->type)));
        auto* out = static_cast<dict_object*>(r.as_object());
        if (!inplace) out->table = d->table;
        for (auto& e : static_cast<dict_object*>(b.as_object())->table.entries)
          if (!e.key.is_null()) out->table.set_hashed(e.key, e.hash, e.val);
        return r;
      }
      [[fallthrough]];
    case binary_op::and_:
    case binary_op::sub:
    case binary_op::xor_:
      if (ka == layout::set && kb == layout::set) {
        value r = set_binary(a, b, op);
        if (inplace && !r.is_null()) {
          auto* s = static_cast<set_object*>(a.as_object());
          auto* n = static_cast<set_object*>(r.as_object());
          s->table.swap(n->table);
          s->fill = n->fill;
          s->used = n->used;
          return a;
        }
        return r;
      }
      break;
    default:
      break;
  }
  return value();
}

[[noreturn]] void binary_type_error(const value& a, const value& b, binary_op op, bool inplace) {
  const layout ka = kind_of(a), kb = kind_of(b);
  if (op == binary_op::add && (ka == layout::str || ka == layout::list || ka == layout::tuple) &&
      a.type() == (ka == layout::str    ? rt().t_str
                   : ka == layout::list ? rt().t_list
                                        : rt().t_tuple))
    raisef(rt().e_type, "can only concatenate %s (not \"%s\") to %s", tname(a), tname(b), tname(a));
  if (op == binary_op::mul &&
      (((ka == layout::str || ka == layout::list || ka == layout::tuple) && !b.is_object()) ||
       ((kb == layout::str || kb == layout::list || kb == layout::tuple) && !a.is_object())))
    raisef(rt().e_type, "can't multiply sequence by non-int of type '%s'",
           tname((ka == layout::str || ka == layout::list || ka == layout::tuple) ? b : a));
  std::string sym = kOpSymbols[static_cast<int>(op)];
  if (inplace) sym += "=";
  if (op == binary_op::pow && !inplace) sym = "** or pow()";
  raisef(rt().e_type, "unsupported operand type(s) for %s: '%s' and '%s'", sym.c_str(), tname(a),
         tname(b));
}

slot forward_slot(binary_op op) { return static_cast<slot>(static_cast<int>(op)); }
slot reflected_slot(binary_op op) {
  return static_cast<slot>(static_cast<int>(slot::radd) + static_cast<int>(op));
}
slot inplace_slot(binary_op op) {
  return static_cast<slot>(static_cast<int>(slot::iadd) + static_cast<int>(op));
}

}  // namespace

// Stages of a binary operation: 0 in-place method, 1 built-in types, 2 first method (the
// reflected one when the right operand's type is a proper subclass overriding it), 3 the
// other one, 4 TypeError.
value binary_step(const value& a, const value& b, binary_op op, bool inplace, int& stage, value& fn,
                  bool& swapped) {
  type_object* ta = a.type();
  type_object* tb = b.type();
  for (;;) {
    switch (stage++) {
      case 0:
        if (inplace && a.is_object()) {
          fn = ta->get_slot(inplace_slot(op));
          if (!fn.is_null()) {
            swapped = false;
            return value();
          }
        }
        break;
      case 1:
        if (value r = builtin_binary(a, b, op, inplace); !r.is_null()) return r;
        break;
      case 2:
      case 3: {
        const bool reflect_first =
            ta != tb && tb->is_subtype(ta) && !tb->get_slot(reflected_slot(op)).is_null() &&
            !tb->get_slot(reflected_slot(op)).is(ta->get_slot(reflected_slot(op)));
        const bool reflected = (stage - 1 == 2) == reflect_first;
        if (reflected) {
          if (ta == tb && stage - 1 == 3) break;  // same type: no reflected attempt
          fn = tb->get_slot(reflected_slot(op));
          swapped = true;
        } else {
          fn = ta->get_slot(forward_slot(op));
          swapped = false;
        }
        if (!fn.is_null()) return value();
        break;
      }
      default:
        binary_type_error(a, b, op, inplace);
    }
  }
}

value binary(const value& a, const value& b, binary_op op, bool inplace) {
  int stage = 0;
  for (;;) {
    value fn;
    bool swapped = false;
    value r = binary_step(a, b, op, inplace, stage, fn, swapped);
    if (!r.is_null()) return r;
    value res = swapped ? call2(fn, b, a) : call2(fn, a, b);
    if (!res.is(rt().not_implemented)) return res;
  }
}

value unary(const value& a, unary_op op) {
  switch (op) {
    case unary_op::not_:
      return value::from_bool(!truthy(a));
    case unary_op::neg:
      if (a.is_int()) {
        if (a.as_int() == INT64_MIN) overflow();
        return value::from_int(-a.as_int());
      }
      if (a.is_bool()) return value::from_int(-static_cast<std::int64_t>(a.as_bool()));
      if (a.is_float()) return value::from_float(-a.as_float());
      break;
    case unary_op::pos:
      if (a.is_int() || a.is_float()) return a;
      if (a.is_bool()) return value::from_int(a.as_bool());
      break;
    case unary_op::invert:
      if (a.is_int()) return value::from_int(~a.as_int());
      if (a.is_bool()) return value::from_int(~static_cast<std::int64_t>(a.as_bool()));
      break;
  }
  const slot s = op == unary_op::neg ? slot::neg : op == unary_op::pos ? slot::pos : slot::invert;
  value fn = lookup_special(a, s);
  if (!fn.is_null()) return call1(fn, a);
  const char* sym = op == unary_op::neg ? "-" : op == unary_op::pos ? "+" : "~";
  raisef(rt().e_type, "bad operand type for unary %s: '%s'", sym, tname(a));
}

// ------------------------------------------------------------------ comparisons

static compare_op swapped_op(compare_op op) {
  switch (op) {
    case compare_op::lt:
      return compare_op::gt;
    case compare_op::le:
      return compare_op::ge;
    case compare_op::gt:
      return compare_op::lt;
    case compare_op::ge:
      return compare_op::le;
    default:
      return op;
  }
}

static slot cmp_slot(compare_op op) {
  return static_cast<slot>(static_cast<int>(slot::lt) + static_cast<int>(op));
}

/// Built-in comparisons (null: not applicable).
static value builtin_compare(const value& a, const value& b, compare_op op) {
  if (value r = num_compare(a, b, op); !r.is_null()) return r;
  const layout ka = kind_of(a), kb = kind_of(b);
  if (ka == layout::str && kb == layout::str) {
    const int c = str_of(a).compare(str_of(b));
    return num_compare(value::from_int(c), value::from_int(0), op);
  }
  if ((ka == layout::list && kb == layout::list) || (ka == layout::tuple && kb == layout::tuple)) {
    recursion_scope rs(" in comparison");
    return seq_compare(items_of(a), items_of(b), op);
  }
  if (ka == layout::set && kb == layout::set) return set_compare(a, b, op);
  if (op == compare_op::eq || op == compare_op::ne) {
    bool eq;
    if (ka == layout::dict && kb == layout::dict) {
      recursion_scope rs(" in comparison");
      auto* x = static_cast<dict_object*>(a.as_object());
      auto* y = static_cast<dict_object*>(b.as_object());
      eq = x->table.used == y->table.used;
      for (std::size_t i = 0; eq && i < x->table.entries.size(); ++i) {
        const auto e = x->table.entries[i];
        if (e.key.is_null()) continue;
        const std::int64_t ix = y->table.find(e.key, e.hash);
        eq = ix >= 0 && py_eq(e.val, y->table.entries[static_cast<std::size_t>(ix)].val);
      }
      return value::from_bool(op == compare_op::eq ? eq : !eq);
    }
    if (ka == layout::range && kb == layout::range) {
      auto* x = static_cast<range_object*>(a.as_object());
      auto* y = static_cast<range_object*>(b.as_object());
      eq = x->length == y->length &&
           (x->length == 0 || (x->start == y->start && (x->length == 1 || x->step == y->step)));
      return value::from_bool(op == compare_op::eq ? eq : !eq);
    }
    if (ka == layout::slice && kb == layout::slice) {
      auto* x = static_cast<slice_object*>(a.as_object());
      auto* y = static_cast<slice_object*>(b.as_object());
      eq = seq_eq({x->start, x->stop, x->step}, {y->start, y->stop, y->step});
      return value::from_bool(op == compare_op::eq ? eq : !eq);
    }
    if (!a.is_object() && !b.is_object()) {  // None vs None, None vs number
      eq = a.kind() == b.kind();
      return value::from_bool(op == compare_op::eq ? eq : !eq);
    }
  }
  return value();
}

// Stages: 0 built-in, 1 first method (the reflected one for a subclass), 2 the other,
// 3 __ne__ from __eq__ (inverted), 4 default (identity for == and !=, else TypeError).
value compare_step(const value& a, const value& b, compare_op op, int& stage, value& fn,
                   bool& swapped, bool& invert) {
  type_object* ta = a.type();
  type_object* tb = b.type();
  invert = false;
  for (;;) {
    switch (stage++) {
      case 0:
        if (value r = builtin_compare(a, b, op); !r.is_null()) return r;
        break;
      case 1:
      case 2: {
        const slot rs = cmp_slot(swapped_op(op));
        const bool reflect_first = ta != tb && tb->is_subtype(ta) && !tb->get_slot(rs).is_null();
        const bool reflected = (stage - 1 == 1) == reflect_first;
        fn = reflected ? tb->get_slot(rs) : ta->get_slot(cmp_slot(op));
        swapped = reflected;
        if (!fn.is_null()) return value();
        break;
      }
      case 3:
        if (op == compare_op::ne && ta->get_slot(slot::ne).is_null() &&
            !ta->get_slot(slot::eq).is_null()) {
          fn = ta->get_slot(slot::eq);
          swapped = false;
          invert = true;
          return value();
        }
        break;
      default:
        if (op == compare_op::eq) return value::from_bool(a.is(b));
        if (op == compare_op::ne) return value::from_bool(!a.is(b));
        raisef(rt().e_type, "'%s' not supported between instances of '%s' and '%s'",
               kCmpSymbols[static_cast<int>(op)], tname(a), tname(b));
    }
  }
}

value compare(const value& a, const value& b, compare_op op) {
  if (op == compare_op::is) return value::from_bool(a.is(b));
  if (op == compare_op::is_not) return value::from_bool(!a.is(b));
  if (op == compare_op::in) return value::from_bool(contains(b, a));
  if (op == compare_op::not_in) return value::from_bool(!contains(b, a));
  int stage = 0;
  for (;;) {
    value fn;
    bool swapped = false, invert = false;
    value r = compare_step(a, b, op, stage, fn, swapped, invert);
    if (!r.is_null()) return r;
    value res = swapped ? call2(fn, b, a) : call2(fn, a, b);
    if (res.is(rt().not_implemented)) continue;
    return invert ? value::from_bool(!truthy(res)) : res;
  }
}

bool compare_bool(const value& a, const value& b, compare_op op) {
  if (a.is_int() && b.is_int()) {
    const std::int64_t x = a.as_int(), y = b.as_int();
    switch (op) {
      case compare_op::lt:
        return x < y;
      case compare_op::le:
        return x <= y;
      case compare_op::eq:
        return x == y;
      case compare_op::ne:
        return x != y;
      case compare_op::gt:
        return x > y;
      case compare_op::ge:
        return x >= y;
      default:
        break;
    }
  }
  value r = compare(a, b, op);
  return r.is_bool() ? r.as_bool() : truthy(r);
}

bool py_eq(const value& a, const value& b) { return compare_bool(a, b, compare_op::eq); }

// ------------------------------------------------------------------ truth, hash, length

std::int64_t str_hash(const char* s, std::size_t n) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (std::size_t i = 0; i < n; ++i) h = (h ^ static_cast<unsigned char>(s[i])) * 1099511628211ULL;
  return static_cast<std::int64_t>(h >> 1);  // never -1
}

bool truthy(const value& v) {
  switch (v.kind()) {
    case value::tag::none:
    case value::tag::null:
      return false;
    case value::tag::boolean:
      return v.as_bool();
    case value::tag::integer:
      return v.as_int() != 0;
    case value::tag::floating:
      return v.as_float() != 0;
    case value::tag::object:
      break;
  }
  object* o = v.as_object();
  type_object* t = o->type;
  if (value fn = t->get_slot(slot::bool_); !fn.is_null()) {
    value r = call1(fn, v);
    if (!r.is_bool()) raisef(rt().e_type, "__bool__ should return bool, returned %s", tname(r));
    return r.as_bool();
  }
  if (value fn = t->get_slot(slot::len); !fn.is_null()) {
    value r = call1(fn, v);
    if (!r.is_int() && !r.is_bool())
      raisef(rt().e_type, "'%s' object cannot be interpreted as an integer", tname(r));
    const std::int64_t n = r.is_int() ? r.as_int() : r.as_bool();
    if (n < 0) raise(rt().e_value, "__len__() should return >= 0");
    return n != 0;
  }
  switch (t->kind) {
    case layout::str:
      return !static_cast<str_object*>(o)->s.empty();
    case layout::list:
      return !static_cast<list_object*>(o)->items.empty();
    case layout::tuple:
      return !static_cast<tuple_object*>(o)->items.empty();
    case layout::dict:
      return static_cast<dict_object*>(o)->table.used != 0;
    case layout::set:
      return static_cast<set_object*>(o)->used != 0;
    case layout::range:
      return static_cast<range_object*>(o)->length != 0;
    default:
      return true;
  }
}

std::int64_t py_hash(const value& v) {
  switch (v.kind()) {
    case value::tag::none:
    case value::tag::null:
      return 0x4E6F6E65;  // CPython hashes None by address
    case value::tag::boolean:
      return v.as_bool();
    case value::tag::integer:
      return hash_int(v.as_int());
    case value::tag::floating: {
      const double d = v.as_float();
      if (d == std::trunc(d) && std::fabs(d) < 9.2e18)
        return hash_int(static_cast<std::int64_t>(d));
      return hash_float(d);
    }
    case value::tag::object:
      break;
  }
  object* o = v.as_object();
  type_object* t = o->type;
  if (t->kind == layout::str && !t->python_class) {
    auto* s = static_cast<str_object*>(o);
    if (s->hash == -1) s->hash = str_hash(s->s.data(), s->s.size());
    return s->hash;
  }
  const value& fn = t->get_slot(slot::hash);
  if (fn.is_none()) raisef(rt().e_type, "unhashable type: '%s'", t->name.c_str());
  if (!fn.is_null()) {
    value r = call1(fn, v);
    if (!r.is_int() && !r.is_bool()) raise(rt().e_type, "__hash__ method should return an integer");
    const std::int64_t h = r.is_int() ? r.as_int() : r.as_bool();
    return h == -1 ? -2 : h;
  }
  switch (t->kind) {
    case layout::str:
      return py_hash(make_str(static_cast<str_object*>(o)->s));
    case layout::tuple: {  // CPython's xxHash-style tuple hash
      recursion_scope rs("");
      std::uint64_t acc = 2870177450012600261ULL;
      const auto& items = static_cast<tuple_object*>(o)->items;
      for (const value& item : items) {
        const auto lane = static_cast<std::uint64_t>(py_hash(item));
        acc += lane * 14029467366897019727ULL;
        acc = (acc << 31) | (acc >> 33);
        acc *= 11400714785074694791ULL;
      }
      acc += items.size() ^ (2870177450012600261ULL ^ 3527539UL);
      if (acc == static_cast<std::uint64_t>(-1)) return 1546275796;
      return static_cast<std::int64_t>(acc);
    }
    case layout::list:
    case layout::dict:
      raisef(rt().e_type, "unhashable type: '%s'", t->name.c_str());
    case layout::set:
      if (!static_cast<set_object*>(o)->frozen && !t->is_subtype(rt().t_frozenset))
        raisef(rt().e_type, "unhashable type: '%s'", t->name.c_str());
      return frozenset_hash(static_cast<set_object*>(o));
    case layout::slice:
      raise(rt().e_type, "unhashable type: 'slice'");
    default: {
      const auto p = reinterpret_cast<std::uintptr_t>(o);
      return static_cast<std::int64_t>((p >> 4) | (p << (8 * sizeof(p) - 4)));
    }
  }
}

std::int64_t len(const value& v) {
  if (v.is_object()) {
    object* o = v.as_object();
    if (value fn = o->type->get_slot(slot::len); !fn.is_null()) {
      value r = call1(fn, v);
      if (!r.is_int() && !r.is_bool())
        raisef(rt().e_type, "'%s' object cannot be interpreted as an integer", tname(r));
      const std::int64_t n = r.is_int() ? r.as_int() : r.as_bool();
      if (n < 0) raise(rt().e_value, "__len__() should return >= 0");
      return n;
    }
    switch (o->type->kind) {
      case layout::str:
        return static_cast<std::int64_t>(static_cast<str_object*>(o)->length());
      case layout::list:
        return static_cast<std::int64_t>(static_cast<list_object*>(o)->items.size());
      case layout::tuple:
        return static_cast<std::int64_t>(static_cast<tuple_object*>(o)->items.size());
      case layout::dict:
        return static_cast<std::int64_t>(static_cast<dict_object*>(o)->table.used);
      case layout::set:
        return static_cast<std::int64_t>(static_cast<set_object*>(o)->used);
      case layout::range:
        return static_cast<range_object*>(o)->length;
      default:
        break;
    }
    if (o->type == rt().t_dict_keys || o->type == rt().t_dict_values ||
        o->type == rt().t_dict_items)
      return len(dict_view_dict(v));
  }
  raisef(rt().e_type, "object of type '%s' has no len()", tname(v));
}

// ------------------------------------------------------------------ items

value getitem(const value& obj, const value& key) {
  if (obj.is_object()) {
    object* o = obj.as_object();
    type_object* t = o->type;
    if (value fn = t->get_slot(slot::getitem); !fn.is_null()) return call2(fn, obj, key);
    switch (t->kind) {
      case layout::list:
      case layout::tuple:
        return seq_getitem(obj, key);
      case layout::str:
        return str_getitem(static_cast<str_object*>(o), key);
      case layout::dict: {
        auto* d = static_cast<dict_object*>(o);
        if (value* v = d->table.get(key)) return *v;
        if (t != rt().t_dict)
          if (value* m = t->lookup(intern("__missing__"))) return call2(*m, obj, key);
        raise_value(make_exception_args(rt().e_key, {key}));
      }
      case layout::range: {
        auto* r = static_cast<range_object*>(o);
        if (key.is_object() && key.as_object()->type->kind == layout::slice) {
          std::int64_t b, e, st, count;
          slice_indices(key, r->length, b, e, st, count);
          return value::steal(
              new range_object(r->start + b * r->step, r->start + e * r->step, r->step * st));
        }
        if (!is_int_like(key) && !(key.is_object() && !lookup_special(key, slot::index).is_null()))
          raisef(rt().e_type, "range indices must be integers or slices, not %s", tname(key));
        std::int64_t i = index_of(key, "");
        if (i < 0) i += r->length;
        if (i < 0 || i >= r->length) raise(rt().e_index, "range object index out of range");
        return value::from_int(r->start + i * r->step);
      }
      case layout::type:
        raisef(rt().e_type, "type '%s' is not subscriptable",
               (static_cast<type_object*>(o)->name).c_str());
      default:
        break;
    }
  }
  raisef(rt().e_type, "'%s' object is not subscriptable", tname(obj));
}

void setitem(const value& obj, const value& key, value v) {
  if (obj.is_object()) {
    object* o = obj.as_object();
    type_object* t = o->type;
    if (value fn = t->get_slot(slot::setitem); !fn.is_null()) {
      value args[3] = {obj, key, std::move(v)};
      call_args(fn, args, 3);
      return;
    }
    if (t->kind == layout::dict) {
      static_cast<dict_object*>(o)->table.set(key, std::move(v));
      return;
    }
    if (t->kind == layout::list) {
      auto& items = static_cast<list_object*>(o)->items;
      const auto n = static_cast<std::int64_t>(items.size());
      if (is_int_like(key)) {
        std::int64_t i = key.is_int() ? key.as_int() : key.as_bool();
        if (i < 0) i += n;
        if (i < 0 || i >= n) raise(rt().e_index, "list assignment index out of range");
        items[static_cast<std::size_t>(i)] = std::move(v);
        return;
      }
      if (key.is_object() && key.as_object()->type->kind == layout::slice) {
        std::int64_t b, e, st, count;
        slice_indices(key, n, b, e, st, count);
        std::vector<value> src = to_vector(v);
        if (st == 1) {
          if (e < b) e = b;
          items.erase(items.begin() + b, items.begin() + e);
          items.insert(items.begin() + b, src.begin(), src.end());
          return;
        }
        if (static_cast<std::int64_t>(src.size()) != count)
          raisef(rt().e_value,
                 "attempt to assign sequence of size %lld to extended slice of size %lld",
                 static_cast<long long>(src.size()), static_cast<long long>(count));
        for (std::int64_t i = 0, k = b; i < count; ++i, k += st)
          items[static_cast<std::size_t>(k)] = src[static_cast<std::size_t>(i)];
        return;
      }
      if (key.is_object() && !lookup_special(key, slot::index).is_null()) {
        setitem(obj, value::from_int(index_of(key, "")), std::move(v));
        return;
      }
      raisef(rt().e_type, "list indices must be integers or slices, not %s", tname(key));
    }
  }
  raisef(rt().e_type, "'%s' object does not support item assignment", tname(obj));
}

void delitem(const value& obj, const value& key) {
  if (obj.is_object()) {
    object* o = obj.as_object();
    type_object* t = o->type;
    if (value fn = t->get_slot(slot::delitem); !fn.is_null()) {
      call2(fn, obj, key);
      return;
    }
    if (t->kind == layout::dict) {
      if (!static_cast<dict_object*>(o)->table.erase(key))
        raise_value(make_exception_args(rt().e_key, {key}));
      return;
    }
    if (t->kind == layout::list) {
      auto& items = static_cast<list_object*>(o)->items;
      const auto n = static_cast<std::int64_t>(items.size());
      if (is_int_like(key)) {
        std::int64_t i = key.is_int() ? key.as_int() : key.as_bool();
        if (i < 0) i += n;
        if (i < 0 || i >= n) raise(rt().e_index, "list assignment index out of range");
        value keep = std::move(items[static_cast<std::size_t>(i)]);
        items.erase(items.begin() + i);
        return;
      }
      if (key.is_object() && key.as_object()->type->kind == layout::slice) {
        std::int64_t b, e, st, count;
        slice_indices(key, n, b, e, st, count);
        std::vector<bool> drop(items.size());
        for (std::int64_t i = 0, k = b; i < count; ++i, k += st)
          drop[static_cast<std::size_t>(k)] = true;
        std::vector<value> keep;
        for (std::size_t i = 0; i < items.size(); ++i)
          if (!drop[i]) keep.push_back(items[i]);
        items.swap(keep);
        return;
      }
      raisef(rt().e_type, "list indices must be integers or slices, not %s", tname(key));
    }
  }
  raisef(rt().e_type, "'%s' object doesn't support item deletion", tname(obj));
}

bool contains(const value& container, const value& item) {
  if (container.is_object()) {
    object* o = container.as_object();
    type_object* t = o->type;
    if (value fn = t->get_slot(slot::contains); !fn.is_null())
      return truthy(call2(fn, container, item));
    switch (t->kind) {
      case layout::str:
        if (!is_str(item))
          raisef(rt().e_type, "'in <string>' requires string as left operand, not %s", tname(item));
        return static_cast<str_object*>(o)->s.find(str_of(item)) != std::string::npos;
      case layout::dict:
        return static_cast<dict_object*>(o)->table.get(item) != nullptr;
      case layout::set:
        return static_cast<set_object*>(o)->contains(item, py_hash(item));
      case layout::list:
      case layout::tuple:
        for (std::size_t i = 0; i < items_of(container).size(); ++i) {
          const value x = items_of(container)[i];
          if (x.is(item) || py_eq(x, item)) return true;
        }
        return false;
      default:
        break;
    }
    if (t->kind == layout::range && (item.is_int() || item.is_bool())) {
      auto* r = static_cast<range_object*>(o);
      const std::int64_t x = item.is_int() ? item.as_int() : item.as_bool();
      if (r->step > 0 ? (x < r->start || x >= r->stop) : (x > r->start || x <= r->stop))
        return false;
      return (x - r->start) % r->step == 0;
    }
    if (t == rt().t_dict_keys) return contains(dict_view_dict(container), item);
    if (!t->get_slot(slot::iter).is_null() || t->kind == layout::range ||
        t->kind == layout::iterator) {
      value it = iter(container);
      for (value x = next(it); !x.is_null(); x = next(it))
        if (x.is(item) || py_eq(x, item)) return true;
      return false;
    }
  }
  raisef(rt().e_type, "argument of type '%s' is not iterable", tname(container));
}

std::vector<value> to_vector(const value& v) {
  if (v.is_object()) {
    object* o = v.as_object();
    if (o->type->get_slot(slot::iter).is_null()) {
      if (o->type->kind == layout::list) return static_cast<list_object*>(o)->items;
      if (o->type->kind == layout::tuple) return static_cast<tuple_object*>(o)->items;
    }
  }
  std::vector<value> out;
  value it = iter(v);
  for (value x = next(it); !x.is_null(); x = next(it)) out.push_back(std::move(x));
  return out;
}

bool is_int_like(const value& v) { return v.is_int() || v.is_bool(); }

std::int64_t index_of(const value& v, const char* what) {
  if (v.is_int()) return v.as_int();
  if (v.is_bool()) return v.as_bool();
  if (value fn = lookup_special(v, slot::index); !fn.is_null()) {
    value r = call1(fn, v);
    if (!r.is_int() && !r.is_bool())
      raisef(rt().e_type, "__index__ returned non-int (type %s)", tname(r));
    return r.is_int() ? r.as_int() : r.as_bool();
  }
  (void)what;
  raisef(rt().e_type, "'%s' object cannot be interpreted as an integer", tname(v));
}

double to_double(const value& v) {
  if (v.is_float()) return v.as_float();
  if (v.is_int()) return static_cast<double>(v.as_int());
  if (v.is_bool()) return v.as_bool();
  if (value fn = lookup_special(v, slot::float_); !fn.is_null()) {
    value r = call1(fn, v);
    if (!r.is_float())
      raisef(rt().e_type, "%s.__float__ returned non-float (type %s)", tname(v), tname(r));
    return r.as_float();
  }
  if (value fn = lookup_special(v, slot::index); !fn.is_null())
    return static_cast<double>(index_of(v, ""));
  raisef(rt().e_type, "must be real number, not %s", tname(v));
}

value call(const value& f, std::vector<value> args, const value& kwargs) {
  if (kwargs.is_null() ||
      (kwargs.is_object() && static_cast<dict_object*>(kwargs.as_object())->table.used == 0))
    return call_args(f, args.data(), args.size());
  std::vector<value> names;
  for (auto& e : static_cast<dict_object*>(kwargs.as_object())->table.entries) {
    if (e.key.is_null()) continue;
    names.push_back(e.key);
    args.push_back(e.val);
  }
  return call_args(f, args.data(), args.size(), make_tuple(std::move(names)));
}

}  // namespace gradlab::py
