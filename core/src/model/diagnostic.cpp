// Diagnostics and "did you mean" suggestions.
#include "gradlab/model/diagnostic.hpp"

#include <algorithm>

namespace gradlab::model {

std::string diagnostic::str() const {
  return std::to_string(line) + ":" + std::to_string(col) + ": " + type + ": " + message;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates) {
  if (name.size() > 64) return "";
  // Like Python's suggestions: roughly a third of the name may be wrong, at least one edit.
  const std::size_t budget = std::max<std::size_t>(1, (name.size() + 1) / 3);
  std::string best;
  std::size_t best_d = budget + 1;
  for (const auto& c : candidates) {
    if (c == name || c.size() > 64) continue;
    const std::size_t d = edit_distance(name, c);
    if (d < best_d) {  // first of equals wins: candidates come in a fixed order
      best_d = d;
      best = c;
    }
  }
  return best;
}

}  // namespace gradlab::model
