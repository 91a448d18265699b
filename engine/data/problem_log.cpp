#include "chatbench/corpus_problems.h"

#include <numeric>

namespace chatbench {

std::string SourceLocation::toString() const
{
    return line > 0 ? "line " + std::to_string(line) : "byte " + std::to_string(offset);
}

const char *corpusProblemName(CorpusProblem problem)
{
    switch (problem) {
    case CorpusProblem::InvalidUtf8:
        return "invalid_utf8";
    case CorpusProblem::NulByte:
        return "nul_byte";
    case CorpusProblem::LineTooLong:
        return "line_too_long";
    case CorpusProblem::SyntaxError:
        return "syntax_error";
    case CorpusProblem::NotADialogue:
        return "not_a_dialogue";
    case CorpusProblem::EmptyUtterance:
        return "empty_utterance";
    case CorpusProblem::SingleUtterance:
        return "single_utterance";
    case CorpusProblem::Truncated:
        return "truncated";
    }
    return "unknown";
}

bool corpusProblemRejects(CorpusProblem problem)
{
    return problem == CorpusProblem::LineTooLong || problem == CorpusProblem::SyntaxError
        || problem == CorpusProblem::NotADialogue || problem == CorpusProblem::SingleUtterance;
}

void ProblemLog::add(
    CorpusProblem problem, const SourceLocation &where, std::string detail, std::uint64_t times)
{
    const auto i = static_cast<std::size_t>(problem);
    m_counts[i] += times;
    if (m_examples[i].size() < kExamplesKept)
        m_examples[i].push_back({ where, std::move(detail) });
}

void ProblemLog::merge(const ProblemLog &other)
{
    for (std::size_t i = 0; i < kCorpusProblemCount; ++i) {
        m_counts[i] += other.m_counts[i];
        for (const auto &e : other.m_examples[i])
            if (m_examples[i].size() < kExamplesKept)
                m_examples[i].push_back(e);
    }
}

std::uint64_t ProblemLog::count(CorpusProblem problem) const
{
    return m_counts[static_cast<std::size_t>(problem)];
}

const std::vector<ProblemLog::Example> &ProblemLog::examples(CorpusProblem problem) const
{
    return m_examples[static_cast<std::size_t>(problem)];
}

std::uint64_t ProblemLog::total() const
{
    return std::accumulate(m_counts.begin(), m_counts.end(), std::uint64_t { 0 });
}

} // namespace chatbench
