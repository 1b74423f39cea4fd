// The catalogue: every executor, once, with what the rest of the suite says of
// it. Benchmark rows, the JSON context (catalogue_json), help texts, typed tests,
// the scripts (which read it from the JSON context), the charts' colours and order,
// and the table's pairs all derive from this list. bench.sh's passes name no executor:
// scripts/lib/passes.py selects them by these properties (side, one_at_a_time, pair), from the
// catalogue bench_run.py reads out of bench_kitchen's JSON context. Adding an executor means
// its .cpp, its declaration in executors.hpp, one entry here, its name in src/CMakeLists.txt
// and, for kitchen advise's model, what its dishes pay (Paid, below; docs/architecture.md).
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <tuple>

#include "executors/executors.hpp"

namespace kitchen {

// What a dish pays on an executor, named by bench_kitchen's mechanism rows: kitchen advise's
// model prices each name with the row of that kind measured on the machine. Each list is
// comma-separated, one name per occurrence ("thread_cv,thread_cv" is two hand-overs). An
// executor with no `cpu_on` is not modelled (those that serve one dish at a time).
struct Paid {
  // Where the dishes' work runs: "cores" (threads of its own, up to the usable cores) or
  // "loop" (the one thread of an event loop or a fiber scheduler).
  std::string_view cpu_on;
  // spawn/<kind> paid once per order ("" for none).
  std::string_view spawn = {};
  // switch/<kind> hand-overs paid once per order.
  std::string_view per_order = {};
  // switch/<kind> hand-overs paid per step that waits (a wake-up after the wait).
  std::string_view per_wait = {};
  // switch/<kind> hand-overs paid per step, whether it waits or not.
  std::string_view per_step = {};
  // timer/<kind> of its waits.
  std::string_view wait = {};
  // memory/<kind> rows of one dish in flight.
  std::string_view memory = {};
  // The threads it starts for N in flight: "chefs" (N), "orders" (one per order of a
  // service), "cores" or "none" (the caller's thread).
  std::string_view threads = "none";
};

struct Listing {
  // The interface: benchmark names, JSON and charts use it.
  std::string_view name;
  // "threads", "async", "fibers" or "baseline".
  std::string_view side;
  std::string_view what;
  // What a Python programmer would write for the same kitchen.
  std::string_view python;
  // The executor of the other side it is compared with, like for like ("" if none).
  std::string_view pair;
  // A second executor it is compared with, of a third side ("" if none): a fiber kitchen is set
  // against the thread kitchen of the same code and the coroutine kitchen of the same one thread.
  std::string_view also_pair = {};
  // Serves one dish at a time whatever the chefs (the built-in sweeps keep its
  // rows short; tests expect no overlap from it).
  bool one_at_a_time = false;
  Paid paid = {};
};

template <class E>
struct Listed;

// clang-format off
template <> struct Listed<ThreadsPool> { static constexpr Listing kListing{
    .name = "threads_pool", .side = "threads",
    .what = "a pool of `chefs` threads; one submitted task and one future per order, gathered "
            "in order at the end",
    .python = "ThreadPoolExecutor(max_workers=chefs).map", .pair = "asio_coro",
    // A pool task hands over to a worker once; each wait ends in a wake-up of the worker.
    .paid = {.cpu_on = "cores", .per_order = "thread_cv", .per_wait = "thread_cv",
             .wait = "thread_sleep", .memory = "thread", .threads = "chefs"}}; };
template <> struct Listed<ThreadsChefs> { static constexpr Listing kListing{
    .name = "threads_chefs", .side = "threads",
    .what = "`chefs` hand-written Boost.Thread loops, each taking the next order from an "
            "atomic index",
    .python = "hand-rolled worker threads", .pair = "asio_callback",
    .paid = {.cpu_on = "cores", .per_wait = "thread_cv", .wait = "thread_sleep",
             .memory = "thread", .threads = "chefs"}}; };
template <> struct Listed<ThreadsPerOrder> { static constexpr Listing kListing{
    .name = "threads_per_order", .side = "threads",
    .what = "one Boost.Thread per order, at most `chefs` cooking at once (a semaphore of chef "
            "ids); stack size settable",
    .python = "threading.Thread per customer + Semaphore(chefs)", .pair = "asio_coro",
    // A thread started per order, all as the orders come in, `chefs` of them cooking.
    .paid = {.cpu_on = "cores", .spawn = "thread", .per_wait = "thread_cv",
             .wait = "thread_sleep", .memory = "thread", .threads = "orders"}}; };
template <> struct Listed<AsioCoro> { static constexpr Listing kListing{
    .name = "asio_coro", .side = "async",
    .what = "one thread, one io_context, a coroutine per order, a channel of `chefs` tokens as "
            "the semaphore",
    .python = "asyncio: create_task + Semaphore(chefs) + gather", .pair = "threads_pool",
    .paid = {.cpu_on = "loop", .spawn = "coro", .per_wait = "coro", .wait = "asio_timer",
             .memory = "coro"}}; };
template <> struct Listed<AsioCallback> { static constexpr Listing kListing{
    .name = "asio_callback", .side = "async",
    .what = "one thread, one io_context, `chefs` chef loops written as timer callbacks",
    .python = "a callback-style event loop (loop.call_later)", .pair = "threads_chefs",
    // Handlers, no coroutine frames: no memory/ row measures its idle task.
    .paid = {.cpu_on = "loop", .per_wait = "handler", .wait = "asio_timer"}}; };
template <> struct Listed<AsioCoroMt> { static constexpr Listing kListing{
    .name = "asio_coro_mt", .side = "async",
    .what = "the coroutine kitchen on one io_context run by one thread per usable core",
    .python = "several event loops", .pair = "",
    .paid = {.cpu_on = "cores", .spawn = "coro", .per_wait = "coro", .wait = "asio_timer",
             .memory = "coro", .threads = "cores"}}; };
template <> struct Listed<AsioOffload> { static constexpr Listing kListing{
    .name = "asio_offload", .side = "async",
    .what = "coroutines wait on one loop; every cooking step runs on a pool of `chefs` threads "
            "and is awaited",
    .python = "loop.run_in_executor", .pair = "",
    // Each step goes to the pool and back: two thread hand-overs besides the coroutine's.
    .paid = {.cpu_on = "cores", .spawn = "coro", .per_wait = "coro",
             .per_step = "thread_cv,thread_cv", .wait = "asio_timer", .memory = "coro,thread",
             .threads = "chefs"}}; };
template <> struct Listed<AsioBlocking> { static constexpr Listing kListing{
    .name = "asio_blocking", .side = "async",
    .what = "coroutines that sleep and cook inline, blocking the loop: asyncio "
            "code whose coroutines never await",
    .python = "async def without await", .pair = "", .one_at_a_time = true}; };
template <> struct Listed<Serial> { static constexpr Listing kListing{
    .name = "serial", .side = "baseline",
    .what = "no executor: one thread serves the same orders one after another",
    .python = "a plain for loop", .pair = "", .one_at_a_time = true}; };
template <> struct Listed<Fibers> { static constexpr Listing kListing{
    .name = "fibers", .side = "fibers",
    .what = "one thread, Boost.Fiber's round_robin scheduler: a fiber per order, at most `chefs` "
            "cooking (a fiber semaphore of chef ids), each wait the fiber's own sleep or socket",
    .python = "gevent: a greenlet per customer + gevent's Semaphore(chefs)",
    .pair = "threads_per_order", .also_pair = "asio_coro",
    // Each wait ends in a switch back to the fiber, whose sleep is timer/fiber_sleep's.
    .paid = {.cpu_on = "loop", .spawn = "fiber", .per_wait = "fiber", .wait = "fiber_sleep",
             .memory = "fiber"}}; };
template <> struct Listed<FibersMt> { static constexpr Listing kListing{
    .name = "fibers_mt", .side = "fibers",
    .what = "the fiber kitchen on one scheduler thread per usable core, sharing one queue of "
            "ready fibers; idle threads sleep",
    .python = "-", .pair = "asio_coro_mt",
    .paid = {.cpu_on = "cores", .spawn = "fiber", .per_wait = "fiber", .wait = "fiber_sleep",
             .memory = "fiber", .threads = "cores"}}; };
template <> struct Listed<FibersBlocking> { static constexpr Listing kListing{
    .name = "fibers_blocking", .side = "fibers",
    .what = "fibers on one thread whose fetch is a blocking call (a plain sleep, a blocking "
            "recv): it stalls every fiber of the thread",
    .python = "gevent code that calls an unpatched blocking function", .pair = "",
    .one_at_a_time = true}; };
// clang-format on

// In catalogue order: the order of help texts, charts and tables.
using AllExecutors =
    std::tuple<ThreadsPool, ThreadsChefs, ThreadsPerOrder, AsioCoro, AsioCallback, AsioCoroMt,
               AsioOffload, AsioBlocking, Fibers, FibersMt, FibersBlocking, Serial>;

template <class E>
inline constexpr const Listing& kListingOf = Listed<E>::kListing;

template <class E>
constexpr std::string_view name_of() {
  return Listed<E>::kListing.name;
}

namespace detail {

template <class... E>
constexpr auto listings_of(std::tuple<E...>*) {
  static_assert((Executor<E> && ...), "every entry must model the Executor concept");
  return std::array<Listing, sizeof...(E)>{Listed<E>::kListing...};
}

template <class Visitor, class... E>
bool visit_in(std::string_view name, Visitor& visit, std::tuple<E...>*) {
  return ((name == name_of<E>() && (visit.template operator()<E>(), true)) || ...);
}

}  // namespace detail

inline constexpr auto kCatalogue = detail::listings_of(static_cast<AllExecutors*>(nullptr));

inline constexpr auto kExecutorNames = [] {
  std::array<std::string_view, kCatalogue.size()> names{};
  for (std::size_t i = 0; i < kCatalogue.size(); ++i) names[i] = kCatalogue[i].name;
  return names;
}();

// Calls visit.template operator()<E>() for the executor called `name`; false if
// there is none. Done once, outside any timed path; all after it is a template.
template <class Visitor>
bool visit_executor(std::string_view name, Visitor&& visit) {
  return detail::visit_in(name, visit, static_cast<AllExecutors*>(nullptr));
}

// The catalogue as JSON (a list of objects, in catalogue order, each with
// "language": "C++" and "source_lines", the line count of the executor's .cpp and of
// every project header it includes, directly or not, measured at build time): what
// bench_kitchen writes into its JSON context.
std::string catalogue_json();

// The names, comma-separated, for help texts.
std::string executor_list();

// One line per executor (name, side, what it is), for help texts.
std::string executor_table();

}  // namespace kitchen
