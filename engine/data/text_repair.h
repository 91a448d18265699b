#pragma once
// Line-level clean-up shared by the readers: invalid UTF-8 becomes U+FFFD (as Python's
// errors="replace" does, so tokenization matches the reference pipelines) and NUL bytes go.

#include "chatbench/corpus_problems.h"

#include <string>
#include <string_view>

namespace chatbench {

// Writes the repaired text to out and logs what was repaired at where (offset: the line's
// first byte in the file; the logged offset is the bad byte's).
void repairText(
    std::string_view in, const SourceLocation &where, std::string &out, ProblemLog &log);

// LCCC's "你 好 , hello world" -> "你好,hello world": a space survives only between two
// characters that are neither CJK nor full-width (i.e. between Latin words).
std::string joinSpacedCjk(std::string_view text);

// CJK ideographs, kana, hangul, CJK punctuation, full-width forms.
bool isWideCodePoint(char32_t cp);

} // namespace chatbench
