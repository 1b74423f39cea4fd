// kitchen: runs one service on one executor and prints it for a person to
// watch.
//
//   kitchen --executor=asio_coro --chefs=3 --customers=5 --seed=1
#include <array>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cli/advise.hpp"
#include "cli/flag_table.hpp"
#include "cli/flags.hpp"
#include "cli/show_service.hpp"
#include "executors/catalogue.hpp"
#include "kitchen/cpu_work.hpp"
#include "kitchen/failures.hpp"
#include "kitchen/gil.hpp"
#include "kitchen/profiles.hpp"
#include "os/cores.hpp"
#include "os/timer_slack.hpp"

namespace {

struct Options {
  std::string executor;
  std::uint32_t chefs = 0;
  std::uint32_t customers = 0;
  std::uint64_t seed = 0;
  kitchen::Costs costs;
  std::string profile;
  kitchen::Staffing staffing;
  bool gil = false;
  double fail_rate = 0;
  bool fail_fast = false;
};

// kitchen's flags: a subset of the flag table (cli/flag_table.hpp), the sweep's lists taken as
// the one value of one service, with that service's defaults.
std::vector<kitchen::cli::FlagUse> uses(Options& o, std::optional<std::uint64_t>& io_us,
                                        std::optional<std::uint64_t>& cpu_us) {
  using V = kitchen::cli::FlagValue;
  return {
      {"--executor", [&o](const V& v) { o.executor = v.names.front(); }},
      {.name = "--chefs",
       .apply = [&o](const V& v) { o.chefs = static_cast<std::uint32_t>(v.wholes.front()); },
       .one = true,
       .default_value = "3"},
      {.name = "--customers",
       .apply = [&o](const V& v) { o.customers = static_cast<std::uint32_t>(v.wholes.front()); },
       .one = true,
       .default_value = "5"},
      {"--seed", [&o](const V& v) { o.seed = v.wholes.front(); }},
      {"--profile", [&o](const V& v) { o.profile = v.names.front(); }},
      {.name = "--io-us", .apply = [&io_us](const V& v) { io_us = v.wholes.front(); }, .one = true},
      {.name = "--cpu-us",
       .apply = [&cpu_us](const V& v) { cpu_us = v.wholes.front(); },
       .one = true},
      {"--stack-kib", [&o](const V& v) { o.staffing.stack_bytes = v.wholes.front() * 1024; }},
      {.name = "--gil",
       .apply = [&o](const V& v) { o.gil = v.names.front() == "on"; },
       .one = true},
      {"--fail-rate", [&o](const V& v) { o.fail_rate = v.numbers.front(); }},
      {"--fail-fast", [&o](const V&) { o.fail_fast = true; }},
  };
}

std::string usage() {
  Options unused;
  std::optional<std::uint64_t> io_us, cpu_us;
  return "usage: kitchen [flags]\nRuns one service and prints every order, step and dish as it "
         "happens.\n" +
         kitchen::cli::flags_help(uses(unused, io_us, cpu_us)) + "Executors:\n" +
         kitchen::executor_table();
}

Options parse(int argc, char** argv) {
  Options o;
  std::optional<std::uint64_t> io_us, cpu_us;
  const std::vector<kitchen::cli::FlagUse> flags = uses(o, io_us, cpu_us);
  kitchen::cli::parse_flags(argc, argv, flags);
  o.costs = kitchen::find_profile(o.profile)->costs;
  if (io_us) o.costs.io = std::chrono::microseconds(*io_us);
  if (cpu_us) o.costs.cpu = std::chrono::microseconds(*cpu_us);
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  // `kitchen advise ...` is another program (cli/advise.cpp), before any flag is read here.
  if (argc > 1 && std::strcmp(argv[1], "advise") == 0) {
    return kitchen::cli::run_advise(argc - 1, argv + 1);
  }
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::fputs(usage().c_str(), stdout);
      return 0;
    }
  }
  Options options;
  try {
    options = parse(argc, argv);
  } catch (const kitchen::cli::UsageError& e) {
    std::fprintf(stderr, "kitchen: %s\n", e.what());
    return 2;
  }
  kitchen::os::set_timer_slack(std::chrono::nanoseconds(1));

  const auto orders = kitchen::make_orders(options.customers, options.seed);
  std::printf(
      "kitchen: %s, %u chefs, %u customers, seed %llu, profile %s: %lld us "
      "fetch + %lld us "
      "cook per ingredient\n",
      options.executor.c_str(), options.chefs, options.customers,
      static_cast<unsigned long long>(options.seed), options.profile.c_str(),
      static_cast<long long>(options.costs.io.count() / 1000),
      static_cast<long long>(options.costs.cpu.count() / 1000));
  // Before the show's clock starts: it takes a few tens of ms
  kitchen::calibration();
  kitchen::cli::ServiceShow show(orders, stdout);
  kitchen::Service service(orders, options.costs, options.chefs, show.trace());
  std::optional<kitchen::Gil> gil;
  if (options.gil) service.gil = &gil.emplace(std::chrono::milliseconds(5));
  const auto failures = kitchen::plan_failures(orders, options.fail_rate, options.seed);
  if (options.fail_rate > 0) service.failures = failures;
  service.fail_fast = options.fail_fast;
  show.print_orders();
  try {
    kitchen::cli::show_service(options.executor, options.staffing, service,
                               [&](const kitchen::Ledger& ledger) {
                                 if (auto problem = ledger.check()) {
                                   throw std::runtime_error("incorrect service: " + *problem);
                                 }
                                 show.print_results(service, ledger, kitchen::os::usable_cores());
                               });
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "kitchen: %s\n", e.what());
    return 1;
  }
  return 0;
}
