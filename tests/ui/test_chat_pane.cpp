// The Chat pane against a real checkpoint (the tiny GPT-2 fixture with a BERT vocab): the engine
// thread loads it, a typed line gets a reply streamed token by token into the model's column,
// regenerate redraws it, and the transcript saves as JSON and report-style Markdown.

#include "chat_pane.h"
#include "chat_service.h"
#include "comparison_service.h"
#include "conversation_grid.h"
#include "engine_thread.h"
#include "main_window.h"
#include "message_text.h"
#include "model_comparison.h"
#include "new_run_dialog.h"
#include "run_list.h"
#include "shortcuts_dialog.h"
#include "training_monitor.h"

#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolButton>
#include <QtTest/QtTest>
#include <nlohmann/json.hpp>

using namespace chatbench::ui;

namespace {

// Turns "line N" answered "reply N" by one model.
ChatTurns numberedTurns(std::size_t count)
{
    ChatTurns turns(count);
    for (std::size_t t = 0; t < count; ++t) {
        turns[t].user = "line " + std::to_string(t);
        turns[t].replies.resize(1);
        turns[t].replies[0].text = "reply " + std::to_string(t);
    }
    return turns;
}

} // namespace

class TestChatPane : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("ChatBenchTest");
        QCoreApplication::setApplicationName("test_chat_pane");
        QSettings().clear();
    }

    void streamsAReplyFromTheFixture()
    {
        const QString fixture = QStringLiteral(CHATBENCH_FIXTURES_DIR "/tiny-gpt2-zh");
        QVERIFY2(QFileInfo::exists(fixture + "/config.json"), qPrintable(fixture));
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        ChatPane *chat = window.chatPane();
        ChatModelSpec spec;
        spec.name = "tiny";
        spec.source = fixture;
        spec.maxNewTokens = 12;
        spec.seed = 7;
        QCOMPARE(chat->columns().size(), 1);
        chat->columns()[0]->setSpec(spec);
        ChatModelSpec second = spec;
        second.name = "tiny-greedy";
        second.temperature = 0; // greedy
        chat->addColumn(&second);

        QSignalSpy loaded(window.engine()->chat(), &ChatService::modelsLoaded);
        QSignalSpy tokens(window.engine()->chat(), &ChatService::token);
        QSignalSpy finished(chat, &ChatPane::turnFinished);
        QSignalSpy errors(window.engine()->chat(), &ChatService::error);
        chat->input()->setText(QStringLiteral("你好，今天天气很好"));
        chat->send();
        QVERIFY(chat->isBusy());
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1 || errors.count() > 0, 30000);
        QVERIFY2(
            errors.isEmpty(), errors.isEmpty() ? "" : qPrintable(errors.first().at(1).toString()));
        QCOMPARE(loaded.count(), 1);
        const auto models = loaded.first().at(0).value<LoadedModels>();
        QCOMPARE(models.size(), 2);
        QVERIFY(models.first().folder.endsWith("tiny-gpt2-zh"));
        QCOMPARE(models.first().step, qint64(-1)); // a model folder has no step
        QVERIFY2(tokens.count() >= 2, "tokens arrive one by one");
        QVERIFY(!chat->isBusy());
        const QString column = chat->conversationText(0);
        QVERIFY2(column.contains(QStringLiteral("user: 你好，今天天气很好")), qPrintable(column));
        QVERIFY2(column.contains("chatbot:"), qPrintable(column));
        const QString reply = column.section("chatbot:", 1).trimmed();
        QVERIFY2(!reply.isEmpty(), qPrintable(column));
        // The streamed text is the final reply's prefix (each token signal carries the text so
        // far for one column).
        const auto lastToken = tokens.last();
        QVERIFY(lastToken.at(2).toString().size() > 0);
        // Both columns stream together: each has tokens before the other's last one.
        QVector<int> order;
        for (const auto &t : tokens)
            order << t.at(1).toInt();
        qInfo("token order: %s", qPrintable([&] {
            QStringList s;
            for (int m : order)
                s << QString::number(m);
            return s.join(' ');
        }()));
        QVERIFY(order.indexOf(1) >= 0 && order.indexOf(0) >= 0);
        QVERIFY(order.indexOf(1) < order.lastIndexOf(0));
        QVERIFY(order.indexOf(0) < order.lastIndexOf(1));
        // Tokens come at most every 25 ms per column, but each column's last one is its reply.
        for (int m = 0; m < 2; ++m) {
            QString last;
            for (const auto &t : tokens)
                if (t.at(1).toInt() == m)
                    last = t.at(2).toString();
            QCOMPARE(last.toStdString(), chat->conversation()->turns()[0].replies[m].text);
        }
        // Each reply says how many tokens, how fast and why it stopped.
        const QString footer = chat->conversation()->replyFooter(0, 0);
        QVERIFY2(footer.contains("token") && footer.contains("tok/s"), qPrintable(footer));
        window.panes()->setCurrentWidget(chat);
        window.grab().save(QDir::temp().filePath("test_chat_pane.png"));
        qInfo("column 1: %s", qPrintable(column));
        qInfo("column 2: %s", qPrintable(chat->conversationText(1)));

        // Regenerate draws the last turn again (new seed) and keeps the first replies as
        // version 1 of 2; the user line stays.
        const std::string firstReply = chat->conversation()->turns()[0].replies[0].text;
        chat->regenerate();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 30000);
        QTRY_COMPARE(chat->conversation()->turns()[0].versions[0].size(), std::size_t(2));
        QVERIFY(chat->conversationText(0).contains(QStringLiteral("你好")));
        QCOMPARE(chat->conversation()->turns()[0].shown[0], std::size_t(1));
        QCOMPARE(chat->conversation()->turns()[0].versions[0][0].text, firstReply);
        // ‹ goes back to the first version, in the engine's session too.
        Q_EMIT chat->conversation()->versionRequested(0, 0, 0);
        QTRY_COMPARE(chat->conversation()->turns()[0].shown[0], std::size_t(0));
        QCOMPARE(chat->conversation()->turns()[0].replies[0].text, firstReply);

        // Editing the last line answers the edited line instead (still one turn).
        chat->editLastTurn();
        QCOMPARE(chat->input()->text(), QStringLiteral("你好，今天天气很好"));
        chat->input()->setText(QStringLiteral("明天见"));
        chat->send();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 3, 30000);
        QTRY_VERIFY(chat->conversationText(0).contains(QStringLiteral("user: 明天见")));
        const QString edited = chat->conversationText(0);
        QVERIFY2(!edited.contains(QStringLiteral("天气很好")), qPrintable(edited));

        // A second line: the engine sends only the turn answered, and the grid keeps the first.
        QSignalSpy conversation(window.engine()->chat(), &ChatService::conversation);
        chat->input()->setText(QStringLiteral("再见"));
        chat->send();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 4, 30000);
        QVERIFY(!conversation.isEmpty());
        QCOMPARE(conversation.last().at(0).toInt(), 1);
        QCOMPARE(conversation.last().at(1).value<ChatTurns>().size(), std::size_t(1));
        QTRY_COMPARE(chat->conversation()->turns().size(), std::size_t(2));
        QCOMPARE(chat->conversation()->turns()[0].user, std::string("明天见"));
        QCOMPARE(chat->conversation()->turns()[1].user, std::string("再见"));
        QVERIFY(chat->conversation()->turns()[1].answeredBy(0));
        QVERIFY(chat->conversation()->turns()[1].answeredBy(1));

        // Save the transcript as JSON and report-style Markdown, on the engine thread: each
        // column's run, step and sampling settings are in both.
        QTemporaryDir dir;
        QSignalSpy saved(window.engine()->chat(), &ChatService::transcriptSaved);
        Q_EMIT chat->saveRequested(dir.filePath("chat.json"), chatbench::TranscriptFormat::Json);
        Q_EMIT chat->saveRequested(dir.filePath("chat.md"), chatbench::TranscriptFormat::Markdown);
        QTRY_COMPARE(saved.count(), 2);
        QFile md(dir.filePath("chat.md"));
        QVERIFY(md.open(QIODevice::ReadOnly));
        const QString markdown = QString::fromUtf8(md.readAll());
        QVERIFY2(
            markdown.contains("## Demo - tiny") && markdown.contains(QStringLiteral("user:明天见")),
            qPrintable(markdown));
        QVERIFY2(markdown.contains("run " + fixture
                     + " · temperature 1 · top-k 8 · top-p 1 · repetition penalty 1 · "
                       "seed 7 · fp32"),
            qPrintable(markdown));
        QVERIFY2(markdown.contains(
                     "## Demo - tiny-greedy\n\nrun " + fixture + " · temperature 0 · top-k 8"),
            qPrintable(markdown));
        QFile json(dir.filePath("chat.json"));
        QVERIFY(json.open(QIODevice::ReadOnly));
        const auto doc = nlohmann::json::parse(json.readAll().toStdString());
        QCOMPARE(doc["models"].size(), std::size_t(2));
        QCOMPARE(doc["models"][1]["name"], "tiny-greedy");
        QCOMPARE(doc["models"][1]["source"], fixture.toStdString());
        QCOMPARE(doc["models"][1]["step"], -1);
        QCOMPARE(doc["models"][1]["sampling"]["temperature"], 0.0);
        QCOMPARE(doc["models"][0]["sampling"]["seed"], 7);
        QCOMPARE(doc["models"][0]["sampling"]["precision"], "fp32");

        // Clear empties every column; reopening the transcript brings the turn back.
        Q_EMIT chat->clearRequested();
        QTRY_VERIFY(!chat->conversationText(0).contains("user:"));
        chat->columns()[1]->setSpec(spec); // changed before opening: the transcript's come back
        Q_EMIT chat->openRequested(dir.filePath("chat.json"));
        QTRY_VERIFY(chat->conversationText(0).contains(QStringLiteral("明天见")));
        QCOMPARE(chat->columns().size(), 2);
        QCOMPARE(chat->columns()[1]->spec().name, QString("tiny-greedy"));
        QCOMPARE(chat->columns()[1]->spec().temperature, 0.0);
        QCOMPARE(chat->columns()[0]->spec().seed, quint64(7));
    }

    void aBadModelIsRefusedAtOnce()
    {
        const QString fixture = QStringLiteral(CHATBENCH_FIXTURES_DIR "/tiny-gpt2-zh");
        MainWindow window;
        ChatPane *chat = window.chatPane();
        ChatModelSpec spec;
        spec.name = "tiny";
        spec.source = fixture;
        chat->columns()[0]->setSpec(spec);
        QSignalSpy loaded(window.engine()->chat(), &ChatService::modelsLoaded);
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1, 30000); // loaded at once, no message needed
        QTRY_VERIFY(chat->columns()[0]->identity().contains("model folder tiny-gpt2-zh"));

        // A folder that is no model: refused at once with the reason, the column keeps its model.
        QTemporaryDir notAModel;
        QSignalSpy refused(window.engine()->chat(), &ChatService::modelsRefused);
        chat->columns()[0]->useFolder(notAModel.path());
        QTRY_COMPARE_WITH_TIMEOUT(refused.count(), 1, 30000);
        QTRY_COMPARE(chat->columns()[0]->spec().source, fixture);
        const QString reason = chat->columns()[0]->refusal();
        QVERIFY2(reason.contains(notAModel.path()), qPrintable(reason));
        QCOMPARE(chat->columns().size(), 1);

        // The chat goes on with the model kept.
        QSignalSpy finished(chat, &ChatPane::turnFinished);
        chat->input()->setText(QStringLiteral("你好"));
        chat->send();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        QVERIFY(!chat->conversation()->turns().empty());

        // A new column gets the conversation so far: it answers the turns it missed.
        ChatModelSpec second = spec;
        second.name = "tiny-2";
        second.seed = 99;
        chat->addColumn(&second);
        QTRY_VERIFY_WITH_TIMEOUT(chat->conversation()->turns().size() == 1
                && chat->conversation()->turns()[0].answeredBy(1),
            30000);
        QVERIFY(chat->conversationText(1).contains(QStringLiteral("user: 你好")));
        QCOMPARE(chat->conversation()->turns()[0].versions[0].size(), std::size_t(1));

        // A stopped reply says so.
        chatbench::ChatTurn stopped = chat->conversation()->turns()[0];
        stopped.replies[1].stopReason = chatbench::StopReason::Cancelled;
        stopped.versions[1][0].stopReason = chatbench::StopReason::Cancelled;
        chat->onConversation(0, { stopped });
        QVERIFY(chat->conversation()->replyFooter(0, 1).contains("stopped"));

        // Help → Keyboard Shortcuts lists the chat's keys.
        ShortcutsDialog keys(&window);
        QStringList rows;
        for (int r = 0; r < keys.table()->rowCount(); ++r)
            rows << keys.table()->item(r, 1)->text() + " = " + keys.table()->item(r, 2)->text();
        QVERIFY2(
            rows.filter("Stop the replies").join("").contains("Esc"), qPrintable(rows.join('\n')));
        QVERIFY2(
            rows.filter("Regenerate").join("").contains("Ctrl+R"), qPrintable(rows.join('\n')));
        QVERIFY2(!rows.filter("Next column").isEmpty(), qPrintable(rows.join('\n')));
        QVERIFY2(!rows.filter("Edit your last line").isEmpty(), qPrintable(rows.join('\n')));
        QVERIFY2(rows.filter("B is better").join("").contains("→"), qPrintable(rows.join('\n')));
        QVERIFY2(rows.filter("undo the last vote").join("").contains("Backspace"),
            qPrintable(rows.join('\n')));
    }

    void comparesModels()
    {
        const QString fixture = QStringLiteral(CHATBENCH_FIXTURES_DIR "/tiny-gpt2-zh");
        MainWindow window;
        ChatModelSpec a;
        a.name = "A";
        a.source = fixture;
        a.maxNewTokens = 8;
        ChatModelSpec b = a;
        b.name = "B";
        b.temperature = 0;
        window.chatPane()->columns()[0]->setSpec(a);
        window.chatPane()->addColumn(&b);
        ModelComparison *comparison = window.modelComparison();
        QSignalSpy done(window.engine()->comparison(), &ComparisonService::finished);
        chatbench::PromptSet prompts;
        prompts.dialogues = { { { "你好" }, "你好呀" }, { { "天气" }, "" } };
        Q_EMIT comparison->compareRequested(prompts);
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 60000);
        // The spy counts the engine thread's signal as it is emitted; the replies and metrics
        // before it are queued to this thread and may not have arrived yet. They arrive in order,
        // so the last model's metrics mean everything before them is in.
        QTRY_VERIFY(comparison->metricsTable()->item(1, 1)
            && comparison->metricsTable()->item(1, 1)->text() != QStringLiteral("…"));
        QCOMPARE(comparison->repliesTable()->rowCount(), 2);
        QCOMPARE(comparison->repliesTable()->columnCount(), 4); // prompt, reference, A, B
        QVERIFY(comparison->repliesTable()->item(0, 2));
        QCOMPARE(comparison->metricsTable()->rowCount(), 2);
        bool ok = false;
        const double distinct1 = comparison->metricsTable()->item(0, 1)->text().toDouble(&ok);
        QVERIFY(ok && distinct1 >= 0 && distinct1 <= 1);
        // The window passes the service's progress on (the last metrics came after it).
        QVERIFY2(comparison->progressText().startsWith("2 / 2 prompts"),
            qPrintable(comparison->progressText()));
        // Blind A/B has its own test (test_model_comparison); here the named exports.
        QVERIFY(comparison->toMarkdown().contains("| # | prompt | reference | A | B |"));
        QVERIFY(comparison->toCsv().startsWith("\"#\",\"prompt\",\"reference\",\"A\",\"B\""));
    }

    void newRunDialogSaysWhatToFix()
    {
        QTemporaryDir workspace;
        NewRunDialog dialog(workspace.path(), chatbench::HubSettings {});
        dialog.nameEdit()->setText("scratch");
        QVERIFY(dialog.validationError().startsWith("Corpus:"));
        const QString corpus = workspace.filePath("corpus.txt");
        QFile file(corpus);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("你好\n你好呀\n\n");
        file.close();
        dialog.corpusEdit()->setText(corpus);
        dialog.tokenizerEdit()->setText("/nonexistent");
        QVERIFY(dialog.validationError().startsWith("Tokenizer:"));
        dialog.tokenizerEdit()->setText(QStringLiteral(CHATBENCH_FIXTURES_DIR "/tiny-gpt2-zh"));
        QCOMPARE(dialog.validationError(), QString());
        QVERIFY(dialog.runJson().contains("\"name\": \"scratch\"")
            || dialog.runJson().contains("\"name\":\"scratch\""));
        QCOMPARE(dialog.runFolder(), QDir(workspace.path()).absoluteFilePath("scratch"));
        // The CDial-GPT layout brings its response-only loss; the encoder-decoder has no layout.
        auto data = [&] { return nlohmann::json::parse(dialog.runJson().toStdString())["data"]; };
        QCOMPARE(data()["layout"], "chitchat");
        dialog.layoutChoice()->setCurrentIndex(1);
        QCOMPARE(data()["layout"], "cdial");
        QCOMPARE(data()["loss"], "response");
        dialog.kindChoice()->setCurrentIndex(1);
        QVERIFY(!dialog.layoutChoice()->isEnabled());
        QCOMPARE(data()["layout"], "chitchat");
        QCOMPARE(nlohmann::json::parse(dialog.runJson().toStdString())["model"]["kind"],
            "gpt2+transformer");
        QVERIFY(QDir().mkpath(dialog.runFolder()));
        QVERIFY(dialog.validationError().contains("already exists"));
    }

    void addModelTakesTheRunsSelected()
    {
        // Two model folders listed as runs; both selected, one click on Add model.
        QTemporaryDir dir;
        const QString fixture = QStringLiteral(CHATBENCH_FIXTURES_DIR "/tiny-gpt2-zh");
        QStringList folders;
        for (const char *name : { "scratch", "fine-tuned" }) {
            const QString folder = dir.filePath(name);
            QVERIFY(QDir().mkpath(folder));
            for (const QString &f : QDir(fixture).entryList(QDir::Files))
                QVERIFY(QFile::copy(fixture + "/" + f, folder + "/" + f));
            folders << folder;
        }
        MainWindow window;
        ChatPane *chat = window.chatPane();
        for (int i = 0; i < 2; ++i)
            window.runList()->addRun(
                { QFileInfo(folders[i]).fileName(), folders[i] }, i ? Qt::red : Qt::blue);
        window.runList()->selectAll();
        QSignalSpy loaded(window.engine()->chat(), &ChatService::modelsLoaded);
        for (QPushButton *b : chat->findChildren<QPushButton *>())
            if (b->text() == "Add model")
                b->click();
        QCOMPARE(chat->columns().size(), 2);
        QCOMPARE(chat->columns()[0]->spec().source, folders[0]);
        QCOMPARE(chat->columns()[1]->spec().source, folders[1]);
        QCOMPARE(chat->columns()[1]->spec().name, QString("fine-tuned"));
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1, 30000); // loaded at once
        QCOMPARE(loaded.last().at(0).value<LoadedModels>().size(), 2);
    }

    // A chat answering behind another pane draws nothing for nobody, and shows every turn once
    // it is in sight again.
    void aHiddenChatDrawsItsTurnsWhenShown()
    {
        MainWindow window;
        ChatPane *chat = window.chatPane();
        window.show();
        window.panes()->setCurrentWidget(window.trainingMonitor());
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(!chat->isVisible());
        chatbench::ui::ChatTurns turns = numberedTurns(3);
        chat->onConversation(0, turns);
        QCOMPARE(chat->conversation()->shownTurnCount(), 0);

        window.panes()->setCurrentWidget(chat);
        QCOMPARE(chat->conversation()->shownTurnCount(), 3);
        QStringList lines;
        for (MessageText *line : chat->conversation()->findChildren<MessageText *>())
            lines << line->text();
        QVERIFY(lines.contains("line 2"));
        QVERIFY(lines.contains("reply 2"));
    }

    void longConversationsKeepTheirLastTurnsInSight()
    {
        MainWindow window;
        ChatPane *chat = window.chatPane();
        window.show();
        window.panes()->setCurrentWidget(chat); // rows are drawn when in sight
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        chatbench::ui::ChatTurns turns = numberedTurns(45);
        chat->onConversation(0, turns);
        // Widgets for the last 20 turns only: a long chat lays out in constant time.
        QCOMPARE(chat->conversation()->shownTurnCount(), 20);
        const QString text = chat->conversationText(0);
        QVERIFY(text.contains("user: line 0\nchatbot: reply 0"));
        QVERIFY(text.contains("user: line 44\nchatbot: reply 44"));

        // One more turn: the oldest row shown moves to it, and its ✎ edits the turn it shows.
        turns.emplace_back();
        turns.back().user = "line 45";
        turns.back().replies.resize(1);
        chat->onConversation(45, { turns.back() });
        QCOMPARE(chat->conversation()->shownTurnCount(), 20);
        MessageText *newest = nullptr;
        int userLines = 0;
        for (MessageText *line : chat->conversation()->findChildren<MessageText *>()) {
            QVERIFY(line->text() != "line 25"); // left the window
            userLines += line->text().startsWith("line ");
            if (line->text() == "line 45")
                newest = line;
        }
        QCOMPARE(userLines, 20);
        QVERIFY(newest);
        QSignalSpy edit(chat->conversation(), &chatbench::ui::ConversationGrid::editRequested);
        newest->parentWidget()->findChild<QToolButton *>()->click();
        QCOMPARE(edit.size(), 1);
        QCOMPARE(edit.first().at(0).toInt(), 45);

        chat->conversation()->showEarlier();
        QCOMPARE(chat->conversation()->shownTurnCount(), 40);
        chat->conversation()->showEarlier();
        QCOMPARE(chat->conversation()->shownTurnCount(), 46);
        turns.resize(3); // an edit early on drops the rest
        chat->onConversation(0, turns);
        QCOMPARE(chat->conversation()->shownTurnCount(), 3);
    }

    void reportsAMissingModel()
    {
        MainWindow window;
        ChatPane *chat = window.chatPane();
        ChatModelSpec spec;
        spec.name = "nothing";
        spec.source = "/nonexistent/model";
        chat->columns()[0]->setSpec(spec);
        QSignalSpy errors(window.engine()->chat(), &ChatService::error);
        chat->input()->setText("hi");
        chat->send();
        QTRY_VERIFY(errors.count() >= 1);
        QVERIFY(errors.first().at(1).toString().contains("/nonexistent/model"));
        QTRY_VERIFY(!chat->isBusy());
    }
};

QTEST_MAIN(TestChatPane)
#include "test_chat_pane.moc"
