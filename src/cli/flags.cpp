#include "cli/flags.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace kitchen::cli {
namespace {

std::string shown(const Flag& flag) {
  return std::string(flag.name) + (flag.has_value ? "=" + std::string(flag.value) : "");
}

[[noreturn]] void refuse(const Flag& flag, const std::string& why, const std::string& accepted) {
  throw UsageError(shown(flag) + ": " + why + "; expected " + accepted);
}

std::string range_text(std::uint64_t min, std::uint64_t max) {
  return "whole numbers from " + std::to_string(min) + " to " + std::to_string(max);
}

std::vector<std::string_view> items_of(const Flag& flag, const std::string& accepted) {
  if (!flag.has_value || flag.value.empty()) refuse(flag, "no value given", accepted);
  std::vector<std::string_view> items;
  std::string_view rest = flag.value;
  for (;;) {
    const auto comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    if (item.empty()) refuse(flag, "empty item in the list", accepted);
    items.push_back(item);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return items;
}

std::uint64_t number_of(const Flag& flag, std::string_view item, std::uint64_t min,
                        std::uint64_t max, const std::string& accepted) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), value);
  const std::string quoted = "'" + std::string(item) + "'";
  if (error == std::errc::result_out_of_range) refuse(flag, quoted + " is too large", accepted);
  if (error != std::errc() || end != item.data() + item.size()) {
    refuse(flag, quoted + " is not a whole number", accepted);
  }
  if (value < min || value > max) refuse(flag, quoted + " is out of range", accepted);
  return value;
}

// A list of values is a set of points: the same value twice would give two rows of one name,
// whose repetitions Google Benchmark would then mix into one set of aggregates. The last of
// `values`, read from the item of the same index, is refused if an earlier one equals it.
template <typename T>
void refuse_repeat(const Flag& flag, const std::vector<T>& values,
                   const std::vector<std::string_view>& items, const std::string& accepted) {
  const std::size_t last = values.size() - 1;
  for (std::size_t i = 0; i < last; ++i) {
    if (values[i] != values[last]) continue;
    const std::string item = "'" + std::string(items[last]) + "'";
    if (items[i] == items[last]) refuse(flag, item + " is given twice", accepted);
    refuse(flag, item + " is the same as '" + std::string(items[i]) + "'", accepted);
  }
}

std::string names_text(std::span<const std::string_view> accepted) {
  std::string text;
  for (std::size_t i = 0; i < accepted.size(); ++i) {
    text += (i ? "," : "") + std::string(accepted[i]);
  }
  return text;
}

}  // namespace

std::optional<Flag> split_flag(std::string_view arg) {
  if (arg.size() < 3 || arg.substr(0, 2) != "--") return std::nullopt;
  const auto eq = arg.find('=');
  if (eq == std::string_view::npos) return Flag{arg, {}, false};
  return Flag{arg.substr(0, eq), arg.substr(eq + 1), true};
}

std::uint64_t parse_uint(const Flag& flag, std::uint64_t min, std::uint64_t max) {
  const std::string accepted =
      "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
  const auto items = items_of(flag, accepted);
  if (items.size() != 1) refuse(flag, "a single value is needed", accepted);
  return number_of(flag, items.front(), min, max, accepted);
}

std::vector<std::uint64_t> parse_uint_list(const Flag& flag, std::uint64_t min, std::uint64_t max) {
  const std::string accepted = "comma-separated " + range_text(min, max);
  const std::vector<std::string_view> items = items_of(flag, accepted);
  std::vector<std::uint64_t> values;
  for (std::size_t i = 0; i < items.size(); ++i) {
    values.push_back(number_of(flag, items[i], min, max, accepted));
    refuse_repeat(flag, values, items, accepted);
  }
  return values;
}

double parse_fraction(const Flag& flag, double min, double max) {
  char range[96];
  std::snprintf(range, sizeof range, "a number from %g to %g", min, max);
  const auto items = items_of(flag, range);
  if (items.size() != 1) refuse(flag, "a single value is needed", range);
  const std::string_view item = items.front();
  double value = 0;
  const auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), value);
  if (error != std::errc() || end != item.data() + item.size() || !(value >= min && value <= max)) {
    refuse(flag, "'" + std::string(item) + "' is not in range", range);
  }
  return value;
}

namespace {

// The names of a list flag, or of a single-name flag (`one`): one line per
// refusal either way.
std::vector<std::string> names_of(const Flag& flag, std::span<const std::string_view> accepted,
                                  bool one) {
  const std::string text = (one ? "one of " : "one or more of ") + names_text(accepted);
  std::vector<std::string> names;
  for (std::string_view item : items_of(flag, text)) {
    if (std::find(accepted.begin(), accepted.end(), item) == accepted.end()) {
      refuse(flag, "unknown name '" + std::string(item) + "'", text);
    }
    if (std::find(names.begin(), names.end(), item) != names.end()) {
      refuse(flag, "'" + std::string(item) + "' is given twice", text);
    }
    names.emplace_back(item);
  }
  if (one && names.size() != 1) refuse(flag, "a single name is needed", text);
  return names;
}

}  // namespace

std::vector<std::string> parse_name_list(const Flag& flag,
                                         std::span<const std::string_view> accepted) {
  return names_of(flag, accepted, false);
}

std::string parse_name(const Flag& flag, std::span<const std::string_view> accepted) {
  return names_of(flag, accepted, true).front();
}

void expect_no_value(const Flag& flag) {
  if (flag.has_value) refuse(flag, "this flag takes no value", "just " + std::string(flag.name));
}

namespace {

// A comma list of decimal numbers in [min, max], or in (0, max] when min is 0.
std::vector<double> number_list(const Flag& flag, double min, double max) {
  char range[96];
  if (min > 0) {
    std::snprintf(range, sizeof range, "comma-separated numbers from %g to %g", min, max);
  } else {
    std::snprintf(range, sizeof range, "comma-separated numbers above 0 and up to %g", max);
  }
  const std::vector<std::string_view> items = items_of(flag, range);
  std::vector<double> values;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string_view item = items[i];
    double value = 0;
    const auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), value);
    const bool whole = end == item.data() + item.size();
    // 1e-400 or 1e400: a number, too small or too large for a double.
    if (error == std::errc::result_out_of_range && whole) {
      refuse(flag, "'" + std::string(item) + "' is out of range", range);
    }
    if (error != std::errc() || !whole) {
      refuse(flag, "'" + std::string(item) + "' is not a number", range);
    }
    if (!(value > 0 && value >= min && value <= max)) {
      refuse(flag, "'" + std::string(item) + "' is out of range", range);
    }
    values.push_back(value);
    refuse_repeat(flag, values, items, range);
  }
  return values;
}

}  // namespace

std::vector<double> parse_positive_list(const Flag& flag, double max) {
  return number_list(flag, 0, max);
}

std::vector<double> parse_number_list(const Flag& flag, double min, double max) {
  return number_list(flag, min, max);
}

void parse_flags(int argc, char** argv, std::span<const FlagRule> rules) {
  std::vector<std::string_view> seen;
  for (int i = 1; i < argc; ++i) {
    const std::optional<Flag> flag = split_flag(argv[i]);
    if (!flag) {
      throw UsageError(std::string("unexpected argument '") + argv[i] + "' (see --help)");
    }
    const FlagRule* rule = nullptr;
    for (const FlagRule& r : rules) {
      if (r.name == flag->name) rule = &r;
    }
    if (!rule) throw UsageError("unknown flag '" + std::string(flag->name) + "' (see --help)");
    for (std::string_view earlier : seen) {
      if (earlier == flag->name) {
        throw UsageError(std::string(flag->name) +
                         " is given twice; give it once (a list takes commas: " +
                         std::string(flag->name) + "=A,B)");
      }
    }
    seen.push_back(flag->name);
    rule->apply(*flag);
  }
}

}  // namespace kitchen::cli
