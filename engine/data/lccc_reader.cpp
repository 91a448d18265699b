// LCCC / CDial-GPT JSON through nlohmann's SAX interface: the 66 MB file never becomes a DOM.
// The bytes reach the parser through RepairingBytes, which mends invalid UTF-8 and drops NULs
// on the way (nlohmann would reject the whole file for one bad byte) while remembering how far
// each repair shifted the stream, so syntax errors still name the file's own byte offsets.

#include "chatbench/error.h"
#include "data/corpus_formats.h"
#include "data/text_repair.h"
#include "tokenize/utf8.h"

#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

namespace chatbench {
namespace {

class RepairingBytes
{
public:
    RepairingBytes(std::string_view bytes, std::uint64_t base, ProblemLog &log)
        : m_begin(bytes.data()), m_p(m_begin), m_end(m_begin + bytes.size()), m_base(base),
          m_log(log)
    {
        advance();
    }

    bool done() const { return m_done; }
    char current() const { return m_current; }
    // The file offset of the byte current() came from.
    std::uint64_t currentOffset() const { return m_base + m_currentSource; }

    void advance()
    {
        ++m_index;
        if (m_next < m_pendingSize) {
            m_current = m_pending[m_next];
            note(m_pendingSource + (m_pendingIsRepair ? 0 : m_next));
            ++m_next;
            return;
        }
        while (m_p < m_end) {
            const auto b = static_cast<unsigned char>(*m_p);
            const auto source = static_cast<std::uint64_t>(m_p - m_begin);
            if (b != 0 && b < 0x80) {
                m_current = *m_p++;
                note(source);
                return;
            }
            if (b == 0) {
                m_log.add(CorpusProblem::NulByte, { 0, m_base + source });
                ++m_p;
                continue;
            }
            char32_t cp;
            const std::size_t n = utf8::decode(m_p, m_end, cp);
            m_pendingIsRepair = cp == utf8::kReplacement && !(n == 3 && b == 0xEF);
            if (m_pendingIsRepair) {
                m_log.add(CorpusProblem::InvalidUtf8, { 0, m_base + source });
                std::copy_n("\xEF\xBF\xBD", 3, m_pending);
                m_pendingSize = 3;
            } else {
                std::copy_n(m_p, n, m_pending);
                m_pendingSize = n;
            }
            m_pendingSource = source;
            m_p += n;
            m_current = m_pending[0];
            m_next = 1;
            note(source);
            return;
        }
        m_done = true;
    }

    // The file offset of the parser's n-th byte (counting from 1, as nlohmann's positions do).
    std::uint64_t fileOffset(std::uint64_t n) const
    {
        const std::uint64_t index = n > 0 ? n - 1 : 0;
        auto it = std::upper_bound(m_shifts.begin(), m_shifts.end(), index,
            [](std::uint64_t v, const auto &s) { return v < s.first; });
        const std::int64_t delta = it == m_shifts.begin() ? 0 : std::prev(it)->second;
        return m_base + static_cast<std::uint64_t>(static_cast<std::int64_t>(index) + delta);
    }

private:
    // Records where the stream and the file part ways (only at repairs and NULs).
    void note(std::uint64_t source)
    {
        m_currentSource = source;
        const auto delta = static_cast<std::int64_t>(source - m_index);
        if (delta != m_delta && m_shifts.size() < (1u << 22)) {
            m_delta = delta;
            m_shifts.emplace_back(m_index, delta);
        }
    }

    const char *m_begin, *m_p, *m_end;
    std::uint64_t m_base;
    ProblemLog &m_log;
    char m_pending[4] = {};
    std::size_t m_pendingSize = 0, m_next = 0;
    std::uint64_t m_pendingSource = 0;
    bool m_pendingIsRepair = false;
    char m_current = 0;
    std::uint64_t m_currentSource = 0;
    bool m_done = false;
    std::uint64_t m_index = ~std::uint64_t { 0 }; // of current() in the repaired stream
    std::int64_t m_delta = 0;
    // (stream index, file offset - stream index) from that index on
    std::vector<std::pair<std::uint64_t, std::int64_t>> m_shifts;
};

// The iterator nlohmann's input adapter wants: all copies share one RepairingBytes.
struct RepairingIterator
{
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char *;
    using reference = char;

    RepairingBytes *source = nullptr; // nullptr: the end iterator

    char operator*() const { return source->current(); }
    RepairingIterator &operator++()
    {
        source->advance();
        return *this;
    }
    bool atEnd() const { return !source || source->done(); }
    bool operator==(const RepairingIterator &o) const { return atEnd() == o.atEnd(); }
    bool operator!=(const RepairingIterator &o) const { return !(*this == o); }
};

class LcccHandler : public nlohmann::json_sax<nlohmann::json>
{
public:
    LcccHandler(CorpusSource &source, RepairingBytes &bytes) : m_source(source), m_bytes(bytes) { }

    bool null() override { return scalar("null"); }
    bool boolean(bool) override { return scalar("boolean"); }
    bool number_integer(number_integer_t) override { return scalar("number"); }
    bool number_unsigned(number_unsigned_t) override { return scalar("number"); }
    bool number_float(number_float_t, const string_t &) override { return scalar("number"); }
    bool binary(binary_t &) override { return scalar("binary"); }

    bool string(string_t &value) override
    {
        if (m_inDialogue && m_depth == m_listDepth + 1 && !m_bad) {
            if (value.size() > m_source.options.maxLineBytes) {
                reject(CorpusProblem::LineTooLong, std::to_string(value.size()) + " bytes");
            } else {
                m_dialogue.utterances.push_back(
                    m_source.joinSpacedCjk ? joinSpacedCjk(value) : std::move(value));
            }
            return true;
        }
        return scalar("string");
    }

    bool start_object(std::size_t) override
    {
        if (m_depth == 0)
            m_rootIsObject = true;
        else
            open("object");
        ++m_depth;
        return true;
    }

    bool key(string_t &name) override
    {
        if (m_rootIsObject && m_depth == 1)
            m_keyWanted = m_source.options.lcccSplit.empty() || name == m_source.options.lcccSplit;
        return true;
    }

    bool start_array(std::size_t) override
    {
        if (m_depth == 0 || (m_rootIsObject && m_depth == 1 && m_keyWanted))
            m_listDepth = m_depth + 1;
        else
            open("list");
        ++m_depth;
        return true;
    }

    bool end_object() override { return close(); }
    bool end_array() override { return close(); }

    bool parse_error(std::size_t position, const std::string &lastToken,
        const nlohmann::detail::exception &e) override
    {
        // nlohmann's position is the end of the offending token; users look for its start.
        const std::size_t start
            = position >= lastToken.size() ? position - lastToken.size() + 1 : 1;
        std::string what = e.what();
        const auto colon = what.find("syntax error");
        throw Error::atOffset(m_source.file, m_bytes.fileOffset(start),
            "JSON " + (colon == std::string::npos ? what : what.substr(colon)));
    }

private:
    bool inList() const { return m_listDepth > 0 && m_depth == m_listDepth; }

    void open(const char *kind)
    {
        if (inList() && !m_inDialogue) {
            m_inDialogue = true;
            m_bad = false;
            m_dialogue = {};
            m_dialogue.where = { 0, m_bytes.currentOffset() - 1 };
            if (std::string_view(kind) != "list")
                reject(CorpusProblem::NotADialogue, "a dialogue is a JSON object, not a list");
        } else if (m_inDialogue) {
            reject(CorpusProblem::NotADialogue, std::string("an utterance is a JSON ") + kind);
        }
    }

    bool close()
    {
        --m_depth;
        if (m_inDialogue && m_depth == m_listDepth) {
            m_inDialogue = false;
            if (!m_bad) {
                if (m_dialogue.utterances.empty()) {
                    reject(CorpusProblem::NotADialogue, "empty list");
                } else {
                    ++m_source.summary.dialogues;
                    m_source.visit(std::move(m_dialogue));
                }
            }
        } else if (m_listDepth > 0 && m_depth < m_listDepth) {
            m_listDepth = 0;
        }
        return true;
    }

    bool scalar(const char *kind)
    {
        if (m_inDialogue)
            reject(CorpusProblem::NotADialogue, std::string("an utterance is a JSON ") + kind);
        else if (inList())
            m_source.summary.problems.add(CorpusProblem::NotADialogue,
                { 0, m_bytes.currentOffset() }, std::string("a dialogue is a JSON ") + kind);
        return true;
    }

    void reject(CorpusProblem problem, std::string detail)
    {
        if (!m_bad)
            m_source.summary.problems.add(problem, m_dialogue.where, std::move(detail));
        m_bad = true;
    }

    CorpusSource &m_source;
    RepairingBytes &m_bytes;
    int m_depth = 0;
    int m_listDepth = 0; // depth of a dialogue list's items; 0 outside one
    bool m_rootIsObject = false;
    bool m_keyWanted = false;
    bool m_inDialogue = false;
    bool m_bad = false;
    Dialogue m_dialogue;
};

} // namespace

void readLccc(CorpusSource &source)
{
    RepairingBytes bytes(source.bytes, source.bomBytes, source.summary.problems);
    LcccHandler handler(source, bytes);
    nlohmann::json::sax_parse(RepairingIterator { &bytes }, RepairingIterator {}, &handler);
}

} // namespace chatbench
