// asio_offload's hand-off: run one cooking step on a thread pool and resume the
// awaiting coroutine on its own executor when it is done, like Python's
// loop.run_in_executor. Written as an Asio asynchronous operation rather than
// `co_await co_spawn(pool, ...)`, so a step costs two posts and no coroutine
// frame. An exception from the step (OutOfStock) travels back to the coroutine
// and is rethrown there.
#pragma once

#include <boost/asio/append.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <exception>
#include <utility>

#include "kitchen/cooking.hpp"

namespace kitchen {

template <class Token>
auto async_step_on(boost::asio::thread_pool& pool, Cooking& cooking,
                   Token&& token) {
  return boost::asio::async_initiate<Token, void(std::exception_ptr)>(
      [&pool, &cooking](auto handler) {
        // Keeps the awaiting loop alive while nothing of it is pending but this
        // step.
        auto home = boost::asio::make_work_guard(
            boost::asio::get_associated_executor(handler));
        boost::asio::post(pool, [&cooking, handler = std::move(handler),
                                 home = std::move(home)]() mutable {
          std::exception_ptr error;
          try {
            cooking.step();
          } catch (...) {
            error = std::current_exception();
          }
          auto loop = home.get_executor();
          boost::asio::post(loop,
                            boost::asio::append(std::move(handler), error));
          home.reset();
        });
      },
      token);
}

}  // namespace kitchen
