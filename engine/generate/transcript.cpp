#include "chatbench/transcript.h"

#include "chatbench/atomic_file.h"
#include "chatbench/device.h"
#include "chatbench/error.h"
#include "io/enum_names.h"
#include "io/html_text.h"
#include "io/json_file.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

namespace chatbench {
namespace {

using nlohmann::json;

constexpr const char *kFormatName = "chatbench-transcript";

bool sameSampling(const SamplingOptions &a, const SamplingOptions &b)
{
    return a.temperature == b.temperature && a.topK == b.topK && a.topP == b.topP
        && a.repetitionPenalty == b.repetitionPenalty && a.noRepeatNgramSize == b.noRepeatNgramSize
        && a.minNewTokens == b.minNewTokens && a.maxNewTokens == b.maxNewTokens
        && a.bannedIds == b.bannedIds && a.stopIds == b.stopIds && a.seed == b.seed
        && a.numCandidates == b.numCandidates && a.useCache == b.useCache
        && a.precision == b.precision;
}

bool sameReply(const ChatReply &x, const ChatReply &y)
{
    return x.text == y.text && x.ids == y.ids && x.seed == y.seed && x.stopReason == y.stopReason
        && x.decodeMs == y.decodeMs;
}

bool sameTurn(const ChatTurn &a, const ChatTurn &b)
{
    if (a.user != b.user || a.replies.size() != b.replies.size())
        return false;
    for (std::size_t i = 0; i < a.replies.size(); ++i) {
        const auto x = a.versionsOf(i), y = b.versionsOf(i);
        if (a.shownVersion(i) != b.shownVersion(i)
            || !std::equal(x.begin(), x.end(), y.begin(), y.end(), sameReply))
            return false;
    }
    return true;
}

json replyJson(const ChatReply &r)
{
    return { { "text", r.text }, { "ids", r.ids }, { "seed", r.seed },
        { "stop_reason", toString(r.stopReason) }, { "decode_ms", r.decodeMs } };
}

// Numbers as people write them: 1, 0.7, 0.95.
std::string number(double v)
{
    std::ostringstream out;
    out << v;
    return out.str();
}

json samplingJson(const SamplingOptions &o)
{
    return { { "temperature", o.temperature }, { "top_k", o.topK }, { "top_p", o.topP },
        { "repetition_penalty", o.repetitionPenalty },
        { "no_repeat_ngram_size", o.noRepeatNgramSize }, { "min_new_tokens", o.minNewTokens },
        { "max_new_tokens", o.maxNewTokens }, { "banned_ids", o.bannedIds },
        { "stop_ids", o.stopIds }, { "seed", o.seed }, { "num_candidates", o.numCandidates },
        { "use_cache", o.useCache }, { "precision", toString(o.precision) } };
}

// Reads one JSON value with errors naming the file and the field path, so a hand-edited
// transcript says exactly which entry is wrong.
class Reader
{
public:
    Reader(const json &value, std::filesystem::path origin, std::string where)
        : m_value(value), m_origin(std::move(origin)), m_where(std::move(where))
    { }

    [[noreturn]] void fail(const std::string &what) const
    {
        throw Error::inFile(m_origin, (m_where.empty() ? "" : m_where + ": ") + what);
    }

    Reader field(const char *key) const
    {
        if (!m_value.is_object())
            fail("expected an object, got " + std::string(m_value.type_name()));
        const auto it = m_value.find(key);
        const std::string where = m_where.empty() ? key : m_where + "." + key;
        if (it == m_value.end())
            Reader(m_value, m_origin, where).fail("missing");
        return Reader(*it, m_origin, where);
    }
    bool has(const char *key) const { return m_value.is_object() && m_value.contains(key); }

    std::vector<Reader> items() const
    {
        if (!m_value.is_array())
            fail("expected an array, got " + std::string(m_value.type_name()));
        std::vector<Reader> out;
        for (std::size_t i = 0; i < m_value.size(); ++i)
            out.emplace_back(m_value[i], m_origin, m_where + "[" + std::to_string(i) + "]");
        return out;
    }

    std::string text() const
    {
        if (!m_value.is_string())
            fail("expected a string, got " + std::string(m_value.type_name()));
        return m_value.get<std::string>();
    }
    double real() const
    {
        if (!m_value.is_number())
            fail("expected a number, got " + std::string(m_value.type_name()));
        return m_value.get<double>();
    }
    std::int64_t integer(std::int64_t min, std::int64_t max) const
    {
        if (!m_value.is_number_integer())
            fail("expected an integer, got " + std::string(m_value.type_name()));
        const auto v = m_value.get<std::int64_t>();
        if (v < min || v > max)
            fail(std::to_string(v) + " is out of range");
        return v;
    }
    std::uint64_t unsignedInteger() const
    {
        if (!m_value.is_number_unsigned())
            fail("expected a non-negative integer, got " + m_value.dump());
        return m_value.get<std::uint64_t>();
    }
    bool boolean() const
    {
        if (!m_value.is_boolean())
            fail("expected true or false, got " + std::string(m_value.type_name()));
        return m_value.get<bool>();
    }
    std::vector<std::int32_t> ids() const
    {
        std::vector<std::int32_t> out;
        for (const Reader &item : items())
            out.push_back(std::int32_t(item.integer(0, INT32_MAX)));
        return out;
    }

private:
    const json &m_value;
    std::filesystem::path m_origin;
    std::string m_where;
};

SamplingOptions readSampling(const Reader &r)
{
    constexpr std::int64_t kMaxInt = INT32_MAX;
    SamplingOptions o;
    o.temperature = r.field("temperature").real();
    o.topK = int(r.field("top_k").integer(0, kMaxInt));
    o.topP = r.field("top_p").real();
    o.repetitionPenalty = r.field("repetition_penalty").real();
    o.noRepeatNgramSize = int(r.field("no_repeat_ngram_size").integer(0, kMaxInt));
    o.minNewTokens = int(r.field("min_new_tokens").integer(0, kMaxInt));
    o.maxNewTokens = int(r.field("max_new_tokens").integer(0, kMaxInt));
    o.bannedIds = r.field("banned_ids").ids();
    o.stopIds = r.field("stop_ids").ids();
    o.seed = r.field("seed").unsignedInteger();
    o.numCandidates = int(r.field("num_candidates").integer(1, kMaxInt));
    o.useCache = r.field("use_cache").boolean();
    if (r.has("precision")) { // transcripts written before bf16 decoding decoded in fp32
        try {
            o.precision = parsePrecision(r.field("precision").text());
        } catch (const Error &e) {
            r.field("precision").fail(e.what());
        }
    }
    return o;
}

StopReason readStopReason(const Reader &r)
{
    const std::string name = r.text();
    for (const StopReason s :
        { StopReason::StopToken, StopReason::MaxTokens, StopReason::Cancelled })
        if (name == toString(s))
            return s;
    r.fail("unknown stop reason '" + name + "'");
}

ChatReply readReply(const Reader &r)
{
    ChatReply reply;
    reply.text = r.field("text").text();
    if (r.has("ids"))
        reply.ids = r.field("ids").ids();
    reply.seed = r.field("seed").unsignedInteger();
    reply.stopReason = readStopReason(r.field("stop_reason"));
    if (r.has("decode_ms"))
        reply.decodeMs = r.field("decode_ms").real();
    return reply;
}

// Markdown and HTML show one utterance per line.
std::string oneLine(std::string s)
{
    for (char &c : s)
        if (c == '\n' || c == '\r')
            c = ' ';
    return s;
}

// What the exports show for a model's reply to a turn.
std::string shownReply(const ChatTurn &turn, std::size_t model)
{
    if (!turn.answeredBy(model))
        return "—";
    const ChatReply &r = turn.replies.at(model);
    return r.stopReason == StopReason::Cancelled ? r.text + " (stopped)" : r.text;
}

std::string tableCell(const std::string &s)
{
    std::string out;
    for (const char c : oneLine(s)) {
        if (c == '|')
            out += "\\|";
        else
            out += c;
    }
    return out;
}

} // namespace

Transcript Transcript::of(const ChatSession &session)
{
    Transcript t;
    for (std::size_t i = 0; i < session.models().size(); ++i) {
        const ChatModel &m = session.models()[i];
        t.models.push_back(
            { m.name, m.path, m.source, m.step, m.sampling, m.maxHistoryLen, session.draws()[i] });
    }
    t.turns = session.turns();
    return t;
}

void Transcript::restoreInto(ChatSession &session) const
{
    if (session.models().size() != models.size())
        throw Error("transcript: it has " + std::to_string(models.size()) + " models, the session "
            + std::to_string(session.models().size()));
    std::vector<std::uint64_t> draws;
    for (const auto &m : models)
        draws.push_back(m.draws);
    session.restore(turns, std::move(draws));
}

bool Transcript::operator==(const Transcript &other) const
{
    if (models.size() != other.models.size() || turns.size() != other.turns.size())
        return false;
    for (std::size_t i = 0; i < models.size(); ++i) {
        const TranscriptModel &a = models[i], &b = other.models[i];
        if (a.name != b.name || a.path != b.path || a.source != b.source || a.step != b.step
            || a.maxHistoryLen != b.maxHistoryLen || a.draws != b.draws
            || !sameSampling(a.sampling, b.sampling))
            return false;
    }
    for (std::size_t i = 0; i < turns.size(); ++i)
        if (!sameTurn(turns[i], other.turns[i]))
            return false;
    return true;
}

std::string describeSampling(const SamplingOptions &o)
{
    std::string out = "temperature " + number(o.temperature) + " · top-k " + std::to_string(o.topK)
        + " · top-p " + number(o.topP) + " · repetition penalty " + number(o.repetitionPenalty);
    if (o.noRepeatNgramSize > 0)
        out += " · no-repeat n-gram " + std::to_string(o.noRepeatNgramSize);
    return out + " · seed " + std::to_string(o.seed) + " · " + toString(o.precision);
}

std::string describeModel(const TranscriptModel &m)
{
    std::string out = "run " + (m.source.empty() ? m.path : m.source);
    if (m.step >= 0)
        out += " · step " + std::to_string(m.step);
    return out + " · " + describeSampling(m.sampling);
}

std::string transcriptToJson(const Transcript &t)
{
    json models = json::array();
    for (const auto &m : t.models)
        models.push_back({ { "name", m.name }, { "path", m.path }, { "source", m.source },
            { "step", m.step }, { "max_history_len", m.maxHistoryLen }, { "draws", m.draws },
            { "sampling", samplingJson(m.sampling) } });
    json turns = json::array();
    for (const auto &turn : t.turns) {
        // "replies" holds the versions shown (null: not answered yet), for readers that want
        // only the conversation; "versions" and "shown" are what reopening restores.
        json replies = json::array(), versions = json::array(), shown = json::array();
        for (std::size_t m = 0; m < turn.replies.size(); ++m) {
            replies.push_back(turn.answeredBy(m) ? replyJson(turn.replies[m]) : json());
            json list = json::array();
            for (const ChatReply &r : turn.versionsOf(m))
                list.push_back(replyJson(r));
            versions.push_back(std::move(list));
            shown.push_back(turn.shownVersion(m));
        }
        turns.push_back({ { "user", turn.user }, { "replies", replies }, { "versions", versions },
            { "shown", shown } });
    }
    const json out = { { "format", kFormatName }, { "version", Transcript::kFormatVersion },
        { "models", models }, { "turns", turns } };
    return out.dump(2) + "\n";
}

Transcript transcriptFromJson(const std::string &text, const std::filesystem::path &origin)
{
    const json doc = parseJson(text, origin);
    const Reader root(doc, origin, "");
    if (root.field("format").text() != kFormatName)
        root.field("format").fail(std::string("expected \"") + kFormatName + "\"");
    const auto version = root.field("version").integer(0, INT32_MAX);
    if (version < 1 || version > Transcript::kFormatVersion)
        root.field("version").fail("version " + std::to_string(version)
            + " is not supported (this build reads version "
            + std::to_string(Transcript::kFormatVersion) + ")");
    Transcript t;
    for (const Reader &m : root.field("models").items()) {
        TranscriptModel model;
        model.name = m.field("name").text();
        model.path = m.field("path").text();
        if (m.has("source"))
            model.source = m.field("source").text();
        if (m.has("step"))
            model.step = m.field("step").integer(-1, INT64_MAX);
        model.maxHistoryLen = int(m.field("max_history_len").integer(1, INT32_MAX));
        model.draws = m.field("draws").unsignedInteger();
        model.sampling = readSampling(m.field("sampling"));
        t.models.push_back(std::move(model));
    }
    if (t.models.empty())
        root.field("models").fail("a transcript needs at least one model");
    for (const Reader &turnReader : root.field("turns").items()) {
        ChatTurn turn;
        turn.user = turnReader.field("user").text();
        const char *listKey = turnReader.has("versions") ? "versions" : "replies";
        const auto lists = turnReader.field(listKey).items();
        if (lists.size() != t.models.size())
            turnReader.field(listKey).fail("expected " + std::to_string(t.models.size())
                + " entries (one per model), got " + std::to_string(lists.size()));
        for (const Reader &list : lists) {
            std::vector<ChatReply> versions;
            if (turnReader.has("versions")) {
                for (const Reader &r : list.items())
                    versions.push_back(readReply(r));
            } else {
                versions.push_back(readReply(list));
            }
            turn.versions.push_back(std::move(versions));
        }
        if (turnReader.has("shown")) {
            for (const Reader &i : turnReader.field("shown").items())
                turn.shown.push_back(std::size_t(i.integer(0, INT32_MAX)));
        } else {
            turn.shown.assign(t.models.size(), 0);
        }
        if (turn.shown.size() != t.models.size())
            turnReader.field("shown").fail("expected " + std::to_string(t.models.size())
                + " indices (one per model), got " + std::to_string(turn.shown.size()));
        for (std::size_t m = 0; m < t.models.size(); ++m) {
            if (turn.versions[m].empty())
                continue;
            if (turn.shown[m] >= turn.versions[m].size())
                turnReader.field("shown").fail("model " + std::to_string(m) + " has "
                    + std::to_string(turn.versions[m].size()) + " versions, not "
                    + std::to_string(turn.shown[m] + 1));
        }
        turn.replies.resize(t.models.size());
        for (std::size_t m = 0; m < t.models.size(); ++m)
            if (!turn.versions[m].empty())
                turn.replies[m] = turn.versions[m][turn.shown[m]];
        t.turns.push_back(std::move(turn));
    }
    return t;
}

void saveTranscript(const Transcript &transcript, const std::filesystem::path &file)
{
    writeFileAtomically(file, transcriptToJson(transcript));
}

Transcript loadTranscript(const std::filesystem::path &file)
{
    return transcriptFromJson(readSmallFile(file), file);
}

std::string transcriptToMarkdown(const Transcript &t)
{
    std::string out;
    for (std::size_t m = 0; m < t.models.size(); ++m) {
        if (m > 0)
            out += "\n----\n\n";
        out += "## Demo - " + oneLine(t.models[m].name) + "\n\n"
            + oneLine(describeModel(t.models[m])) + "\n\n```\n";
        for (const auto &turn : t.turns) {
            out += "user:" + oneLine(turn.user) + "\n";
            out += "chatbot:" + oneLine(shownReply(turn, m)) + "\n";
        }
        out += "```\n";
    }
    return out;
}

std::string transcriptToMarkdownTable(const Transcript &t)
{
    std::string out;
    for (const auto &m : t.models)
        out += "- **" + oneLine(m.name) + "**: " + oneLine(describeModel(m)) + "\n";
    out += "\n| # | user |";
    std::string rule = "|---|---|";
    for (const auto &m : t.models) {
        out += " " + tableCell(m.name) + " |";
        rule += "---|";
    }
    out += "\n" + rule + "\n";
    for (std::size_t i = 0; i < t.turns.size(); ++i) {
        out += "| " + std::to_string(i + 1) + " | " + tableCell(t.turns[i].user) + " |";
        for (std::size_t m = 0; m < t.models.size(); ++m)
            out += " " + tableCell(shownReply(t.turns[i], m)) + " |";
        out += "\n";
    }
    return out;
}

std::string transcriptToHtml(const Transcript &t, const std::string &title)
{
    std::string out = "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>"
        + htmlEscape(title)
        + "</title>\n<style>\n"
          "body { font-family: sans-serif; max-width: 60em; margin: 2em auto; }\n"
          ".turn { border-top: 1px solid #ccc; padding: 0.5em 0; }\n"
          ".user { font-weight: bold; }\n"
          ".reply { margin-left: 1.5em; }\n"
          ".model { color: #555; }\n"
          "</style>\n</head>\n<body>\n<h1>"
        + htmlEscape(title) + "</h1>\n<p>Models:";
    for (const auto &m : t.models)
        out += " <span class=\"model\">" + htmlEscape(m.name) + "</span>";
    out += "</p>\n<ul>\n";
    for (const auto &m : t.models)
        out += "<li><span class=\"model\">" + htmlEscape(m.name)
            + "</span>: " + htmlEscape(describeModel(m)) + "</li>\n";
    out += "</ul>\n";
    for (const auto &turn : t.turns) {
        out += "<div class=\"turn\">\n<p class=\"user\">user: " + htmlEscape(oneLine(turn.user))
            + "</p>\n";
        for (std::size_t m = 0; m < t.models.size(); ++m)
            out += "<p class=\"reply\"><span class=\"model\">" + htmlEscape(t.models[m].name)
                + ":</span> " + htmlEscape(oneLine(shownReply(turn, m))) + "</p>\n";
        out += "</div>\n";
    }
    out += "</body>\n</html>\n";
    return out;
}

namespace {
constexpr EnumName<TranscriptFormat> transcriptFormats[]
    = { { TranscriptFormat::Json, "json" }, { TranscriptFormat::Markdown, "markdown" },
          { TranscriptFormat::Table, "table" }, { TranscriptFormat::Html, "html" } };
} // namespace

const char *toString(TranscriptFormat format)
{
    return enumName(transcriptFormats, format);
}

TranscriptFormat parseTranscriptFormat(std::string_view name)
{
    return parseEnumName(transcriptFormats, name, "transcript format");
}

std::string renderTranscript(
    const Transcript &transcript, TranscriptFormat format, const std::string &title)
{
    switch (format) {
    case TranscriptFormat::Json:
        return transcriptToJson(transcript);
    case TranscriptFormat::Table:
        return transcriptToMarkdownTable(transcript);
    case TranscriptFormat::Html:
        return transcriptToHtml(transcript, title);
    case TranscriptFormat::Markdown:
        break;
    }
    return transcriptToMarkdown(transcript);
}

} // namespace chatbench
