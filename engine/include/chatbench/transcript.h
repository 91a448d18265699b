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
    std::string path;
    SamplingOptions sampling;
    int maxHistoryLen = 3;
    std::uint64_t draws = 0; // replies drawn so far: the next reply's seed offset
};

struct Transcript
{
    static constexpr int kFormatVersion = 1;
    std::vector<TranscriptModel> models;
    std::vector<ChatTurn> turns; // replies in models' order

    static Transcript of(const ChatSession &session);
    // Puts the turns and seed counters back into a session built over the same models (same
    // count and order; chatbench::Error otherwise).
    void restoreInto(ChatSession &session) const;

    bool operator==(const Transcript &other) const;
    bool operator!=(const Transcript &other) const { return !(*this == other); }
};

// {"format": "chatbench-transcript", "version": 1, "models": [...], "turns": [...]}.
std::string transcriptToJson(const Transcript &transcript);
// origin names the source in error messages.
Transcript transcriptFromJson(const std::string &json, const std::filesystem::path &origin);
// Written atomically. Throws chatbench::Error on I/O failure.
void saveTranscript(const Transcript &transcript, const std::filesystem::path &file);
// Throws chatbench::Error "FILE: what is wrong" (where: the field path, e.g.
// "turns[2].replies[0].seed") for unreadable, malformed or inconsistent transcripts.
Transcript loadTranscript(const std::filesystem::path &file);

// Per model "## Demo - <name>", a blank line and a fenced block of "user:<text>" and
// "chatbot:<reply>" lines; models separated by the report's slide break ("\n----\n\n").
// Line breaks inside an utterance become spaces so one utterance stays one line.
std::string transcriptToMarkdown(const Transcript &transcript);
// One row per turn: | # | user | <model 1> | <model 2> | ...
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
