#include "chatbench/corpus_reader.h"

#include "chatbench/error.h"
#include "data/corpus_formats.h"
#include "io/mapped_file.h"

#include <nlohmann/json.hpp>

namespace chatbench {
namespace {

std::string_view skipBom(std::string_view bytes)
{
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF")
        bytes.remove_prefix(3);
    return bytes;
}

bool isWhitespaceOnly(std::string_view bytes)
{
    return bytes.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

CorpusFormat detect(std::string_view bytes)
{
    const std::size_t first = bytes.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || (bytes[first] != '[' && bytes[first] != '{'))
        return CorpusFormat::Chitchat;
    // A first line that is a whole dialogue on its own means JSON Lines; LCCC's first line is
    // either a fragment (pretty-printed) or the whole file, of another shape.
    constexpr std::size_t kProbe = 1 << 20;
    const std::size_t nl = bytes.find('\n', first);
    if (nl == std::string_view::npos && bytes.size() - first > kProbe)
        return CorpusFormat::Lccc;
    const auto line = bytes.substr(first, nl == std::string_view::npos ? nl : nl - first);
    if (line.size() > kProbe)
        return CorpusFormat::Lccc;
    const auto value = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded())
        return CorpusFormat::Lccc;
    const auto &list = value.is_object() && value.contains("dialog") ? value["dialog"] : value;
    if (!list.is_array() || list.empty())
        return CorpusFormat::Lccc;
    for (const auto &item : list)
        if (!item.is_string())
            return CorpusFormat::Lccc;
    return CorpusFormat::Jsonl;
}

} // namespace

const char *corpusFormatName(CorpusFormat format)
{
    switch (format) {
    case CorpusFormat::Auto:
        return "auto";
    case CorpusFormat::Chitchat:
        return "chitchat";
    case CorpusFormat::Lccc:
        return "lccc";
    case CorpusFormat::Jsonl:
        return "jsonl";
    }
    return "unknown";
}

CorpusFormat parseCorpusFormat(std::string_view name)
{
    for (auto f :
        { CorpusFormat::Auto, CorpusFormat::Chitchat, CorpusFormat::Lccc, CorpusFormat::Jsonl })
        if (name == corpusFormatName(f))
            return f;
    throw Error("unknown corpus format '" + std::string(name)
        + "' (expected chitchat, lccc, jsonl or auto)");
}

CorpusFormat detectCorpusFormat(const std::filesystem::path &file)
{
    MappedFile mapped(file);
    const auto bytes = skipBom(mapped.bytes());
    if (isWhitespaceOnly(bytes))
        throw Error::inFile(file, "the corpus is empty");
    return detect(bytes);
}

CorpusReadSummary readCorpus(const std::filesystem::path &file, const CorpusReadOptions &options,
    const DialogueVisitor &visit)
{
    MappedFile mapped(file, /*sequential=*/true);
    const auto bytes = skipBom(mapped.bytes());
    if (isWhitespaceOnly(bytes))
        throw Error::inFile(file, "the corpus is empty");
    CorpusReadSummary summary;
    summary.bytes = mapped.size();
    summary.format = options.format == CorpusFormat::Auto ? detect(bytes) : options.format;
    CorpusSource source { file, bytes, mapped.size() - bytes.size(), options,
        options.joinSpacedCjk.value_or(summary.format == CorpusFormat::Lccc), summary, visit };
    switch (summary.format) {
    case CorpusFormat::Lccc:
        readLccc(source);
        break;
    case CorpusFormat::Jsonl:
        readJsonl(source);
        break;
    default:
        readChitchat(source);
        break;
    }
    return summary;
}

} // namespace chatbench
