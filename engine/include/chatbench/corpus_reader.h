#pragma once
// Streaming readers for the dialogue corpora users bring: one dialogue at a time goes to a
// callback, so a 66 MB corpus never sits in memory as strings.
//
// - chitchat (GPT2-chitchat): UTF-8 text, one utterance per line, a blank line between
//   dialogues; "\n" or "\r\n".
// - lccc (LCCC / CDial-GPT): JSON {"train": [[utt, ...], ...], "valid": [...]} or a top-level
//   list of dialogues, parsed with a SAX handler (no DOM). Its text has a space between every
//   character; the reader joins CJK back and keeps single spaces between Latin words.
// - jsonl: one dialogue per line, a JSON list of strings or {"dialog": [...]}.
//
// Damage is repaired or the dialogue skipped, and counted in ProblemLog with its location;
// only what cannot be read past (a missing or empty file, LCCC JSON syntax errors) throws
// chatbench::Error naming the file and the line or byte offset.

#include "chatbench/corpus_problems.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chatbench {

enum class CorpusFormat { Auto, Chitchat, Lccc, Jsonl };

const char *corpusFormatName(CorpusFormat format); // "auto", "chitchat", "lccc", "jsonl"
// Throws chatbench::Error listing the accepted names.
CorpusFormat parseCorpusFormat(std::string_view name);
// From the first bytes: a line that is a whole JSON dialogue means jsonl, other JSON means lccc,
// anything else chitchat. Throws chatbench::Error for a missing or empty file.
CorpusFormat detectCorpusFormat(const std::filesystem::path &file);

struct Dialogue
{
    std::vector<std::string> utterances; // UTF-8, repaired; may be empty strings
    SourceLocation where; // the dialogue's first line or byte
};

struct CorpusReadOptions
{
    CorpusFormat format = CorpusFormat::Auto;
    // Longer lines (and LCCC strings) reject their dialogue: a 10 MB "utterance" is a broken
    // file, not a sentence.
    std::size_t maxLineBytes = 1 << 20;
    // Join space-separated CJK characters; unset: only for lccc, whose text is spaced so.
    std::optional<bool> joinSpacedCjk;
    // Where LCCC's object form holds both, which split to read ("train", "valid", "test");
    // empty: every split, in file order.
    std::string lcccSplit;
};

struct CorpusReadSummary
{
    CorpusFormat format = CorpusFormat::Auto; // the one used (after detection)
    std::uint64_t bytes = 0;
    std::uint64_t dialogues = 0; // handed to the callback
    ProblemLog problems;
};

using DialogueVisitor = std::function<void(Dialogue &&)>;

CorpusReadSummary readCorpus(const std::filesystem::path &file, const CorpusReadOptions &options,
    const DialogueVisitor &visit);

} // namespace chatbench
