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

void validate(const Flag& f) {
  const std::string_view n = f.name, v = f.value;
  // The time a repetition may take and the repetitions: at most an hour each and a thousand
  // (py_kitchen.py's --repetitions), so that no value overflows Google Benchmark's own
  // counts or asks for a run that cannot end.
  const std::optional<double> seconds = number(v);
  if (n == "--benchmark_min_time") {
    if (!seconds || !(*seconds > 0 && *seconds <= 3600)) {
      refuse(f, "seconds above 0 and up to 3600, like 0.5");
    }
  } else if (n == "--benchmark_min_warmup_time") {
    if (!seconds || !(*seconds >= 0 && *seconds <= 3600)) {
      refuse(f, "seconds from 0 to 3600, like 0.1");
    }
  } else if (n == "--benchmark_repetitions") {
    if (!is_int(v, 1, 1000)) refuse(f, "a whole number from 1 to 1000");
  } else if (n == "--benchmark_format" || n == "--benchmark_out_format") {
    if (!one_of(v, {"console", "json", "csv"})) refuse(f, "console, json or csv");
  } else if (n == "--benchmark_time_unit") {
    if (!one_of(v, {"ns", "us", "ms", "s"})) refuse(f, "ns, us, ms or s");
  } else if (n == "--benchmark_color") {
    if (!is_bool(v) && !one_of(v, {"auto"})) refuse(f, "auto, true or false");
  } else if (n == "--benchmark_filter") {
    if (!is_regex(v)) refuse(f, "a regular expression");
  } else if (n == "--benchmark_out") {
    if (const std::string why = unwritable(v); !why.empty()) {
      throw UsageError(std::string(n) + "=" + std::string(v) + ": " + why +
                       "; expected a file name in a folder that exists and can be written");
    }
  } else if (n == "--v") {
    if (!is_int(v, 0, 1000)) refuse(f, "a verbosity, a whole number from 0 to 1000");
  } else if (n == "--benchmark_list_tests" || n == "--benchmark_enable_random_interleaving" ||
             n == "--benchmark_report_aggregates_only" ||
             n == "--benchmark_display_aggregates_only" || n == "--benchmark_counters_tabular") {
    if (f.has_value && !is_bool(v)) refuse(f, "true or false");
  }
}

}  // namespace

void validate_benchmark_flags(int argc, char** argv) {
  std::vector<std::string_view> seen;
  for (int i = 1; i < argc; ++i) {
    const std::optional<Flag> flag = cli::split_flag(argv[i]);
    if (!flag) continue;
    const bool ours = flag->name.substr(0, 12) == "--benchmark_" || flag->name == "--v";
    if (!ours) continue;
    // Google Benchmark would silently take the last one.
    if (std::find(seen.begin(), seen.end(), flag->name) != seen.end()) {
      throw UsageError(std::string(flag->name) + " is given twice; give it once");
    }
    seen.push_back(flag->name);
    if (!flag->has_value && flag->name != "--benchmark_list_tests" &&
        flag->name.find("_only") == std::string_view::npos &&
        flag->name != "--benchmark_counters_tabular" &&
        flag->name != "--benchmark_enable_random_interleaving") {
      throw UsageError(std::string(flag->name) + ": a value is needed, like " +
                       std::string(flag->name) + "=...");
    }
    validate(*flag);
  }
}

}  // namespace kitchen::bench
