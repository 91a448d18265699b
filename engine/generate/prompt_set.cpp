#include "chatbench/prompt_set.h"

#include "chatbench/error.h"
#include "chatbench/sampling.h"
#include "chatbench/tokenizer.h"
#include "tokenize/utf8.h"

#include <fstream>
#include <sstream>

namespace chatbench {

namespace {

struct Line
{
    std::string_view text;
    std::size_t number = 0; // from 1
};

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

std::string_view trimmed(std::string_view s)
{
    while (!s.empty() && isSpace(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back()))
        s.remove_suffix(1);
    return s;
}

// The first byte that does not start a well-formed UTF-8 sequence (overlong forms, surrogates
// and code points past U+10FFFF are ill-formed too), or npos.
std::size_t invalidUtf8Offset(std::string_view text)
{
    const char *begin = text.data(), *p = begin, *end = begin + text.size();
    while (p < end) {
        char32_t cp;
        const std::size_t n = utf8::decode(p, end, cp);
        // U+FFFD itself is EF BF BD: decoding it is not a repair.
        if (cp == utf8::kReplacement && !(n == 3 && static_cast<unsigned char>(*p) == 0xEF))
            return std::size_t(p - begin);
        p += n;
    }
    return std::string_view::npos;
}

std::vector<Line> splitLines(std::string_view text, const std::string &origin)
{
    std::size_t bom = 0;
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        bom = 3;
    std::vector<Line> lines;
    for (std::size_t pos = bom, number = 1; pos < text.size(); ++number) {
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos)
            nl = text.size();
        const std::string_view line = text.substr(pos, nl - pos);
        if (const std::size_t bad = invalidUtf8Offset(line); bad != std::string_view::npos)
            throw Error::atLine(origin, number,
                "byte " + std::to_string(pos + bad) + " is not UTF-8 (a prompt set is UTF-8 text)");
        lines.push_back({ trimmed(line), number });
        pos = nl + 1;
    }
    return lines;
}

bool looksLikeDialogues(const std::vector<Line> &lines)
{
    bool seenText = false, blankAfterText = false;
    for (const Line &l : lines) {
        if (l.text.empty()) {
            blankAfterText = seenText;
        } else {
            if (blankAfterText)
                return true;
            seenText = true;
        }
    }
    return false;
}

void readDialogues(const std::vector<Line> &lines, PromptSet &out)
{
    std::vector<std::string> utterances;
    const auto flush = [&] {
        if (utterances.size() == 1)
            ++out.skipped;
        if (utterances.size() >= 2) {
            PromptDialogue d;
            d.reference = std::move(utterances.back());
            utterances.pop_back();
            d.context = std::move(utterances);
            out.dialogues.push_back(std::move(d));
        }
        utterances.clear();
    };
    for (const Line &l : lines) {
        if (l.text.empty())
            flush();
        else
            utterances.emplace_back(l.text);
    }
    flush();
    out.hasReferences = !out.dialogues.empty();
}

void readLines(const std::vector<Line> &lines, PromptSet &out)
{
    bool everyReference = true;
    for (const Line &l : lines) {
        if (l.text.empty())
            continue;
        const std::size_t tab = l.text.find('\t');
        PromptDialogue d;
        d.context.emplace_back(trimmed(l.text.substr(0, tab)));
        if (tab != std::string_view::npos)
            d.reference = std::string(trimmed(l.text.substr(tab + 1)));
        everyReference = everyReference && !d.reference.empty();
        out.dialogues.push_back(std::move(d));
    }
    out.hasReferences = everyReference && !out.dialogues.empty();
}

} // namespace

PromptSet parsePromptSet(std::string_view text, const std::string &origin, PromptFormat format)
{
    const std::vector<Line> lines = splitLines(text, origin);
    if (format == PromptFormat::Auto)
        format = looksLikeDialogues(lines) ? PromptFormat::Dialogues : PromptFormat::Lines;
    PromptSet out;
    if (format == PromptFormat::Dialogues)
        readDialogues(lines, out);
    else
        readLines(lines, out);
    if (out.dialogues.empty())
        throw Error::inFile(origin,
            (format == PromptFormat::Dialogues
                    ? "no prompts: no dialogue with a context and a reference reply (two "
                      "utterances or more, a blank line between dialogues)"
                    : "no prompts (expected one prompt per line, prompt<TAB>reference lines, or "
                      "dialogues separated by blank lines)"));
    return out;
}

PromptSet readPromptSet(const std::filesystem::path &file, PromptFormat format)
{
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec))
        throw Error::inFile(file, "is a folder, not a prompt file");
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw Error::inFile(
            file, std::filesystem::exists(file, ec) ? "cannot be read" : "no such file");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (in.bad())
        throw Error::inFile(file, "read error");
    if (bytes.str().empty())
        throw Error::inFile(file, "the file is empty");
    return parsePromptSet(bytes.str(), file.string(), format);
}

std::vector<std::string> generateReplies(const ChatModel &model,
    const std::vector<PromptDialogue> &prompts, const ReplyCallback &onReply,
    const std::atomic<bool> *cancel)
{
    std::vector<std::string> replies;
    const ChatPrompter prompter(*model.model, *model.tokenizer, model.maxHistoryLen);
    SamplingOptions options = prompter.sampling(model.sampling);
    options.numCandidates = 1;
    for (std::size_t i = 0; i < prompts.size(); ++i) {
        if (cancel && cancel->load())
            break;
        std::vector<std::vector<std::int32_t>> context;
        for (const auto &u : prompts[i].context)
            context.push_back(model.tokenizer->encode(u, false));
        options.seed = model.sampling.seed + i;
        const auto generated = generate(*model.model, prompter.ids(context), options, {}, cancel);
        if (generated.empty() || generated[0].stopReason == StopReason::Cancelled)
            break;
        replies.push_back(model.tokenizer->decode(generated[0].ids));
        if (onReply)
            onReply(i, replies.back());
    }
    return replies;
}

} // namespace chatbench
