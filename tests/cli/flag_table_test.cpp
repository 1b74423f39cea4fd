// The flag table: every entry is well formed, its default reads by its own rules, and a program's
// uses parse, refuse and describe flags from it.
#include "cli/flag_table.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "thrown.hpp"

namespace kitchen::cli {
namespace {

void parse(std::vector<std::string> words, std::span<const FlagUse> uses) {
  words.insert(words.begin(), "program");
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  parse_flags(static_cast<int>(argv.size()), argv.data(), uses);
}

std::string refusal(std::vector<std::string> words, std::span<const FlagUse> uses) {
  return testing::message_of<UsageError>([&] { parse(std::move(words), uses); }, "accepted");
}

TEST(FlagTable, NamesEachFlagOnceAndEveryDefaultReadsByItsOwnRules) {
  std::set<std::string_view> names;
  for (const FlagSpec& spec : flag_table()) {
    EXPECT_TRUE(names.insert(spec.name).second) << spec.name;
    EXPECT_EQ(spec.name.substr(0, 2), "--") << spec.name;
    EXPECT_FALSE(spec.help.empty()) << spec.name;
    if (spec.default_value.empty()) continue;
    bool applied = false;
    const FlagUse use[] = {{spec.name, [&](const FlagValue&) { applied = true; }}};
    EXPECT_EQ(refusal({}, use), "accepted") << spec.name;
    EXPECT_TRUE(applied) << spec.name;
  }
}

TEST(FlagTable, AppliesTheGivenValueOrElseTheDefault) {
  std::vector<std::uint64_t> seed;
  std::vector<std::string> io;
  const FlagUse uses[] = {{"--seed", [&](const FlagValue& v) { seed = v.wholes; }},
                          {"--io", [&](const FlagValue& v) { io = v.names; }}};
  parse({"--io=net,timer"}, uses);
  EXPECT_EQ(seed, std::vector<std::uint64_t>{1});
  EXPECT_EQ(io, (std::vector<std::string>{"net", "timer"}));
  parse({"--seed=7"}, uses);
  EXPECT_EQ(seed, std::vector<std::uint64_t>{7});
}

TEST(FlagTable, RefusesInOneLineNamingTheFlagTheValueAndWhatIsAccepted) {
  const FlagUse uses[] = {{"--chefs", [](const FlagValue&) {}},
                          {"--load", [](const FlagValue&) {}},
                          {"--quick", [](const FlagValue&) {}}};
  EXPECT_EQ(refusal({"--chefs=0"}, uses),
            "--chefs=0: '0' is out of range; expected comma-separated whole numbers from 1 to "
            "100000");
  EXPECT_EQ(refusal({"--load=0"}, uses),
            "--load=0: '0' is out of range; expected comma-separated numbers above 0 and up to "
            "100");
  EXPECT_EQ(refusal({"--quick=1"}, uses),
            "--quick=1: this flag takes no value; expected just --quick");
  EXPECT_EQ(refusal({"--seed=1"}, uses), "unknown flag '--seed' (see --help)");
  EXPECT_EQ(refusal({"--chefs=1", "--chefs=2"}, uses),
            "--chefs is given twice; give it once (a list takes commas: --chefs=A,B)");
}

TEST(FlagTable, AOneValueUseOfAListFlagReadsOneValueWithItsOwnDefault) {
  std::vector<std::uint64_t> chefs;
  std::vector<std::string> gil;
  const FlagUse uses[] = {
      {.name = "--chefs",
       .apply = [&](const FlagValue& v) { chefs = v.wholes; },
       .one = true,
       .default_value = "3"},
      {.name = "--gil", .apply = [&](const FlagValue& v) { gil = v.names; }, .one = true}};
  parse({}, uses);
  EXPECT_EQ(chefs, std::vector<std::uint64_t>{3});
  EXPECT_EQ(gil, std::vector<std::string>{"off"});
  EXPECT_EQ(refusal({"--chefs=1,2"}, uses),
            "--chefs=1,2: a single value is needed; expected a whole number from 1 to 100000");
  EXPECT_EQ(refusal({"--gil=off,on"}, uses),
            "--gil=off,on: a single name is needed; expected one of off,on");
}

TEST(FlagTable, HelpGivesEachUseItsRangeAndDefault) {
  const FlagUse uses[] = {
      {"--seed", [](const FlagValue&) {}},
      {.name = "--chefs", .apply = [](const FlagValue&) {}, .one = true, .default_value = "3"},
      {"--fail-fast", [](const FlagValue&) {}}};
  const std::string help = flags_help(uses);
  EXPECT_NE(help.find("  --seed=N           seed of the orders (0..2^64-1; default: 1)\n"),
            std::string::npos)
      << help;
  EXPECT_NE(help.find("  --chefs=N          dishes in preparation at once (1..100000; default: 3)"),
            std::string::npos)
      << help;
  EXPECT_NE(help.find("  --fail-fast        the first failure cancels"), std::string::npos) << help;
}

TEST(FlagTable, TheJsonListsEveryFlagWithItsKindRangeAndDefault) {
  const std::string json = flags_json();
  for (const FlagSpec& spec : flag_table()) {
    EXPECT_NE(json.find("\"name\": \"" + std::string(spec.name) + "\""), std::string::npos)
        << spec.name;
  }
  EXPECT_NE(json.find("\"kind\": \"whole_list\""), std::string::npos);
  EXPECT_NE(json.find("\"max\": 18446744073709551615"), std::string::npos);
}

}  // namespace
}  // namespace kitchen::cli
