#include "kitchen/cooking.hpp"

#include "kitchen/census.hpp"
#include "kitchen/cpu_work.hpp"
#include "kitchen/failures.hpp"
#include "kitchen/gil.hpp"
#include "kitchen/pantry.hpp"

namespace kitchen {

void Cooking::emit(Step step) const {
  service_->trace->emit(service_->trace->context, TraceEvent{step, order_, chef_, next_});
}

void Cooking::begin_awaited_take() {
  Pantry* const pantry = service_->stock;
  if (pantry != nullptr && pantry->awaits_inside() && !done()) {
    awaited_seen_ = pantry->begin_take();
  }
}

void Cooking::step() {
  const bool traced = service_->trace != nullptr;
  // Out of stock: the fetch comes back empty-handed.
  if (static_cast<int>(next_) == fail_at_) throw OutOfStock(order_, next_);
  if (traced) emit(Step::kFetched);
  census::cooking_here();
  // The take spans the cooking (pantry.hpp): the same window in every executor. With an await
  // inside, it began before the fetch.
  Pantry* const pantry = service_->stock;
  const std::int64_t seen =
      pantry ? (pantry->awaits_inside() ? awaited_seen_ : pantry->begin_take()) : 0;
  // Seeded by order and ingredient so that the result is the same whoever cooks
  // it, and when.
  const std::uint64_t seed = checksum_ * 31 + next_ + 1;
  // With a GIL, the executor's thread holds it here (Gil::burn's precondition);
  // burn() honours drop requests between slices.
  checksum_ = service_->gil ? service_->gil->burn(service_->cpu_units, seed)
                            : burn(service_->cpu_units, seed);
  if (pantry) pantry->end_take(seen);
  if (traced) emit(Step::kCooked);
  if (traced) emit(Step::kSeasoned);
  ++next_;
  begin_awaited_take();
}

}  // namespace kitchen
