// The numbers of the tables: significant digits, round trips, and the fewest digits that tell
// values apart.

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "io/format.hpp"

using namespace crowdsim;

TEST_CASE("io::format: significant digits, and the fewest digits that tell values apart", "[io]") {
  CHECK(io::sig(1800.0) == "1800");
  CHECK(io::sig(11921.3) == "11921");
  CHECK(io::sig(0.11093750000000001) == "0.1109");
  CHECK(io::sig(104.0) == "104.0");
  CHECK(io::sig(104.0, 4, true) == "104");
  CHECK(io::sig(std::nan("")) == "nan");
  CHECK(io::round_trip(0.1) == "0.1");
  CHECK(io::round_trip(0.11093750000000001) == "0.11093750000000001");
  CHECK(io::distinct_digits({0.05, 0.11093750000000001, 0.2}) == std::vector<std::string>{"0.05", "0.1", "0.2"});
  CHECK(io::distinct_digits({0.1, 0.11093750000000001, 0.12}) == std::vector<std::string>{"0.1", "0.11", "0.12"});
  CHECK(io::distinct_digits({0.1, 0.11093750000000001, 0.111}) == std::vector<std::string>{"0.1", "0.1109", "0.111"});
  CHECK(io::distinct_digits({1800, 1800.0}) == std::vector<std::string>{"1800", "1800"});
}
