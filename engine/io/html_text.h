#pragma once
// Text placed into the HTML ChatBench writes (transcripts, the progress report). Internal.

#include <string>

namespace chatbench {

// &, <, >, " and ' as character references: safe in element content and quoted attributes.
std::string htmlEscape(const std::string &s);

} // namespace chatbench
