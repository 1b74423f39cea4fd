#include "executors/catalogue.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>

namespace kitchen {
namespace {

// {name, lines of src/executors/<name>.cpp and of the project headers it includes}, counted by
// CMake when it configures (kitchen_lines_with_headers).
constexpr std::pair<std::string_view, int> kSourceLines[] = {
#include "executor_lines.inc"
};

int source_lines(std::string_view name) {
  for (const auto& [file, lines] : kSourceLines) {
    if (file == name) return lines;
  }
  return 0;
}

// A comma-separated list of mechanism kinds (Paid) as a JSON array, one name per occurrence.
nlohmann::json names_of(std::string_view list) {
  nlohmann::json names = nlohmann::json::array();
  while (!list.empty()) {
    const std::size_t comma = std::min(list.find(','), list.size());
    names.push_back(list.substr(0, comma));
    list.remove_prefix(std::min(comma + 1, list.size()));
  }
  return names;
}

// What a dish pays, for kitchen advise's model; null for an executor it does not model.
nlohmann::json paid_json(const Paid& paid) {
  if (paid.cpu_on.empty()) return nullptr;
  return {{"cpu_on", paid.cpu_on},
          {"spawn", paid.spawn},
          {"per_order", names_of(paid.per_order)},
          {"per_wait", names_of(paid.per_wait)},
          {"per_step", names_of(paid.per_step)},
          {"wait", paid.wait},
          {"memory", names_of(paid.memory)},
          {"threads", paid.threads}};
}

}  // namespace

std::string catalogue_json() {
  nlohmann::json list = nlohmann::json::array();
  for (const Listing& e : kCatalogue) {
    list.push_back({{"name", e.name},
                    {"language", "C++"},
                    {"side", e.side},
                    {"what", e.what},
                    {"python", e.python},
                    {"pair", e.pair},
                    {"also_pair", e.also_pair},
                    {"one_at_a_time", e.one_at_a_time},
                    {"source_lines", source_lines(e.name)},
                    {"paid", paid_json(e.paid)}});
  }
  return list.dump();
}

std::string executor_list() {
  std::string names;
  for (const Listing& e : kCatalogue) {
    if (!names.empty()) names += ", ";
    names += e.name;
  }
  return names;
}

std::string executor_table() {
  std::string table;
  for (const Listing& e : kCatalogue) {
    std::string line = "  " + std::string(e.name);
    line.resize(std::max<std::size_t>(line.size() + 1, 21), ' ');
    table += line + "(" + std::string(e.side) + ") " + std::string(e.what) + "\n";
  }
  return table;
}

}  // namespace kitchen
