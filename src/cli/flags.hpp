// Parsing of the programs' own flags (--name=value, lists comma-separated).
// Every refusal is a UsageError whose message is one line naming the flag, the
// bad value and what is accepted; the programs print it and exit with status 2
// before they run or write anything.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kitchen::cli {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Flag {
  // "--chefs"
  std::string_view name;
  // "1,2,3"
  std::string_view value;
  // false for a bare "--quick"
  bool has_value = false;
};

// One flag a program accepts: its name and what to do with its raw value. bench_kitchen and
// kitchen declare theirs in the flag table (cli/flag_table.hpp), which parses through this;
// pantry_server's one flag is a rule of its own.
struct FlagRule {
  std::string_view name;
  std::function<void(const Flag&)> apply;
};

// The one parser of the programs: every argument from argv[1] on must be one of
// `rules`, given at most once ("--chefs=2 --chefs=3" is refused, naming the
// flag). Throws UsageError on the first problem.
void parse_flags(int argc, char** argv, std::span<const FlagRule> rules);

// "--name=value" or "--name"; nothing for an argument that is not a flag.
std::optional<Flag> split_flag(std::string_view arg);

std::uint64_t parse_uint(const Flag& flag, std::uint64_t min, std::uint64_t max);
// A comma list of whole numbers in [min, max], each once.
std::vector<std::uint64_t> parse_uint_list(const Flag& flag, std::uint64_t min, std::uint64_t max);

// A comma list of decimal numbers in (0, max], each once, like 0.25,0.5,900.
std::vector<double> parse_positive_list(const Flag& flag, double max);

// A comma list of decimal numbers in [min, max] (min above 0), each once.
std::vector<double> parse_number_list(const Flag& flag, double min, double max);

// A decimal number in [min, max], like 0.25.
double parse_fraction(const Flag& flag, double min, double max);

// A comma list of names, each one of `accepted`, without repeats.
std::vector<std::string> parse_name_list(const Flag& flag,
                                         std::span<const std::string_view> accepted);
std::string parse_name(const Flag& flag, std::span<const std::string_view> accepted);

// A flag that takes no value.
void expect_no_value(const Flag& flag);

}  // namespace kitchen::cli
