// CSV as people's tools write it, and messages that show what is in the file.
#include "gradlab/model/data.hpp"

#include <catch2/catch.hpp>

using namespace gradlab::model;

TEST_CASE("CSV from Excel: a UTF-8 byte order mark before the header is not part of it", "[data]") {
  const dataset d = parse_csv("\xEF\xBB\xBFt_u,t_c\r\n35.7,0.5\r\n55.9,14.0\r\n");
  REQUIRE(d.columns.size() == 2);
  CHECK(d.columns[0].name == "t_u");
  CHECK(d.columns[1].values == std::vector<float>{0.5f, 14.0f});
}

TEST_CASE("CSV line endings: \\n, \\r\\n and a lone \\r (old Mac) all end a line", "[data]") {
  for (const std::string eol : {"\n", "\r\n", "\r"}) {
    INFO("line ending " << (eol == "\n" ? "LF" : eol == "\r" ? "CR" : "CRLF"));
    const dataset d =
        parse_csv("# a comment" + eol + "x,y" + eol + "1,2" + eol + eol + "3,4" + eol);
    CHECK(d.rows() == 2);
    CHECK(d.find("x")->values == std::vector<float>{1.0f, 3.0f});
    // line numbers count lines the way an editor shows them
    CHECK_THROWS_WITH(parse_csv("x,y" + eol + "1,2" + eol + "3" + eol),
                      Catch::Contains("CSV line 3: 1 values"));
  }
}

TEST_CASE("CSV messages show invisible characters as escapes", "[data]") {
  // a byte order mark in the middle, a zero-width space, a tab, a control byte, a no-break space
  CHECK_THROWS_WITH(parse_csv("a,\xEF\xBB\xBF"
                              "b\n1,2\n"),
                    Catch::Contains("column name '\\ufeffb'"));
  CHECK_THROWS_WITH(parse_csv("a\xE2\x80\x8B,b\n1,2\n"), Catch::Contains("column name 'a\\u200b'"));
  CHECK_THROWS_WITH(parse_csv("a,b\n1,2\x01\n"), Catch::Contains("'2\\x01' is not a number"));
  CHECK_THROWS_WITH(parse_csv("a,b\n1,\xC2\xA0"
                              "2\n"),
                    Catch::Contains("'\\xa02' is not a number"));
  CHECK_THROWS_WITH(parse_csv("a,b\n1,2\t3\n"), Catch::Contains("'2\\t3' is not a number"));
  // visible characters stay as they are, and a long cell is cut
  CHECK_THROWS_WITH(parse_csv("a,b\n1,é\n"), Catch::Contains("'é' is not a number"));
  CHECK_THROWS_WITH(parse_csv("a,b\n1," + std::string(100000, 'z') + "\n"),
                    Catch::Contains("'" + std::string(40, 'z') + "...' is not a number"));
}
