#pragma once
// One line of metrics.jsonl, and what the trainer hands its callback: the same record feeds the
// live plots, the per-epoch table and the file another machine's GUI tails.
//
//   {"event":"train","run":"scratch","step":120,"epoch":1.37,"tokens":51200,"time":33.1,
//    "loss":4.21,"acc":0.18,"lr":2.6e-05,"grad_norm":1.9,"tokens_per_s":1540,"eta_s":812}
// Fields that do not apply to an event are absent (NaN in memory).

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace chatbench {

enum class EventKind {
    Train, // an optimizer step
    Valid, // a validation pass
    Epoch, // an epoch's summary
    Checkpoint,
    Skipped, // a non-finite step
    Resume,
    Finished,
    Stopped,
    Failed,
};
const char *toString(EventKind kind); // "train", "valid", ... as metrics.jsonl spells them
// Throws chatbench::Error naming the accepted kinds.
EventKind parseEventKind(std::string_view name);

struct TrainingEvent
{
    EventKind event = EventKind::Train;
    std::string run;
    std::int64_t step = 0; // optimizer steps done
    double epoch = 0; // epochs done, fractional (1.5 = half-way through the second)
    std::uint64_t tokens = 0; // training tokens seen (padding excluded)
    double time = 0; // seconds of training, summed over resumes

    static constexpr double none = std::numeric_limits<double>::quiet_NaN();
    double loss = none;
    double acc = none; // token accuracy, micro-averaged
    double ppl = none; // valid: exp(loss)
    double lr = none;
    double gradNorm = none; // before clipping
    double tokensPerSecond = none;
    double etaSeconds = none;
    double progress = none; // 0..1 of the planned steps
    double writeSeconds = none; // checkpoint: how long writing it took (validation excluded)
    std::string message; // checkpoint folder, reason for skipped / failed / stopped

    // One JSON object on one line, no trailing newline.
    std::string toJson() const;
    // Throws chatbench::Error (with origin, e.g. "metrics.jsonl:12") for a malformed line.
    static TrainingEvent fromJson(const std::string &line, const std::string &origin);
};

} // namespace chatbench
