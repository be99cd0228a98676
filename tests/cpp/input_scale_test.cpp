// Inputs that took time or memory out of proportion to their size (issue 17): each is
// linear now. The time bounds are generous (20 s for what now takes well under 1 s natively,
// for ASan and a loaded 2-core machine); the quadratic versions took 60 s and 40 s natively.
#include <catch2/catch.hpp>
#include <chrono>

#include "gradlab/model/data.hpp"
#include "gradlab/model/model.hpp"
#include "gradlab/session.hpp"

using namespace gradlab;
using namespace gradlab::model;

namespace {
double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
std::string compile_error(const std::string& text) {
  try {
    compiled_model::compile(text, {}, "");
  } catch (const model_error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("a CSV header of 100,000 columns is read and used in linear time", "[data][scale]") {
  constexpr int n = 100000;  // 790 KB of header: 13 s to parse and 46 s to use, natively
  std::string csv;
  for (int i = 0; i < n; ++i) csv += "c" + std::to_string(i) + ",";
  csv += "t_u,t_c\n";
  for (int i = 0; i < n + 2; ++i) csv += i ? ",1" : "1";
  csv += "\n";
  const auto t0 = std::chrono::steady_clock::now();
  session s;
  s.load_preset("thermometer");
  s.set_data(parse_csv(csv));
  CHECK(s.run(1));
  CHECK(seconds_since(t0) < 20.0);
  // a repeated name far down the header is still found
  CHECK_THROWS_WITH(parse_csv(csv.substr(0, csv.find('\n')) + ",c99999\n"),
                    Catch::Contains("column 'c99999' appears twice"));
}

TEST_CASE("a call with 150,000 keyword arguments is refused in linear time", "[model][scale]") {
  std::string text = "loss = mean(1";
  for (int i = 0; i < 150000; ++i) text += ", k" + std::to_string(i) + "=1";
  const auto t0 = std::chrono::steady_clock::now();
  CHECK_THAT(compile_error(text + ")"),
             Catch::StartsWith("mean() got an unexpected keyword argument 'k0'"));
  CHECK(seconds_since(t0) < 20.0);  // each keyword was compared with every earlier one: 40 s
  CHECK_THAT(compile_error(text + ", k149999=2)"),
             Catch::Contains("keyword argument repeated: k149999"));
}

TEST_CASE("a call with 300,000 arguments gets a message of a few lines", "[model][scale]") {
  std::string text = "loss = mean(1";
  for (int i = 0; i < 300000; ++i) text += ", 1";
  const std::string msg = compile_error(text + ")");
  CHECK_THAT(msg, Catch::StartsWith("mean() takes") && Catch::Contains("but 300001 were given"));
  CHECK_THAT(msg, Catch::Contains(", and 299995 more)"));
  CHECK(msg.size() < 400);  // every argument was listed: 5.4 MB
}
