#include "executors/asio_callback.hpp"

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <optional>
#include <vector>

namespace kitchen {
namespace {

struct Pass {  // what the chefs share: one thread runs them all, so no locking
  const Service& service;
  Ledger& ledger;
  std::uint32_t next_order = 0;
};

class Chef {
 public:
  Chef(Pass& pass, boost::asio::io_context& loop, std::uint32_t id)
      : pass_(&pass), fetch_(loop), id_(id) {}

  // Cooks until it must wait for an ingredient (then returns, the timer armed) or until the
  // orders run out. A loop, not a recursion: with zero waits it serves order after order.
  void work() {
    for (;;) {
      if (!cooking_) {
        if (pass_->next_order == pass_->service.customers()) return;
        const std::uint32_t order = pass_->next_order++;
        pass_->ledger.start(order, id_);
        cooking_.emplace(pass_->service, order, id_);
      }
      while (!cooking_->done()) {
        if (const auto wait = cooking_->next_wait(); wait.count() > 0) {
          fetch_.expires_after(wait);
          // Captures one pointer: fits Asio's recycled handler memory, no allocation per step.
          fetch_.async_wait([this](const boost::system::error_code& error) { arrived(error); });
          return;
        }
        cooking_->step();
      }
      pass_->ledger.serve(*cooking_);
      cooking_.reset();
    }
  }

 private:
  void arrived(const boost::system::error_code& error) {
    if (error) return;  // the wait was cancelled: the order stays unserved and the check says so
    cooking_->step();
    work();
  }

  Pass* pass_;
  boost::asio::steady_timer fetch_;
  std::uint32_t id_;
  std::optional<Cooking> cooking_;
};

}  // namespace

Ledger AsioCallback::serve(const Service& service) {
  Ledger ledger(service);
  boost::asio::io_context loop(1);
  Pass pass{service, ledger};
  const auto staff =
      std::min<std::size_t>(service.chefs, std::max<std::size_t>(service.customers(), 1));
  std::vector<Chef> chefs;
  chefs.reserve(staff);  // never grows: handlers hold pointers to the chefs
  for (std::uint32_t id = 0; id < staff; ++id) chefs.emplace_back(pass, loop, id);
  ledger.staffed();
  for (Chef& chef : chefs) boost::asio::post(loop, [&chef] { chef.work(); });
  loop.run();
  ledger.close(1);
  return ledger;
}

}  // namespace kitchen
