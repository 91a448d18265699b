#pragma once
// A run's probe replies: at each evaluation the trainer answers a few fixed prompts greedily
// (run.json train.probes, or held-out dialogues) and appends one line per prompt to
// RUNDIR/probes.jsonl, so how the replies change with training can be read step by step, by the
// GUI's probe panel, the progress report, or anyone watching a headless run:
//
//   {"step": 120, "epoch": 1.5, "index": 0, "prompt": "你好", "history": ["..."], "reply": "..."}
//
// "history" (the utterances before the prompt, oldest first) is there only when the probe has
// one. Torch-free.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace chatbench {

struct ProbeReply
{
    std::int64_t step = 0;
    double epoch = 0;
    std::size_t index = 0; // which probe prompt
    std::vector<std::string> context; // oldest first; the last one is the prompt
    std::string reply;

    std::string prompt() const { return context.empty() ? std::string() : context.back(); }
    std::string toJson() const;
    // Throws chatbench::Error "ORIGIN: ..." naming the field that is missing or mistyped.
    static ProbeReply fromJson(std::string_view line, const std::string &origin);
};

struct ProbeLog
{
    std::vector<ProbeReply> replies; // in file order: by step, then index
    // "FILE:LINE: what" for each malformed line, which is left out (a torn last line of a live
    // writer is not malformed: it is waited for).
    std::vector<std::string> warnings;

    // The evaluation steps, ascending, each once.
    std::vector<std::int64_t> steps() const;
    // The replies at step, by index.
    std::vector<ProbeReply> at(std::int64_t step) const;
};

// An absent file is an empty log (the run has not evaluated yet, or has no probes). Throws
// chatbench::Error when the file exists but cannot be read.
ProbeLog readProbeLog(const std::filesystem::path &file);

} // namespace chatbench
