#include "cli/flags.hpp"

#include <gtest/gtest.h>

#include <array>

#include "thrown.hpp"

namespace kitchen::cli {
namespace {

Flag flag(std::string_view text) { return *split_flag(text); }

std::string refusal(auto&& parse) { return testing::message_of<UsageError>(parse, "accepted"); }

TEST(Flags, SplitsNameAndValue) {
  const Flag f = flag("--chefs=1,2");
  EXPECT_EQ(f.name, "--chefs");
  EXPECT_EQ(f.value, "1,2");
  EXPECT_TRUE(f.has_value);
  EXPECT_FALSE(flag("--quick").has_value);
  EXPECT_FALSE(split_flag("chefs=1").has_value());
}

TEST(Flags, ParsesListsOfNumbers) {
  EXPECT_EQ(parse_uint_list(flag("--chefs=1,10,100"), 1, 1000),
            (std::vector<std::uint64_t>{1, 10, 100}));
  EXPECT_EQ(parse_uint(flag("--seed=18446744073709551615"), 0, UINT64_MAX), UINT64_MAX);
}

TEST(Flags, RefusesBadNumbersNamingTheFlagTheValueAndTheRange) {
  const auto bad = [](std::string_view text) {
    return refusal([&] { parse_uint_list(flag(text), 1, 1000); });
  };
  EXPECT_EQ(bad("--chefs=0"),
            "--chefs=0: '0' is out of range; expected comma-separated whole "
            "numbers from 1 to "
            "1000");
  EXPECT_NE(bad("--chefs=abc").find("'abc' is not a whole number"), std::string::npos);
  EXPECT_NE(bad("--chefs=-3").find("'-3' is not a whole number"), std::string::npos);
  EXPECT_NE(bad("--chefs=2.5").find("'2.5' is not a whole number"), std::string::npos);
  EXPECT_NE(bad("--chefs=99999999999999999999999").find("is too large"), std::string::npos);
  EXPECT_NE(bad("--chefs=").find("no value given"), std::string::npos);
  EXPECT_NE(bad("--chefs").find("no value given"), std::string::npos);
  EXPECT_NE(bad("--chefs=1,,2").find("empty item"), std::string::npos);
  EXPECT_NE(bad("--chefs=1,").find("empty item"), std::string::npos);
  EXPECT_NE(bad("--chefs=1001").find("out of range"), std::string::npos);
}

TEST(Flags, ParsesAndRefusesNames) {
  constexpr std::array<std::string_view, 2> kAccepted = {"io", "cpu"};
  EXPECT_EQ(parse_name_list(flag("--profiles=cpu,io"), kAccepted),
            (std::vector<std::string>{"cpu", "io"}));
  EXPECT_EQ(refusal([&] { parse_name_list(flag("--profiles=nope"), kAccepted); }),
            "--profiles=nope: unknown name 'nope'; expected one or more of io,cpu");
  EXPECT_NE(
      refusal([&] { parse_name_list(flag("--profiles=io,io"), kAccepted); }).find("given twice"),
      std::string::npos);
  EXPECT_NE(refusal([&] {
              parse_name(flag("--profile=io,cpu"), kAccepted);
            }).find("a single name is needed"),
            std::string::npos);
}

TEST(Flags, RefusesAValueOnASwitch) {
  EXPECT_NE(refusal([] { expect_no_value(flag("--quick=yes")); }).find("takes no value"),
            std::string::npos);
}

}  // namespace
}  // namespace kitchen::cli
