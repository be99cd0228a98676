// Python's format-spec mini-language (format(), f-strings, str.format) for int, float and
// str, %-formatting, and str.format's replacement fields, with CPython's error texts.
#include <cmath>
#include <cstdio>
#include <cstring>

#include "python/runtime.hpp"

namespace gradlab::py {

namespace {

struct spec_t {
  char fill = ' ';
  std::string fill_utf8 = " ";
  char align = 0;  // < > = ^
  char sign = 0;   // + - space
  bool z = false, alt = false, zero = false;
  int width = -1;
  char grouping = 0;  // , _
  int precision = -1;
  char type = 0;
};

[[noreturn]] void value_error(const std::string& m) { raise(rt().e_value, m); }

spec_t parse_spec(const std::string& s, const char* tname) {
  spec_t p;
  std::size_t i = 0;
  const std::size_t n = s.size();
  auto is_align = [](char c) { return c == '<' || c == '>' || c == '=' || c == '^'; };
  // fill (one character, possibly multi-byte) then align
  std::size_t flen = 1;
  if (n > 0 && (static_cast<unsigned char>(s[0]) & 0x80)) {
    while (flen < n && (static_cast<unsigned char>(s[flen]) & 0xC0) == 0x80) ++flen;
  }
  if (n > flen && is_align(s[flen])) {
    p.fill_utf8 = s.substr(0, flen);
    p.fill = s[0];
    p.align = s[flen];
    i = flen + 1;
  } else if (n > 0 && is_align(s[0])) {
    p.align = s[0];
    i = 1;
  }
  if (i < n && (s[i] == '+' || s[i] == '-' || s[i] == ' ')) p.sign = s[i++];
  if (i < n && s[i] == 'z') {
    p.z = true;
    ++i;
  }
  if (i < n && s[i] == '#') {
    p.alt = true;
    ++i;
  }
  if (i < n && s[i] == '0') {
    p.zero = true;
    if (!p.align) {
      p.fill = '0';
      p.fill_utf8 = "0";
      p.align = '=';
    }
    ++i;
  }
  if (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) {
    p.width = 0;
    while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) {
      p.width = p.width * 10 + (s[i++] - '0');
      if (p.width > 100000000) value_error("Too many decimal digits in format string");
    }
  }
  if (i < n && (s[i] == ',' || s[i] == '_')) p.grouping = s[i++];
  if (i < n && (s[i] == ',' || s[i] == '_')) value_error("Cannot specify both ',' and '_'.");
  if (i < n && s[i] == '.') {
    ++i;
    if (i >= n || !std::isdigit(static_cast<unsigned char>(s[i])))
      value_error("Format specifier missing precision");
    p.precision = 0;
    while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) {
      p.precision = p.precision * 10 + (s[i++] - '0');
      if (p.precision > 100000000) value_error("Too many decimal digits in format string");
    }
  }
  if (n - i > 1)
    value_error(std::string("Invalid format specifier '") + s + "' for object of type '" + tname +
                "'");
  if (i < n) p.type = s[i];
  if (p.grouping && p.type && !std::strchr("deEfFgG%", p.type) &&
      !(p.grouping == '_' && std::strchr("bxXo", p.type))) {
    if (p.type == 'n' || p.type == 's' || p.type == 'c')
      value_error(std::string("Cannot specify '") + p.grouping + "' with '" + p.type + "'.");
  }
  return p;
}

/// Pads `body` (its sign already split off into `prefix`) to the width.
std::string pad(const spec_t& p, const std::string& prefix, const std::string& body,
                char default_align) {
  if (p.width > 0) check_size(static_cast<std::size_t>(p.width), true);
  const char align = p.align ? p.align : default_align;
  const std::size_t len = utf8_length(prefix) + utf8_length(body);
  if (p.width < 0 || static_cast<std::size_t>(p.width) <= len) return prefix + body;
  const std::size_t total = static_cast<std::size_t>(p.width) - len;
  auto fill = [&](std::size_t k) {
    std::string f;
    for (std::size_t i = 0; i < k; ++i) f += p.fill_utf8;
    return f;
  };
  switch (align) {
    case '<':
      return prefix + body + fill(total);
    case '^':
      return fill(total / 2) + prefix + body + fill(total - total / 2);
    case '=':
      return prefix + fill(total) + body;
    default:
      return fill(total) + prefix + body;
  }
}

std::string group(const std::string& digits, char sep, int every) {
  std::string out;
  const std::size_t n = digits.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (i && (n - i) % static_cast<std::size_t>(every) == 0) out += sep;
    out += digits[i];
  }
  return out;
}

/// Zero-padding with grouping pads the digits themselves (CPython's behaviour).
std::string group_padded(std::string digits, const spec_t& p, std::size_t other, char sep,
                         int every) {
  if (p.align == '=' && p.fill == '0' && p.width > 0) {
    // grow the digit string until the grouped result reaches the width
    while (true) {
      const std::string g = group(digits, sep, every);
      if (g.size() + other >= static_cast<std::size_t>(p.width)) return g;
      digits.insert(0, 1, '0');
    }
  }
  return group(digits, sep, every);
}

std::string fmt_double(double v, char type, int prec, bool alt) {
  char f[16];
  std::snprintf(f, sizeof f, "%%%s.*%c", alt ? "#" : "", type);
  const int n = std::snprintf(nullptr, 0, f, prec, v);
  std::string out(static_cast<std::size_t>(n) + 1, '\0');
  std::snprintf(&out[0], out.size(), f, prec, v);
  out.resize(static_cast<std::size_t>(n));
  return out;
}

}  // namespace

std::string format_int(std::int64_t v, const std::string& spec) {
  spec_t p = parse_spec(spec, "int");
  if (p.type && std::strchr("eEfFgG%", p.type)) return format_float(static_cast<double>(v), spec);
  if (p.precision >= 0) value_error("Precision not allowed in integer format specifier");
  if (p.type && !std::strchr("bcdoxXn", p.type))
    value_error(std::string("Unknown format code '") + p.type + "' for object of type 'int'");
  if (p.type == 'c') {
    if (p.sign) value_error("Sign not allowed with integer format specifier 'c'");
    if (v < 0 || v > 0x10FFFF) raise(rt().e_overflow, "%c arg not in range(0x110000)");
    std::string ch;
    const auto cp = static_cast<std::uint32_t>(v);
    if (cp < 0x80)
      ch += static_cast<char>(cp);
    else if (cp < 0x800)
      ch = {static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 63))};
    else if (cp < 0x10000)
      ch = {static_cast<char>(0xE0 | (cp >> 12)), static_cast<char>(0x80 | ((cp >> 6) & 63)),
            static_cast<char>(0x80 | (cp & 63))};
    else
      ch = {static_cast<char>(0xF0 | (cp >> 18)), static_cast<char>(0x80 | ((cp >> 12) & 63)),
            static_cast<char>(0x80 | ((cp >> 6) & 63)), static_cast<char>(0x80 | (cp & 63))};
    return pad(p, "", ch, '<');
  }
  const bool neg = v < 0;
  std::uint64_t u = neg ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  std::string digits;
  const int base = p.type == 'b'                      ? 2
                   : p.type == 'o'                    ? 8
                   : (p.type == 'x' || p.type == 'X') ? 16
                                                      : 10;
  const char* dig = p.type == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
  do {
    digits.insert(0, 1, dig[u % static_cast<std::uint64_t>(base)]);
    u /= static_cast<std::uint64_t>(base);
  } while (u);
  std::string prefix = neg ? "-" : p.sign == '+' ? "+" : p.sign == ' ' ? " " : "";
  if (p.alt && base != 10)
    prefix += base == 2 ? "0b" : base == 8 ? "0o" : p.type == 'X' ? "0X" : "0x";
  if (p.grouping) {
    const int every = base == 10 ? 3 : 4;
    if (base != 10 && p.grouping == ',')
      value_error(std::string("Cannot specify ',' with '") + p.type + "'.");
    digits = group_padded(digits, p, prefix.size(), p.grouping, every);
  }
  return pad(p, prefix, digits, '>');
}

std::string format_float(double v, const std::string& spec) {
  spec_t p = parse_spec(spec, "float");
  char type = p.type;
  if (type && !std::strchr("eEfFgGn%", type))
    value_error(std::string("Unknown format code '") + type + "' for object of type 'float'");
  if (p.z && v == 0) v = 0.0;  // z: no negative zero
  const bool neg = std::signbit(v) && !std::isnan(v);
  double a = std::fabs(v);
  std::string body;
  bool add_dot0 = false;
  if (type == '%') a *= 100;
  if (!std::isfinite(a)) {
    body = std::isnan(a) ? "nan" : "inf";
    if (type == 'E' || type == 'F' || type == 'G') body = std::isnan(a) ? "NAN" : "INF";
    if (type == '%') body += "%";
  } else if (!type) {
    if (p.precision < 0) {
      body = py_repr(a);
    } else {
      // CPython: like 'g', but an integral result keeps ".0" and the exponent form starts
      // one digit earlier (decpt > precision - 1)
      const int prec = p.precision == 0 ? 1 : p.precision;
      const std::string e = fmt_double(a, 'e', prec - 1, false);
      const int x = std::atoi(e.c_str() + e.find('e') + 1);
      if (x < -4 || x + 1 > prec - 1) {
        body = fmt_double(a, 'g', prec, p.alt);
        if (body.find('e') == std::string::npos) body = e;  // %g chose fixed notation
        if (!p.alt) {                                       // strip trailing zeros of the mantissa
          const std::size_t ep = body.find('e');
          std::string m = body.substr(0, ep);
          if (m.find('.') != std::string::npos) {
            while (m.back() == '0') m.pop_back();
            if (m.back() == '.') m.pop_back();
          }
          body = m + body.substr(ep);
        }
      } else {
        body = fmt_double(a, 'f', prec - 1 - x, p.alt);
        if (!p.alt && body.find('.') != std::string::npos) {
          while (body.back() == '0') body.pop_back();
          if (body.back() == '.') body.pop_back();
        }
      }
      add_dot0 = true;
    }
  } else {
    const int prec = p.precision < 0 ? 6 : p.precision;
    switch (type) {
      case 'e':
      case 'E':
      case 'f':
      case 'F':
        body = fmt_double(a, type, prec, p.alt);
        break;
      case 'g':
      case 'G':
      case 'n':
        body = fmt_double(a, type == 'G' ? 'G' : 'g', prec == 0 ? 1 : prec, p.alt);
        break;
      case '%':
        body = fmt_double(a, 'f', prec, p.alt) + "%";
        break;
      default:
        break;
    }
  }
  if (add_dot0 && body.find_first_of(".eEn") == std::string::npos && std::isfinite(a)) body += ".0";
  std::string prefix = neg ? "-" : p.sign == '+' ? "+" : p.sign == ' ' ? " " : "";
  if (p.grouping && std::isfinite(a)) {
    std::size_t end = body.find_first_of(".eE%");
    if (end == std::string::npos) end = body.size();
    body = group_padded(body.substr(0, end), p, prefix.size() + body.size() - end, p.grouping, 3) +
           body.substr(end);
  }
  return pad(p, prefix, body, '>');
}

std::string format_str(const std::string& s, const std::string& spec) {
  spec_t p = parse_spec(spec, "str");
  if (p.type && p.type != 's')
    value_error(std::string("Unknown format code '") + p.type + "' for object of type 'str'");
  if (p.sign) value_error("Sign not allowed in string format specifier");
  if (p.alt) value_error("Alternate form (#) not allowed in string format specifier");
  if (p.align == '=') value_error("'=' alignment not allowed in string format specifier");
  if (p.grouping) value_error(std::string("Cannot specify '") + p.grouping + "' with 's'.");
  std::string body = s;
  if (p.precision >= 0 && utf8_length(s) > static_cast<std::size_t>(p.precision)) {
    const value keep = make_str(s);  // held while sliced (a temporary would free it at once)
    body = str_slice(static_cast<str_object*>(keep.as_object()), 0, p.precision, 1);
  }
  return pad(p, "", body, '<');
}

value format(const value& v, const std::string& spec) {
  runtime& r = rt();
  type_object* t = v.type();
  if (value f = t->get_slot(slot::format); !f.is_null()) {
    value res = call(f, {v, make_str(spec)});
    if (!is_str(res)) raisef(r.e_type, "__format__ must return a str, not %s", tname(res));
    return res;
  }
  switch (v.kind()) {
    case value::tag::integer:
      return make_str(format_int(v.as_int(), spec));
    case value::tag::floating:
      return make_str(format_float(v.as_float(), spec));
    case value::tag::boolean:
      if (spec.empty()) return str(v);
      return make_str(format_int(v.as_bool(), spec));
    default:
      break;
  }
  if (t->kind == layout::str) return make_str(format_str(str_of(v), spec));
  if (!spec.empty())
    raisef(r.e_type, "unsupported format string passed to %s.__format__", t->name.c_str());
  return str(v);
}

value format_value(const value& v, int conversion, const value& spec) {
  value x = conversion == 1   ? str(v)
            : conversion == 2 ? repr(v)
            : conversion == 3 ? make_str(ascii_escape(str_of(repr(v))))
                              : v;
  const std::string s = spec.is_null() ? std::string() : str_of(spec);
  if (spec.is_null() && is_str(x)) return x;
  return format(x, s);
}

// ------------------------------------------------------------------ %-formatting

value percent_format(const std::string& fmt, const value& args) {
  runtime& r = rt();
  std::vector<value> items;
  value mapping;
  const bool is_tuple = args.is_object() && args.as_object()->type->kind == layout::tuple;
  if (is_tuple)
    items = static_cast<tuple_object*>(args.as_object())->items;
  else
    items = {args};
  if (args.is_object() &&
      (args.as_object()->type->kind == layout::dict ||
       (!is_tuple && !is_str(args) && !args.type()->get_slot(slot::getitem).is_null())))
    mapping = args;
  std::size_t next_arg = 0;
  bool used_mapping = false;
  std::string out;
  auto take = [&]() -> value {
    if (next_arg >= items.size()) raise(r.e_type, "not enough arguments for format string");
    return items[next_arg++];
  };
  for (std::size_t i = 0; i < fmt.size(); ++i) {
    if (fmt[i] != '%') {
      out += fmt[i];
      continue;
    }
    const std::size_t start = i;
    ++i;
    if (i >= fmt.size()) value_error("incomplete format");
    value arg;
    bool have_arg = false;
    if (fmt[i] == '(') {
      if (mapping.is_null()) raise(r.e_type, "format requires a mapping");
      int depth = 1;
      const std::size_t kb = ++i;
      while (i < fmt.size() && depth) {
        if (fmt[i] == '(')
          ++depth;
        else if (fmt[i] == ')')
          --depth;
        ++i;
      }
      if (depth) value_error("incomplete format key");
      arg = getitem(mapping, make_str(fmt.substr(kb, i - 1 - kb)));
      have_arg = true;
      used_mapping = true;
    }
    spec_t p;
    bool left = false;
    for (; i < fmt.size() && std::strchr("-+ #0", fmt[i]); ++i) {
      if (fmt[i] == '-')
        left = true;
      else if (fmt[i] == '+')
        p.sign = '+';
      else if (fmt[i] == ' ' && p.sign != '+')
        p.sign = ' ';
      else if (fmt[i] == '#')
        p.alt = true;
      else
        p.zero = true;
    }
    if (i < fmt.size() && fmt[i] == '*') {
      const value w = take();
      if (!is_int_like(w)) raise(r.e_type, "* wants int");
      p.width = static_cast<int>(w.is_int() ? w.as_int() : w.as_bool());
      if (p.width < 0) {
        left = true;
        p.width = -p.width;
      }
      ++i;
    } else if (i < fmt.size() && std::isdigit(static_cast<unsigned char>(fmt[i]))) {
      p.width = 0;
      while (i < fmt.size() && std::isdigit(static_cast<unsigned char>(fmt[i])))
        p.width = p.width * 10 + (fmt[i++] - '0');
    }
    if (i < fmt.size() && fmt[i] == '.') {
      ++i;
      p.precision = 0;
      if (i < fmt.size() && fmt[i] == '*') {
        const value pr = take();
        if (!is_int_like(pr)) raise(r.e_type, "* wants int");
        p.precision = static_cast<int>(pr.is_int() ? pr.as_int() : pr.as_bool());
        ++i;
      } else {
        while (i < fmt.size() && std::isdigit(static_cast<unsigned char>(fmt[i])))
          p.precision = p.precision * 10 + (fmt[i++] - '0');
      }
    }
    while (i < fmt.size() && (fmt[i] == 'h' || fmt[i] == 'l' || fmt[i] == 'L')) ++i;
    if (i >= fmt.size()) value_error("incomplete format");
    const char c = fmt[i];
    if (c == '%') {
      out += '%';
      continue;
    }
    if (!have_arg) arg = take();
    p.align = left ? '<' : (p.zero && c != 's' && c != 'r' && c != 'a' && c != 'c') ? '=' : '>';
    if (p.align == '=') {
      p.fill = '0';
      p.fill_utf8 = "0";
    }
    std::string body, prefix;
    switch (c) {
      case 's':
      case 'r':
      case 'a': {
        std::string s = c == 's' ? str_s(arg) : repr_s(arg);
        if (c == 'a') s = ascii_escape(s);
        if (p.precision >= 0 && utf8_length(s) > static_cast<std::size_t>(p.precision)) {
          value tmp = make_str(s);
          s = str_slice(static_cast<str_object*>(tmp.as_object()), 0, p.precision, 1);
        }
        spec_t q = p;
        q.sign = 0;
        out += pad(q, "", s, '>');
        continue;
      }
      case 'd':
      case 'i':
      case 'u':
      case 'o':
      case 'x':
      case 'X': {
        std::int64_t n;
        if (arg.is_float()) {
          if (c != 'd' && c != 'i' && c != 'u')
            raisef(r.e_type, "%%%c format: an integer is required, not float", c);
          const double d = arg.as_float();
          if (std::isnan(d)) value_error("cannot convert float NaN to integer");
          if (std::isinf(d)) raise(r.e_overflow, "cannot convert float infinity to integer");
          if (std::fabs(d) >= 9.2e18) overflow();
          n = static_cast<std::int64_t>(d);
        } else if (is_int_like(arg)) {
          n = arg.is_int() ? arg.as_int() : arg.as_bool();
        } else if (!lookup_special(arg, slot::index).is_null()) {
          n = index_of(arg, "");
        } else if (c == 'd' || c == 'i' || c == 'u') {
          raisef(r.e_type, "%%%c format: a real number is required, not %s", c, tname(arg));
        } else {
          raisef(r.e_type, "%%%c format: an integer is required, not %s", c, tname(arg));
        }
        std::string spec;
        if (p.sign) spec += p.sign;
        if (p.alt && c != 'd' && c != 'i' && c != 'u') spec += '#';
        spec += c == 'i' || c == 'u' ? 'd' : c;
        std::string digits = format_int(n, spec);
        if (p.precision >= 0) {
          std::size_t at = 0;
          while (at < digits.size() && !std::isxdigit(static_cast<unsigned char>(digits[at]))) ++at;
          if (at + 1 < digits.size() && digits[at] == '0' && (digits[at + 1] | 32) >= 'a' && p.alt)
            at += 2;
          const std::size_t nd = digits.size() - at;
          if (nd < static_cast<std::size_t>(p.precision))
            digits.insert(at, static_cast<std::size_t>(p.precision) - nd, '0');
        }
        std::size_t split = 0;
        while (split < digits.size() &&
               (digits[split] == '-' || digits[split] == '+' || digits[split] == ' '))
          ++split;
        if (p.alt && split + 1 < digits.size() && digits[split] == '0' &&
            std::strchr("xXo", digits[split + 1]))
          split += 2;
        spec_t q = p;
        if (q.precision >= 0 && q.align == '=') {
          q.align = '>';
          q.fill = ' ';
          q.fill_utf8 = " ";
        }
        out += pad(q, digits.substr(0, split), digits.substr(split), '>');
        continue;
      }
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G': {
        double d;
        if (arg.is_float() || is_int_like(arg))
          d = to_double(arg);
        else if (!lookup_special(arg, slot::float_).is_null() ||
                 !lookup_special(arg, slot::index).is_null())
          d = to_double(arg);
        else
          raisef(r.e_type, "must be real number, not %s", tname(arg));
        std::string spec;
        if (p.sign) spec += p.sign;
        if (p.alt) spec += '#';
        spec += "." + std::to_string(p.precision < 0 ? 6 : p.precision) + c;
        std::string s = format_float(d, spec);
        std::size_t split = (!s.empty() && (s[0] == '-' || s[0] == '+' || s[0] == ' ')) ? 1 : 0;
        spec_t q = p;
        if (!std::isfinite(d) && q.align == '=') {
          q.align = '>';
          q.fill = ' ';
          q.fill_utf8 = " ";
        }
        out += pad(q, s.substr(0, split), s.substr(split), '>');
        continue;
      }
      case 'c': {
        std::string ch;
        if (is_str(arg)) {
          if (utf8_length(str_of(arg)) != 1) raise(r.e_type, "%c requires int or char");
          ch = str_of(arg);
        } else if (is_int_like(arg)) {
          ch = format_int(arg.is_int() ? arg.as_int() : arg.as_bool(), "c");
        } else {
          raise(r.e_type, "%c requires int or char");
        }
        spec_t q = p;
        q.sign = 0;
        q.fill = ' ';
        q.fill_utf8 = " ";
        out += pad(q, "", ch, '>');
        continue;
      }
      default: {
        char buf[96];
        std::snprintf(buf, sizeof buf, "unsupported format character '%c' (0x%x) at index %zu", c,
                      static_cast<unsigned>(static_cast<unsigned char>(c)), i);
        (void)start;
        value_error(buf);
      }
    }
  }
  if (!used_mapping && next_arg < items.size() && mapping.is_null())
    raise(r.e_type, "not all arguments converted during string formatting");
  return make_str(std::move(out));
}

// ------------------------------------------------------------------ str.format

namespace {

struct format_state {
  value* args;
  std::size_t nargs;
  const value& kwargs;
  int auto_index = 0;  // -1 once manual numbering is used
  bool manual = false, automatic = false;
};

std::string render(const std::string& fmt, format_state& st, int depth);

value field_value(const std::string& field, format_state& st) {
  runtime& r = rt();
  std::size_t i = 0;
  while (i < field.size() && field[i] != '.' && field[i] != '[') ++i;
  const std::string first = field.substr(0, i);
  value v;
  if (first.empty()) {
    if (st.manual)
      value_error("cannot switch from manual field specification to automatic field numbering");
    st.automatic = true;
    const auto k = static_cast<std::size_t>(st.auto_index++);
    if (k >= st.nargs)
      raisef(r.e_index, "Replacement index %lld out of range for positional args tuple",
             static_cast<long long>(k));
    v = st.args[k];
  } else if (std::isdigit(static_cast<unsigned char>(first[0]))) {
    if (st.automatic)
      value_error("cannot switch from automatic field numbering to manual field specification");
    st.manual = true;
    std::size_t k = 0;
    for (char c : first) {
      if (!std::isdigit(static_cast<unsigned char>(c)))
        raise_value(make_exception_args(r.e_key, {make_str(first)}));
      k = k * 10 + static_cast<std::size_t>(c - '0');
    }
    if (k >= st.nargs)
      raisef(r.e_index, "Replacement index %lld out of range for positional args tuple",
             static_cast<long long>(k));
    v = st.args[k];
  } else {
    value* kv = st.kwargs.is_null()
                    ? nullptr
                    : static_cast<dict_object*>(st.kwargs.as_object())->table.get(make_str(first));
    if (!kv) raise_value(make_exception_args(r.e_key, {make_str(first)}));
    v = *kv;
  }
  while (i < field.size()) {
    if (field[i] == '.') {
      std::size_t j = ++i;
      while (j < field.size() && field[j] != '.' && field[j] != '[') ++j;
      if (j == i) value_error("Empty attribute in format string");
      v = getattr(v, make_str(field.substr(i, j - i)));
      i = j;
    } else {
      std::size_t j = field.find(']', i);
      if (j == std::string::npos) value_error("Missing ']' in format string");
      const std::string key = field.substr(i + 1, j - i - 1);
      if (key.empty()) value_error("Empty attribute in format string");
      bool digits = true;
      for (char c : key) digits = digits && std::isdigit(static_cast<unsigned char>(c));
      v = getitem(v, digits ? value::from_int(std::stoll(key)) : make_str(key));
      i = j + 1;
      if (i < field.size() && field[i] != '.' && field[i] != '[')
        value_error("Only '.' or '[' may follow ']' in format field specifier");
    }
  }
  return v;
}

std::string render(const std::string& fmt, format_state& st, int depth) {
  if (depth > 2) value_error("Max string recursion exceeded");
  std::string out;
  for (std::size_t i = 0; i < fmt.size(); ++i) {
    const char c = fmt[i];
    if (c == '}') {
      if (i + 1 < fmt.size() && fmt[i + 1] == '}') {
        out += '}';
        ++i;
        continue;
      }
      value_error("Single '}' encountered in format string");
    }
    if (c != '{') {
      out += c;
      continue;
    }
    if (i + 1 < fmt.size() && fmt[i + 1] == '{') {
      out += '{';
      ++i;
      continue;
    }
    // find the matching '}' (format specs may nest one level of fields)
    std::size_t j = i + 1;
    int nest = 1;
    while (j < fmt.size()) {
      if (fmt[j] == '{')
        ++nest;
      else if (fmt[j] == '}' && --nest == 0)
        break;
      ++j;
    }
    if (j >= fmt.size())
      value_error(nest > 1 ? "unmatched '{' in format spec" : "expected '}' before end of string");
    const std::string inner = fmt.substr(i + 1, j - i - 1);
    i = j;
    std::size_t k = 0;
    while (k < inner.size() && inner[k] != '!' && inner[k] != ':') {
      if (inner[k] == '[')
        k = inner.find(']', k) == std::string::npos ? inner.size() : inner.find(']', k);
      ++k;
    }
    const std::string field = inner.substr(0, std::min(k, inner.size()));
    char conv = 0;
    std::string spec;
    if (k < inner.size() && inner[k] == '!') {
      if (k + 1 >= inner.size())
        value_error("end of string while looking for conversion specifier");
      conv = inner[k + 1];
      k += 2;
      if (k < inner.size() && inner[k] != ':')
        value_error("expected ':' after conversion specifier");
    }
    value v = field_value(field, st);  // numbered before the fields of its spec
    if (k < inner.size() && inner[k] == ':') spec = render(inner.substr(k + 1), st, depth + 1);
    if (conv == 'r' || conv == 'a')
      v = conv == 'a' ? make_str(ascii_escape(str_of(repr(v)))) : repr(v);
    else if (conv == 's')
      v = str(v);
    else if (conv)
      value_error(std::string("Unknown conversion specifier ") + conv);
    out += str_of(format(v, spec));
  }
  return out;
}

}  // namespace

value str_format_method(const std::string& fmt, value* args, std::size_t n, const value& kwargs) {
  format_state st{args, n, kwargs};
  return make_str(render(fmt, st, 0));
}

}  // namespace gradlab::py
