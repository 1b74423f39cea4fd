#include "run_bench.hpp"

#include <sys/wait.h>

#include <array>
#include <cstdio>

namespace kitchen::bench::bench_run {

BenchRun run_bench(const std::string& arguments, const std::string& shell_before,
                   const std::string& runner) {
  BenchRun run;
  const std::string command = shell_before + " exec " + runner + " " +
                              std::string(KITCHEN_BIN_DIR) + "/bench_kitchen " + arguments;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> buffer;
  while (const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) {
    run.output.append(buffer.data(), n);
  }
  const int status = pclose(pipe);
  if (status != -1 && WIFEXITED(status)) run.status = WEXITSTATUS(status);
  return run;
}

nlohmann::json rows_by_name(const BenchRun& run) {
  nlohmann::json rows = nlohmann::json::object();
  const nlohmann::json all = nlohmann::json::parse(run.output, nullptr, false);
  if (all.is_discarded() || !all.contains("benchmarks")) return rows;
  for (const nlohmann::json& row : all["benchmarks"]) {
    // Google Benchmark appends the row's settings to the registered name
    // ("/iterations:1",
    // "/real_time"): keep the name the suite gave.
    std::string name = row["name"].get<std::string>();
    for (const char* suffix : {"/iterations:", "/real_time"}) {
      name = name.substr(0, name.find(suffix));
    }
    rows[name] = row;
  }
  return rows;
}

}  // namespace kitchen::bench::bench_run
