#pragma once
// What a corpus contained that ChatBench had to repair, drop or cut, each kind counted with the
// first few places it happened, so a user can open the file at that line and see for himself.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace chatbench {

// line 0 means the position is known only as a byte offset (JSON corpora).
struct SourceLocation
{
    std::uint64_t line = 0;
    std::uint64_t offset = 0;
    std::string toString() const; // "line 12" or "byte 3456"
};

enum class CorpusProblem {
    InvalidUtf8, // repaired: each ill-formed sequence became U+FFFD
    NulByte, // repaired: removed
    LineTooLong, // dialogue rejected
    SyntaxError, // JSONL line rejected
    NotADialogue, // JSON value of the wrong shape, rejected
    EmptyUtterance, // dropped from its dialogue
    SingleUtterance, // dialogue rejected: nothing to answer
    Truncated, // encoded dialogue cut at max_len
};
constexpr std::size_t kCorpusProblemCount = 8;

const char *corpusProblemName(CorpusProblem problem); // "invalid_utf8", ... (JSON keys)
bool corpusProblemRejects(CorpusProblem problem); // the item was dropped, not repaired

class ProblemLog
{
public:
    static constexpr std::size_t kExamplesKept = 5;

    struct Example
    {
        SourceLocation where;
        std::string detail;
    };

    void add(CorpusProblem problem, const SourceLocation &where, std::string detail = {},
        std::uint64_t times = 1);
    // Keeps this log's examples first (call in file order to keep the earliest locations).
    void merge(const ProblemLog &other);

    std::uint64_t count(CorpusProblem problem) const;
    const std::vector<Example> &examples(CorpusProblem problem) const;
    std::uint64_t total() const;

private:
    std::array<std::uint64_t, kCorpusProblemCount> m_counts {};
    std::array<std::vector<Example>, kCorpusProblemCount> m_examples;
};

} // namespace chatbench
