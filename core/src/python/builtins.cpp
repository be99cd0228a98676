// The builtins module: its names in CPython's order (which "Did you mean" depends on),
// the functions, and the constructors of the built-in types.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "python/vm.hpp"

namespace gradlab::py {

value num_divmod(const value& a, const value& b);
std::vector<value> sorted_values(std::vector<value> items, const value& key, bool reverse);
void generic_setattr(const value& obj, const value& name, value v);

namespace {

runtime& R() { return rt(); }

// ---------------------------------------------------------------- output

value b_print(interpreter& ip, value* a, std::size_t, native_function*) {
  runtime& r = R();
  auto& items = static_cast<tuple_object*>(a[0].as_object())->items;
  for (int k = 1; k <= 2; ++k)
    if (!a[k].is_none() && !is_str(a[k]))
      raisef(r.e_type, "%s must be None or a string, not %s", k == 1 ? "sep" : "end", tname(a[k]));
  const std::string sep = a[1].is_none() ? " " : str_of(a[1]);
  const std::string end = a[2].is_none() ? "\n" : str_of(a[2]);
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += str_s(items[i]);
  }
  out += end;
  const value& file = a[3];
  if (file.is_none()) {
    ip.write(1, out);
  } else if (file.is_object() && file.as_object()->type == r.t_textio) {
    ip.write(static_cast<int>(file.as_object()->attrs->table.get_str("_stream")->as_int()), out);
  } else {
    value w = getattr(file, intern("write"));
    call(w, {make_str(out)});
  }
  return value::none();
}

value io_write(interpreter& ip, value* a, std::size_t, native_function*) {
  if (!is_str(a[1])) raisef(R().e_type, "write() argument must be str, not %s", tname(a[1]));
  ip.write(static_cast<int>(a[0].as_object()->attrs->table.get_str("_stream")->as_int()),
           str_of(a[1]));
  return value::from_int(static_cast<std::int64_t>(utf8_length(str_of(a[1]))));
}
value io_flush(interpreter&, value*, std::size_t, native_function*) { return value::none(); }

// ---------------------------------------------------------------- numbers

value b_abs(interpreter&, value* a, std::size_t, native_function*) {
  const value& x = a[0];
  if (x.is_int()) {
    if (x.as_int() == INT64_MIN) overflow();
    return value::from_int(x.as_int() < 0 ? -x.as_int() : x.as_int());
  }
  if (x.is_bool()) return value::from_int(x.as_bool());
  if (x.is_float()) return value::from_float(std::fabs(x.as_float()));
  if (value fn = lookup_special(x, slot::abs); !fn.is_null()) return call(fn, {x});
  raisef(R().e_type, "bad operand type for abs(): '%s'", tname(x));
}

value round_float(double x, const value& nd) {
  runtime& r = R();
  if (nd.is_none() || nd.is_null()) {
    double y = std::round(x);
    if (std::fabs(x - y) == 0.5) y = 2.0 * std::round(x / 2.0);  // ties to even
    if (std::isnan(y)) raise(r.e_value, "cannot convert float NaN to integer");
    if (std::isinf(y)) raise(r.e_overflow, "cannot convert float infinity to integer");
    if (std::fabs(y) >= 9.223372036854775807e18) overflow();
    return value::from_int(static_cast<std::int64_t>(y));
  }
  const std::int64_t n = index_of(nd, "");
  if (!std::isfinite(x) || x == 0) return value::from_float(x);
  if (n > 323) return value::from_float(x);
  if (n < -308) return value::from_float(0.0 * x);
  // CPython rounds the exact decimal value of x (its dtoa, mode 3): so does printf
  char buf[512];
  if (n >= 0) {
    std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(n), x);
    return value::from_float(std::strtod(buf, nullptr));
  }
  const int e10 = static_cast<int>(std::floor(std::log10(std::fabs(x))));
  const int digits = e10 + static_cast<int>(n);  // significant digits kept - 1
  if (digits < -1) return value::from_float(0.0 * x);
  if (digits == -1) {
    // |x| < 10**-n: rounds to 0 or to 10**-n (ties to even: 0)
    const double unit = std::pow(10.0, static_cast<double>(-n));
    const double ax = std::fabs(x);
    double res = ax > unit / 2 ? unit : 0.0;
    if (ax == unit / 2) res = 0.0;
    return value::from_float(std::copysign(res, x));
  }
  std::snprintf(buf, sizeof buf, "%.*e", digits, x);
  return value::from_float(std::strtod(buf, nullptr));
}

value b_round(interpreter&, value* a, std::size_t, native_function*) {
  const value& x = a[0];
  if (x.is_float()) return round_float(x.as_float(), a[1]);
  if (x.is_int() || x.is_bool()) {
    const std::int64_t v = x.is_int() ? x.as_int() : x.as_bool();
    if (a[1].is_none()) return value::from_int(v);
    const std::int64_t n = index_of(a[1], "");
    if (n >= 0) return value::from_int(v);
    if (n < -18) return value::from_int(0);
    std::int64_t p = 1;
    for (std::int64_t i = 0; i < -n; ++i) p *= 10;
    std::int64_t q = v / p, rem = v % p;
    if (rem < 0) {
      rem += p;
      --q;
    }
    if (rem * 2 > p || (rem * 2 == p && (q & 1))) ++q;
    std::int64_t out;
    if (__builtin_mul_overflow(q, p, &out)) overflow();
    return value::from_int(out);
  }
  if (value fn = lookup_special(x, slot::round); !fn.is_null())
    return a[1].is_none() ? call(fn, {x}) : call(fn, {x, a[1]});
  raisef(R().e_type, "type %s doesn't define __round__ method", tname(x));
}

value b_divmod(interpreter&, value* a, std::size_t, native_function*) {
  if ((a[0].is_int() || a[0].is_float() || a[0].is_bool()) &&
      (a[1].is_int() || a[1].is_float() || a[1].is_bool()))
    return num_divmod(a[0], a[1]);
  if (value* fn = a[0].type()->lookup(intern("__divmod__"))) return call(*fn, {a[0], a[1]});
  raisef(R().e_type, "unsupported operand type(s) for divmod(): '%s' and '%s'", tname(a[0]),
         tname(a[1]));
}

value b_pow(interpreter&, value* a, std::size_t, native_function*) {
  if (a[2].is_none()) return binary(a[0], a[1], binary_op::pow, false);
  if (!is_int_like(a[0]) || !is_int_like(a[1]) || !is_int_like(a[2]))
    raise(R().e_type, "pow() 3rd argument not allowed unless all arguments are integers");
  std::int64_t b = index_of(a[0], ""), e = index_of(a[1], ""), m = index_of(a[2], "");
  if (m == 0) raise(R().e_value, "pow() 3rd argument cannot be 0");
  if (e < 0) raise(R().e_value, "base is not invertible for the given modulus");
  __int128 result = 1, base = b % m;
  if (base < 0) base += m < 0 ? -m : m;
  while (e > 0) {
    if (e & 1) result = (result * base) % m;
    base = (base * base) % m;
    e >>= 1;
  }
  std::int64_t r = static_cast<std::int64_t>(result % m);
  if (r != 0 && ((r < 0) != (m < 0))) r += m;
  return value::from_int(r);
}

std::string int_base(const value& v, int base, const char* prefix) {
  const std::int64_t n = index_of(v, "");
  std::string spec = std::string("#") + (base == 16 ? "x" : base == 8 ? "o" : "b");
  (void)prefix;
  return format_int(n, spec);
}
value b_hex(interpreter&, value* a, std::size_t, native_function*) {
  return make_str(int_base(a[0], 16, "0x"));
}
value b_oct(interpreter&, value* a, std::size_t, native_function*) {
  return make_str(int_base(a[0], 8, "0o"));
}
value b_bin(interpreter&, value* a, std::size_t, native_function*) {
  return make_str(int_base(a[0], 2, "0b"));
}

value b_chr(interpreter&, value* a, std::size_t, native_function*) {
  const std::int64_t c = index_of(a[0], "");
  if (c < 0 || c > 0x10FFFF) raise(R().e_value, "chr() arg not in range(0x110000)");
  return make_str(format_int(c, "c"));
}

value b_ord(interpreter&, value* a, std::size_t, native_function*) {
  if (!is_str(a[0]))
    raisef(R().e_type, "ord() expected string of length 1, but %s found", tname(a[0]));
  const std::string& s = str_of(a[0]);
  const std::size_t n = utf8_length(s);
  if (n != 1)
    raisef(R().e_type, "ord() expected a character, but string of length %lld found",
           static_cast<long long>(n));
  const auto c = static_cast<unsigned char>(s[0]);
  std::uint32_t cp = c;
  if (c >= 0xC0) {
    const int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
    cp = c & (more == 3 ? 7 : more == 2 ? 15 : 31);
    for (int k = 1; k <= more; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[static_cast<std::size_t>(k)]) & 63);
  }
  return value::from_int(cp);
}

// ---------------------------------------------------------------- sequences

value b_len(interpreter&, value* a, std::size_t, native_function*) {
  return value::from_int(len(a[0]));
}

value min_max(value* a, bool is_max) {
  runtime& r = R();
  auto& args = static_cast<tuple_object*>(a[0].as_object())->items;
  const char* name = is_max ? "max" : "min";
  std::vector<value> items;
  if (args.empty()) raisef(r.e_type, "%s expected at least 1 argument, got 0", name);
  if (args.size() == 1) {
    items = to_vector(args[0]);
  } else {
    if (!a[2].is_null())
      raisef(r.e_type, "Cannot specify a default for %s() with multiple positional arguments",
             name);
    items = args;
  }
  if (items.empty()) {
    if (!a[2].is_null()) return a[2];
    raisef(r.e_value, "%s() arg is an empty sequence", name);
  }
  const bool keyed = !a[1].is_none();
  value best = items[0];
  value best_key = keyed ? call(a[1], {best}) : best;
  for (std::size_t i = 1; i < items.size(); ++i) {
    value k = keyed ? call(a[1], {items[i]}) : items[i];
    if (compare_bool(k, best_key, is_max ? compare_op::gt : compare_op::lt)) {
      best = items[i];
      best_key = k;
    }
  }
  return best;
}
value b_max(interpreter&, value* a, std::size_t, native_function*) { return min_max(a, true); }
value b_min(interpreter&, value* a, std::size_t, native_function*) { return min_max(a, false); }

value b_sum(interpreter&, value* a, std::size_t, native_function*) {
  runtime& r = R();
  value acc = a[1];
  if (is_str(acc)) raise(r.e_type, "sum() can't sum strings [use ''.join(seq) instead]");
  value it = iter(a[0]);
  for (value x = next(it); !x.is_null(); x = next(it)) {
    if (acc.is_float() && x.is_float())
      acc = value::from_float(acc.as_float() + x.as_float());
    else
      acc = binary(acc, x, binary_op::add, false);
  }
  return acc;
}

value b_sorted(interpreter&, value* a, std::size_t, native_function*) {
  return make_list(sorted_values(to_vector(a[0]), a[1], truthy(a[2])));
}

value b_any(interpreter&, value* a, std::size_t, native_function*) {
  value it = iter(a[0]);
  for (value x = next(it); !x.is_null(); x = next(it))
    if (truthy(x)) return value::from_bool(true);
  return value::from_bool(false);
}
value b_all(interpreter&, value* a, std::size_t, native_function*) {
  value it = iter(a[0]);
  for (value x = next(it); !x.is_null(); x = next(it))
    if (!truthy(x)) return value::from_bool(false);
  return value::from_bool(true);
}

// ---------------------------------------------------------------- objects

bool isinstance_of(const value& obj, const value& cls, const char* fname) {
  runtime& r = R();
  if (cls.is_object() && cls.as_object()->type->kind == layout::tuple) {
    for (const value& c : static_cast<tuple_object*>(cls.as_object())->items)
      if (isinstance_of(obj, c, fname)) return true;
    return false;
  }
  if (!cls.is_object() || cls.as_object()->type->kind != layout::type)
    raisef(r.e_type, "%s() arg 2 must be a type, a tuple of types, or a union", fname);
  auto* t = static_cast<type_object*>(cls.as_object());
  if (std::string(fname) == "issubclass") {
    if (!obj.is_object() || obj.as_object()->type->kind != layout::type)
      raise(r.e_type, "issubclass() arg 1 must be a class");
    return static_cast<type_object*>(obj.as_object())->is_subtype(t);
  }
  return obj.type()->is_subtype(t);
}
value b_isinstance(interpreter&, value* a, std::size_t, native_function*) {
  return value::from_bool(isinstance_of(a[0], a[1], "isinstance"));
}
value b_issubclass(interpreter&, value* a, std::size_t, native_function*) {
  return value::from_bool(isinstance_of(a[0], a[1], "issubclass"));
}

const value& attr_name(const value& v) {
  if (!is_str(v)) raisef(R().e_type, "attribute name must be string, not '%s'", tname(v));
  return v;
}
value b_getattr(interpreter&, value* a, std::size_t, native_function*) {
  const value& n = attr_name(a[1]);
  if (a[2].is_null()) return getattr(a[0], n);
  value v = getattr_opt(a[0], n);
  return v.is_null() ? a[2] : v;
}
value b_hasattr(interpreter&, value* a, std::size_t, native_function*) {
  return value::from_bool(!getattr_opt(a[0], attr_name(a[1])).is_null());
}
value b_setattr(interpreter&, value* a, std::size_t, native_function*) {
  setattr(a[0], attr_name(a[1]), a[2]);
  return value::none();
}
value b_delattr(interpreter&, value* a, std::size_t, native_function*) {
  delattr(a[0], attr_name(a[1]));
  return value::none();
}

value b_repr(interpreter&, value* a, std::size_t, native_function*) { return repr(a[0]); }
value b_ascii(interpreter&, value* a, std::size_t, native_function*) {
  return make_str(ascii_escape(str_of(repr(a[0]))));
}
value b_format(interpreter&, value* a, std::size_t, native_function*) {
  if (!is_str(a[1])) raisef(R().e_type, "format() argument 2 must be str, not %s", tname(a[1]));
  return format(a[0], str_of(a[1]));
}
value b_hash(interpreter&, value* a, std::size_t, native_function*) {
  return value::from_int(py_hash(a[0]));
}
value b_id(interpreter&, value* a, std::size_t, native_function*) {
  if (!a[0].is_object()) return value::from_int(py_hash(a[0]) * 16 + 94000000000000);
  return value::from_int(
      static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(a[0].as_object())));
}
value b_callable(interpreter&, value* a, std::size_t, native_function*) {
  const value& v = a[0];
  if (!v.is_object()) return value::from_bool(false);
  const layout k = v.as_object()->type->kind;
  return value::from_bool(k == layout::function || k == layout::native_function ||
                          k == layout::method || k == layout::type ||
                          !lookup_special(v, slot::call).is_null());
}

}  // namespace

std::vector<std::string> dir_of(const value& obj) {
  std::vector<std::string> names;
  auto add_dict = [&](dict_object* d) {
    if (!d) return;
    for (auto& e : d->table.entries)
      if (!e.key.is_null() && is_str(e.key)) names.push_back(str_of(e.key));
  };
  object* o = obj.ptr();
  if (o && o->type->kind == layout::module) {
    auto* m = static_cast<module_object*>(o);
    for (std::size_t i = 0; i < m->slot_names.size(); ++i)
      if (!m->globals[i].is_null()) names.push_back(str_of(m->slot_names[i]));
  } else {
    if (o) add_dict(o->attrs);
    type_object* t = o && o->type->kind == layout::type ? static_cast<type_object*>(o) : obj.type();
    for (type_object* b = t; b; b = b->base) add_dict(b->dict);
    for (const char* n : {"__class__", "__doc__", "__module__"}) names.push_back(n);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

namespace {

value b_dir(interpreter&, value* a, std::size_t, native_function*) {
  std::vector<value> out;
  if (a[0].is_null()) {
    runtime& r = R();
    std::vector<std::string> names;
    module_object* m = r.frames.empty() ? r.main.get() : r.frames.back().module;
    for (std::size_t i = 0; i < m->slot_names.size(); ++i)
      if (!m->globals[i].is_null()) names.push_back(str_of(m->slot_names[i]));
    std::sort(names.begin(), names.end());
    for (auto& n : names) out.push_back(make_str(n));
    return make_list(std::move(out));
  }
  for (const std::string& n : dir_of(a[0])) out.push_back(make_str(n));
  return make_list(std::move(out));
}

value b_vars(interpreter&, value* a, std::size_t, native_function*) {
  if (a[0].is_null())
    raise(R().e_notimpl, "vars() without an argument is not supported by gradlab");
  value d = getattr_opt(a[0], intern("__dict__"));
  if (d.is_null()) raise(R().e_type, "vars() argument must have __dict__ attribute");
  return d;
}

value b_globals(interpreter&, value*, std::size_t, native_function*) {
  runtime& r = R();
  module_object* m = r.frames.empty() ? r.main.get() : r.frames.back().module;
  return getattr(value::borrow(m), intern("__dict__"));
}

value b_unsupported(interpreter&, value*, std::size_t, native_function* f) {
  raisef(R().e_notimpl, "%s() is not supported by gradlab", f->name.c_str());
}

value b_exit(interpreter&, value* a, std::size_t, native_function*) {
  raise_value(make_exception_args(
      R().e_systemexit, a[0].is_none() ? std::vector<value>{} : std::vector<value>{a[0]}));
}

// ---------------------------------------------------------------- type constructors

value int_new(interpreter&, value* a, std::size_t, native_function*) {
  runtime& r = R();
  const value& x = a[1];
  if (!a[2].is_null()) {
    if (!is_str(x)) raise(r.e_type, "int() can't convert non-string with explicit base");
    const std::int64_t base = index_of(a[2], "");
    if (base != 0 && (base < 2 || base > 36))
      raise(r.e_value, "int() base must be >= 2 and <= 36, or 0");
    bool ok;
    value v = parse_int(str_of(x), static_cast<int>(base), ok);
    if (!ok)
      raisef(r.e_value, "invalid literal for int() with base %lld: %s",
             static_cast<long long>(base), (repr_s(x)).c_str());
    return v;
  }
  if (x.is_null()) return value::from_int(0);
  if (x.is_int()) return x;
  if (x.is_bool()) return value::from_int(x.as_bool());
  if (x.is_float()) {
    const double d = x.as_float();
    if (std::isnan(d)) raise(r.e_value, "cannot convert float NaN to integer");
    if (std::isinf(d)) raise(r.e_overflow, "cannot convert float infinity to integer");
    if (std::fabs(d) >= 9.223372036854775807e18) overflow();
    return value::from_int(static_cast<std::int64_t>(d));
  }
  if (is_str(x)) {
    bool ok;
    value v = parse_int(str_of(x), 10, ok);
    if (!ok) raisef(r.e_value, "invalid literal for int() with base 10: %s", (repr_s(x)).c_str());
    return v;
  }
  if (value fn = lookup_special(x, slot::int_); !fn.is_null()) return call(fn, {x});
  if (value fn = lookup_special(x, slot::index); !fn.is_null()) return call(fn, {x});
  if (value* fn = x.type()->lookup(intern("__trunc__"))) return call(*fn, {x});
  raisef(r.e_type,
         "int() argument must be a string, a bytes-like object or a real number, not '%s'",
         tname(x));
}

value float_new(interpreter&, value* a, std::size_t, native_function*) {
  runtime& r = R();
  const value& x = a[1];
  if (x.is_null()) return value::from_float(0.0);
  if (x.is_float()) return x;
  if (x.is_int() || x.is_bool()) return value::from_float(to_double(x));
  if (is_str(x)) {
    double d;
    if (!parse_float(str_of(x), d))
      raisef(r.e_value, "could not convert string to float: %s", (repr_s(x)).c_str());
    return value::from_float(d);
  }
  if (!lookup_special(x, slot::float_).is_null() || !lookup_special(x, slot::index).is_null())
    return value::from_float(to_double(x));
  raisef(r.e_type, "float() argument must be a string or a real number, not '%s'", tname(x));
}

value bool_new(interpreter&, value* a, std::size_t, native_function*) {
  return value::from_bool(!a[1].is_null() && truthy(a[1]));
}

value range_new(interpreter&, value* a, std::size_t, native_function*) {
  runtime& r = R();
  auto& args = static_cast<tuple_object*>(a[1].as_object())->items;
  if (args.empty()) raise(r.e_type, "range expected at least 1 argument, got 0");
  if (args.size() > 3)
    raisef(r.e_type, "range expected at most 3 arguments, got %lld",
           static_cast<long long>(args.size()));
  std::int64_t start = 0, stop, step = 1;
  if (args.size() == 1) {
    stop = index_of(args[0], "");
  } else {
    start = index_of(args[0], "");
    stop = index_of(args[1], "");
    if (args.size() == 3) step = index_of(args[2], "");
  }
  if (step == 0) raise(r.e_value, "range() arg 3 must not be zero");
  return value::steal(new range_object(start, stop, step));
}

value slice_new(interpreter&, value* a, std::size_t, native_function*) {
  auto& args = static_cast<tuple_object*>(a[1].as_object())->items;
  if (args.empty()) raise(R().e_type, "slice expected at least 1 argument, got 0");
  if (args.size() > 3)
    raisef(R().e_type, "slice expected at most 3 arguments, got %lld",
           static_cast<long long>(args.size()));
  if (args.size() == 1)
    return value::steal(new slice_object(value::none(), args[0], value::none()));
  return value::steal(
      new slice_object(args[0], args[1], args.size() == 3 ? args[2] : value::none()));
}

value object_new(interpreter&, value* a, std::size_t, native_function*) {
  auto* t = static_cast<type_object*>(a[0].as_object());
  if (!t->alloc)
    raisef(R().e_type, "object.__new__(%s) is not safe, use %s.__new__()", t->name.c_str(),
           t->name.c_str());
  return value::steal(t->alloc(t));
}
value object_init(interpreter&, value* a, std::size_t, native_function*) {
  auto& args = static_cast<tuple_object*>(a[1].as_object())->items;
  auto* kw = static_cast<dict_object*>(a[2].as_object());
  if ((!args.empty() || kw->table.used) && type_new(a[0].type()).is_null())
    raise(R().e_type, "object.__init__() takes exactly one argument (the instance to initialize)");
  return value::none();
}
value object_setattr(interpreter&, value* a, std::size_t, native_function*) {
  generic_setattr(a[0], attr_name(a[1]), a[2]);
  return value::none();
}
value object_getattribute(interpreter&, value* a, std::size_t, native_function*) {
  return getattr(a[0], attr_name(a[1]));
}
value object_delattr(interpreter&, value* a, std::size_t, native_function*) {
  object* o = a[0].ptr();
  if (o && o->attrs && o->attrs->table.erase(a[1])) return value::none();
  raisef(R().e_attr, "'%s' object has no attribute '%s'", tname(a[0]), (str_of(a[1])).c_str());
}
value object_repr(interpreter&, value* a, std::size_t, native_function*) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%p", static_cast<void*>(a[0].ptr()));
  type_object* t = a[0].type();
  return make_str("<" + (t->module == "builtins" ? t->qualname : t->module + "." + t->qualname) +
                  " object at " + buf + ">");
}
value object_str(interpreter&, value* a, std::size_t, native_function*) { return repr(a[0]); }
value object_eq(interpreter&, value* a, std::size_t, native_function*) {
  return a[0].is(a[1]) ? value::from_bool(true) : R().not_implemented;
}
value object_ne(interpreter&, value* a, std::size_t, native_function*) {
  value eq = compare(a[0], a[1], compare_op::eq);
  return value::from_bool(!truthy(eq));
}
value object_hash(interpreter&, value* a, std::size_t, native_function*) {
  const auto p = reinterpret_cast<std::uintptr_t>(a[0].ptr());
  return value::from_int(static_cast<std::int64_t>((p >> 4) | (p << (8 * sizeof(p) - 4))));
}
value object_format(interpreter&, value* a, std::size_t, native_function*) {
  if (!is_str(a[1]) || !str_of(a[1]).empty())
    raisef(R().e_type, "unsupported format string passed to %s.__format__", tname(a[0]));
  return str(a[0]);
}
value object_dir(interpreter&, value* a, std::size_t, native_function*) {
  std::vector<value> out;
  for (const std::string& n : dir_of(a[0])) out.push_back(make_str(n));
  return make_list(std::move(out));
}

value type_new_fn(interpreter&, value* a, std::size_t, native_function*) {
  auto& args = static_cast<tuple_object*>(a[1].as_object())->items;
  if (args.size() == 1) return value::borrow(args[0].type());
  if (args.size() == 3) return make_class(args[0], args[1], args[2], value());
  raise(R().e_type, "type() takes 1 or 3 arguments");
}

value property_new(interpreter&, value* a, std::size_t, native_function*) {
  return value::steal(
      new property_object(a[1].is_none() ? value() : a[1], a[2].is_none() ? value() : a[2]));
}
value property_setter(interpreter&, value* a, std::size_t, native_function*) {
  auto* p = static_cast<property_object*>(a[0].as_object());
  return value::steal(new property_object(p->fget, a[1]));
}
value property_getter(interpreter&, value* a, std::size_t, native_function*) {
  auto* p = static_cast<property_object*>(a[0].as_object());
  return value::steal(new property_object(a[1], p->fset));
}
value staticmethod_new(interpreter&, value* a, std::size_t, native_function*) {
  return value::steal(new wrapper_object(R().t_staticmethod, a[1]));
}
value classmethod_new(interpreter&, value* a, std::size_t, native_function*) {
  return value::steal(new wrapper_object(R().t_classmethod, a[1]));
}

value super_new(interpreter&, value* a, std::size_t, native_function*) {
  runtime& r = R();
  auto& args = static_cast<tuple_object*>(a[1].as_object())->items;
  if (args.size() == 2) {
    if (!args[0].is_object() || args[0].as_object()->type->kind != layout::type)
      raisef(r.e_type, "super() argument 1 must be a type, not %s", tname(args[0]));
    return value::steal(new super_object(args[0], args[1]));
  }
  if (args.size() > 2)
    raisef(r.e_type, "super() expected at most 2 arguments, got %lld",
           static_cast<long long>(args.size()));
  if (!args.empty()) raise(r.e_type, "super() with one argument is not supported by gradlab");
  if (r.frames.empty()) raise(r.e_runtime, "super(): no arguments");
  frame& f = r.frames.back();
  code_object* c = f.code;
  if (c->argcount == 0) raise(r.e_runtime, "super(): no arguments");
  value self = f.locals[0];
  for (std::size_t i = 0; i < c->cellvars.size(); ++i)
    if (c->cell_args[i] == 0)
      self = static_cast<cell_object*>(f.locals[c->nlocals() + i].as_object())->v;
  value cls;
  for (std::size_t i = 0; i < c->freevars.size(); ++i)
    if (str_of(c->freevars[i]) == "__class__")
      cls =
          static_cast<cell_object*>(f.locals[c->nlocals() + c->cellvars.size() + i].as_object())->v;
  if (cls.is_null()) raise(r.e_runtime, "super(): __class__ cell not found");
  if (self.is_null()) raise(r.e_runtime, "super(): arg[0] deleted");
  return value::steal(new super_object(cls, self));
}

// CPython's builtins, in order; names without a definition here get a placeholder that
// says gradlab does not support them.
const char* const kBuiltinNames[] = {"__name__",     "__doc__",
                                     "__package__",  "__loader__",
                                     "__spec__",     "__build_class__",
                                     "__import__",   "abs",
                                     "all",          "any",
                                     "ascii",        "bin",
                                     "breakpoint",   "callable",
                                     "chr",          "compile",
                                     "delattr",      "dir",
                                     "divmod",       "eval",
                                     "exec",         "format",
                                     "getattr",      "globals",
                                     "hasattr",      "hash",
                                     "hex",          "id",
                                     "input",        "isinstance",
                                     "issubclass",   "iter",
                                     "aiter",        "len",
                                     "locals",       "max",
                                     "min",          "next",
                                     "anext",        "oct",
                                     "ord",          "pow",
                                     "print",        "repr",
                                     "round",        "setattr",
                                     "sorted",       "sum",
                                     "vars",         "None",
                                     "Ellipsis",     "NotImplemented",
                                     "False",        "True",
                                     "bool",         "memoryview",
                                     "bytearray",    "bytes",
                                     "classmethod",  "complex",
                                     "dict",         "enumerate",
                                     "filter",       "float",
                                     "frozenset",    "property",
                                     "int",          "list",
                                     "map",          "object",
                                     "range",        "reversed",
                                     "set",          "slice",
                                     "staticmethod", "str",
                                     "super",        "tuple",
                                     "type",         "zip",
                                     "__debug__"};
const char* const kTrailingNames[] = {"open",    "quit",    "exit", "copyright",
                                      "credits", "license", "help"};

}  // namespace

range_object::range_object(std::int64_t a, std::int64_t b, std::int64_t c)
    : object(rt().t_range), start(a), stop(b), step(c) {
  if (step > 0)
    length = start < stop ? (stop - start - 1) / step + 1 : 0;
  else
    length = start > stop ? (start - stop - 1) / (-step) + 1 : 0;
}

/// Creates the builtins module's slots in CPython's order (values filled in later).
void declare_builtins(runtime& r) {
  module_object* b = r.builtins.get();
  for (const char* n : kBuiltinNames) b->slot_for(intern(n));
}

void init_builtins(runtime& r) {
  module_object* b = r.builtins.get();
  auto type_value = [](type_object* t) { return value::borrow(t); };
  b->set("__name__", make_str("builtins"));
  b->set("__doc__", value::none());
  b->set("__package__", make_str(""));
  b->set("__loader__", value::none());
  b->set("__spec__", value::none());
  for (const char* n :
       {"__build_class__", "__import__", "breakpoint", "compile", "eval", "exec", "input", "aiter",
        "anext", "locals", "memoryview", "bytearray", "bytes", "complex"})
    add_function(b, n, b_unsupported);
  add_function(b, "abs", b_abs, "x, /");
  add_function(b, "all", b_all, "iterable, /");
  add_function(b, "any", b_any, "iterable, /");
  add_function(b, "ascii", b_ascii, "obj, /");
  add_function(b, "bin", b_bin, "number, /");
  add_function(b, "callable", b_callable, "obj, /");
  add_function(b, "chr", b_chr, "i, /");
  add_function(b, "delattr", b_delattr, "obj, name, /");
  add_function(b, "dir", b_dir, "object=_missing, /");
  add_function(b, "divmod", b_divmod, "x, y, /");
  add_function(b, "format", b_format, "value, format_spec='', /");
  add_function(b, "getattr", b_getattr, "object, name, default=_missing, /");
  add_function(b, "globals", b_globals, "");
  add_function(b, "hasattr", b_hasattr, "obj, name, /");
  add_function(b, "hash", b_hash, "obj, /");
  add_function(b, "hex", b_hex, "number, /");
  add_function(b, "id", b_id, "obj, /");
  add_function(b, "isinstance", b_isinstance, "obj, class_or_tuple, /");
  add_function(b, "issubclass", b_issubclass, "cls, class_or_tuple, /");
  add_function(b, "len", b_len, "obj, /");
  add_function(b, "max", b_max, "*args, key=None, default=_missing");
  add_function(b, "min", b_min, "*args, key=None, default=_missing");
  add_function(b, "oct", b_oct, "number, /");
  add_function(b, "ord", b_ord, "c, /");
  add_function(b, "pow", b_pow, "base, exp, mod=None");
  add_function(b, "print", b_print, "*args, sep=' ', end='\\n', file=None, flush=False");
  add_function(b, "repr", b_repr, "obj, /");
  add_function(b, "round", b_round, "number, ndigits=None");
  add_function(b, "setattr", b_setattr, "obj, name, value, /");
  add_function(b, "sorted", b_sorted, "iterable, /, *, key=None, reverse=False");
  add_function(b, "sum", b_sum, "iterable, /, start=0");
  add_function(b, "vars", b_vars, "object=_missing, /");
  b->set("None", value::none());
  b->set("Ellipsis", r.ellipsis);
  b->set("NotImplemented", r.not_implemented);
  b->set("False", value::from_bool(false));
  b->set("True", value::from_bool(true));
  for (type_object* t : {r.t_bool, r.t_classmethod, r.t_dict, r.t_float, r.t_frozenset,
                         r.t_property, r.t_int, r.t_list, r.t_object, r.t_range, r.t_set, r.t_slice,
                         r.t_staticmethod, r.t_str, r.t_super, r.t_tuple, r.t_type})
    b->set(t->name.c_str(), type_value(t));
  b->set("__debug__", value::from_bool(true));
  add_method(r.t_int, "__new__", int_new, "cls, x=_missing, /, base=_missing");
  add_method(r.t_float, "__new__", float_new, "cls, x=_missing, /");
  add_method(r.t_bool, "__new__", bool_new, "cls, x=_missing, /");
  add_method(r.t_range, "__new__", range_new, "cls, /, *args");
  add_method(r.t_slice, "__new__", slice_new, "cls, /, *args");
  add_method(r.t_type, "__new__", type_new_fn, "cls, /, *args");
  add_method(r.t_object, "__new__", object_new, "cls, /, *args, **kwargs");
  add_method(r.t_object, "__init__", object_init, "self, /, *args, **kwargs");
  add_method(r.t_object, "__setattr__", object_setattr, "self, name, value, /");
  add_method(r.t_object, "__getattribute__", object_getattribute, "self, name, /");
  add_method(r.t_object, "__delattr__", object_delattr, "self, name, /");
  add_method(r.t_object, "__repr__", object_repr, "self, /");
  add_method(r.t_object, "__str__", object_str, "self, /");
  add_method(r.t_object, "__eq__", object_eq, "self, value, /");
  add_method(r.t_object, "__ne__", object_ne, "self, value, /");
  add_method(r.t_object, "__hash__", object_hash, "self, /");
  add_method(r.t_object, "__format__", object_format, "self, format_spec, /");
  add_method(r.t_object, "__dir__", object_dir, "self, /");
  add_method(r.t_property, "__new__", property_new,
             "cls, fget=None, fset=None, fdel=None, doc=None");
  add_method(r.t_property, "setter", property_setter, "self, fset, /");
  add_method(r.t_property, "getter", property_getter, "self, fget, /");
  add_method(r.t_staticmethod, "__new__", staticmethod_new, "cls, function, /");
  add_method(r.t_classmethod, "__new__", classmethod_new, "cls, function, /");
  add_method(r.t_super, "__new__", super_new, "cls, /, *args");
  for (const char* n : kTrailingNames) {
    if (std::string(n) == "quit" || std::string(n) == "exit")
      add_function(b, n, b_exit, "code=None");
    else if (std::string(n) != "open")
      b->set(n, make_str("Type " + std::string(n) + "() to see the full " + n + " text"));
    else
      add_function(b, n, b_unsupported);
  }
  // sys.stdout / sys.stderr objects, for print(file=...)
  add_method(r.t_textio, "write", io_write, "self, s, /");
  add_method(r.t_textio, "flush", io_flush, "self, /");
}

}  // namespace gradlab::py
