#pragma once
// The text of a Markdown table cell, shared by the progress report and the comparison's export.
// Internal to the engine.

#include <string>

namespace chatbench {

// A reply may hold the column bar or a line break: escape the one, flatten the other.
inline std::string markdownCell(const std::string &text)
{
    std::string out;
    for (char c : text) {
        if (c == '|')
            out += "\\|";
        else if (c == '\n' || c == '\r')
            out += ' ';
        else
            out += c;
    }
    return out;
}

} // namespace chatbench
