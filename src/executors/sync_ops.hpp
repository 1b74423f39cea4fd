// Counting the synchronisation an executor does on shared kitchen state (lock
// acquisitions and atomic read-modify-writes): each thread counts its own,
// without sharing anything, and adds its total to the ledger once when it
// stops. The ledger's own bookkeeping is measurement, not kitchen, and is not
// counted; nor is the locking inside Asio's scheduler (an io_context run by
// several threads locks its queue for every handler). The
// pantry counts its own locks (kitchen/pantry.hpp).
#pragma once

#include <cstdint>

namespace kitchen {

inline thread_local std::uint64_t t_sync_ops = 0;

inline void count_sync_op(std::uint64_t n = 1) { t_sync_ops += n; }

}  // namespace kitchen
