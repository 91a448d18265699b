#pragma once
// A chat session on disk and on the page. The JSON transcript records everything needed to
// reopen and replay a session (model folders, sampling settings, seeds, every turn with each
// model's reply); the exports are for reading: Markdown in the reference report's demo style,
// a side-by-side Markdown table, and a self-contained HTML page. Torch-free.

#include "chatbench/chat_session.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace chatbench {

struct TranscriptModel
{
    std::string name;
    std::string path; // the checkpoint folder
    std::string source; // the run folder, model folder or repo id chosen (ChatModel::source)
    std::int64_t step = -1; // the run's step; -1 for a model folder
    SamplingOptions sampling;
    int maxHistoryLen = 3;
    std::uint64_t draws = 0; // replies drawn so far: the next reply's seed offset
};

struct Transcript
{
    // 2 added each model's source and step, the reply versions and decoding times; version 1
    // files still open.
    static constexpr int kFormatVersion = 2;
    std::vector<TranscriptModel> models;
    std::vector<ChatTurn> turns; // replies in models' order

    static Transcript of(const ChatSession &session);
    // Puts the turns and seed counters back into a session built over the same models (same
    // count and order; chatbench::Error otherwise).
    void restoreInto(ChatSession &session) const;

    bool operator==(const Transcript &other) const;
    bool operator!=(const Transcript &other) const { return !(*this == other); }
};

// What identifies a model's replies, for exports and column headers: "run SOURCE · step N ·
// temperature T · top-k K · top-p P · repetition penalty R · seed S · fp32" (no step for a
// model folder).
std::string describeModel(const TranscriptModel &model);
// The sampling part of it: "temperature T · top-k K · top-p P · repetition penalty R · seed S ·
// fp32" (the no-repeat n-gram size too when on).
std::string describeSampling(const SamplingOptions &sampling);

// {"format": "chatbench-transcript", "version": 2, "models": [...], "turns": [...]}.
std::string transcriptToJson(const Transcript &transcript);
// origin names the source in error messages.
Transcript transcriptFromJson(const std::string &json, const std::filesystem::path &origin);
// Written atomically. Throws chatbench::Error on I/O failure.
void saveTranscript(const Transcript &transcript, const std::filesystem::path &file);
// Throws chatbench::Error "FILE: what is wrong" (where: the field path, e.g.
// "turns[2].replies[0].seed") for unreadable, malformed or inconsistent transcripts.
Transcript loadTranscript(const std::filesystem::path &file);

// Per model "## Demo - <name>", its describeModel() line, and a fenced block of "user:<text>"
// and "chatbot:<reply>" lines; models separated by the report's slide break ("\n----\n\n").
// Line breaks inside an utterance become spaces so one utterance stays one line. A reply that
// was stopped ends with " (stopped)"; a turn a model has not answered shows "chatbot:—".
std::string transcriptToMarkdown(const Transcript &transcript);
// A line per model (its name and describeModel()), then one row per turn:
// | # | user | <model 1> | <model 2> | ...
std::string transcriptToMarkdownTable(const Transcript &transcript);
// A standalone UTF-8 page with inline CSS: per turn the user line and every model's reply.
std::string transcriptToHtml(
    const Transcript &transcript, const std::string &title = "ChatBench transcript");

// The forms a transcript is saved or exported in: the JSON transcript and the three exports.
enum class TranscriptFormat { Json, Markdown, Table, Html };
const char *toString(TranscriptFormat format); // "json", "markdown", "table", "html"
TranscriptFormat parseTranscriptFormat(std::string_view name); // throws chatbench::Error
// The text of one of them (title: the HTML page's).
std::string renderTranscript(const Transcript &transcript, TranscriptFormat format,
    const std::string &title = "ChatBench transcript");

} // namespace chatbench
