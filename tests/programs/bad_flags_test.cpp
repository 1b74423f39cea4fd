// Bad flags, through the real binaries: exit status 2 (not a signal), one line
// on stderr that names the flag, nothing on stdout, and no result file started.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "programs/run_program.hpp"

namespace kitchen {
namespace {

struct BadCall {
  std::string program;
  // The bad argument
  std::string flag;
  // What the error line must name
  std::string mentions;
};

void PrintTo(const BadCall& call, std::ostream* os) { *os << call.program << " " << call.flag; }

class BadFlags : public ::testing::TestWithParam<BadCall> {};

TEST_P(BadFlags, ExitWithOneClearLineAndWriteNothing) {
  const BadCall& call = GetParam();
  const std::string out_file = "/tmp/kitchen_bad_flag_" + std::to_string(::getpid()) + ".json";
  std::filesystem::remove(out_file);
  // Several arguments are written with spaces between them.
  std::vector<std::string> args;
  std::istringstream words(call.flag);
  for (std::string word; words >> word;) args.push_back(word);
  if (call.program == "bench_kitchen") args.push_back("--benchmark_out=" + out_file);
  const testing::Run run = testing::run_program(call.program, args);
  EXPECT_EQ(run.signal, 0);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  EXPECT_NE(run.err.find(call.mentions), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("terminate"), std::string::npos) << run.err;
  EXPECT_TRUE(run.out.empty()) << run.out;
  EXPECT_FALSE(std::filesystem::exists(out_file));
}

INSTANTIATE_TEST_SUITE_P(
    Programs, BadFlags,
    ::testing::Values(
        BadCall{"bench_kitchen", "--chefs=0", "--chefs=0: '0' is out of range; expected"},
        BadCall{"bench_kitchen", "--customers=abc", "--customers=abc: 'abc' is not a whole number"},
        BadCall{"bench_kitchen", "--executors=nope", "--executors=nope: unknown name 'nope'"},
        BadCall{"bench_kitchen", "--profiles=", "--profiles=: no value given"},
        BadCall{"bench_kitchen", "--chefs=1,,2", "empty item"},
        BadCall{"bench_kitchen", "--customers=100000001", "from 1 to 100000000"},
        BadCall{"bench_kitchen", "--seed=-1", "--seed=-1"},
        BadCall{"bench_kitchen", "--io-us=99999999999999999999999", "is too large"},
        BadCall{"bench_kitchen", "--quick=yes", "takes no value"},
        BadCall{"bench_kitchen", "--bogus", "unknown flag '--bogus'"},
        BadCall{"bench_kitchen", "--fail-rate=1.5", "--fail-rate=1.5: '1.5' is not in range"},
        BadCall{"bench_kitchen", "--arrival-rate=0", "--arrival-rate=0: '0' is out of range"},
        BadCall{"bench_kitchen", "--io=disk", "--io=disk: unknown name 'disk'"},
        BadCall{"bench_kitchen", "--payload-bytes=0", "--payload-bytes=0: '0' is out of range"},
        BadCall{"bench_kitchen", "--payload-bytes=1048577", "--payload-bytes=1048577"},
        BadCall{"bench_kitchen", "--arrival-rate=-5", "--arrival-rate=-5: '-5' is out of range"},
        BadCall{"bench_kitchen", "--arrival-rate=fast", "'fast' is not a number"},
        BadCall{"bench_kitchen", "--arrivals=burst", "--arrivals=burst: unknown name 'burst'"},
        BadCall{"bench_kitchen", "--load=0", "--load=0: '0' is out of range"},
        BadCall{"bench_kitchen", "--chefs=2 --chefs=3", "--chefs is given twice"},
        BadCall{"bench_kitchen", "--gil=maybe", "--gil=maybe: unknown name 'maybe'"},
        BadCall{"bench_kitchen", "--pantry=locked,unlocked", "a single name is needed"},
        BadCall{"bench_kitchen", "--benchmark_format=xml", "expected console, json or csv"},
        BadCall{"bench_kitchen", "--benchmark_repetitions=-1", "expected a whole number from 1"},
        BadCall{"bench_kitchen", "--benchmark_min_time=abc", "expected seconds above 0"},
        BadCall{"bench_kitchen", "--benchmark_filter=(", "expected a regular expression"},
        // No value twice in a list: two rows of one name would mix their repetitions.
        BadCall{"bench_kitchen", "--chefs=1,1", "--chefs=1,1: '1' is given twice"},
        BadCall{"bench_kitchen", "--customers=5,05", "'05' is the same as '5'"},
        BadCall{"bench_kitchen", "--load=0.5,0.5", "--load=0.5,0.5: '0.5' is given twice"},
        BadCall{"bench_kitchen", "--arrival-rate=1.2,1.4", "would both name rows /rate:1"},
        BadCall{"bench_kitchen", "--profiles=io --chefs=10 --load=0.5,0.5001",
                "0.5 and 0.5001 both give 926 orders per second at io with 10 chefs"},
        // Values the kitchen cannot honour: an open loop on dishes that cost nothing, a rate
        // whose schedule leaves the clock's range, a load under one order per second.
        BadCall{"bench_kitchen",
                "--executors=asio_coro --profiles=overhead --chefs=2 --customers=4 --load=0.5",
                "--load=0.5: the overhead profile's dishes cost nothing"},
        BadCall{"bench_kitchen", "--profiles=overhead --arrival-rate=100", "no finite capacity"},
        BadCall{"bench_kitchen", "--io-us=0 --cpu-us=0 --arrival-rate=100", "no finite capacity"},
        BadCall{"bench_kitchen", "--arrival-rate=1e-300", "'1e-300' is out of range"},
        BadCall{"bench_kitchen", "--arrival-rate=1e-400", "'1e-400' is out of range"},
        BadCall{"bench_kitchen", "--arrival-rate=0.000001 --customers=100000000",
                "past the 146 years the clock counts"},
        BadCall{"bench_kitchen", "--arrivals=poisson --arrival-rate=0.5 --customers=100000000",
                "past the 146 years the clock counts"},
        BadCall{"bench_kitchen", "--profiles=io --chefs=1 --load=0.001",
                "--load=0.001: a load of 0.001 at io with 1 chef"},
        BadCall{"bench_kitchen", "--io-us=10000000 --cpu-us=10000000 --customers=100000000",
                "could last 380 years"},
        BadCall{"bench_kitchen", "--benchmark_min_time=inf", "up to 3600"},
        BadCall{"bench_kitchen", "--benchmark_min_warmup_time=nan", "from 0 to 3600"},
        BadCall{"bench_kitchen", "--benchmark_repetitions=4294967297", "from 1 to 1000"},
        BadCall{"bench_kitchen", "--v=99999999999", "from 0 to 1000"},
        // A flag that would have no effect in the combination given.
        BadCall{"bench_kitchen", "--executors=asio_coro --fiber-stack-kib=64",
                "--fiber-stack-kib shapes only the fiber executors' stacks"},
        BadCall{"bench_kitchen", "--executors=threads_pool --fiber-stack-guard",
                "--fiber-stack-guard shapes only the fiber executors' stacks"},
        BadCall{"bench_kitchen", "--fiber-stack-kib=4", "--fiber-stack-kib=4: '4' is out of range"},
        BadCall{"kitchen", "--executor=nope", "--executor=nope: unknown name 'nope'"},
        BadCall{"kitchen", "--chefs=0", "--chefs=0"},
        BadCall{"kitchen", "--customers=abc", "--customers=abc"},
        BadCall{"kitchen", "--executor=asio_coro,threads_pool", "a single name is needed"},
        BadCall{"kitchen", "stray", "unexpected argument 'stray'"}),
    [](const auto& info) { return std::to_string(info.index) + "_" + info.param.program; });

}  // namespace
}  // namespace kitchen
