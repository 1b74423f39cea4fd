#include "kitchen/cooking.hpp"

#include "kitchen/cpu_work.hpp"

namespace kitchen {

void Cooking::emit(Step step) const {
  service_->trace->emit(service_->trace->context, TraceEvent{step, order_, chef_, next_});
}

void Cooking::step() {
  const bool traced = service_->trace != nullptr;
  if (traced) emit(Step::kFetched);
  // Seeded by order and ingredient so that the result is the same whoever cooks it, and when.
  checksum_ = burn(service_->cpu_units, checksum_ * 31 + next_ + 1);
  if (traced) emit(Step::kCooked);
  if (traced) emit(Step::kSeasoned);
  ++next_;
}

}  // namespace kitchen
