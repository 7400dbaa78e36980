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
  CHECK(io::round_trip(300.0) == "300");
  CHECK(io::round_trip(100000.0) == "100000");
  CHECK(io::round_trip(-0.0) == "-0");
  CHECK(io::round_trip(1e300) == "1e+300");
  CHECK(io::round_trip(0.11093750000000001) == "0.11093750000000001");
  CHECK(io::distinct_digits({0.05, 0.11093750000000001, 0.2}) == std::vector<std::string>{"0.05", "0.1109", "0.2"});
  CHECK(io::distinct_digits({0.1, 0.11093750000000001, 0.12}) == std::vector<std::string>{"0.1", "0.1109", "0.12"});
  CHECK(io::distinct_digits({0.1, 0.11093750000000001, 0.111}) == std::vector<std::string>{"0.1", "0.1109", "0.111"});
  CHECK(io::distinct_digits({1800, 1800.0}) == std::vector<std::string>{"1800", "1800"});
  // A label states its value: one digit tells -1, 0 and 1.5 apart but would show 1.5 as 2.
  CHECK(io::distinct_digits({-1, 0, 1.5}) == std::vector<std::string>{"-1", "0", "1.5"});
  CHECK(io::distinct_digits({12.5, 13.5}) == std::vector<std::string>{"12.5", "13.5"});
  CHECK(io::distinct_digits({0.30000000000000004, 0.1}) == std::vector<std::string>{"0.3", "0.1"});
  CHECK(io::distinct_digits({1234.5, 10}) == std::vector<std::string>{"1234", "10"});
}
