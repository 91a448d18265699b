#pragma once
// Chinese script conversion through OpenCC (Simplified <-> Traditional, regional variants and
// phrases). Kept behind this class so only one file sees OpenCC's headers.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace chatbench {

class ScriptConverter
{
public:
    // config: "s2twp" or "s2twp.json"; OpenCC looks in its data folder (/usr/share/opencc).
    // Throws chatbench::Error naming the configuration when it cannot be loaded.
    explicit ScriptConverter(const std::string &config);
    ~ScriptConverter();
    ScriptConverter(const ScriptConverter &) = delete;
    ScriptConverter &operator=(const ScriptConverter &) = delete;

    // OpenCC's converters hold only immutable dictionaries: safe from several threads.
    std::string convert(std::string_view utf8) const;
    // convert() on each text, in one OpenCC call: each call has a fixed cost (segment lists,
    // the conversion chain's copies) worth about a tenth of an utterance's conversion.
    void convertEach(std::vector<std::string> &texts) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace chatbench
