#include "data/script_converter.h"

#include "chatbench/error.h"

#ifdef CHATBENCH_WITH_OPENCC
#include <opencc/SimpleConverter.hpp>
#endif

namespace chatbench {

#ifdef CHATBENCH_WITH_OPENCC
struct ScriptConverter::Impl
{
    explicit Impl(const std::string &file) : converter(file) { }
    opencc::SimpleConverter converter;
    std::string convert(std::string_view utf8) const
    {
        return converter.Convert(utf8.data(), utf8.size());
    }
};
#else
// A build without OpenCC (CHATBENCH_OPENCC=OFF, or libopencc-dev absent): the constructor
// refuses, so no converter exists and convert() is never reached.
struct ScriptConverter::Impl
{
    std::string convert(std::string_view utf8) const { return std::string(utf8); }
};
#endif

ScriptConverter::ScriptConverter(const std::string &config)
{
#ifndef CHATBENCH_WITH_OPENCC
    throw Error("script conversion '" + config
        + "': this chatbench was built without OpenCC (script conversion); rebuild with "
          "libopencc-dev installed, or prepare the corpus without a conversion");
#else
    std::string file = config;
    if (file.find('.') == std::string::npos)
        file += ".json";
    try {
        m_impl = std::make_unique<Impl>(file);
    } catch (const std::exception &e) {
        throw Error("OpenCC conversion '" + config + "' unavailable: " + e.what()
            + " (e.g. s2t, s2tw, s2twp, t2s, tw2sp)");
    }
#endif
}

ScriptConverter::~ScriptConverter() = default;

std::string ScriptConverter::convert(std::string_view utf8) const
{
    return m_impl->convert(utf8);
}

void ScriptConverter::convertEach(std::vector<std::string> &texts) const
{
    // The texts travel joined by '\n': no OpenCC dictionary entry spans a line break, so each
    // line converts as it would alone. A text holding a '\n' of its own goes alone, and should
    // the lines not come back one for one, every text goes alone.
    std::string joined;
    std::vector<std::size_t> batched;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        if (texts[i].find('\n') != std::string::npos) {
            texts[i] = convert(texts[i]);
            continue;
        }
        if (!batched.empty())
            joined.push_back('\n');
        joined += texts[i];
        batched.push_back(i);
    }
    if (batched.empty())
        return;
    const std::string converted = convert(joined);
    std::vector<std::string_view> lines;
    lines.reserve(batched.size());
    std::size_t start = 0;
    for (;;) {
        const std::size_t end = converted.find('\n', start);
        lines.emplace_back(
            converted.data() + start, (end == std::string::npos ? converted.size() : end) - start);
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    if (lines.size() != batched.size()) {
        for (std::size_t i : batched)
            texts[i] = convert(texts[i]);
        return;
    }
    for (std::size_t k = 0; k < batched.size(); ++k)
        texts[batched[k]].assign(lines[k]);
}

} // namespace chatbench
