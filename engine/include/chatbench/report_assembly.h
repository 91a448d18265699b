#pragma once
// The progress report's content from run folders: the one assembly behind `chatbench-cli
// report`, `chatbench-cli demo` and the GUI's File -> Export Report. It reads the runs' metrics,
// sizes the corpora and, with a prompt set, opens each run's latest checkpoint and generates the
// comparison's replies: slow, so it runs on the engine thread (or a CLI's only thread). The
// report library (report/) then draws the figures and writes the deck. Torch-free.

#include "chatbench/chat_session.h"
#include "chatbench/progress_report.h"
#include "chatbench/prompt_set.h"
#include "chatbench/training_event.h"
#include "chatbench/transcript.h"

#include <atomic>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace chatbench {

struct OpenedModel;

struct ReportRequest
{
    std::vector<std::filesystem::path> runs; // run folders (with run.json), in report order
    std::string title = "ChatBench progress report";
    std::string subtitle; // empty: one naming the runs
    // Listed before the runs' own corpora, e.g. a base model's pretraining corpus.
    std::vector<std::pair<std::string, std::string>> extraDatasets;
    std::optional<Transcript> transcript; // the demo slides, one per model
    // With prompts, every run with a checkpoint answers them (reportChatModel's sampling, its
    // latest checkpoint) and the replies are scored against the references: the comparison.
    std::vector<PromptDialogue> prompts;
    std::string promptsOrigin; // how the comparison note names the prompts
};

// A run's events, for the report's figures.
struct RunCurve
{
    std::string name;
    std::vector<TrainingEvent> events; // its metrics.jsonl
};

struct AssembledReport
{
    ProgressReport report;
    std::vector<RunCurve> curves; // parallel to report.runs
    std::vector<std::filesystem::path> runDirs; // as given, parallel to report.runs
};

// Throws chatbench::Error for a run folder that is missing, has no run.json or a malformed one
// (RunDirectory's messages), a checkpoint that does not load. When *cancel becomes true the
// comparison stops and the report notes which runs were not compared.
AssembledReport assembleReport(
    const ReportRequest &request, const std::atomic<bool> *cancel = nullptr);

// What the report's comparison and the demo's transcript sample with: GPT2-chitchat's chat
// decoding (top-k 8, [UNK] banned, stop at [SEP]), at most 40 new tokens, seed 1, so a report
// written twice from the same checkpoints shows the same replies.
ChatModel reportChatModel(const std::string &name, const OpenedModel &opened);

// "12,345 dialogues, 1.2 MiB" for a corpus, or why it could not be read; format is run.json's
// data.format ("auto" detects it).
std::string corpusSize(const std::filesystem::path &corpus, const std::string &format);

} // namespace chatbench
