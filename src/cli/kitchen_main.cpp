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

#include "cli/advise.hpp"
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

using kitchen::cli::Flag;

std::string usage() {
  return R"(usage: kitchen [flags]
Runs one service and prints every order, step and dish as it happens.
  --executor=NAME     one of the executors below (default asio_coro)
  --chefs=N           dishes in preparation at once, 1..100000 (default 3)
  --customers=N       orders, 1..100000 (default 5)
  --seed=N            seed of the orders, 0..2^64-1 (default 1)
  --profile=NAME      io, cpu, mixed or overhead: cost of each ingredient (default mixed)
  --io-us=N           override the profile: microseconds of waiting to fetch an ingredient
  --cpu-us=N          override the profile: microseconds of work to cook an ingredient
  --stack-kib=N       stack of each thread of a thread-per-order executor, 16..1048576 KiB
                      (default: system)
  --gil=on|off        emulate CPython's GIL (default off)
  --fail-rate=P       probability 0..1 that an ingredient is out of stock (default 0)
  --fail-fast         the first failure cancels every order still waiting or cooking
Executors:
)" + kitchen::executor_table();
}

struct Options {
  std::string executor = "asio_coro";
  std::uint32_t chefs = 3;
  std::uint32_t customers = 5;
  std::uint64_t seed = 1;
  kitchen::Costs costs = kitchen::find_profile("mixed")->costs;
  std::string profile = "mixed";
  kitchen::Staffing staffing;
  bool gil = false;
  double fail_rate = 0;
  bool fail_fast = false;
};

Options parse(int argc, char** argv) {
  using namespace kitchen::cli;
  Options o;
  std::optional<std::uint64_t> io_us, cpu_us;
  constexpr std::array<std::string_view, 2> kOnOff = {"off", "on"};
  const FlagRule rules[] = {
      {"--executor", [&](const Flag& f) { o.executor = parse_name(f, kitchen::kExecutorNames); }},
      {"--chefs",
       [&](const Flag& f) { o.chefs = static_cast<std::uint32_t>(parse_uint(f, 1, 100'000)); }},
      {"--customers",
       [&](const Flag& f) { o.customers = static_cast<std::uint32_t>(parse_uint(f, 1, 100'000)); }},
      {"--seed", [&](const Flag& f) { o.seed = parse_uint(f, 0, UINT64_MAX); }},
      {"--profile", [&](const Flag& f) { o.profile = parse_name(f, kitchen::kProfileNames); }},
      {"--io-us", [&](const Flag& f) { io_us = parse_uint(f, 0, 10'000'000); }},
      {"--cpu-us", [&](const Flag& f) { cpu_us = parse_uint(f, 0, 10'000'000); }},
      {"--gil", [&](const Flag& f) { o.gil = parse_name(f, kOnOff) == "on"; }},
      {"--fail-rate", [&](const Flag& f) { o.fail_rate = parse_fraction(f, 0.0, 1.0); }},
      {"--fail-fast",
       [&](const Flag& f) {
         expect_no_value(f);
         o.fail_fast = true;
       }},
      {"--stack-kib",
       [&](const Flag& f) { o.staffing.stack_bytes = parse_uint(f, 16, 1 << 20) * 1024; }},
  };
  parse_flags(argc, argv, rules);
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
