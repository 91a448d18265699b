#pragma once
// The demo's general Chinese corpus from the Debian package fortunes-zh (strfile text: entries
// separated by "%" lines, with ANSI colour codes, box drawings and "-- source" attribution
// lines meant for a terminal). Cleaned, optionally converted (OpenCC, e.g. s2twp), and written
// as GPT2-chitchat text: each entry's lines become one "dialogue", so the ordinary data pipeline
// trains a language model on it.

#include "chatbench/text_normalizer.h"

#include <cstdint>
#include <filesystem>
#include <vector>

namespace chatbench {

struct FortuneCorpusStats
{
    std::uint64_t entries = 0; // written
    std::uint64_t lines = 0;
    std::uint64_t bytes = 0; // of the written corpus
    std::uint64_t emptyEntries = 0; // nothing left after cleaning: skipped, counted here
    std::uint64_t attributionLines = 0; // removed
};

// The fortunes-zh files installed by packaging/setup-deps.sh that exist on this machine.
std::vector<std::filesystem::path> installedFortuneFiles();

// One entry's text with colour codes and box-drawing characters removed, attribution lines
// dropped and whitespace cleaned; one string per remaining non-empty line.
std::vector<std::string> cleanFortuneEntry(const std::string &entry, std::uint64_t *attributions);

// Reads every file, writes `out` atomically. Throws chatbench::Error naming a file that cannot
// be read, or when nothing usable is found.
FortuneCorpusStats writeFortuneCorpus(const std::vector<std::filesystem::path> &files,
    const std::filesystem::path &out, const NormalizeOptions &normalize);

} // namespace chatbench
