// A model comparison's record and its JSON, Markdown and CSV forms
// (chatbench/comparison_record.h).

#include "chatbench/comparison_record.h"

#include "chatbench/atomic_file.h"
#include "chatbench/error.h"
#include "eval/markdown_cell.h"
#include "io/json_file.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>

namespace chatbench {
namespace {

using nlohmann::json;

const char *verdictName(Verdict v)
{
    switch (v) {
    case Verdict::LeftBetter:
        return "left";
    case Verdict::RightBetter:
        return "right";
    case Verdict::Tie:
        return "tie";
    case Verdict::BothBad:
        return "both bad";
    }
    return "";
}

Verdict verdictFrom(const std::string &name, const std::string &origin)
{
    for (Verdict v : { Verdict::LeftBetter, Verdict::RightBetter, Verdict::Tie, Verdict::BothBad })
        if (name == verdictName(v))
            return v;
    throw Error::inFile(
        origin, "verdict '" + name + "': expected \"left\", \"right\", \"tie\" or \"both bad\"");
}

// NaN (no BLEU without references) is null in JSON, and back.
json number(double x)
{
    return std::isfinite(x) ? json(x) : json(nullptr);
}

double numberFrom(const json &object, const char *key, const std::string &origin)
{
    const json *value = object.contains(key) ? &object.at(key) : nullptr;
    if (!value || value->is_null())
        return std::numeric_limits<double>::quiet_NaN();
    if (!value->is_number())
        throw Error::inFile(origin, std::string("metrics field '") + key + "': expected a number");
    return value->get<double>();
}

std::string contextText(const PromptDialogue &d)
{
    std::string out;
    for (const std::string &u : d.context)
        out += (out.empty() ? "" : " / ") + u;
    return out;
}

std::string verdictText(const ComparisonRecord &r, const PairVote &v)
{
    const int winner = winnerOf(v);
    if (winner >= 0)
        return r.models[std::size_t(winner)].name + " better";
    return verdictName(v.verdict);
}

std::string fixed(double x, int decimals)
{
    if (!std::isfinite(x))
        return "-";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, x);
    return buffer;
}

std::string csvField(const std::string &s)
{
    std::string out = "\"";
    for (char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

const std::string &replyOf(const ComparisonRecord &r, std::size_t dialogue, int model)
{
    static const std::string none;
    if (dialogue >= r.replies.size() || std::size_t(model) >= r.replies[dialogue].size())
        return none;
    const auto &reply = r.replies[dialogue][std::size_t(model)];
    return reply ? *reply : none;
}

void checkVotes(const ComparisonRecord &r)
{
    for (const PairVote &v : r.votes) {
        if (v.prompt >= r.dialogues.size())
            throw Error("vote on prompt " + std::to_string(v.prompt + 1) + ": the comparison has "
                + std::to_string(r.dialogues.size()) + " dialogues");
    }
    tallyVotes(r.votes, int(r.models.size())); // the model indices
}

} // namespace

std::string modelLabel(const ComparedModel &model)
{
    return model.step >= 0 ? model.name + " · step-" + std::to_string(model.step) : model.name;
}

std::string comparisonToJson(const ComparisonRecord &r)
{
    checkVotes(r);
    json models = json::array();
    for (const ComparedModel &m : r.models)
        models.push_back({ { "name", m.name }, { "checkpoint", m.checkpoint },
            { "step", m.step >= 0 ? json(m.step) : json(nullptr) }, { "settings", m.settings } });
    json dialogues = json::array();
    for (std::size_t i = 0; i < r.dialogues.size(); ++i) {
        json replies = json::array();
        for (std::size_t m = 0; m < r.models.size(); ++m) {
            const bool has = i < r.replies.size() && m < r.replies[i].size() && r.replies[i][m];
            replies.push_back(has ? json(*r.replies[i][m]) : json(nullptr));
        }
        dialogues.push_back({ { "context", r.dialogues[i].context },
            { "reference", r.dialogues[i].reference }, { "replies", replies } });
    }
    json metrics = json::array();
    for (const auto &t : r.metrics)
        metrics.push_back(t
                ? json { { "distinct1", number(t->distinct1) },
                    { "distinct2", number(t->distinct2) }, { "bleu2", number(t->bleu2) },
                    { "bleu4", number(t->bleu4) }, { "mean_length", number(t->meanLength) },
                    { "repetition_rate", number(t->repetitionRate) } }
                : json(nullptr));
    // Each vote is whole on its own (prompt, reference, both sides' model and reply), so a tool
    // reading only "votes" needs nothing else; the indices tie it to the rest.
    json votes = json::array();
    for (const PairVote &v : r.votes) {
        const auto side = [&](int model) {
            return json { { "model", model }, { "name", r.models[std::size_t(model)].name },
                { "reply", replyOf(r, v.prompt, model) } };
        };
        const int winner = winnerOf(v);
        votes.push_back({ { "prompt", v.prompt }, { "context", r.dialogues[v.prompt].context },
            { "reference", r.dialogues[v.prompt].reference }, { "left", side(v.left) },
            { "right", side(v.right) }, { "verdict", verdictName(v.verdict) },
            { "winner", winner >= 0 ? json(r.models[std::size_t(winner)].name) : json(nullptr) } });
    }
    json out = { { "format", "chatbench-comparison" }, { "version", 1 }, { "models", models },
        { "dialogues", dialogues }, { "metrics", metrics }, { "blind", r.blind },
        { "judging_seed", r.judgingSeed }, { "votes", votes } };
    return out.dump(2) + "\n";
}

ComparisonRecord comparisonFromJson(const std::string &text, const std::string &origin)
{
    const json doc = parseJson(text, origin);
    if (!doc.is_object() || doc.value("format", std::string()) != "chatbench-comparison")
        throw Error::inFile(origin,
            "not a ChatBench comparison (\"format\" is not "
            "\"chatbench-comparison\")");
    ComparisonRecord r;
    try {
        for (const json &m : doc.at("models"))
            r.models.push_back(
                { m.at("name").get<std::string>(), m.value("checkpoint", std::string()),
                    m.contains("step") && !m.at("step").is_null() ? m.at("step").get<std::int64_t>()
                                                                  : -1,
                    m.value("settings", std::string()) });
        for (const json &d : doc.at("dialogues")) {
            r.dialogues.push_back({ d.at("context").get<std::vector<std::string>>(),
                d.value("reference", std::string()) });
            std::vector<std::optional<std::string>> replies;
            for (const json &reply : d.at("replies"))
                replies.push_back(
                    reply.is_null() ? std::nullopt : std::optional(reply.get<std::string>()));
            r.replies.push_back(std::move(replies));
        }
        for (const json &t : doc.value("metrics", json::array())) {
            if (t.is_null()) {
                r.metrics.push_back(std::nullopt);
                continue;
            }
            TextMetrics m;
            m.distinct1 = numberFrom(t, "distinct1", origin);
            m.distinct2 = numberFrom(t, "distinct2", origin);
            m.bleu2 = numberFrom(t, "bleu2", origin);
            m.bleu4 = numberFrom(t, "bleu4", origin);
            m.meanLength = numberFrom(t, "mean_length", origin);
            m.repetitionRate = numberFrom(t, "repetition_rate", origin);
            r.metrics.push_back(m);
        }
        r.blind = doc.value("blind", false);
        r.judgingSeed = doc.value("judging_seed", std::uint64_t(0));
        for (const json &v : doc.value("votes", json::array()))
            r.votes.push_back({ v.at("prompt").get<std::size_t>(),
                v.at("left").at("model").get<int>(), v.at("right").at("model").get<int>(),
                verdictFrom(v.at("verdict").get<std::string>(), origin) });
    } catch (const json::exception &e) {
        throw Error::inFile(origin, std::string("not a ChatBench comparison: ") + e.what());
    }
    try {
        checkVotes(r);
    } catch (const Error &e) {
        throw Error::inFile(origin, e.what());
    }
    return r;
}

std::string comparisonToMarkdown(const ComparisonRecord &r)
{
    checkVotes(r);
    std::string md = "# Model comparison\n\n| model | checkpoint | sampling |\n|---|---|---|\n";
    for (const ComparedModel &m : r.models)
        md += "| " + markdownCell(modelLabel(m)) + " | " + markdownCell(m.checkpoint) + " | "
            + markdownCell(m.settings) + " |\n";

    md += "\n## Replies\n\n| # | prompt | reference |";
    for (const ComparedModel &m : r.models)
        md += " " + markdownCell(modelLabel(m)) + " |";
    md += "\n|---|---|---|";
    for (std::size_t m = 0; m < r.models.size(); ++m)
        md += "---|";
    md += "\n";
    for (std::size_t i = 0; i < r.dialogues.size(); ++i) {
        md += "| " + std::to_string(i + 1) + " | " + markdownCell(contextText(r.dialogues[i]))
            + " | " + markdownCell(r.dialogues[i].reference) + " |";
        for (std::size_t m = 0; m < r.models.size(); ++m)
            md += " " + markdownCell(replyOf(r, i, int(m))) + " |";
        md += "\n";
    }

    md += "\n## Metrics\n\n| model | distinct-1 | distinct-2 | BLEU-2 | BLEU-4 | mean length |\n"
          "|---|---|---|---|---|---|\n";
    for (std::size_t m = 0; m < r.models.size(); ++m) {
        const auto &t = m < r.metrics.size() ? r.metrics[m] : std::nullopt;
        md += "| " + markdownCell(modelLabel(r.models[m])) + " | ";
        md += t
            ? fixed(t->distinct1, 4) + " | " + fixed(t->distinct2, 4) + " | " + fixed(t->bleu2, 4)
                + " | " + fixed(t->bleu4, 4) + " | " + fixed(t->meanLength, 1) + " |\n"
            : std::string("- | - | - | - | - |\n");
    }

    if (r.votes.empty())
        return md;
    const auto standings = tallyVotes(r.votes, int(r.models.size()));
    const bool ratings = r.models.size() > 2;
    const auto elo
        = ratings ? bradleyTerryElo(r.votes, int(r.models.size())) : std::vector<double>();
    md += "\n## Blind A/B judging\n\n" + std::to_string(r.votes.size())
        + " votes. Win rate = (wins + ties / 2) / votes; both bad counts as a vote with no win. "
          "Interval: Wilson 95%.";
    md += ratings ? " Rating: Bradley–Terry on the Elo scale (mean 1000).\n\n" : "\n\n";
    md += "| model | wins | losses | ties | both bad | win rate | 95% interval |";
    md += ratings ? " rating |\n|---|---|---|---|---|---|---|---|\n"
                  : "\n|---|---|---|---|---|---|---|\n";
    for (std::size_t m = 0; m < r.models.size(); ++m) {
        const ModelStanding &s = standings[m];
        md += "| " + markdownCell(modelLabel(r.models[m])) + " | " + std::to_string(s.wins) + " | "
            + std::to_string(s.losses) + " | " + std::to_string(s.ties) + " | "
            + std::to_string(s.bothBad) + " | " + fixed(100 * s.winRate, 1) + "% | "
            + fixed(100 * s.interval.low, 1) + "–" + fixed(100 * s.interval.high, 1) + "% |";
        md += ratings ? " " + fixed(elo[m], 0) + " |\n" : "\n";
    }
    md += "\n### Votes\n\n| # | prompt | reference | A (left) | B (right) | reply A | reply B | "
          "vote |\n|---|---|---|---|---|---|---|---|\n";
    for (const PairVote &v : r.votes)
        md += "| " + std::to_string(v.prompt + 1) + " | "
            + markdownCell(contextText(r.dialogues[v.prompt])) + " | "
            + markdownCell(r.dialogues[v.prompt].reference) + " | "
            + markdownCell(r.models[std::size_t(v.left)].name) + " | "
            + markdownCell(r.models[std::size_t(v.right)].name) + " | "
            + markdownCell(replyOf(r, v.prompt, v.left)) + " | "
            + markdownCell(replyOf(r, v.prompt, v.right)) + " | " + markdownCell(verdictText(r, v))
            + " |\n";
    return md;
}

std::string comparisonToCsv(const ComparisonRecord &r)
{
    checkVotes(r);
    // One row per dialogue; each pair of models that was judged adds two columns: which model
    // was shown on the left, and the vote.
    std::vector<std::pair<int, int>> pairs;
    for (const PairVote &v : r.votes) {
        const std::pair<int, int> p { std::min(v.left, v.right), std::max(v.left, v.right) };
        if (std::find(pairs.begin(), pairs.end(), p) == pairs.end())
            pairs.push_back(p);
    }
    std::sort(pairs.begin(), pairs.end());
    std::string csv = "\"#\",\"prompt\",\"reference\"";
    for (const ComparedModel &m : r.models)
        csv += "," + csvField(modelLabel(m));
    for (const auto &[a, b] : pairs) {
        const std::string pair
            = r.models[std::size_t(a)].name + " vs " + r.models[std::size_t(b)].name;
        csv += "," + csvField(pair + ": left") + "," + csvField(pair + ": vote");
    }
    csv += "\r\n";
    for (std::size_t i = 0; i < r.dialogues.size(); ++i) {
        csv += std::to_string(i + 1) + "," + csvField(contextText(r.dialogues[i])) + ","
            + csvField(r.dialogues[i].reference);
        for (std::size_t m = 0; m < r.models.size(); ++m)
            csv += "," + csvField(replyOf(r, i, int(m)));
        for (const auto &[a, b] : pairs) {
            const PairVote *found = nullptr;
            for (const PairVote &v : r.votes)
                if (v.prompt == i && std::min(v.left, v.right) == a
                    && std::max(v.left, v.right) == b)
                    found = &v;
            csv += found ? "," + csvField(r.models[std::size_t(found->left)].name) + ","
                    + csvField(verdictText(r, *found))
                         : std::string(",,");
        }
        csv += "\r\n";
    }
    return csv;
}

ComparisonFormat comparisonFormatOf(const std::filesystem::path &file)
{
    std::string ext = file.extension().string();
    for (char &c : ext)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".json")
        return ComparisonFormat::Json;
    if (ext == ".csv")
        return ComparisonFormat::Csv;
    return ComparisonFormat::Markdown;
}

void writeComparison(
    const std::filesystem::path &file, const ComparisonRecord &record, ComparisonFormat format)
{
    const std::string text = format == ComparisonFormat::Json ? comparisonToJson(record)
        : format == ComparisonFormat::Csv                     ? comparisonToCsv(record)
                                                              : comparisonToMarkdown(record);
    writeFileAtomically(file, text);
}

} // namespace chatbench
