#pragma once
/// \file Private to the implementation of Platform (models/platform.cpp and
/// models/platform/*.cpp): the random stream purposes it draws from, in one list, and NaN.

#include <cstdint>
#include <limits>

#include "sim/rng.hpp"

namespace crowdsim::models::platform_impl {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Stream purposes. Each name keys its own streams, so a new purpose never shifts these draws,
// and a policy's choices never shift a worker's or task's intrinsic draws (common random numbers).
inline constexpr std::uint32_t kArrivalPurpose = sim::purpose_id("task.arrival");
inline constexpr std::uint32_t kTaskPurpose = sim::purpose_id("task.attributes");
inline constexpr std::uint32_t kLabelPurpose = sim::purpose_id("task.label");  // four top-level tasks a block
inline constexpr std::uint32_t kSubtaskPurpose = sim::purpose_id("task.subtask");  // + child index
inline constexpr std::uint32_t kAggregatePurpose = sim::purpose_id("task.aggregate");
inline constexpr std::uint32_t kBatchTiePurpose = sim::purpose_id("aggregation.batch_ties");
inline constexpr std::uint32_t kWorkerArrivalPurpose = sim::purpose_id("worker.arrival");
inline constexpr std::uint32_t kPolicyPurpose = sim::purpose_id("policy.assignment");
inline constexpr std::uint32_t kWorkerPurpose = sim::purpose_id("worker.attributes");
inline constexpr std::uint32_t kWorkPurpose = sim::purpose_id("worker.work");
inline constexpr std::uint32_t kChoicePurpose = sim::purpose_id("worker.choice");
inline constexpr std::uint32_t kReviewPurpose = sim::purpose_id("worker.review");  // the noisy review's noise

}  // namespace crowdsim::models::platform_impl
