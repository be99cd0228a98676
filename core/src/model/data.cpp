// Datasets as the model sees them, and CSV input.
#include "gradlab/model/data.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <unordered_set>

#include "gradlab/error.hpp"

namespace gradlab::model {

const column* dataset::find(const std::string& n) const {
  for (const auto& c : columns)
    if (c.name == n) return &c;
  return nullptr;
}

std::vector<std::string> dataset::inputs() const {
  std::vector<std::string> v;
  for (const auto& c : columns)
    if (c.name != target) v.push_back(c.name);
  return v;
}

namespace {
/// The values column c has in make_columns: its own, its normalised stand-in's, or
/// standardised (see dataset::normalized_by).
std::vector<float> values_of(const dataset& d, const column& c, bool normalize) {
  if (!normalize || c.name == d.target) return c.values;
  auto it = d.normalized_by.find(c.name);
  if (it != d.normalized_by.end()) {
    const column* stand_in = d.find(it->second);
    if (!stand_in) value_error("no data column '" + it->second + "'");
    return stand_in->values;
  }
  for (const auto& [from, to] : d.normalized_by)
    if (to == c.name) return c.values;  // already a normalised stand-in
  // standardise: (x - mean) / std, computed in double
  double mean = 0, var = 0;
  for (float v : c.values) mean += v;
  mean /= static_cast<double>(std::max<std::size_t>(1, c.values.size()));
  for (float v : c.values) var += (v - mean) * (v - mean);
  const double sd = std::sqrt(var / static_cast<double>(std::max<std::size_t>(1, c.values.size())));
  std::vector<float> out(c.values.size());
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<float>(sd > 0 ? (c.values[i] - mean) / sd : c.values[i] - mean);
  return out;
}
}  // namespace

std::vector<float> column_values(const dataset& d, const std::string& name, bool normalize) {
  const column* c = d.find(name);
  if (!c) value_error("no data column '" + name + "'");
  return values_of(d, *c, normalize);
}

columns_t make_columns(const dataset& d, bool normalize, const std::vector<std::size_t>* rows) {
  columns_t out;
  const std::size_t n = rows ? rows->size() : d.rows();
  std::vector<std::vector<float>> used;
  for (const auto& c : d.columns) {
    std::vector<float> all = values_of(d, c, normalize);
    std::vector<float> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = all[rows ? (*rows)[i] : i];
    xt::xarray<float> a = xt::xarray<float>::from_shape({n});
    std::copy(v.begin(), v.end(), a.begin());
    out.emplace_back(c.name, Tensor(std::move(a)));
    if (c.name != d.target) used.push_back(std::move(v));
  }
  if (!d.matrix.empty() && !d.find(d.matrix)) {
    const std::size_t k = used.size();
    xt::xarray<float> m = xt::xarray<float>::from_shape({n, k});
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < k; ++j) m.data()[i * k + j] = used[j][i];
    out.emplace_back(d.matrix, Tensor(std::move(m)));
  }
  return out;
}

namespace {

std::string trim(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r')) --e;
  return s.substr(b, e - b);
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t c = line.find(',', start);
    out.push_back(trim(line.substr(start, c == std::string::npos ? std::string::npos : c - start)));
    if (c == std::string::npos) break;
    start = c + 1;
  }
  return out;
}

bool valid_name(const std::string& n) {
  if (n.empty() || !(std::isalpha(static_cast<unsigned char>(n[0])) || n[0] == '_')) return false;
  for (char c : n)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

/// Text quoted in a message, with nothing invisible in it: control characters, the byte
/// order mark, zero-width and no-break spaces are written as Python writes them in a repr
/// ('\r', '\ufeff'), and a long text is cut to its first 40 characters.
std::string visible(const std::string& s) {
  constexpr std::size_t max_shown = 40;
  auto u8 = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  std::string out;
  std::size_t shown = 0, i = 0;
  for (; i < s.size() && shown < max_shown; ++i, ++shown) {
    const unsigned char c = u8(i);
    char buf[12];
    if (c == '\t' || c == '\r' || c == '\n') {
      out += c == '\t' ? "\\t" : c == '\r' ? "\\r" : "\\n";
    } else if (c < 0x20 || c == 0x7f) {
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else if (c == 0xC2 && i + 1 < s.size() && u8(i + 1) == 0xA0) {
      out += "\\xa0";
      i += 1;
    } else if ((c == 0xEF && i + 2 < s.size() && u8(i + 1) == 0xBB && u8(i + 2) == 0xBF) ||
               (c == 0xE2 && i + 2 < s.size() && u8(i + 1) == 0x80 && u8(i + 2) >= 0x8B &&
                u8(i + 2) <= 0x8F) ||
               (c == 0xE2 && i + 2 < s.size() && u8(i + 1) == 0x81 && u8(i + 2) == 0xA0)) {
      const unsigned cp = ((c & 0x0F) << 12) | ((u8(i + 1) & 0x3F) << 6) | (u8(i + 2) & 0x3F);
      std::snprintf(buf, sizeof buf, "\\u%04x", cp);
      out += buf;
      i += 2;
    } else {
      out += static_cast<char>(c);
      while (i + 1 < s.size() && (u8(i + 1) & 0xC0) == 0x80) out += s[++i];  // rest of a character
    }
  }
  if (i < s.size()) out += "...";
  return out;
}

}  // namespace

void validate(const dataset& d) {
  std::unordered_set<std::string> seen;
  for (std::size_t j = 0; j < d.columns.size(); ++j) {
    const column& c = d.columns[j];
    if (!valid_name(c.name))
      value_error("data column name '" + visible(c.name) + "' must be letters, digits and _");
    if (!seen.insert(c.name).second) value_error("data column '" + c.name + "' appears twice");
    if (c.values.size() != d.columns[0].values.size())
      value_error("data column '" + c.name + "' has " + std::to_string(c.values.size()) +
                  " rows, but '" + d.columns[0].name + "' has " +
                  std::to_string(d.columns[0].values.size()));
    for (std::size_t i = 0; i < c.values.size(); ++i)
      if (!std::isfinite(c.values[i]))
        value_error("data column '" + c.name + "', row " + std::to_string(i + 1) +
                    ": not a finite number (NaN and inf are not allowed in data)");
  }
  if (!d.columns.empty() && d.rows() == 0) value_error("the data has columns but no rows");
  if (!d.target.empty() && !d.find(d.target))
    value_error("the target column '" + d.target + "' is not in the data");
}

dataset parse_csv(const std::string& text, const std::string& target) {
  dataset d;
  d.name = "csv";
  // Excel writes a UTF-8 byte order mark first; lines end in \n, \r\n or (old Mac) \r
  std::size_t pos = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0, line_no = 0;
  bool header = true;
  std::unordered_set<std::string> names;
  while (pos < text.size()) {
    std::size_t nl = text.find_first_of("\r\n", pos);
    if (nl == std::string::npos) nl = text.size();
    std::string line = trim(text.substr(pos, nl - pos));
    pos = nl + (text.compare(nl, 2, "\r\n") == 0 ? 2 : 1);
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    auto cells = split(line);
    const std::string at = "CSV line " + std::to_string(line_no);
    if (header) {
      for (const auto& name : cells) {
        if (!valid_name(name))
          value_error(at + ": column name '" + visible(name) +
                      "' must be letters, digits and _ (starting with a letter or _)");
        if (!names.insert(name).second) value_error(at + ": column '" + name + "' appears twice");
        d.columns.push_back({name, {}});
      }
      header = false;
    } else {
      if (cells.size() != d.columns.size())
        value_error(at + ": " + std::to_string(cells.size()) + " values, but the header has " +
                    std::to_string(d.columns.size()) + " columns");
      for (std::size_t j = 0; j < cells.size(); ++j) {
        const std::string& cell = cells[j];
        char* end = nullptr;
        const double v = cell.empty() ? 0 : std::strtod(cell.c_str(), &end);
        if (cell.empty() || end != cell.c_str() + cell.size())
          value_error(at + ", column '" + d.columns[j].name + "': '" + visible(cell) +
                      "' is not a number");
        if (!std::isfinite(v) || !std::isfinite(static_cast<float>(v)))
          value_error(at + ", column '" + d.columns[j].name + "': " + visible(cell) +
                      " is not a finite number (NaN and inf are not allowed in data)");
        d.columns[j].values.push_back(static_cast<float>(v));
      }
    }
  }
  if (d.columns.empty()) value_error("CSV is empty: expected a header line of column names");
  if (d.rows() == 0) value_error("CSV has a header but no rows of data");
  if (target == "last")
    d.target = d.columns.back().name;
  else if (!target.empty()) {
    if (!d.find(target)) value_error("CSV has no column '" + target + "' to use as the target");
    d.target = target;
  }
  if (d.inputs().size() >= 2 && !d.find("X")) d.matrix = "X";
  return d;
}

}  // namespace gradlab::model
