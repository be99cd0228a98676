// Datasets as the model sees them, and CSV input.
#include "gradlab/model/data.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>

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

std::vector<float> column_values(const dataset& d, const std::string& name, bool normalize) {
  const column* c = d.find(name);
  if (!c) value_error("no data column '" + name + "'");
  if (!normalize || name == d.target) return c->values;
  auto it = d.normalized_by.find(name);
  if (it != d.normalized_by.end()) return column_values(d, it->second, false);
  for (const auto& [from, to] : d.normalized_by)
    if (to == name) return c->values;  // already a normalised stand-in
  // standardise: (x - mean) / std, computed in double
  double mean = 0, var = 0;
  for (float v : c->values) mean += v;
  mean /= static_cast<double>(std::max<std::size_t>(1, c->values.size()));
  for (float v : c->values) var += (v - mean) * (v - mean);
  const double sd =
      std::sqrt(var / static_cast<double>(std::max<std::size_t>(1, c->values.size())));
  std::vector<float> out(c->values.size());
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<float>(sd > 0 ? (c->values[i] - mean) / sd : c->values[i] - mean);
  return out;
}

columns_t make_columns(const dataset& d, bool normalize, const std::vector<std::size_t>* rows) {
  columns_t out;
  const std::size_t n = rows ? rows->size() : d.rows();
  std::vector<std::vector<float>> used;
  for (const auto& c : d.columns) {
    std::vector<float> all = column_values(d, c.name, normalize);
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

}  // namespace

void validate(const dataset& d) {
  for (std::size_t j = 0; j < d.columns.size(); ++j) {
    const column& c = d.columns[j];
    if (!valid_name(c.name))
      value_error("data column name '" + c.name + "' must be letters, digits and _");
    for (std::size_t k = 0; k < j; ++k)
      if (d.columns[k].name == c.name) value_error("data column '" + c.name + "' appears twice");
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
  std::size_t pos = 0, line_no = 0;
  bool header = true;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string line = trim(text.substr(pos, nl - pos));
    pos = nl + 1;
    ++line_no;
    if (line.empty() || line[0] == '#') {
      if (nl >= text.size()) break;
      continue;
    }
    auto cells = split(line);
    if (header) {
      for (const auto& name : cells) {
        if (!valid_name(name))
          value_error("CSV line " + std::to_string(line_no) + ": column name '" + name +
                      "' must be letters, digits and _ (starting with a letter or _)");
        if (d.find(name))
          value_error("CSV line " + std::to_string(line_no) + ": column '" + name +
                      "' appears twice");
        d.columns.push_back({name, {}});
      }
      header = false;
    } else {
      if (cells.size() != d.columns.size())
        value_error("CSV line " + std::to_string(line_no) + ": " + std::to_string(cells.size()) +
                    " values, but the header has " + std::to_string(d.columns.size()) + " columns");
      for (std::size_t j = 0; j < cells.size(); ++j) {
        const std::string& cell = cells[j];
        char* end = nullptr;
        const double v = cell.empty() ? 0 : std::strtod(cell.c_str(), &end);
        if (cell.empty() || end != cell.c_str() + cell.size())
          value_error("CSV line " + std::to_string(line_no) + ", column '" + d.columns[j].name +
                      "': '" + cell + "' is not a number");
        if (!std::isfinite(v) || !std::isfinite(static_cast<float>(v)))
          value_error("CSV line " + std::to_string(line_no) + ", column '" + d.columns[j].name +
                      "': " + cell +
                      " is not a finite number (NaN and inf are not allowed in data)");
        d.columns[j].values.push_back(static_cast<float>(v));
      }
    }
    if (nl >= text.size()) break;
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
