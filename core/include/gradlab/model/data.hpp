#pragma once
/// \file data.hpp
/// Data a model trains on: named float32 columns, an optional target column, and user data
/// read from CSV text with clear errors.
#include <map>
#include <string>
#include <vector>

#include "gradlab/model/model.hpp"

namespace gradlab::model {

struct column {
  std::string name;
  std::vector<float> values;
};

struct dataset {
  std::string name;
  std::vector<column> columns;
  std::string target;  ///< the column MSE compares with; "" for none
  std::string matrix;  ///< when set ("X"), the non-target columns also appear stacked as [N, k]
  /// Normalised stand-ins: with input normalisation on, column first reads the values of
  /// column second (the book's t_u -> t_un = 0.1 * t_u). Other inputs are standardised.
  std::map<std::string, std::string> normalized_by;

  std::size_t rows() const { return columns.empty() ? 0 : columns.front().values.size(); }
  const column* find(const std::string& n) const;
  /// Every column except the target, in order.
  std::vector<std::string> inputs() const;
};

/// The tensors a model sees: each column as a 1-D float32 tensor [rows] (or [batch]), plus
/// the matrix when the dataset names one. With normalize, inputs are replaced as described
/// in dataset::normalized_by. rows, when given, selects (and orders) the rows used.
columns_t make_columns(const dataset& d, bool normalize,
                       const std::vector<std::size_t>* rows = nullptr);
/// The values column `name` has in make_columns (for export).
std::vector<float> column_values(const dataset& d, const std::string& name, bool normalize);

/// Checks a dataset built in code as parse_csv checks CSV: valid unique names, columns of
/// equal non-zero length, finite values, an existing target. Throws ValueError.
void validate(const dataset& d);

/// Reads CSV text: a header of column names, then rows of numbers. target is the target
/// column ("" picks none; "last" the last column). Throws gradlab::error (ValueError) naming
/// the line (and column) of ragged rows, non-numbers, NaN/inf, empty input.
dataset parse_csv(const std::string& text, const std::string& target = "last");

}  // namespace gradlab::model
