#include "cli/flag_table.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "executors/catalogue.hpp"
#include "kitchen/profiles.hpp"

namespace kitchen::cli {
namespace {

constexpr std::array<std::string_view, 2> kOnOff = {"off", "on"};
constexpr std::array<std::string_view, 3> kPantryModes = {"locked", "unlocked", "unlocked_await"};
constexpr std::array<std::string_view, 2> kArrivals = {"fixed", "poisson"};
constexpr std::array<std::string_view, 2> kIoModes = {"timer", "net"};
constexpr std::array<std::string_view, 2> kSlacks = {"1ns", "default"};

using enum Kind;

// clang-format off
const FlagSpec kFlags[] = {
    {.name = "--executors", .kind = kNameList, .metavar = "LIST", .names = kExecutorNames,
     .names_listed_below = true, .default_note = "all", .help = "the executors whose rows run (listed below)"},
    {.name = "--profiles", .kind = kNameList, .metavar = "LIST", .names = kProfileNames,
     .default_value = "io,cpu,mixed",
     .help = "the costs of each ingredient: io = 1000 us wait / 0 us work, cpu = 0 / 200, "
             "mixed = 500 / 50, overhead = 0 / 0"},
    {.name = "--chefs", .kind = kWholeList, .metavar = "LIST", .min = 1, .max = 100'000,
     .default_note = "the profile's grid",
     .help = "dishes in preparation at once"},
    {.name = "--customers", .kind = kWholeList, .metavar = "LIST", .min = 1, .max = 100'000'000,
     .default_note = "the profile's grid", .help = "orders per service"},
    {.name = "--io-us", .kind = kWholeList, .metavar = "LIST", .min = 0, .max = 10'000'000,
     .default_note = "the profile's", .help = "the wait to fetch each ingredient, in us"},
    {.name = "--cpu-us", .kind = kWholeList, .metavar = "LIST", .min = 0, .max = 10'000'000,
     .default_note = "the profile's", .help = "the work to cook each ingredient, in us"},
    {.name = "--seed", .kind = kWhole, .metavar = "N", .min = 0, .max = UINT64_MAX,
     .default_value = "1", .help = "seed of the orders"},
    {.name = "--quick", .kind = kSwitch,
     .help = "a small sweep (under 30 s on 2 cores) with --benchmark_min_time=0.01"},
    {.name = "--gil", .kind = kNameList, .metavar = "LIST", .names = kOnOff,
     .default_value = "off", .help = "emulate CPython's GIL around the CPU work"},
    {.name = "--gil-switch-us", .kind = kWhole, .metavar = "N", .min = 1, .max = 1'000'000,
     .default_value = "5000", .default_note = "5000, CPython's",
     .help = "the emulated GIL's switch interval, in us"},
    {.name = "--pantry", .kind = kName, .metavar = "MODE", .names = kPantryModes,
     .default_value = "locked",
     .help = "how the shared pantry stock is updated; unlocked_await reads it before the "
             "ingredient's fetch and writes it after its step, as a coroutine awaiting inside "
             "the update"},
    {.name = "--fail-rate", .kind = kNumber, .metavar = "P", .low = 0, .high = 1,
     .default_value = "0", .help = "probability that an ingredient is out of stock"},
    {.name = "--fail-fast", .kind = kSwitch,
     .help = "the first failure cancels every order still waiting or cooking"},
    {.name = "--max-threads", .kind = kWhole, .metavar = "N", .min = 1, .max = 10'000'000,
     .default_note = "what the OS allows",
     .help = "threads an executor or the memory rows may start"},
    {.name = "--stack-kib", .kind = kWhole, .metavar = "N", .min = 16, .max = 1 << 20,
     .default_note = "the system's",
     .help = "stack of each thread of a thread-per-order executor, in KiB"},
    {.name = "--loop-threads", .kind = kWhole, .metavar = "N", .min = 1, .max = 1024,
     .default_note = "one per usable core",
     .help = "threads running a multi-threaded event loop or fiber scheduler"},
    {.name = "--fiber-stack-kib", .kind = kWhole, .metavar = "N", .min = 8, .max = 1 << 20,
     .default_note = "Boost.Context's default, 128",
     .help = "stack of each fiber of a fiber executor, in KiB"},
    {.name = "--fiber-stack-guard", .kind = kSwitch,
     .help = "fiber stacks with a guard page (protected_fixedsize_stack: one memory mapping "
             "each, capped by vm.max_map_count) instead of plain heap blocks"},
    // From one order in a million seconds: a row names a rate below 1 to six decimals
    // (/rate:0.000001), and a smaller one would be named /rate:0.000000.
    {.name = "--arrival-rate", .kind = kNumberList, .metavar = "LIST", .low = 1e-6, .high = 1e7,
     .default_note = "every order is placed at open",
     .help = "open loop: orders arrive at this rate, per second (rows carry /rate:R); latency "
             "runs from each order's arrival time; the schedule must fit in the clock's 146 "
             "years, and the dishes must cost something (not overhead)"},
    {.name = "--load", .kind = kNumberList, .metavar = "LIST", .low = 0, .high = 100,
     .help = "open loop at these fractions of each point's ideal capacity (0.5: half), each "
             "giving at least 1 order per second and a rate of its own; not with --arrival-rate"},
    {.name = "--arrivals", .kind = kName, .metavar = "KIND", .names = kArrivals,
     .default_value = "fixed",
     .help = "evenly spaced arrivals (fixed) or seeded exponential gaps (poisson)"},
    {.name = "--io", .kind = kNameList, .metavar = "LIST", .names = kIoModes,
     .default_value = "timer",
     .help = "how a fetch waits: a sleep or a timer (timer), or a request and its reply from the "
             "pantry server over loopback TCP (net: rows carry /io:net; the server is started "
             "for them)"},
    {.name = "--payload-bytes", .kind = kWhole, .metavar = "N", .min = 1, .max = 1 << 20,
     .default_value = "64", .help = "the payload of each reply on net rows"},
    {.name = "--timer-slack", .kind = kNameList, .metavar = "LIST", .names = kSlacks,
     .default_value = "1ns",
     .help = "the timer slack the kitchen's threads run with: the suite's 1 ns for every "
             "executor alike, or the system's default that real programs get (rows carry "
             "/slack:default)"},
    {.name = "--mechanisms", .kind = kSwitch,
     .help = "also run the mechanism families, memory included (see below)"},
    {.name = "--task-state-bytes", .kind = kWhole, .metavar = "N", .min = 0, .max = 1 << 20,
     .default_value = "0", .help = "live state each idle task of the memory rows holds"},
    // kitchen's own: the one executor and the one profile of its one service.
    {.name = "--executor", .kind = kName, .metavar = "NAME", .names = kExecutorNames,
     .names_listed_below = true, .default_value = "asio_coro", .help = "the executor that serves (listed below)"},
    {.name = "--profile", .kind = kName, .metavar = "NAME", .names = kProfileNames,
     .default_value = "mixed", .help = "the cost of each ingredient"},
};
// clang-format on

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

std::string joined(std::span<const std::string_view> names) {
  std::string text;
  for (std::string_view n : names) text += (text.empty() ? "" : ",") + std::string(n);
  return text;
}

Kind kind_of(const FlagSpec& spec, bool one) {
  if (!one) return spec.kind;
  if (spec.kind == kWholeList) return kWhole;
  if (spec.kind == kNameList) return kName;
  return spec.kind;
}

FlagValue value_of(const FlagSpec& spec, bool one, const Flag& flag) {
  FlagValue v{.shown =
                  std::string(flag.name) + (flag.has_value ? "=" : "") + std::string(flag.value)};
  switch (kind_of(spec, one)) {
    case kSwitch:
      expect_no_value(flag);
      break;
    case kWhole:
      v.wholes = {parse_uint(flag, spec.min, spec.max)};
      break;
    case kWholeList:
      v.wholes = parse_uint_list(flag, spec.min, spec.max);
      break;
    case kNumber:
      v.numbers = {parse_fraction(flag, spec.low, spec.high)};
      break;
    case kNumberList:
      v.numbers = spec.low > 0 ? parse_number_list(flag, spec.low, spec.high)
                               : parse_positive_list(flag, spec.high);
      break;
    case kName:
      v.names = {parse_name(flag, spec.names)};
      break;
    case kNameList:
      v.names = parse_name_list(flag, spec.names);
      break;
  }
  return v;
}

std::string range_text(const FlagSpec& spec, bool one) {
  if (spec.names_listed_below) return "";
  switch (kind_of(spec, one)) {
    case kSwitch:
      return "";
    case kWhole:
    case kWholeList:
      return std::to_string(spec.min) + ".." +
             (spec.max == UINT64_MAX ? std::string("2^64-1") : std::to_string(spec.max));
    case kNumber:
      return number(spec.low) + ".." + number(spec.high);
    case kNumberList:
      return spec.low > 0 ? number(spec.low) + ".." + number(spec.high)
                          : "above 0 and up to " + number(spec.high);
    case kName:
      return "one of " + joined(spec.names);
    case kNameList:
      return "any of " + joined(spec.names);
  }
  return "";
}

// `words` written from column `column` on, wrapped before column 100 to lines that start at
// column `indent`.
std::string wrapped(const std::string& words, std::size_t column, std::size_t indent) {
  constexpr std::size_t kWidth = 100;
  std::string text;
  std::size_t at = column;
  bool line_start = true;
  std::istringstream in(words);
  for (std::string word; in >> word;) {
    if (!line_start && at + 1 + word.size() > kWidth) {
      text += "\n" + std::string(indent, ' ');
      at = indent;
      line_start = true;
    }
    if (!line_start) {
      text += ' ';
      ++at;
    }
    text += word;
    at += word.size();
    line_start = false;
  }
  return text;
}

}  // namespace

std::span<const FlagSpec> flag_table() { return kFlags; }

const FlagSpec& flag_spec(std::string_view name) {
  for (const FlagSpec& spec : kFlags) {
    if (spec.name == name) return spec;
  }
  throw std::logic_error("no flag " + std::string(name) + " in the flag table");
}

void parse_flags(int argc, char** argv, std::span<const FlagUse> uses) {
  std::vector<FlagRule> rules;
  std::vector<std::string_view> given;
  for (const FlagUse& use : uses) {
    const FlagSpec& spec = flag_spec(use.name);
    rules.push_back({use.name, [&spec, &use, &given](const Flag& flag) {
                       given.push_back(use.name);
                       use.apply(value_of(spec, use.one, flag));
                     }});
  }
  parse_flags(argc, argv, std::span<const FlagRule>(rules));
  for (const FlagUse& use : uses) {
    if (std::find(given.begin(), given.end(), use.name) != given.end()) continue;
    const FlagSpec& spec = flag_spec(use.name);
    const std::string_view value =
        use.default_value.empty() ? spec.default_value : use.default_value;
    if (value.empty()) continue;
    use.apply(value_of(spec, use.one, Flag{use.name, value, true}));
  }
}

std::string flags_help(std::span<const FlagUse> uses) {
  constexpr std::size_t kIndent = 21;
  std::string text;
  for (const FlagUse& use : uses) {
    const FlagSpec& spec = flag_spec(use.name);
    std::string line = "  " + std::string(spec.name);
    const std::string_view metavar = !use.one                  ? spec.metavar
                                     : spec.kind == kWholeList ? "N"
                                     : spec.kind == kNameList  ? "NAME"
                                                               : spec.metavar;
    if (spec.kind != kSwitch) line += "=" + std::string(metavar);
    line += line.size() + 2 <= kIndent ? std::string(kIndent - line.size(), ' ') : "  ";
    std::string note = range_text(spec, use.one);
    const std::string_view shown_default = !use.default_note.empty()    ? use.default_note
                                           : !use.default_value.empty() ? use.default_value
                                           : !spec.default_note.empty() ? spec.default_note
                                                                        : spec.default_value;
    if (!shown_default.empty()) {
      note += (note.empty() ? "" : "; ") + std::string("default: ") + std::string(shown_default);
    }
    std::string words(spec.help);
    if (!note.empty()) words += " (" + note + ")";
    text += line + wrapped(words, line.size(), kIndent) + "\n";
  }
  return text;
}

std::string flags_json() {
  static constexpr std::array kKindNames = {"switch",      "whole", "whole_list", "number",
                                            "number_list", "name",  "name_list"};
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  for (const FlagSpec& spec : kFlags) {
    nlohmann::ordered_json f;
    f["name"] = spec.name;
    f["kind"] = kKindNames[static_cast<std::size_t>(spec.kind)];
    if (spec.kind == kWhole || spec.kind == kWholeList) {
      f["min"] = spec.min;
      f["max"] = spec.max;
    } else if (spec.kind == kNumber || spec.kind == kNumberList) {
      f["min"] = spec.low;
      f["max"] = spec.high;
    } else if (spec.kind == kName || spec.kind == kNameList) {
      f["names"] = std::vector<std::string>(spec.names.begin(), spec.names.end());
    }
    f["default"] = spec.default_value;
    all.push_back(f);
  }
  return all.dump(1) + "\n";
}

}  // namespace kitchen::cli
