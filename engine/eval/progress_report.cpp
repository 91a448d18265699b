#include "chatbench/progress_report.h"

#include "chatbench/atomic_file.h"
#include "eval/markdown_cell.h"
#include "io/html_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

namespace fs = std::filesystem;

namespace chatbench {

std::vector<EpochRow> epochTable(const std::vector<TrainingEvent> &events)
{
    std::map<std::int64_t, const TrainingEvent *> validAt;
    for (const auto &e : events)
        if (e.event == EventKind::Valid)
            validAt[e.step] = &e;
    std::map<int, EpochRow> rows; // by epoch: a run that redid an epoch keeps the later row
    for (const auto &e : events) {
        if (e.event != EventKind::Epoch)
            continue;
        EpochRow r;
        r.epoch = int(std::lround(e.epoch));
        r.step = e.step;
        r.trainLoss = e.loss;
        r.trainAcc = e.acc;
        if (auto it = validAt.find(e.step); it != validAt.end()) {
            r.validLoss = it->second->loss;
            r.validPpl
                = std::isfinite(it->second->ppl) ? it->second->ppl : std::exp(it->second->loss);
            r.validAcc = it->second->acc;
        }
        rows[r.epoch] = r;
    }
    std::vector<EpochRow> out;
    for (const auto &[epoch, row] : rows)
        out.push_back(row);
    return out;
}

double ReportRun::averageLoss() const
{
    double sum = 0;
    int n = 0;
    for (const auto &r : epochs)
        if (std::isfinite(r.trainLoss)) {
            sum += r.trainLoss;
            ++n;
        }
    return n ? sum / n : TrainingEvent::none;
}

double ReportRun::lastAccuracy() const
{
    return epochs.empty() ? TrainingEvent::none : epochs.back().trainAcc;
}

namespace {

std::string fixed(double v, int digits = 4)
{
    if (!std::isfinite(v))
        return "–";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

const char *kSlide = "\n----\n\n";

std::string base64(const std::string &bytes)
{
    static const char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = unsigned(static_cast<unsigned char>(bytes[i])) << 16
            | unsigned(static_cast<unsigned char>(bytes[i + 1])) << 8
            | unsigned(static_cast<unsigned char>(bytes[i + 2]));
        out += { table[v >> 18], table[(v >> 12) & 63], table[(v >> 6) & 63], table[v & 63] };
    }
    if (i < bytes.size()) {
        unsigned v = unsigned(static_cast<unsigned char>(bytes[i])) << 16;
        if (i + 1 < bytes.size())
            v |= unsigned(static_cast<unsigned char>(bytes[i + 1])) << 8;
        out += table[v >> 18];
        out += table[(v >> 12) & 63];
        out += i + 1 < bytes.size() ? table[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

// The deck's content as (heading, body) slides, each body in a small table-or-text form that
// both renderings share.
struct Table
{
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
};

std::string tableMarkdown(const Table &t)
{
    std::ostringstream s;
    s << "|";
    for (const auto &h : t.header)
        s << " " << h << " |";
    s << "\n|";
    for (std::size_t i = 0; i < t.header.size(); ++i)
        s << "---|";
    s << "\n";
    for (const auto &r : t.rows) {
        s << "|";
        for (const auto &c : r)
            s << " " << markdownCell(c) << " |";
        s << "\n";
    }
    return s.str();
}

std::string tableHtml(const Table &t)
{
    std::ostringstream s;
    s << "<table><tr>";
    for (const auto &h : t.header)
        s << "<th>" << htmlEscape(h) << "</th>";
    s << "</tr>";
    for (const auto &r : t.rows) {
        s << "<tr>";
        for (const auto &c : r)
            s << "<td>" << htmlEscape(c) << "</td>";
        s << "</tr>";
    }
    s << "</table>\n";
    return s.str();
}

Table datasetTable(const ProgressReport &r)
{
    Table t { { "dataset", "size" }, {} };
    for (const auto &[name, size] : r.datasets)
        t.rows.push_back({ name, size });
    return t;
}

Table lossTable(const ProgressReport &r)
{
    Table t { { "run", "average training loss", "epochs" }, {} };
    for (const auto &run : r.runs)
        t.rows.push_back({ run.name, fixed(run.averageLoss()), std::to_string(run.epochs.size()) });
    return t;
}

Table accuracyTable(const ProgressReport &r)
{
    Table t { { "run", "last-epoch accuracy" }, {} };
    for (const auto &run : r.runs)
        t.rows.push_back({ run.name, fixed(run.lastAccuracy()) });
    return t;
}

Table epochsTable(const ProgressReport &r)
{
    Table t { { "run", "epoch", "train loss", "train acc", "valid loss", "valid ppl" }, {} };
    for (const auto &run : r.runs)
        for (const auto &e : run.epochs)
            t.rows.push_back({ run.name, std::to_string(e.epoch), fixed(e.trainLoss),
                fixed(e.trainAcc), fixed(e.validLoss), fixed(e.validPpl, 2) });
    return t;
}

// Prompt by prompt, so how each run's reply changed reads down the rows.
Table probesTable(const ProgressReport &r)
{
    Table t { { "prompt", "run", "step", "reply" }, {} };
    std::vector<std::string> prompts;
    for (const auto &run : r.runs)
        for (const ProbeReply &p : run.probes)
            if (std::find(prompts.begin(), prompts.end(), p.prompt()) == prompts.end())
                prompts.push_back(p.prompt());
    for (const std::string &prompt : prompts)
        for (const auto &run : r.runs)
            for (const ProbeReply &p : run.probes)
                if (p.prompt() == prompt)
                    t.rows.push_back({ prompt, run.name, std::to_string(p.step), p.reply });
    return t;
}

bool hasProbes(const ProgressReport &r)
{
    return std::any_of(
        r.runs.begin(), r.runs.end(), [](const ReportRun &run) { return !run.probes.empty(); });
}

const char *kProbesNote = "Each run's greedy replies to its probe prompts at its first, middle "
                          "and last evaluation (probes.jsonl).";

Table comparisonTable(const ProgressReport &r)
{
    Table t {
        { "model", "distinct-1", "distinct-2", "BLEU-2", "BLEU-4", "mean length", "valid ppl" }, {}
    };
    for (const auto &c : r.comparison)
        t.rows.push_back({ c.model, fixed(c.metrics.distinct1), fixed(c.metrics.distinct2),
            fixed(c.metrics.bleu2), fixed(c.metrics.bleu4), fixed(c.metrics.meanLength, 1),
            fixed(c.validPpl, 2) });
    return t;
}

} // namespace

std::string reportMarkdown(const ProgressReport &r)
{
    std::ostringstream s;
    s << "# " << r.title << "\n\n" << r.subtitle << "\n" << kSlide;
    s << "## Outline\n\n- Datasets\n- Training loss\n- Accuracy\n- Per-epoch results\n"
      << (hasProbes(r) ? "- Probe replies\n" : "") << "- Demo transcripts\n- Comparison\n"
      << kSlide;
    s << "## Datasets\n\n" << tableMarkdown(datasetTable(r)) << kSlide;
    s << "## Training loss\n\n";
    if (!r.lossPlot.empty())
        s << "![training loss](" << r.lossPlot << ")\n\n";
    s << tableMarkdown(lossTable(r)) << kSlide;
    s << "## Accuracy\n\n";
    if (!r.accuracyPlot.empty())
        s << "![token accuracy](" << r.accuracyPlot << ")\n\n";
    s << tableMarkdown(accuracyTable(r)) << kSlide;
    s << "## Per-epoch results\n\n" << tableMarkdown(epochsTable(r)) << kSlide;
    if (hasProbes(r))
        s << "## Probe replies\n\n"
          << kProbesNote << "\n\n"
          << tableMarkdown(probesTable(r)) << kSlide;
    if (!r.transcript.models.empty())
        s << transcriptToMarkdown(r.transcript) << kSlide;
    s << "## Comparison\n\n" << tableMarkdown(comparisonTable(r));
    if (!r.comparisonNote.empty())
        s << "\n" << r.comparisonNote << "\n";
    return s.str();
}

std::string reportHtml(const ProgressReport &r, const fs::path &dir)
{
    std::ostringstream s;
    auto image = [&](const std::string &file, const char *alt) {
        if (file.empty() || !fs::exists(dir / file))
            return;
        s << "<img alt=\"" << alt << "\" src=\"data:image/png;base64,"
          << base64(readSmallFile(dir / file)) << "\">\n";
    };
    s << "<!DOCTYPE html>\n<html lang=\"zh-Hant\"><head><meta charset=\"utf-8\"><title>"
      << htmlEscape(r.title)
      << "</title><style>body{font-family:'Noto Sans CJK TC',sans-serif;max-width:60em;"
         "margin:auto;padding:1em}section{border-bottom:1px solid #ccc;padding:1em 0}"
         "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .6em}"
         "img{max-width:100%}pre{background:#f4f4f4;padding:.6em}</style></head><body>\n";
    s << "<section><h1>" << htmlEscape(r.title) << "</h1><p>" << htmlEscape(r.subtitle)
      << "</p></section>\n";
    s << "<section><h2>Datasets</h2>" << tableHtml(datasetTable(r)) << "</section>\n";
    s << "<section><h2>Training loss</h2>";
    image(r.lossPlot, "training loss");
    s << tableHtml(lossTable(r)) << "</section>\n<section><h2>Accuracy</h2>";
    image(r.accuracyPlot, "token accuracy");
    s << tableHtml(accuracyTable(r)) << "</section>\n";
    s << "<section><h2>Per-epoch results</h2>" << tableHtml(epochsTable(r)) << "</section>\n";
    if (hasProbes(r))
        s << "<section><h2>Probe replies</h2><p>" << kProbesNote << "</p>"
          << tableHtml(probesTable(r)) << "</section>\n";
    for (std::size_t m = 0; m < r.transcript.models.size(); ++m) {
        s << "<section><h2>Demo – " << htmlEscape(r.transcript.models[m].name) << "</h2><pre>";
        for (const auto &turn : r.transcript.turns)
            s << "user:" << htmlEscape(turn.user)
              << "\nchatbot:" << htmlEscape(m < turn.replies.size() ? turn.replies[m].text : "")
              << "\n";
        s << "</pre></section>\n";
    }
    s << "<section><h2>Comparison</h2>" << tableHtml(comparisonTable(r)) << "<p>"
      << htmlEscape(r.comparisonNote) << "</p></section>\n</body></html>\n";
    return s.str();
}

fs::path writeReport(const ProgressReport &report, const fs::path &dir)
{
    fs::create_directories(dir);
    writeFileAtomically(dir / "report.md", reportMarkdown(report));
    writeFileAtomically(dir / "report.html", reportHtml(report, dir));
    return dir / "report.md";
}

} // namespace chatbench
