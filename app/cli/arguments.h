#pragma once
// Command-line options of chatbench-cli: "--name value" pairs and "--flag" switches. Options may
// repeat (--model A --model B). Misuse throws UsageError, which main() reports with exit code 2.

#include "chatbench/error.h"

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace chatbench::cli {

class UsageError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

class Arguments
{
public:
    // flags: the switches that take no value. positionals: how many plain arguments (not
    // options) the command takes; more are a UsageError.
    Arguments(const std::vector<std::string> &args, const std::set<std::string> &flags,
        std::size_t positionals = 0);

    bool has(const std::string &name) const;
    const std::vector<std::string> &positional() const { return m_positional; }
    std::string required(const std::string &name) const;
    std::optional<std::string> optional(const std::string &name) const;
    std::vector<std::string> all(const std::string &name) const;
    int integer(const std::string &name, int fallback) const;
    double real(const std::string &name, double fallback) const;
    // A word option read through the engine's parse function for it (parsePrecision, ...): the
    // engine's message becomes "option --NAME: ..." (a UsageError: exit 2, as for any option
    // value the command cannot take).
    template<typename T, typename Parse>
    T word(const std::string &name, T fallback, Parse parse) const
    {
        const auto text = optional(name);
        if (!text)
            return fallback;
        try {
            return parse(*text);
        } catch (const std::exception &e) {
            throw UsageError("option --" + name + ": " + e.what());
        }
    }
    // Rejects any option the command does not know, naming it.
    void allowOnly(const std::set<std::string> &names) const;

private:
    std::multimap<std::string, std::string> m_values;
    std::vector<std::string> m_positional;
};

// "101,2,3" -> {101, 2, 3}; throws UsageError naming the option and the bad item.
std::vector<int> parseIdList(const std::string &option, const std::string &text);

} // namespace chatbench::cli
