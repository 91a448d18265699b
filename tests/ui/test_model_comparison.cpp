// The Model Comparison pane fed as the engine thread feeds it (no engine needed): the headers
// name each checkpoint, progress shows n / N prompts and what a cancel kept, and blind A/B hides
// the names, metrics and lengths until the last vote, takes its votes from the keys, records
// which model sat on which side, saves them as they come, reveals win rates that match a hand
// count and exports them.

#include "chatbench/comparison_record.h"
#include "model_comparison.h"

#include <QCheckBox>
#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using namespace chatbench::ui;
using chatbench::Verdict;

namespace {

ChatModelSpecs specs(const QStringList &names)
{
    ChatModelSpecs out;
    for (const QString &n : names) {
        ChatModelSpec s;
        s.name = n;
        out << s;
    }
    return out;
}

chatbench::PromptSet prompts(int count)
{
    chatbench::PromptSet set;
    for (int i = 0; i < count; ++i)
        set.dialogues.push_back({ { "问题" + std::to_string(i) }, "参考" + std::to_string(i) });
    set.hasReferences = true;
    return set;
}

// Model m's reply to prompt p: says whose it is, so a test can tell the sides apart.
QString replyOf(int prompt, int model)
{
    return QStringLiteral("reply-%1-of-model-%2").arg(prompt).arg(model);
}

// Runs a whole comparison through the pane's slots, as the engine thread's signals would.
void runComparison(
    ModelComparison &pane, const QStringList &names, int promptCount, int answered = -1)
{
    pane.begin(specs(names), prompts(promptCount));
    LoadedModels loaded;
    for (int m = 0; m < names.size(); ++m)
        loaded << LoadedModel { names[m], "/runs/" + names[m] + "/checkpoints/step-108", 108 };
    pane.onModelsLoaded(loaded);
    const int rows = answered < 0 ? promptCount : answered;
    pane.onProgress(0, promptCount);
    for (int p = 0; p < rows; ++p) {
        for (int m = 0; m < names.size(); ++m)
            pane.onReply(p, m, replyOf(p, m));
        pane.onProgress(p + 1, promptCount);
    }
    if (rows > 0)
        for (int m = 0; m < names.size(); ++m)
            pane.onMetrics(m, chatbench::TextMetrics { 0.5, 0.6, 0.1, 0.05, 7.0, 0 });
    pane.onFinished(rows < promptCount);
}

// The model whose reply the judging panel shows on the given side ("A" or "B").
int shownModel(const ModelComparison &pane, int side)
{
    const QStringList lines = pane.judgingText().split('\n');
    for (int i = 0; i + 1 < lines.size(); ++i)
        if (lines[i] == (side == 0 ? "<b>A</b>" : "<b>B</b>"))
            return lines[i + 1].section("-of-model-", 1).toInt();
    return -1;
}

} // namespace

class TestModelComparison : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void headersNameTheCheckpoints()
    {
        ModelComparison pane;
        runComparison(pane, { "scratch", "fine-tuned" }, 2);
        QCOMPARE(pane.repliesTable()->columnCount(), 4);
        QCOMPARE(pane.repliesTable()->horizontalHeaderItem(1)->text(), QString("Reference"));
        QCOMPARE(
            pane.repliesTable()->horizontalHeaderItem(3)->text(), QString("fine-tuned · step-108"));
        QCOMPARE(pane.metricsTable()->item(0, 0)->text(), QString("scratch · step-108"));
        QCOMPARE(pane.repliesTable()->item(1, 1)->text(), QString("参考1"));
        QVERIFY(!pane.repliesTable()->isHidden()); // not blind: named from the start
    }

    void progressCountsPromptsAndKeepsACancelledRun()
    {
        ModelComparison pane;
        pane.begin(specs({ "a", "b" }), prompts(8));
        QVERIFY(!pane.blindBox()->isEnabled()); // chosen before Compare, fixed while it runs
        pane.onProgress(0, 8);
        QCOMPARE(pane.progressText(), QString("0 / 8 prompts"));
        QTest::qWait(20);
        pane.onProgress(2, 8);
        QVERIFY2(pane.progressText().startsWith("2 / 8 prompts · about 0:0"),
            qPrintable(pane.progressText()));
        for (int m = 0; m < 2; ++m)
            pane.onReply(1, m, replyOf(1, m));
        pane.onFinished(true);
        QVERIFY(pane.blindBox()->isEnabled());
        QCOMPARE(pane.progressText(), QString("Stopped: 2 of 8 prompts answered, their rows kept"));
        QCOMPARE(pane.repliesTable()->item(1, 3)->text(), replyOf(1, 1));
    }

    void blindHidesNamesUntilTheLastVote()
    {
        ModelComparison pane;
        pane.resize(900, 700);
        pane.show();
        pane.blindBox()->setChecked(true);
        runComparison(pane, { "scratch", "fine-tuned" }, 3);
        QVERIFY(pane.judging());
        QVERIFY(pane.repliesTable()->isHidden());
        QVERIFY(pane.metricsTable()->isHidden());
        const auto hidesNames = [&pane] {
            const QString shown = pane.judgingText();
            return !shown.contains("scratch") && !shown.contains("fine-tuned")
                && !shown.contains("step-108") && pane.revealText().isEmpty();
        };
        QVERIFY2(hidesNames(), qPrintable(pane.judgingText()));
        QCOMPARE(pane.judgingProgress(), QString("0 / 3"));
        QVERIFY(pane.judgingText().contains(QStringLiteral("问题0")));

        // The keys: ← votes, Backspace takes it back, ↓ ↑ → vote.
        QTest::keyClick(pane.judgingPanel(), Qt::Key_Left);
        QCOMPARE(pane.judgingProgress(), QString("1 / 3"));
        QVERIFY(hidesNames());
        QTest::keyClick(pane.judgingPanel(), Qt::Key_Backspace);
        QCOMPARE(pane.judgingProgress(), QString("0 / 3"));
        QCOMPARE(pane.record().votes.size(), std::size_t(0));
        QTest::keyClick(pane.judgingPanel(), Qt::Key_Down);
        QTest::keyClick(pane.judgingPanel(), Qt::Key_Up);
        QVERIFY(hidesNames());
        QVERIFY(pane.repliesTable()->isHidden());
        QTest::keyClick(pane.judgingPanel(), Qt::Key_Right);

        QVERIFY(pane.revealed());
        QVERIFY(!pane.judging());
        QVERIFY(!pane.repliesTable()->isHidden());
        QVERIFY(!pane.metricsTable()->isHidden());
        QVERIFY(pane.revealText().contains("scratch · step-108"));
        QVERIFY(pane.revealText().contains("fine-tuned · step-108"));
        const auto &votes = pane.record().votes;
        QCOMPARE(votes.size(), std::size_t(3));
        QVERIFY(votes[0].verdict == Verdict::Tie);
        QVERIFY(votes[1].verdict == Verdict::BothBad);
        QVERIFY(votes[2].verdict == Verdict::RightBetter);
        QVERIFY(!pane.vote(Verdict::Tie)); // judging is over
        QVERIFY(!pane.undo());
    }

    void recordsVotesWithTheSidesShown()
    {
        ModelComparison pane;
        pane.blindBox()->setChecked(true);
        pane.setJudgingSeed(7);
        runComparison(pane, { "a", "b" }, 40);
        int leftFirst = 0;
        for (int i = 0; i < 40; ++i) {
            const int left = shownModel(pane, 0), right = shownModel(pane, 1);
            QVERIFY2(left >= 0 && right >= 0 && left != right, qPrintable(pane.judgingText()));
            QVERIFY(pane.vote(i % 2 ? Verdict::LeftBetter : Verdict::RightBetter));
            const chatbench::PairVote &v = pane.record().votes.back();
            QCOMPARE(v.prompt, std::size_t(i));
            QCOMPARE(v.left, left);
            QCOMPARE(v.right, right);
            leftFirst += left == 0;
        }
        // Sides drawn per prompt: with 40 prompts both orders turn up.
        QVERIFY2(leftFirst > 5 && leftFirst < 35, qPrintable(QString::number(leftFirst)));

        // The same seed gives the same sides.
        ModelComparison again;
        again.blindBox()->setChecked(true);
        again.setJudgingSeed(7);
        runComparison(again, { "a", "b" }, 40);
        for (int i = 0; i < 40; ++i) {
            QCOMPARE(shownModel(again, 0), pane.record().votes[std::size_t(i)].left);
            again.vote(Verdict::Tie);
        }
    }

    void winRatesMatchAHandCount()
    {
        ModelComparison pane;
        pane.blindBox()->setChecked(true);
        runComparison(pane, { "scratch", "fine-tuned" }, 5);
        // fine-tuned wins 3, one tie, one both bad: (3 + 1/2) / 5 = 70.0%; scratch
        // (0 + 1/2) / 5 = 10.0%. Wilson 95% of 3.5 of 5: centre (0.7 + 0.38416) / 1.76832 =
        // 0.613102, half 1.96 · sqrt(0.042 + 0.038416) / 1.76832 = 0.314316: 29.9–92.7%.
        const Verdict plan[] = { Verdict::Tie, Verdict::BothBad };
        for (int i = 0; i < 5; ++i) {
            if (i < 3)
                pane.vote(shownModel(pane, 0) == 1 ? Verdict::LeftBetter : Verdict::RightBetter);
            else
                pane.vote(plan[i - 3]);
        }
        QVERIFY(pane.revealed());
        const QString reveal = pane.revealText();
        QVERIFY2(reveal.contains("<td>fine-tuned · step-108</td><td>3</td><td>0</td><td>1</td>"
                                 "<td>1</td><td>70.0%</td><td>29.9–92.7%</td>"),
            qPrintable(reveal));
        QVERIFY2(reveal.contains("<td>scratch · step-108</td><td>0</td><td>3</td><td>1</td>"
                                 "<td>1</td><td>10.0%</td>"),
            qPrintable(reveal));
        QVERIFY(!reveal.contains("Rating")); // two models: no ratings
    }

    void threeModelsJudgeEveryPairAndGetRatings()
    {
        ModelComparison pane;
        pane.blindBox()->setChecked(true);
        runComparison(pane, { "a", "b", "c" }, 2);
        QCOMPARE(pane.judgingProgress(), QString("0 / 6")); // 3 pairs per prompt
        QSet<QPair<int, int>> pairs;
        while (pane.judging()) {
            const int left = shownModel(pane, 0), right = shownModel(pane, 1);
            pairs.insert({ qMin(left, right), qMax(left, right) });
            // a beats everyone, b beats c.
            const int winner = qMin(left, right);
            QVERIFY(pane.vote(winner == left ? Verdict::LeftBetter : Verdict::RightBetter));
        }
        QCOMPARE(pairs.size(), 3);
        const QString reveal = pane.revealText();
        QVERIFY2(reveal.contains("Rating") && reveal.contains("Bradley–Terry"), qPrintable(reveal));
    }

    void cancelledBlindRunJudgesTheFinishedRows()
    {
        ModelComparison pane;
        pane.blindBox()->setChecked(true);
        runComparison(pane, { "a", "b" }, 6, 2);
        QCOMPARE(pane.judgingProgress(), QString("0 / 2"));
        QVERIFY(pane.repliesTable()->isHidden());
        pane.vote(Verdict::Tie);
        pane.vote(Verdict::Tie);
        QVERIFY(pane.revealed());
    }

    void exportsCarryReferencesAndVotes()
    {
        ModelComparison pane;
        QSignalSpy errors(&pane, &ModelComparison::error);
        pane.blindBox()->setChecked(true);
        pane.setJudgingSeed(3);
        runComparison(pane, { "scratch", "fine-tuned" }, 2);
        pane.vote(Verdict::LeftBetter);
        pane.vote(Verdict::BothBad);
        const int firstLeft = pane.record().votes[0].left;
        const QString leftName = firstLeft == 0 ? "scratch" : "fine-tuned";

        const QString csv = pane.toCsv();
        QVERIFY2(csv.contains(QStringLiteral("1,\"问题0\",\"参考0\",\"reply-0-of-model-0\","
                                             "\"reply-0-of-model-1\",\"%1\",\"%1 better\"")
                                  .arg(leftName)),
            qPrintable(csv));
        const QString md = pane.toMarkdown();
        QVERIFY2(
            md.contains("| 2 | 问题1 | 参考1 |") && md.contains("| both bad |"), qPrintable(md));

        QTemporaryDir dir;
        QVERIFY(pane.exportTo(dir.filePath("votes.json")));
        QFile json(dir.filePath("votes.json"));
        QVERIFY(json.open(QIODevice::ReadOnly));
        const chatbench::ComparisonRecord back
            = chatbench::comparisonFromJson(json.readAll().toStdString(), "votes.json");
        QCOMPARE(back.votes.size(), std::size_t(2));
        QCOMPARE(back.votes[0].left, firstLeft);
        QCOMPARE(back.dialogues[1].reference, std::string("参考1"));
        QCOMPARE(back.models[1].step, std::int64_t(108));
        QVERIFY(back.blind);
        QCOMPARE(back.judgingSeed, quint64(3));
        QVERIFY(pane.exportTo(dir.filePath("votes.csv")));
        QVERIFY(pane.exportTo(dir.filePath("votes.md")));
        QCOMPARE(errors.count(), 0);
        QVERIFY(!pane.exportTo("/nonexistent/folder/votes.md"));
        QCOMPARE(errors.count(), 1);
        QVERIFY2(errors.first().at(1).toString().contains("/nonexistent/folder/votes.md"),
            qPrintable(errors.first().at(1).toString()));
    }

    void votesAreSavedAsTheyAreCast()
    {
        QTemporaryDir dir;
        ModelComparison pane;
        QSignalSpy errors(&pane, &ModelComparison::error);
        pane.setVotesFolder(dir.filePath("comparisons")); // made when the first vote comes
        pane.blindBox()->setChecked(true);
        runComparison(pane, { "scratch", "fine-tuned" }, 3);
        QVERIFY(pane.votesFile().isEmpty());
        const auto saved = [&pane] {
            QFile file(pane.votesFile());
            if (!file.open(QIODevice::ReadOnly))
                return chatbench::ComparisonRecord {};
            return chatbench::comparisonFromJson(file.readAll().toStdString(), "saved");
        };
        pane.vote(Verdict::LeftBetter);
        QVERIFY2(pane.votesFile().startsWith(dir.filePath("comparisons/blind-")),
            qPrintable(pane.votesFile()));
        QCOMPARE(saved().votes.size(), std::size_t(1));
        pane.vote(Verdict::Tie);
        pane.undo();
        QCOMPARE(saved().votes.size(), std::size_t(1));
        pane.vote(Verdict::BothBad);
        pane.vote(Verdict::RightBetter);
        const chatbench::ComparisonRecord record = saved();
        QCOMPARE(record.votes.size(), std::size_t(3));
        QVERIFY(record.votes[1].verdict == Verdict::BothBad);
        QCOMPARE(record.dialogues[2].reference, std::string("参考2"));
        QCOMPARE(*record.replies[2][1], replyOf(2, 1).toStdString());
        QVERIFY(pane.revealText().contains(pane.votesFile()));
        QCOMPARE(errors.count(), 0);

        // A folder that cannot be made: said once, and the judging goes on.
        ModelComparison stuck;
        QSignalSpy stuckErrors(&stuck, &ModelComparison::error);
        stuck.setVotesFolder("/proc/no-such-folder");
        stuck.blindBox()->setChecked(true);
        runComparison(stuck, { "a", "b" }, 2);
        QVERIFY(stuck.vote(Verdict::Tie));
        QVERIFY(stuck.vote(Verdict::Tie));
        QCOMPARE(stuckErrors.count(), 1);
        QVERIFY2(stuckErrors.first().at(1).toString().startsWith("/proc/no-such-folder"),
            qPrintable(stuckErrors.first().at(1).toString()));
        QVERIFY(stuck.revealed());
    }

    void exportWaitsForTheReveal()
    {
        ModelComparison pane;
        pane.blindBox()->setChecked(true);
        runComparison(pane, { "a", "b" }, 1);
        QPushButton *exportButton = nullptr;
        for (QPushButton *b : pane.findChildren<QPushButton *>())
            if (b->text() == "Export…")
                exportButton = b;
        QVERIFY(exportButton);
        QVERIFY(!exportButton->isEnabled()); // an export would name the models
        pane.vote(Verdict::Tie);
        QVERIFY(exportButton->isEnabled());
    }

    void blindNeedsTwoModels()
    {
        ModelComparison pane;
        QSignalSpy errors(&pane, &ModelComparison::error);
        pane.blindBox()->setChecked(true);
        runComparison(pane, { "alone" }, 2);
        QCOMPARE(errors.count(), 1);
        QVERIFY(!pane.judging());
        QVERIFY(!pane.repliesTable()->isHidden());
    }
};

QTEST_MAIN(TestModelComparison)
#include "test_model_comparison.moc"
