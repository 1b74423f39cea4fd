#include "gb_flags.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "cli/flags.hpp"

namespace kitchen::bench {
namespace {

using cli::Flag;
using cli::UsageError;

[[noreturn]] void refuse(const Flag& flag, const std::string& accepted) {
  throw UsageError(std::string(flag.name) + "=" + std::string(flag.value) + ": expected " +
                   accepted);
}

bool one_of(std::string_view value, std::initializer_list<std::string_view> accepted) {
  std::string lower(value);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(accepted.begin(), accepted.end(), lower) != accepted.end();
}

// The words Google Benchmark takes for a boolean: these, in any case, and their opposites.
bool is_bool(std::string_view v) {
  return one_of(v, {"1", "0", "t", "f", "true", "false", "y", "n", "yes", "no", "on", "off"});
}

bool is_regex(std::string_view v) {
  try {
    std::regex compiled{std::string(v)};
    return true;
  } catch (const std::regex_error&) {
    return false;
  }
}

// Why the output file could not be created or replaced, or "": its folder must exist and be
// writable, and the file, if it exists, must be a regular file (renaming the results over a
// directory fails, and over /dev/null, say, would replace the device).
std::string unwritable(std::string_view path) {
  const std::filesystem::path p{std::string(path)};
  const std::filesystem::path folder = p.has_parent_path() ? p.parent_path() : ".";
  std::error_code error;
  if (p.filename().empty()) return "no file name";
  const auto status = std::filesystem::status(p, error);
  if (std::filesystem::is_directory(status)) return "it is a directory";
  if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    return "it is not a regular file";
  }
  if (!std::filesystem::is_directory(folder, error)) {
    return "there is no folder " + folder.string();
  }
  if (::access(folder.c_str(), W_OK | X_OK) != 0) {
    return "the folder " + folder.string() + " cannot be written";
  }
  return "";
}

// A number as std::from_chars reads it whole (no sign but minus), or nothing.
std::optional<double> number(std::string_view v) {
  double value = 0;
  const auto [end, error] = std::from_chars(v.data(), v.data() + v.size(), value);
  if (error != std::errc() || end != v.data() + v.size()) return std::nullopt;
  return value;
}

bool is_int(std::string_view v, long min, long max) {
  long value = 0;
  const auto [end, error] = std::from_chars(v.data(), v.data() + v.size(), value);
  return error == std::errc() && end == v.data() + v.size() && value >= min && value <= max;
}

using Check = void (*)(const Flag&);

// The time a repetition may take and the repetitions: at most an hour each and a thousand
// (py_kitchen.py's --repetitions), so that no value overflows Google Benchmark's own counts or
// asks for a run that cannot end.
void check_min_time(const Flag& f) {
  const std::optional<double> seconds = number(f.value);
  if (!seconds || !(*seconds > 0 && *seconds <= 3600)) {
    refuse(f, "seconds above 0 and up to 3600, like 0.5");
  }
}
void check_warmup_time(const Flag& f) {
  const std::optional<double> seconds = number(f.value);
  if (!seconds || !(*seconds >= 0 && *seconds <= 3600))
    refuse(f, "seconds from 0 to 3600, like 0.1");
}
void check_repetitions(const Flag& f) {
  if (!is_int(f.value, 1, 1000)) refuse(f, "a whole number from 1 to 1000");
}
void check_format(const Flag& f) {
  if (!one_of(f.value, {"console", "json", "csv"})) refuse(f, "console, json or csv");
}
void check_time_unit(const Flag& f) {
  if (!one_of(f.value, {"ns", "us", "ms", "s"})) refuse(f, "ns, us, ms or s");
}
void check_color(const Flag& f) {
  if (!is_bool(f.value) && !one_of(f.value, {"auto"})) refuse(f, "auto, true or false");
}
void check_filter(const Flag& f) {
  if (!is_regex(f.value)) refuse(f, "a regular expression");
}
void check_out(const Flag& f) {
  if (const std::string why = unwritable(f.value); !why.empty()) {
    throw UsageError(std::string(f.name) + "=" + std::string(f.value) + ": " + why +
                     "; expected a file name in a folder that exists and can be written");
  }
}
void check_verbosity(const Flag& f) {
  if (!is_int(f.value, 0, 1000)) refuse(f, "a verbosity, a whole number from 0 to 1000");
}
void check_bool(const Flag& f) {
  if (f.has_value && !is_bool(f.value)) refuse(f, "true or false");
}
// Taken as Google Benchmark takes it.
void check_nothing(const Flag&) {}

struct GbFlag {
  std::string_view name;
  // A boolean may be given bare (--benchmark_list_tests); every other flag needs a value.
  bool boolean;
  Check check;
};

// Google Benchmark 1.7.1's flags, once: what bench_kitchen checks and how each is read.
constexpr GbFlag kGbFlags[] = {
    {"--benchmark_list_tests", true, check_bool},
    {"--benchmark_filter", false, check_filter},
    {"--benchmark_min_time", false, check_min_time},
    {"--benchmark_min_warmup_time", false, check_warmup_time},
    {"--benchmark_repetitions", false, check_repetitions},
    {"--benchmark_enable_random_interleaving", true, check_bool},
    {"--benchmark_report_aggregates_only", true, check_bool},
    {"--benchmark_display_aggregates_only", true, check_bool},
    {"--benchmark_format", false, check_format},
    {"--benchmark_out", false, check_out},
    {"--benchmark_out_format", false, check_format},
    {"--benchmark_color", false, check_color},
    {"--benchmark_counters_tabular", true, check_bool},
    {"--benchmark_time_unit", false, check_time_unit},
    {"--benchmark_context", false, check_nothing},
    {"--v", false, check_verbosity},
};

const GbFlag* gb_flag(std::string_view name) {
  for (const GbFlag& flag : kGbFlags) {
    if (flag.name == name) return &flag;
  }
  return nullptr;
}

}  // namespace

void validate_benchmark_flags(const std::vector<char*>& args) {
  std::vector<std::string_view> seen;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::optional<Flag> flag = cli::split_flag(args[i]);
    if (!flag) continue;
    const bool ours = flag->name.substr(0, 12) == "--benchmark_" || flag->name == "--v";
    if (!ours) continue;
    // Google Benchmark would silently take the last one.
    if (std::find(seen.begin(), seen.end(), flag->name) != seen.end()) {
      throw UsageError(std::string(flag->name) + " is given twice; give it once");
    }
    seen.push_back(flag->name);
    const GbFlag* known = gb_flag(flag->name);
    if (!flag->has_value && !(known && known->boolean)) {
      throw UsageError(std::string(flag->name) + ": a value is needed, like " +
                       std::string(flag->name) + "=...");
    }
    if (known) known->check(*flag);
  }
}

std::optional<std::string_view> benchmark_flag(const std::vector<char*>& args,
                                               std::string_view name) {
  std::optional<std::string_view> value;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::optional<Flag> flag = cli::split_flag(args[i]);
    if (!flag || flag->name != name) continue;
    value = flag->has_value ? flag->value : std::string_view("true");
  }
  return value;
}

bool benchmark_flag_true(const std::vector<char*>& args, std::string_view name) {
  const std::optional<std::string_view> value = benchmark_flag(args, name);
  return value && !one_of(*value, {"0", "f", "n", "false", "no", "off"});
}

bool flag_given(const std::vector<char*>& args, std::string_view name) {
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::optional<Flag> flag = cli::split_flag(args[i]);
    if (flag && flag->name == name) return true;
  }
  return false;
}

}  // namespace kitchen::bench
