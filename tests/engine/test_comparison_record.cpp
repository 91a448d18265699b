// A comparison's record in its three forms: JSON keeps everything (references, replies, sides,
// verdicts) and reads back; Markdown and CSV carry the references and the per-prompt votes; CSV
// quotes as RFC 4180 says; a vote that names no compared model or dialogue is refused.

#include "chatbench/comparison_record.h"
#include "chatbench/error.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <cmath>
#include <fstream>
#include <sstream>

using namespace chatbench;

namespace {

ComparisonRecord sample()
{
    ComparisonRecord r;
    r.models = { { "scratch", "/runs/scratch/checkpoints/step-108", 108,
                     "temperature 1 · top-k 8 · top-p 1 · repetition penalty 1 · seed 0 · fp32" },
        { "fine-tuned", "/models/gpt2", -1, "" } };
    r.dialogues = { { { "你好", "今天怎么样" }, "很好" }, { { "他说\"好\", 然后" }, "a|b" } };
    r.replies = { { std::string("还行"), std::string("很好啊") },
        { std::string("line one\nline two"), std::nullopt } };
    TextMetrics t;
    t.distinct1 = 0.5;
    t.bleu2 = std::nan("");
    r.metrics = { t, std::nullopt };
    r.blind = true;
    r.judgingSeed = 42;
    r.votes = { { 0, 1, 0, Verdict::LeftBetter }, { 1, 0, 1, Verdict::BothBad } };
    return r;
}

} // namespace

class TestComparisonRecord : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void labelsNameTheCheckpoint()
    {
        QCOMPARE(modelLabel({ "scratch", "", 108, "" }), std::string("scratch · step-108"));
        QCOMPARE(modelLabel({ "hub", "", -1, "" }), std::string("hub"));
    }

    void jsonRoundTrip()
    {
        const ComparisonRecord r = sample();
        const std::string text = comparisonToJson(r);
        // The votes are whole on their own: reference and both replies beside the sides.
        QVERIFY2(text.find("\"winner\": \"fine-tuned\"") != std::string::npos, text.c_str());
        QVERIFY(text.find("\"verdict\": \"both bad\"") != std::string::npos);
        const ComparisonRecord back = comparisonFromJson(text, "record.json");
        QCOMPARE(back.models.size(), std::size_t(2));
        QCOMPARE(back.models[0].step, std::int64_t(108));
        QCOMPARE(back.models[1].step, std::int64_t(-1));
        QCOMPARE(back.models[0].checkpoint, r.models[0].checkpoint);
        QCOMPARE(back.models[0].settings, r.models[0].settings); // each model's sampling
        QVERIFY2(comparisonToMarkdown(r).find(r.models[0].settings) != std::string::npos,
            comparisonToMarkdown(r).c_str());
        QCOMPARE(back.dialogues.size(), std::size_t(2));
        QCOMPARE(back.dialogues[0].context, r.dialogues[0].context);
        QCOMPARE(back.dialogues[1].reference, std::string("a|b"));
        QCOMPARE(back.replies.size(), std::size_t(2));
        QCOMPARE(back.replies[1][0], r.replies[1][0]);
        QVERIFY(!back.replies[1][1]);
        QCOMPARE(back.metrics.size(), std::size_t(2));
        QVERIFY(back.metrics[0] && std::isnan(back.metrics[0]->bleu2));
        QCOMPARE(back.metrics[0]->distinct1, 0.5);
        QVERIFY(!back.metrics[1]);
        QVERIFY(back.blind);
        QCOMPARE(back.judgingSeed, std::uint64_t(42));
        QCOMPARE(back.votes.size(), std::size_t(2));
        QCOMPARE(back.votes[0].left, 1);
        QCOMPARE(back.votes[0].right, 0);
        QVERIFY(back.votes[0].verdict == Verdict::LeftBetter);
        QVERIFY(back.votes[1].verdict == Verdict::BothBad);
    }

    void badJsonIsNamed()
    {
        try {
            comparisonFromJson("{\"format\": \"other\"}", "x.json");
            QFAIL("no error");
        } catch (const Error &e) {
            QVERIFY2(std::string(e.what()).rfind("x.json: not a ChatBench comparison", 0) == 0,
                e.what());
        }
        std::string text = comparisonToJson(sample());
        text.replace(text.find("\"both bad\""), 10, "\"maybe\"");
        QVERIFY_THROWS_EXCEPTION(Error, comparisonFromJson(text, "y.json"));
        ComparisonRecord r = sample();
        r.votes.push_back({ 5, 0, 1, Verdict::Tie }); // no dialogue 6
        QVERIFY_THROWS_EXCEPTION(Error, comparisonToJson(r));
    }

    void markdownHasReferencesAndVotes()
    {
        const std::string md = comparisonToMarkdown(sample());
        QVERIFY2(md.find("| # | prompt | reference | scratch · step-108 | fine-tuned |")
                != std::string::npos,
            md.c_str());
        QVERIFY(md.find("| 1 | 你好 / 今天怎么样 | 很好 | 还行 | 很好啊 |") != std::string::npos);
        QVERIFY(md.find("a\\|b") != std::string::npos); // an escaped pipe, not a new cell
        QVERIFY(md.find("line one line two") != std::string::npos);
        // Votes: fine-tuned shown left won prompt 1; prompt 2 both bad.
        QVERIFY(md.find("| 1 | 你好 / 今天怎么样 | 很好 | fine-tuned | scratch | 很好啊 | 还行 | "
                        "fine-tuned better |")
            != std::string::npos);
        QVERIFY(md.find("| both bad |") != std::string::npos);
        // fine-tuned: 1 win, 1 both bad: 50%; scratch: 0 of 2.
        QVERIFY(md.find("| fine-tuned | 1 | 0 | 0 | 1 | 50.0% |") != std::string::npos);
        QVERIFY(md.find("| scratch · step-108 | 0 | 1 | 0 | 1 | 0.0% |") != std::string::npos);
        QVERIFY(md.find("rating") == std::string::npos); // two models: no ratings
    }

    void csvQuotesAsRfc4180()
    {
        const std::string csv = comparisonToCsv(sample());
        std::istringstream lines(csv);
        std::string header, row1;
        std::getline(lines, header);
        std::getline(lines, row1);
        QCOMPARE(header,
            std::string("\"#\",\"prompt\",\"reference\",\"scratch · step-108\",\"fine-tuned\","
                        "\"scratch vs fine-tuned: left\",\"scratch vs fine-tuned: vote\"\r"));
        QCOMPARE(row1,
            std::string("1,\"你好 / 今天怎么样\",\"很好\",\"还行\",\"很好啊\",\"fine-tuned\","
                        "\"fine-tuned better\"\r"));
        // A doubled quote inside a field, and a line break kept inside its quotes.
        QVERIFY(csv.find("\"他说\"\"好\"\", 然后\"") != std::string::npos);
        QVERIFY(csv.find("\"line one\nline two\",\"\",\"scratch\",\"both bad\"\r\n")
            != std::string::npos);
    }

    void writesByExtension()
    {
        QTemporaryDir dir;
        QCOMPARE(comparisonFormatOf("a.JSON"), ComparisonFormat::Json);
        QCOMPARE(comparisonFormatOf("a.csv"), ComparisonFormat::Csv);
        QCOMPARE(comparisonFormatOf("a.md"), ComparisonFormat::Markdown);
        const std::string file = dir.filePath("votes.json").toStdString();
        writeComparison(file, sample(), ComparisonFormat::Json);
        std::ifstream in(file);
        std::stringstream text;
        text << in.rdbuf();
        QCOMPARE(comparisonFromJson(text.str(), file).votes.size(), std::size_t(2));
        QVERIFY_THROWS_EXCEPTION(
            Error, writeComparison("/nonexistent/dir/x.md", sample(), ComparisonFormat::Markdown));
    }
};

QTEST_MAIN(TestComparisonRecord)
#include "test_comparison_record.moc"
