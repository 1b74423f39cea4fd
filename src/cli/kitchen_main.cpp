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

#include "cli/flags.hpp"
#include "cli/show_service.hpp"
#include "kitchen/cpu_work.hpp"
#include "kitchen/failures.hpp"
#include "kitchen/gil.hpp"
#include "kitchen/profiles.hpp"
#include "os/timer_slack.hpp"

namespace {

using kitchen::cli::Flag;

constexpr const char* kUsage = R"(usage: kitchen [flags]
Runs one service and prints every order, step and dish as it happens.
  --executor=NAME     threads_pool, threads_per_order, asio_coro, asio_callback, asio_coro_mt,
                      asio_offload, asio_blocking (default asio_coro)
  --chefs=N           dishes in preparation at once, 1..100000 (default 3)
  --customers=N       orders, 1..100000 (default 5)
  --seed=N            seed of the orders, 0..2^64-1 (default 1)
  --profile=NAME      io, cpu, mixed or overhead: cost of each ingredient (default mixed)
  --io-us=N           override the profile: microseconds of waiting to fetch an ingredient
  --cpu-us=N          override the profile: microseconds of work to cook an ingredient
  --stack-kib=N       stack of each threads_per_order thread, 16..1048576 KiB (default: system)
  --gil=on|off        emulate CPython's GIL around the CPU work (default off)
  --fail-rate=P       probability 0..1 that an ingredient is out of stock (default 0)
  --fail-fast         the first failure cancels every order still waiting or cooking
)";

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
  for (int i = 1; i < argc; ++i) {
    const std::optional<Flag> flag = split_flag(argv[i]);
    if (!flag)
      throw UsageError(std::string("unexpected argument '") + argv[i] +
                       "' (see --help)");
    const std::string_view name = flag->name;
    if (name == "--executor") {
      o.executor = parse_name(*flag, kitchen::kExecutorNames);
    } else if (name == "--chefs") {
      o.chefs = static_cast<std::uint32_t>(parse_uint(*flag, 1, 100'000));
    } else if (name == "--customers") {
      o.customers = static_cast<std::uint32_t>(parse_uint(*flag, 1, 100'000));
    } else if (name == "--seed") {
      o.seed = parse_uint(*flag, 0, UINT64_MAX);
    } else if (name == "--profile") {
      o.profile = parse_name(*flag, kitchen::kProfileNames);
    } else if (name == "--io-us") {
      io_us = parse_uint(*flag, 0, 10'000'000);
    } else if (name == "--cpu-us") {
      cpu_us = parse_uint(*flag, 0, 10'000'000);
    } else if (name == "--gil") {
      constexpr std::array<std::string_view, 2> kModes = {"off", "on"};
      o.gil = parse_name(*flag, kModes) == "on";
    } else if (name == "--fail-rate") {
      o.fail_rate = parse_fraction(*flag, 0.0, 1.0);
    } else if (name == "--fail-fast") {
      expect_no_value(*flag);
      o.fail_fast = true;
    } else if (name == "--stack-kib") {
      o.staffing.stack_bytes = parse_uint(*flag, 16, 1 << 20) * 1024;
    } else {
      throw UsageError("unknown flag '" + std::string(name) + "' (see --help)");
    }
  }
  o.costs = kitchen::find_profile(o.profile)->costs;
  if (io_us) o.costs.io = std::chrono::microseconds(*io_us);
  if (cpu_us) o.costs.cpu = std::chrono::microseconds(*cpu_us);
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 ||
        std::strcmp(argv[i], "-h") == 0) {
      std::fputs(kUsage, stdout);
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
  kitchen::calibration();  // before the show's clock starts: it takes a few
                           // tens of ms
  kitchen::cli::ServiceShow show(orders, stdout);
  kitchen::Service service(orders, options.costs, options.chefs, show.trace());
  std::optional<kitchen::Gil> gil;
  if (options.gil) service.gil = &gil.emplace(std::chrono::milliseconds(5));
  const auto failures =
      kitchen::plan_failures(orders, options.fail_rate, options.seed);
  if (options.fail_rate > 0) service.failures = failures;
  service.fail_fast = options.fail_fast;
  show.print_orders();
  try {
    kitchen::cli::show_service(
        options.executor, options.staffing, service,
        [&](const kitchen::Ledger& ledger) {
          if (auto problem = ledger.check()) {
            throw std::runtime_error("incorrect service: " + *problem);
          }
          show.print_results(service, ledger,
                             std::thread::hardware_concurrency());
        });
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "kitchen: %s\n", e.what());
    return 1;
  }
  return 0;
}
