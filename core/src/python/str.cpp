// str: UTF-8 text indexed by code point (ASCII strings take the fast path), its repr with
// CPython's choice of quotes, and the common methods.
#include <algorithm>
#include <cstring>

#include "python/lexer.hpp"
#include "python/runtime.hpp"

namespace gradlab::py {

std::size_t utf8_length(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

namespace {

/// Byte offset of code point k (k <= length).
std::size_t byte_at(const std::string& s, std::size_t k) {
  std::size_t i = 0;
  while (k > 0 && i < s.size()) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
    --k;
  }
  return i;
}

std::uint32_t decode(const std::string& s, std::size_t& i) {
  const unsigned char c = static_cast<unsigned char>(s[i++]);
  if (c < 0x80) return c;
  int n = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
  std::uint32_t cp = c & (n == 3 ? 7 : n == 2 ? 15 : 31);
  while (n-- > 0 && i < s.size()) cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 63);
  return cp;
}

bool printable(std::uint32_t c) {
  return !(c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0xA0) || c == 0xAD ||
           (c >= 0x2000 && c <= 0x200F) || (c >= 0x2028 && c <= 0x202F) ||
           (c >= 0x205F && c <= 0x206F) || c == 0x3000 || c == 0xFEFF ||
           (c >= 0xD800 && c <= 0xDFFF));
}

str_object* self(value* a) { return static_cast<str_object*>(a[0].as_object()); }
const std::string& arg_str(const value& v, const char* method) {
  if (!is_str(v)) raisef(rt().e_type, "%s arg must be None or str", method);
  return str_of(v);
}

bool is_space(unsigned char c) {
  return c == ' ' || (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x1f);
}

}  // namespace

std::string quote(const std::string& s) {
  const bool has_single = s.find('\'') != std::string::npos;
  const bool has_double = s.find('"') != std::string::npos;
  const char q = has_single && !has_double ? '"' : '\'';
  std::string out(1, q);
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t b = i;
    const std::uint32_t c = decode(s, i);
    char buf[16];
    if (c == static_cast<std::uint32_t>(q) || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (!printable(c)) {
      std::snprintf(buf, sizeof buf,
                    c < 0x100     ? "\\x%02x"
                    : c < 0x10000 ? "\\u%04x"
                                  : "\\U%08x",
                    c);
      out += buf;
    } else {
      out.append(s, b, i - b);
    }
  }
  out += q;
  return out;
}

std::string ascii_escape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t b = i;
    const std::uint32_t c = decode(s, i);
    if (c < 0x80) {
      out.append(s, b, i - b);
      continue;
    }
    char buf[16];
    std::snprintf(buf, sizeof buf, c < 0x100 ? "\\x%02x" : c < 0x10000 ? "\\u%04x" : "\\U%08x", c);
    out += buf;
  }
  return out;
}

std::string str_slice(str_object* so, std::int64_t start, std::int64_t stop, std::int64_t step) {
  const std::string& s = so->s;
  std::string out;
  if (so->ascii()) {
    if (step == 1)
      return stop > start
                 ? s.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(stop - start))
                 : "";
    for (std::int64_t i = start; step > 0 ? i < stop : i > stop; i += step)
      out += s[static_cast<std::size_t>(i)];
    return out;
  }
  std::vector<std::size_t> offs;  // byte offset of each code point
  for (std::size_t i = 0; i < s.size();) {
    offs.push_back(i);
    decode(s, i);
  }
  offs.push_back(s.size());
  for (std::int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
    const auto k = static_cast<std::size_t>(i);
    out.append(s, offs[k], offs[k + 1] - offs[k]);
  }
  return out;
}

value str_getitem(str_object* so, const value& key) {
  const auto n = static_cast<std::int64_t>(so->length());
  if (is_int_like(key)) {
    const std::int64_t i = norm_index(key.is_bool() ? key.as_bool() : key.as_int(), n, "string");
    return make_str(str_slice(so, i, i + 1, 1));
  }
  if (key.is_object() && key.as_object()->type->kind == layout::slice) {
    std::int64_t start, stop, step, count;
    slice_indices(key, n, start, stop, step, count);
    return make_str(str_slice(so, start, stop, step));
  }
  if (key.is_object() && !lookup_special(key, slot::index).is_null())
    return str_getitem(so, value::from_int(index_of(key, "string")));
  raisef(rt().e_type, "string indices must be integers, not '%s'", tname(key));
}

namespace {

value s_join(interpreter&, value* a, std::size_t, native_function*) {
  const std::string& sep = self(a)->s;
  std::string out;
  std::size_t k = 0;
  for (const value& v : to_vector(a[1])) {
    if (!is_str(v))
      raisef(rt().e_type, "sequence item %lld: expected str instance, %s found",
             static_cast<long long>(k), tname(v));
    if (k++) out += sep;
    out += str_of(v);
  }
  return make_str(std::move(out));
}

std::vector<value> split_ws(const std::string& s, std::int64_t maxsplit) {
  std::vector<value> out;
  std::size_t i = 0;
  while (true) {
    while (i < s.size() && is_space(static_cast<unsigned char>(s[i]))) ++i;
    if (i >= s.size()) break;
    if (maxsplit >= 0 && static_cast<std::int64_t>(out.size()) >= maxsplit) {
      out.push_back(make_str(s.substr(i)));  // the rest, trailing blanks kept
      break;
    }
    std::size_t j = i;
    while (j < s.size() && !is_space(static_cast<unsigned char>(s[j]))) ++j;
    out.push_back(make_str(s.substr(i, j - i)));
    i = j;
  }
  return out;
}

value s_split(interpreter&, value* a, std::size_t, native_function*) {
  const std::string& s = self(a)->s;
  const std::int64_t maxsplit = a[2].as_int();
  if (a[1].is_none()) return make_list(split_ws(s, maxsplit));
  const std::string& sep = arg_str(a[1], "split()");
  if (sep.empty()) raise(rt().e_value, "empty separator");
  std::vector<value> out;
  std::size_t i = 0;
  for (;;) {
    const std::size_t j = s.find(sep, i);
    if (j == std::string::npos ||
        (maxsplit >= 0 && static_cast<std::int64_t>(out.size()) >= maxsplit))
      break;
    out.push_back(make_str(s.substr(i, j - i)));
    i = j + sep.size();
  }
  out.push_back(make_str(s.substr(i)));
  return make_list(std::move(out));
}

value s_rsplit(interpreter& ip, value* a, std::size_t n, native_function* f) {
  const std::string& s = self(a)->s;
  const std::int64_t maxsplit = a[2].as_int();
  if (maxsplit < 0) return s_split(ip, a, n, f);
  std::vector<value> out;
  if (a[1].is_none()) {
    std::size_t e = s.size();
    while (true) {
      while (e > 0 && is_space(static_cast<unsigned char>(s[e - 1]))) --e;
      if (e == 0) break;
      if (static_cast<std::int64_t>(out.size()) >= maxsplit) {  // the rest, leading blanks kept
        out.push_back(make_str(s.substr(0, e)));
        break;
      }
      std::size_t b = e;
      while (b > 0 && !is_space(static_cast<unsigned char>(s[b - 1]))) --b;
      out.push_back(make_str(s.substr(b, e - b)));
      e = b;
    }
  } else {
    const std::string& sep = arg_str(a[1], "rsplit()");
    if (sep.empty()) raise(rt().e_value, "empty separator");
    std::size_t e = s.size();
    while (static_cast<std::int64_t>(out.size()) < maxsplit && e >= sep.size()) {
      const std::size_t j = s.rfind(sep, e - sep.size());
      if (j == std::string::npos) break;
      out.push_back(make_str(s.substr(j + sep.size(), e - j - sep.size())));
      e = j;
    }
    out.push_back(make_str(s.substr(0, e)));
  }
  std::reverse(out.begin(), out.end());
  return make_list(std::move(out));
}

value strip_impl(value* a, int which) {
  const std::string& s = self(a)->s;
  std::size_t b = 0, e = s.size();
  auto strip_char = [&](unsigned char c) {
    if (a[1].is_none()) return is_space(c);
    const std::string& cs = arg_str(a[1], "strip");
    return std::memchr(cs.data(), c, cs.size()) != nullptr;
  };
  if (which & 1)
    while (b < e && strip_char(static_cast<unsigned char>(s[b]))) ++b;
  if (which & 2)
    while (e > b && strip_char(static_cast<unsigned char>(s[e - 1]))) --e;
  return make_str(s.substr(b, e - b));
}
value s_strip(interpreter&, value* a, std::size_t, native_function*) { return strip_impl(a, 3); }
value s_lstrip(interpreter&, value* a, std::size_t, native_function*) { return strip_impl(a, 1); }
value s_rstrip(interpreter&, value* a, std::size_t, native_function*) { return strip_impl(a, 2); }

value s_replace(interpreter&, value* a, std::size_t, native_function*) {
  const std::string& s = self(a)->s;
  const std::string& from = arg_str(a[1], "replace()");
  const std::string& to = arg_str(a[2], "replace()");
  std::int64_t count = a[3].as_int();
  std::string out;
  if (from.empty()) {
    std::size_t i = 0;
    while (i <= s.size()) {
      if (count-- != 0) out += to;
      if (i == s.size()) break;
      std::size_t j = i + 1;
      while (j < s.size() && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) ++j;
      out.append(s, i, j - i);
      i = j;
    }
    return make_str(out);
  }
  std::size_t i = 0;
  while (count != 0) {
    const std::size_t j = s.find(from, i);
    if (j == std::string::npos) break;
    out.append(s, i, j - i);
    out += to;
    i = j + from.size();
    --count;
  }
  out.append(s, i, std::string::npos);
  return make_str(out);
}

// Case mapping for ASCII, Latin-1, Greek and Cyrillic letters (CPython maps all of
// Unicode; these cover the text a learner's script prints).
std::uint32_t map_case(std::uint32_t c, bool upper) {
  if (upper) {
    if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7) ||
        (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2) || (c >= 0x430 && c <= 0x44F))
      return c - 0x20;
    if (c >= 0x450 && c <= 0x45F) return c - 0x50;
    if (c == 0xFF) return 0x178;
  } else {
    if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) ||
        (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) || (c >= 0x410 && c <= 0x42F))
      return c + 0x20;
    if (c >= 0x400 && c <= 0x40F) return c + 0x50;
    if (c == 0x178) return 0xFF;
  }
  return c;
}

/// Maps each character: mode 0 lower, 1 upper, 2 capitalize, 3 title, 4 swapcase.
value case_map(value* a, int mode) {
  const std::string& s = self(a)->s;
  std::string out;
  out.reserve(s.size());
  bool prev_cased = false, first = true;
  for (std::size_t i = 0; i < s.size();) {
    const std::uint32_t c = decode(s, i);
    const std::uint32_t up = map_case(c, true), low = map_case(c, false);
    const bool cased = up != c || low != c;
    std::uint32_t r = c;
    switch (mode) {
      case 0:
        r = low;
        break;
      case 1:
        r = up;
        break;
      case 2:
        r = first ? up : low;
        break;
      case 3:
        r = prev_cased ? low : up;
        break;
      default:
        r = up != c ? up : low;
        break;
    }
    prev_cased = cased;
    first = false;
    put_utf8(out, r);
  }
  return make_str(out);
}
value s_upper(interpreter&, value* a, std::size_t, native_function*) { return case_map(a, 1); }
value s_lower(interpreter&, value* a, std::size_t, native_function*) { return case_map(a, 0); }
value s_capitalize(interpreter&, value* a, std::size_t, native_function*) { return case_map(a, 2); }
value s_title(interpreter&, value* a, std::size_t, native_function*) { return case_map(a, 3); }
value s_swapcase(interpreter&, value* a, std::size_t, native_function*) { return case_map(a, 4); }

value affix(value* a, bool start) {
  std::vector<value> cands;
  if (a[1].is_object() && a[1].as_object()->type->kind == layout::tuple) {
    cands = static_cast<tuple_object*>(a[1].as_object())->items;
  } else if (is_str(a[1])) {
    cands = {a[1]};
  } else {
    raisef(rt().e_type, "%s first arg must be str or a tuple of str, not %s",
           start ? "startswith" : "endswith", tname(a[1]));
  }
  const auto n = static_cast<std::int64_t>(self(a)->length());
  std::int64_t b = a[2].is_none() ? 0 : index_of(a[2], "slice"),
               e = a[3].is_none() ? n : index_of(a[3], "slice");
  if (b < 0) b = std::max<std::int64_t>(0, b + n);
  if (e < 0) e = std::max<std::int64_t>(0, e + n);
  b = std::min(b, n);
  e = std::min(e, n);
  const std::string sub = b <= e ? str_slice(self(a), b, e, 1) : std::string();
  for (const value& c : cands) {
    if (!is_str(c))
      raisef(rt().e_type, "tuple for %s must only contain str, not %s",
             start ? "startswith" : "endswith", tname(c));
    const std::string& p = str_of(c);
    if (b > e) continue;
    if (p.size() <= sub.size() && (start ? sub.compare(0, p.size(), p) == 0
                                         : sub.compare(sub.size() - p.size(), p.size(), p) == 0))
      return value::from_bool(true);
  }
  return value::from_bool(false);
}
value s_startswith(interpreter&, value* a, std::size_t, native_function*) { return affix(a, true); }
value s_endswith(interpreter&, value* a, std::size_t, native_function*) { return affix(a, false); }

/// find/rfind/index/rindex/count over [start, end) in code points.
std::int64_t search(value* a, bool reverse, std::int64_t* count) {
  str_object* so = self(a);
  const std::string& sub = arg_str(a[1], "find()");
  const auto n = static_cast<std::int64_t>(so->length());
  std::int64_t b = a[2].is_none() ? 0 : index_of(a[2], "slice"),
               e = a[3].is_none() ? n : index_of(a[3], "slice");
  if (b < 0) b = std::max<std::int64_t>(0, b + n);
  if (e < 0) e = std::max<std::int64_t>(0, e + n);
  e = std::min(e, n);
  if (b > n || b > e) return count ? (*count = 0, -1) : -1;
  const std::string& s = so->s;
  const std::size_t bb =
      so->ascii() ? static_cast<std::size_t>(b) : byte_at(s, static_cast<std::size_t>(b));
  const std::size_t eb =
      so->ascii() ? static_cast<std::size_t>(e) : byte_at(s, static_cast<std::size_t>(e));
  const std::string hay = s.substr(bb, eb - bb);
  auto to_cp = [&](std::size_t byte) {
    return b + static_cast<std::int64_t>(so->ascii() ? byte : utf8_length(hay.substr(0, byte)));
  };
  if (count) {
    std::int64_t c = 0;
    if (sub.empty()) {
      *count = static_cast<std::int64_t>(utf8_length(hay)) + 1;
      return 0;
    }
    for (std::size_t i = hay.find(sub); i != std::string::npos; i = hay.find(sub, i + sub.size()))
      ++c;
    *count = c;
    return 0;
  }
  const std::size_t i = reverse ? hay.rfind(sub) : hay.find(sub);
  return i == std::string::npos ? -1 : to_cp(i);
}
value s_find(interpreter&, value* a, std::size_t, native_function*) {
  return value::from_int(search(a, false, nullptr));
}
value s_rfind(interpreter&, value* a, std::size_t, native_function*) {
  return value::from_int(search(a, true, nullptr));
}
value s_index(interpreter&, value* a, std::size_t, native_function*) {
  const std::int64_t i = search(a, false, nullptr);
  if (i < 0) raise(rt().e_value, "substring not found");
  return value::from_int(i);
}
value s_rindex(interpreter&, value* a, std::size_t, native_function*) {
  const std::int64_t i = search(a, true, nullptr);
  if (i < 0) raise(rt().e_value, "substring not found");
  return value::from_int(i);
}
value s_count(interpreter&, value* a, std::size_t, native_function*) {
  std::int64_t c = 0;
  search(a, false, &c);
  return value::from_int(c);
}

value test_chars(value* a, bool (*f)(unsigned char)) {
  const std::string& s = self(a)->s;
  if (s.empty()) return value::from_bool(false);
  for (unsigned char c : s)
    if (!f(c)) return value::from_bool(false);
  return value::from_bool(true);
}
bool digit_c(unsigned char c) { return c >= '0' && c <= '9'; }
bool alpha_c(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}
bool alnum_c(unsigned char c) { return digit_c(c) || alpha_c(c); }
bool space_c(unsigned char c) { return is_space(c); }
value s_isdigit(interpreter&, value* a, std::size_t, native_function*) {
  return test_chars(a, digit_c);
}
value s_isalpha(interpreter&, value* a, std::size_t, native_function*) {
  return test_chars(a, alpha_c);
}
value s_isalnum(interpreter&, value* a, std::size_t, native_function*) {
  return test_chars(a, alnum_c);
}
value s_isspace(interpreter&, value* a, std::size_t, native_function*) {
  return test_chars(a, space_c);
}
value case_test(value* a, bool upper) {
  bool cased = false;
  for (unsigned char c : self(a)->s) {
    if (c >= 'a' && c <= 'z') {
      if (upper) return value::from_bool(false);
      cased = true;
    } else if (c >= 'A' && c <= 'Z') {
      if (!upper) return value::from_bool(false);
      cased = true;
    }
  }
  return value::from_bool(cased);
}
value s_isupper(interpreter&, value* a, std::size_t, native_function*) {
  return case_test(a, true);
}
value s_islower(interpreter&, value* a, std::size_t, native_function*) {
  return case_test(a, false);
}

value pad(value* a, int where) {
  str_object* so = self(a);
  const std::int64_t width = index_of(a[1], "width");
  std::string fill = " ";
  if (!a[2].is_null()) {
    if (!is_str(a[2]) || utf8_length(str_of(a[2])) != 1)
      raise(rt().e_type, "The fill character must be exactly one character long");
    fill = str_of(a[2]);
  }
  const auto n = static_cast<std::int64_t>(so->length());
  if (width <= n) return a[0];
  check_size(static_cast<std::size_t>(width), true);
  const std::int64_t total = width - n;
  std::int64_t left = where == 0 ? 0 : where == 2 ? total : total / 2 + (total & width & 1);
  std::string out;
  for (std::int64_t i = 0; i < left; ++i) out += fill;
  out += so->s;
  for (std::int64_t i = 0; i < total - left; ++i) out += fill;
  return make_str(out);
}
value s_ljust(interpreter&, value* a, std::size_t, native_function*) { return pad(a, 0); }
value s_center(interpreter&, value* a, std::size_t, native_function*) { return pad(a, 1); }
value s_rjust(interpreter&, value* a, std::size_t, native_function*) { return pad(a, 2); }
value s_zfill(interpreter&, value* a, std::size_t, native_function*) {
  const std::string& s = self(a)->s;
  const std::int64_t width = index_of(a[1], "width");
  const auto n = static_cast<std::int64_t>(self(a)->length());
  if (width <= n) return a[0];
  check_size(static_cast<std::size_t>(width), true);
  std::string out = s;
  const std::size_t at = !s.empty() && (s[0] == '+' || s[0] == '-') ? 1 : 0;
  out.insert(at, static_cast<std::size_t>(width - n), '0');
  return make_str(out);
}

value s_splitlines(interpreter&, value* a, std::size_t, native_function*) {
  const std::string& s = self(a)->s;
  const bool keep = truthy(a[1]);
  std::vector<value> out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t j = i;
    while (j < s.size() && s[j] != '\n' && s[j] != '\r') ++j;
    std::size_t e = j;
    if (j < s.size()) e = (s[j] == '\r' && j + 1 < s.size() && s[j + 1] == '\n') ? j + 2 : j + 1;
    out.push_back(make_str(s.substr(i, (keep ? e : j) - i)));
    i = e;
  }
  return make_list(std::move(out));
}

value partition(value* a, bool reverse) {
  const std::string& s = self(a)->s;
  const std::string& sep = arg_str(a[1], "partition()");
  if (sep.empty()) raise(rt().e_value, "empty separator");
  const std::size_t i = reverse ? s.rfind(sep) : s.find(sep);
  if (i == std::string::npos)
    return reverse ? make_tuple({make_str(""), make_str(""), a[0]})
                   : make_tuple({a[0], make_str(""), make_str("")});
  return make_tuple({make_str(s.substr(0, i)), a[1], make_str(s.substr(i + sep.size()))});
}
value s_partition(interpreter&, value* a, std::size_t, native_function*) {
  return partition(a, false);
}
value s_rpartition(interpreter&, value* a, std::size_t, native_function*) {
  return partition(a, true);
}

value s_format(interpreter&, value* a, std::size_t, native_function*) {
  auto* args = static_cast<tuple_object*>(a[1].as_object());
  return str_format_method(self(a)->s, args->items.data(), args->items.size(), a[2]);
}

value s_removeprefix(interpreter&, value* a, std::size_t, native_function*) {
  const std::string& s = self(a)->s;
  const std::string& p = arg_str(a[1], "removeprefix()");
  return s.compare(0, p.size(), p) == 0 ? make_str(s.substr(p.size())) : a[0];
}
value s_removesuffix(interpreter&, value* a, std::size_t, native_function*) {
  const std::string& s = self(a)->s;
  const std::string& p = arg_str(a[1], "removesuffix()");
  return !p.empty() && s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0
             ? make_str(s.substr(0, s.size() - p.size()))
             : a[0];
}

/// istitle, isidentifier, isascii, isprintable (by fn->data: 0..3).
value s_is_misc(interpreter&, value* a, std::size_t, native_function* fn) {
  const std::string& s = self(a)->s;
  const int mode = static_cast<int>(fn->data.as_int());
  bool ok = mode != 0 && mode != 1 ? true : !s.empty(), cased = false, prev_cased = false;
  std::size_t k = 0;
  for (std::size_t i = 0; i < s.size() && ok; ++k) {
    const std::uint32_t c = decode(s, i);
    const bool up = map_case(c, false) != c, low = map_case(c, true) != c;
    switch (mode) {
      case 0:  // upper-case only after uncased, lower-case only after cased
        if ((up && prev_cased) || (low && !prev_cased)) ok = false;
        cased |= up;
        prev_cased = up || low;
        break;
      case 1:
        ok = c == '_' || c >= 0x80 || (c | 32) - 'a' < 26u || (k > 0 && c - '0' < 10u);
        break;
      case 2:
        ok = c < 0x80;
        break;
      default:
        ok = printable(c) || c == ' ';
        break;
    }
  }
  return value::from_bool(ok && (mode != 0 || cased));
}

value s_expandtabs(interpreter&, value* a, std::size_t, native_function*) {
  const std::int64_t size = index_of(a[1], "tabsize");
  std::string out;
  std::int64_t col = 0;
  for (std::size_t i = 0; i < self(a)->s.size();) {
    const std::size_t b = i;
    const std::uint32_t c = decode(self(a)->s, i);
    if (c == '\t') {
      if (size > 0) {
        check_size(out.size() + static_cast<std::size_t>(size), true);
        do out += ' ';
        while (++col % size);
      }
      continue;
    }
    out.append(self(a)->s, b, i - b);
    col = c == '\n' || c == '\r' ? 0 : col + 1;
  }
  return make_str(out);
}

value s_translate(interpreter&, value* a, std::size_t, native_function*) {
  if (!a[1].is_object() || a[1].as_object()->type->kind != layout::dict)
    raise(rt().e_type, "gradlab's str.translate() takes a dict");
  std::string out;
  for (std::size_t i = 0; i < self(a)->s.size();) {
    const std::size_t b = i;
    const std::uint32_t c = decode(self(a)->s, i);
    const value* mp = static_cast<dict_object*>(a[1].as_object())->table.get(value::from_int(c));
    const value m = mp ? *mp : value();
    if (m.is_null())
      out.append(self(a)->s, b, i - b);
    else if (is_str(m))
      out += str_of(m);
    else if (m.is_int())
      put_utf8(out, static_cast<std::uint32_t>(m.as_int()));
    else if (!m.is_none())
      raise(rt().e_type, "character mapping must return integer, None or str");
  }
  return make_str(out);
}

value s_new(interpreter&, value* a, std::size_t, native_function*) {
  if (!a[2].is_null() || !a[3].is_null())
    raisef(rt().e_type, "decoding to str: need a bytes-like object, %s found", tname(a[1]));
  value s = a[1].is_null() ? make_str("") : str(a[1]);
  auto* t = static_cast<type_object*>(a[0].as_object());
  if (t != rt().t_str) {
    auto* o = new str_object(str_of(s));
    decref(o->type);
    o->type = t;
    incref(t);
    return value::steal(o);
  }
  return s;
}

}  // namespace

void init_str_methods(runtime& r) {
  type_object* t = r.t_str;
  add_method(t, "__new__", s_new, "cls, object=_missing, encoding=_missing, errors=_missing");
  add_method(t, "join", s_join, "self, iterable, /");
  add_method(t, "split", s_split, "self, /, sep=None, maxsplit=-1");
  add_method(t, "rsplit", s_rsplit, "self, /, sep=None, maxsplit=-1");
  add_method(t, "strip", s_strip, "self, chars=None, /");
  add_method(t, "lstrip", s_lstrip, "self, chars=None, /");
  add_method(t, "rstrip", s_rstrip, "self, chars=None, /");
  add_method(t, "replace", s_replace, "self, old, new, count=-1, /");
  add_method(t, "upper", s_upper, "self, /");
  add_method(t, "lower", s_lower, "self, /");
  add_method(t, "capitalize", s_capitalize, "self, /");
  add_method(t, "title", s_title, "self, /");
  add_method(t, "swapcase", s_swapcase, "self, /");
  add_method(t, "startswith", s_startswith, "self, prefix, start=None, end=None, /");
  add_method(t, "endswith", s_endswith, "self, suffix, start=None, end=None, /");
  add_method(t, "find", s_find, "self, sub, start=None, end=None, /");
  add_method(t, "rfind", s_rfind, "self, sub, start=None, end=None, /");
  add_method(t, "index", s_index, "self, sub, start=None, end=None, /");
  add_method(t, "rindex", s_rindex, "self, sub, start=None, end=None, /");
  add_method(t, "count", s_count, "self, sub, start=None, end=None, /");
  add_method(t, "isdigit", s_isdigit, "self, /");
  add_method(t, "isnumeric", s_isdigit, "self, /");
  add_method(t, "isdecimal", s_isdigit, "self, /");
  add_method(t, "isalpha", s_isalpha, "self, /");
  add_method(t, "isalnum", s_isalnum, "self, /");
  add_method(t, "isspace", s_isspace, "self, /");
  add_method(t, "isupper", s_isupper, "self, /");
  add_method(t, "islower", s_islower, "self, /");
  const char* misc[] = {"istitle", "isidentifier", "isascii", "isprintable"};
  for (int i = 0; i < 4; ++i) {
    value f = make_native(misc[i], s_is_misc, "self, /", t);
    static_cast<native_function*>(f.as_object())->data = value::from_int(i);
    t->dict->table.set(intern(misc[i]), f);
  }
  add_method(t, "casefold", s_lower, "self, /");
  add_method(t, "expandtabs", s_expandtabs, "self, /, tabsize=8");
  add_method(t, "translate", s_translate, "self, table, /");
  add_method(t, "ljust", s_ljust, "self, width, fillchar=_missing, /");
  add_method(t, "rjust", s_rjust, "self, width, fillchar=_missing, /");
  add_method(t, "center", s_center, "self, width, fillchar=_missing, /");
  add_method(t, "zfill", s_zfill, "self, width, /");
  add_method(t, "splitlines", s_splitlines, "self, /, keepends=False");
  add_method(t, "partition", s_partition, "self, sep, /");
  add_method(t, "rpartition", s_rpartition, "self, sep, /");
  add_method(t, "format", s_format, "self, /, *args, **kwargs");
  add_method(t, "removeprefix", s_removeprefix, "self, prefix, /");
  add_method(t, "removesuffix", s_removesuffix, "self, suffix, /");
}

}  // namespace gradlab::py
