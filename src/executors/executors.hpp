// Every way of staffing the kitchen, declared together, and the concept they model. Each is
// defined in its own .cpp, which holds what is its own, not always its whole strategy: the four
// coroutine executors instantiate the one coroutine kitchen (coro_kitchen.hpp) with their
// channel, where a step runs and how a fetch waits; the three fiber executors the one fiber
// kitchen (fiber_kitchen.hpp) with their scheduler; the thread executors, serial and the fiber
// kitchen share one cooking loop (thread_cooking.hpp); asio_callback alone is written out whole.
// An executor is handed a Service and a Fetcher (how its chefs wait for an
// ingredient: timers by default, or the row's connections to the pantry server),
// serves every order and returns the Ledger. The model does the cooking; an executor decides only
// how to wait for an ingredient, how many dishes are in preparation at once and where the cooking
// runs. A concept, not a virtual base: the benchmark harness is a template over it, so nothing in
// the timed path goes through a vtable.
//
// Names, sides and pairs are in the catalogue (catalogue.hpp), not here.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include "executors/fetcher.hpp"
#include "kitchen/ledger.hpp"
#include "kitchen/service.hpp"

namespace kitchen {

// How an executor may staff its kitchen, beyond the number of chefs the service
// asks for. 0 always means "not set".
struct Staffing {
  // Stack of each thread a thread-per-order executor starts; 0: the system's.
  std::size_t stack_bytes = 0;
  // Threads an executor may start; 0: as many as the OS allows.
  std::int64_t max_threads = 0;
  // Threads running a multi-threaded event loop or fiber scheduler; 0: one per usable core.
  unsigned loop_threads = 0;
  // Stack of each fiber of a fiber executor; 0: Boost.Context's default size.
  std::size_t fiber_stack_bytes = 0;
  // Fiber stacks with a guard page below them (Boost's protected_fixedsize_stack: one mmap and
  // one mprotect each) instead of plain heap blocks (fixedsize_stack).
  bool fiber_guard_page = false;
};

template <class E>
concept Executor = std::constructible_from<E, const Staffing&> &&
    requires(E& e, const Service& s, const Fetcher& f) {
  { e.serve(s, f) } -> std::same_as<Ledger>;
  { e.serve(s) } -> std::same_as<Ledger>;
};

// A service needed more of the machine than it allows (threads, memory). The
// message names the limit and its value; the benchmark reports it as an error
// row and goes on.
class ResourceLimitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Executors that start threads of their own refuse, before any clock starts, a
// service they cannot staff (admit() throws ResourceLimitError). Reading the
// limits costs tens of microseconds of /proc, which is why it is not in serve().
template <class E>
void admit(const E& executor, const Service& service) {
  if constexpr (requires { executor.admit(service); }) executor.admit(service);
}

// A pool of `chefs` threads; each order is one submitted task with one future,
// and the futures are gathered in order at the end.
class ThreadsPool {
 public:
  explicit ThreadsPool(const Staffing& staffing) : staffing_(staffing) {}
  void admit(const Service& service) const;
  Ledger serve(const Service& service, Fetcher fetcher = {});

 private:
  Staffing staffing_;
};

// `chefs` hand-written thread loops, each taking the next order from a shared
// atomic index.
class ThreadsChefs {
 public:
  explicit ThreadsChefs(const Staffing& staffing) : staffing_(staffing) {}
  void admit(const Service& service) const;
  Ledger serve(const Service& service, Fetcher fetcher = {});

 private:
  Staffing staffing_;
};

// One thread per order, at most `chefs` of them cooking at once (a semaphore).
class ThreadsPerOrder {
 public:
  explicit ThreadsPerOrder(const Staffing& staffing) : staffing_(staffing) {}
  void admit(const Service& service) const;
  Ledger serve(const Service& service, Fetcher fetcher = {});

 private:
  Staffing staffing_;
};

// One thread, one event loop, one coroutine per order; a channel of `chefs`
// tokens is the semaphore.
class AsioCoro {
 public:
  explicit AsioCoro(const Staffing&) {}
  Ledger serve(const Service& service, Fetcher fetcher = {});
};

// One thread, one event loop, `chefs` chef loops written as timer callbacks.
class AsioCallback {
 public:
  explicit AsioCallback(const Staffing&) {}
  Ledger serve(const Service& service, Fetcher fetcher = {});
};

// AsioCoro's kitchen on one event loop run by several threads.
class AsioCoroMt {
 public:
  explicit AsioCoroMt(const Staffing& staffing);
  void admit(const Service& service) const;
  Ledger serve(const Service& service, Fetcher fetcher = {});

 private:
  Staffing staffing_;
  unsigned threads_;
};

// Coroutines wait on one event loop; every cooking step runs on a pool of
// `chefs` threads and is awaited.
class AsioOffload {
 public:
  explicit AsioOffload(const Staffing& staffing) : staffing_(staffing) {}
  void admit(const Service& service) const;
  Ledger serve(const Service& service, Fetcher fetcher = {});

 private:
  Staffing staffing_;
};

// Coroutines that sleep and cook inline, never suspending: they block the loop.
class AsioBlocking {
 public:
  explicit AsioBlocking(const Staffing&) {}
  Ledger serve(const Service& service, Fetcher fetcher = {});
};

// One fiber per order on one thread (Boost.Fiber's round_robin), at most `chefs` cooking at once
// (a fiber semaphore of chef ids); each wait is the fiber's own.
class Fibers {
 public:
  explicit Fibers(const Staffing& staffing) : staffing_(staffing) {}
  void admit(const Service& service) const;
  Ledger serve(const Service& service, Fetcher fetcher = {});

 private:
  Staffing staffing_;
};

// Fibers' kitchen on one fiber scheduler per usable core, sharing one queue of ready fibers.
class FibersMt {
 public:
  explicit FibersMt(const Staffing& staffing);
  void admit(const Service& service) const;
  Ledger serve(const Service& service, Fetcher fetcher = {});

 private:
  Staffing staffing_;
  unsigned threads_;
};

// Fibers on one thread whose fetch is a blocking call: it stalls every fiber of the thread.
class FibersBlocking {
 public:
  explicit FibersBlocking(const Staffing& staffing) : staffing_(staffing) {}
  void admit(const Service& service) const;
  Ledger serve(const Service& service, Fetcher fetcher = {});

 private:
  Staffing staffing_;
};

// No executor at all: the calling thread serves the orders one after another.
class Serial {
 public:
  explicit Serial(const Staffing&) {}
  Ledger serve(const Service& service, Fetcher fetcher = {});
};

}  // namespace kitchen
