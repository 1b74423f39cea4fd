// Every flag of the C++ programs, declared once: its name, the kind of value it takes, the range
// or names it accepts, its default and its help. Parsing, --help and `bench_kitchen
// --flags-json` (which a test of the CPython kitchen reads) all come from this table;
// bench_kitchen uses most of it, `kitchen` a subset, some of them as a single value.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/flags.hpp"

namespace kitchen::cli {

enum class Kind {
  // --quick: no value
  kSwitch,
  // One whole number in [min, max]
  kWhole,
  // Comma-separated whole numbers in [min, max], each once
  kWholeList,
  // One decimal number in [low, high]
  kNumber,
  // Comma-separated decimal numbers in [low, high] (above 0 when low is 0), each once
  kNumberList,
  // One of `names`
  kName,
  // Comma-separated names of `names`, each once
  kNameList,
};

struct FlagSpec {
  // "--chefs"
  std::string_view name;
  Kind kind = Kind::kSwitch;
  // What --help shows after '=': "LIST", "N"
  std::string_view metavar = {};
  std::uint64_t min = 0;
  std::uint64_t max = 0;
  double low = 0;
  double high = 0;
  std::span<const std::string_view> names = {};
  // The names are listed below the flags (the executors, with what each is): --help does not
  // repeat them.
  bool names_listed_below = false;
  // The value taken when the flag is not given, written as a user would write it (parsed like
  // one); empty: none, the program decides (default_note says what it does).
  std::string_view default_value = {};
  // How --help words the default where the value alone would not say it ("all", "the
  // profile's grid"); empty: the value.
  std::string_view default_note = {};
  std::string_view help = {};
};

// The table, in the order of bench_kitchen's --help.
std::span<const FlagSpec> flag_table();
// The entry called `name`; throws std::logic_error when there is none (a program's mistake).
const FlagSpec& flag_spec(std::string_view name);

// A flag's value, parsed by its spec: the numbers or names it gave.
struct FlagValue {
  // As given, "--load=0.5,1", for refusals that name it.
  std::string shown = {};
  std::vector<std::uint64_t> wholes = {};
  std::vector<double> numbers = {};
  std::vector<std::string> names = {};
};

// One flag a program accepts: the table's entry of that name, taken as it is or as a single
// value (`one`: a list kind reads one number or name), with the program's own default where it
// has one (`default_value`, for the one-value forms `kitchen` uses).
struct FlagUse {
  std::string_view name;
  std::function<void(const FlagValue&)> apply;
  bool one = false;
  std::string_view default_value = {};
  std::string_view default_note = {};
};

// Parses argv[1..] by the uses' specs: every argument must be one of them, given at most once;
// then applies the default of every use not given that has one. Throws UsageError.
void parse_flags(int argc, char** argv, std::span<const FlagUse> uses);

// The uses' lines of --help, in their order: "  --chefs=LIST  what (range; default)".
std::string flags_help(std::span<const FlagUse> uses);

// The whole table as JSON: a list of {name, kind, min, max (or low, high), names, default}.
std::string flags_json();

}  // namespace kitchen::cli
