#include "data/script_converter.h"

#include "chatbench/error.h"

#include <opencc/SimpleConverter.hpp>

namespace chatbench {

struct ScriptConverter::Impl
{
    explicit Impl(const std::string &file) : converter(file) { }
    opencc::SimpleConverter converter;
};

ScriptConverter::ScriptConverter(const std::string &config)
{
    std::string file = config;
    if (file.find('.') == std::string::npos)
        file += ".json";
    try {
        m_impl = std::make_unique<Impl>(file);
    } catch (const std::exception &e) {
        throw Error("OpenCC conversion '" + config + "' unavailable: " + e.what()
            + " (e.g. s2t, s2tw, s2twp, t2s, tw2sp)");
    }
}

ScriptConverter::~ScriptConverter() = default;

std::string ScriptConverter::convert(std::string_view utf8) const
{
    return m_impl->converter.Convert(utf8.data(), utf8.size());
}

} // namespace chatbench
