#include "arguments.h"

#include <charconv>

namespace chatbench::cli {

Arguments::Arguments(const std::vector<std::string> &args, const std::set<std::string> &flags,
    std::size_t positionals)
{
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &arg = args[i];
        if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
            if (m_positional.size() >= positionals)
                throw UsageError("unexpected argument '" + arg + "' (options start with --)");
            m_positional.push_back(arg);
            continue;
        }
        std::string name = arg.substr(2);
        if (auto eq = name.find('='); eq != std::string::npos) {
            m_values.emplace(name.substr(0, eq), name.substr(eq + 1));
        } else if (flags.count(name)) {
            m_values.emplace(name, "");
        } else {
            if (i + 1 >= args.size())
                throw UsageError("option --" + name + " needs a value");
            m_values.emplace(name, args[++i]);
        }
    }
}

bool Arguments::has(const std::string &name) const
{
    return m_values.count(name) > 0;
}

std::string Arguments::required(const std::string &name) const
{
    auto value = optional(name);
    if (!value)
        throw UsageError("missing required option --" + name);
    return *value;
}

std::optional<std::string> Arguments::optional(const std::string &name) const
{
    auto range = m_values.equal_range(name);
    if (range.first == range.second)
        return std::nullopt;
    if (std::next(range.first) != range.second)
        throw UsageError("option --" + name + " given more than once");
    return range.first->second;
}

std::vector<std::string> Arguments::all(const std::string &name) const
{
    std::vector<std::string> out;
    auto range = m_values.equal_range(name);
    for (auto it = range.first; it != range.second; ++it)
        out.push_back(it->second);
    return out;
}

int Arguments::integer(const std::string &name, int fallback) const
{
    auto text = optional(name);
    if (!text)
        return fallback;
    int value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size())
        throw UsageError("option --" + name + ": expected an integer, got '" + *text + "'");
    return value;
}

double Arguments::real(const std::string &name, double fallback) const
{
    auto text = optional(name);
    if (!text)
        return fallback;
    try {
        std::size_t used = 0;
        double value = std::stod(*text, &used);
        if (used == text->size())
            return value;
    } catch (const std::exception &) { }
    throw UsageError("option --" + name + ": expected a number, got '" + *text + "'");
}

void Arguments::allowOnly(const std::set<std::string> &names) const
{
    for (const auto &item : m_values)
        if (!names.count(item.first))
            throw UsageError("unknown option --" + item.first);
}

std::vector<int> parseIdList(const std::string &option, const std::string &text)
{
    std::vector<int> ids;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find(',', start);
        if (end == std::string::npos)
            end = text.size();
        const std::string item = text.substr(start, end - start);
        int value = 0;
        auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
        if (item.empty() || ec != std::errc() || ptr != item.data() + item.size())
            throw UsageError("option --" + option + ": '" + item
                + "' is not a token id (expected a comma-separated list like 101,2,3)");
        ids.push_back(value);
        start = end + 1;
    }
    return ids;
}

} // namespace chatbench::cli
