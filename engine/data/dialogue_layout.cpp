#include "chatbench/dialogue_layout.h"

#include "chatbench/error.h"
#include "chatbench/tokenizer.h"
#include "io/enum_names.h"

#include <algorithm>

namespace chatbench {

namespace {
constexpr EnumName<DialogueLayout::Kind> layoutKinds[]
    = { { DialogueLayout::Kind::Chitchat, "chitchat" }, { DialogueLayout::Kind::CDial, "cdial" } };
} // namespace

const char *DialogueLayout::kindName(Kind kind)
{
    return enumName(layoutKinds, kind);
}

DialogueLayout::Kind DialogueLayout::parseKind(std::string_view name)
{
    return parseEnumName(layoutKinds, name, "dialogue layout");
}

DialogueLayout::DialogueLayout(Kind kind, const Tokenizer &tokenizer) : m_kind(kind)
{
    const SpecialTokenIds &special = tokenizer.specialIds();
    m_cls = special.cls;
    m_sep = special.sep;
    if (m_cls < 0 || m_sep < 0)
        throw Error("the tokenizer has no [CLS]/[SEP] (or bos/eos) token to frame dialogues with");
    if (kind == Kind::Chitchat)
        return;
    for (const auto &names : { std::vector<std::string> { "[speaker1]", "[speaker2]" },
             std::vector<std::string> { "[unused1]", "[unused2]" } }) {
        const std::int32_t a = tokenizer.tokenToId(names[0]), b = tokenizer.tokenToId(names[1]);
        // tokenToId answers [UNK]'s id (or -1) for a token the vocabulary lacks.
        const auto known = [&](std::int32_t id, const std::string &name) {
            return id >= 0 && tokenizer.idToToken(id) == name;
        };
        if (known(a, names[0]) && known(b, names[1])) {
            m_speakers[0] = a, m_speakers[1] = b;
            m_speakerTokens = names;
            return;
        }
    }
    throw Error("the cdial dialogue layout needs two speaker tokens, and this " + tokenizer.kind()
        + " vocabulary has neither [speaker1]/[speaker2] nor [unused1]/[unused2]");
}

std::size_t DialogueLayout::appendSample(const std::vector<std::int32_t> *utterances,
    std::size_t count, std::size_t maxLen, std::vector<std::int32_t> &out) const
{
    const std::size_t start = out.size();
    out.push_back(m_cls);
    if (m_kind == Kind::Chitchat) {
        for (std::size_t i = 0; i < count; ++i) {
            out.insert(out.end(), utterances[i].begin(), utterances[i].end());
            out.push_back(m_sep);
        }
        const std::size_t length = out.size() - start;
        out.resize(start + std::min(length, maxLen));
        return length;
    }
    // [CLS] + a speaker token per utterance + [SEP] after the response.
    std::size_t length = 2;
    for (std::size_t i = 0; i < count; ++i)
        length += 1 + utterances[i].size();
    std::size_t first = 0, kept = length;
    while (kept > maxLen && first + 1 < count)
        kept -= 1 + utterances[first++].size();
    for (std::size_t i = first; i < count; ++i) {
        out.push_back(speaker(i - first));
        out.insert(out.end(), utterances[i].begin(), utterances[i].end());
    }
    out.push_back(m_sep);
    out.resize(start + std::min(kept, maxLen));
    return length;
}

std::vector<std::vector<std::int32_t>> DialogueLayout::utterances(
    const std::int32_t *ids, std::size_t length) const
{
    std::vector<std::vector<std::int32_t>> out;
    std::size_t i = length > 0 && ids[0] == m_cls ? 1 : 0;
    if (m_kind == Kind::Chitchat) {
        std::vector<std::int32_t> current;
        for (; i < length; ++i) {
            if (ids[i] != m_sep) {
                current.push_back(ids[i]);
                continue;
            }
            out.push_back(std::move(current));
            current.clear();
        }
        if (!current.empty())
            out.push_back(std::move(current));
        return out;
    }
    for (; i < length; ++i) {
        if (ids[i] == m_speakers[0] || ids[i] == m_speakers[1])
            out.emplace_back();
        else if (ids[i] != m_sep && !out.empty())
            out.back().push_back(ids[i]);
    }
    return out;
}

std::vector<std::int32_t> DialogueLayout::prompt(
    const std::vector<std::vector<std::int32_t>> &history) const
{
    std::vector<std::int32_t> ids { m_cls };
    for (std::size_t i = 0; i < history.size(); ++i) {
        if (m_kind == Kind::CDial)
            ids.push_back(speaker(i));
        ids.insert(ids.end(), history[i].begin(), history[i].end());
        if (m_kind == Kind::Chitchat)
            ids.push_back(m_sep);
    }
    if (m_kind == Kind::CDial)
        ids.push_back(speaker(history.size()));
    return ids;
}

std::size_t DialogueLayout::responseStart(const std::int32_t *ids, std::size_t length) const
{
    int seen = 0;
    const int wanted = m_kind == Kind::Chitchat ? 2 : 1;
    for (std::size_t t = length; t-- > 0;) {
        const bool marker = m_kind == Kind::Chitchat
            ? ids[t] == m_sep
            : ids[t] == m_speakers[0] || ids[t] == m_speakers[1];
        if (marker && ++seen == wanted)
            return t + 1;
    }
    return 0;
}

std::vector<std::int32_t> DialogueLayout::turnEndIds() const
{
    if (m_kind == Kind::Chitchat)
        return {};
    return { m_speakers[0], m_speakers[1] };
}

} // namespace chatbench
