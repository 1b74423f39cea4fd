// Every executor, by name. The names are part of the interface: benchmark rows,
// JSON and charts use them. visit_executor() turns a name into a type once,
// outside any timed path; everything after that is a template over the Executor
// concept.
#pragma once

#include <array>
#include <string_view>
#include <tuple>

#include "executors/asio_blocking.hpp"
#include "executors/asio_callback.hpp"
#include "executors/asio_coro.hpp"
#include "executors/asio_coro_mt.hpp"
#include "executors/asio_offload.hpp"
#include "executors/threads_per_order.hpp"
#include "executors/threads_pool.hpp"

namespace kitchen {

using AllExecutors =
    std::tuple<ThreadsPool, ThreadsPerOrder, AsioCoro, AsioCallback, AsioCoroMt,
               AsioOffload, AsioBlocking>;

namespace detail {

template <class... E>
constexpr auto names_of(std::tuple<E...>*) {
  static_assert((Executor<E> && ...),
                "every entry must model the Executor concept");
  return std::array<std::string_view, sizeof...(E)>{E::kName...};
}

template <class Visitor, class... E>
bool visit_in(std::string_view name, Visitor& visit, std::tuple<E...>*) {
  return ((name == E::kName && (visit.template operator()<E>(), true)) || ...);
}

}  // namespace detail

inline constexpr auto kExecutorNames =
    detail::names_of(static_cast<AllExecutors*>(nullptr));

// Calls visit.template operator()<E>() for the executor called `name`; false if
// there is none.
template <class Visitor>
bool visit_executor(std::string_view name, Visitor&& visit) {
  return detail::visit_in(name, visit, static_cast<AllExecutors*>(nullptr));
}

}  // namespace kitchen
