// The GUI half of the bad-input catalogue (test_bad_inputs is the CLI half): malformed
// workspaces and run folders, model folders chosen in a chat column, transcripts opened in the
// Chat pane, prompt sets loaded into Model Comparison, and the New Run dialog's corpus, tokenizer
// and pretrained-folder choices. Each gets its specific message (naming the file and what is
// wrong) in the error box or the dialog, and afterwards the window and its engine thread still
// answer; at the end a good model still chats.

#include "chat_column.h"
#include "chat_pane.h"
#include "chatbench/run_config.h"
#include "chatbench/transcript.h"
#include "common/small_run.h"
#include "engine_thread.h"
#include "main_window.h"
#include "model_comparison.h"
#include "new_run_dialog.h"
#include "run_list.h"
#include "training_runs.h"

#include <QComboBox>
#include <QLineEdit>
#include <QMessageBox>
#include <QSettings>
#include <QtTest/QtTest>
#include <fstream>
#include <functional>

using chatbench::ui::MainWindow;

namespace {

const QString kFixture = QStringLiteral(CHATBENCH_FIXTURES_DIR "/tiny-gpt2-zh");

void writeFile(const QString &file, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(file).path());
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(file));
    f.write(bytes);
}

// The fixture model folder, copied with everything except `skip`.
QString copyFixture(const QString &dir, const QString &skip = {})
{
    QDir().mkpath(dir);
    for (const QString &name : QDir(kFixture).entryList(QDir::Files)) {
        if (name == skip || name == "expected.json" || name == "README.md")
            continue;
        QFile::copy(kFixture + "/" + name, dir + "/" + name);
        QFile(dir + "/" + name).setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    }
    return dir;
}

QByteArray runJson(const QString &corpus)
{
    chatbench::RunConfig c;
    c.name = "broken";
    c.corpus = corpus.toStdString();
    return QByteArray::fromStdString(c.toJsonText());
}

QMessageBox *visibleMessageBox()
{
    for (QWidget *w : QApplication::topLevelWidgets())
        if (auto *box = qobject_cast<QMessageBox *>(w); box && box->isVisible())
            return box;
    return nullptr;
}

// A transcript of one model at modelDir, with no turns.
chatbench::Transcript transcriptOf(const QString &modelDir)
{
    chatbench::Transcript t;
    chatbench::TranscriptModel m;
    m.name = "a";
    m.path = modelDir.toStdString();
    t.models.push_back(m);
    return t;
}

// A case: make the bad input under dir, return what to open.
using SetUp = std::function<QString(const QString &dir)>;

} // namespace

class TestBadInputsGui : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    MainWindow *m_window = nullptr;
    QString m_goodRun;
    int m_case = 0;
    std::map<QString, SetUp> m_setUps; // by row name

    QString caseDir() { return m_dir.filePath(QStringLiteral("case%1").arg(++m_case)); }

    void addRow(const char *name, const QString &title, const QStringList &expected, SetUp setUp)
    {
        QTest::newRow(name) << title << expected;
        m_setUps[QString::fromLatin1(name)] = std::move(setUp);
    }

    QString setUpCurrent()
    {
        const QString dir = caseDir();
        QDir().mkpath(dir);
        const QString target = m_setUps.at(QString::fromLatin1(QTest::currentDataTag()))(dir);
        return target;
    }

    // The error box with its title and every expected piece (TARGET: the opened path), closed
    // afterwards; then the window and the engine thread must still answer.
    void expectErrorBox(const QString &title, QStringList expected, const QString &target)
    {
        QTRY_VERIFY_WITH_TIMEOUT(visibleMessageBox(), 30000);
        QMessageBox *box = visibleMessageBox();
        const QString text = box->text(), shownTitle = box->windowTitle();
        qInfo("%s: %s", qPrintable(shownTitle), qPrintable(text));
        box->close(); // deletes it (MainWindow::showError's boxes delete themselves on close)
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QVERIFY2(shownTitle.startsWith(title), qPrintable(shownTitle));
        for (QString piece : expected) {
            piece.replace("TARGET", target);
            QVERIFY2(text.contains(piece), qPrintable("'" + piece + "' not in: " + text));
        }
        QVERIFY(!visibleMessageBox());
        QVERIFY(m_window->isVisible());
        bool answered = false;
        QMetaObject::invokeMethod(
            m_window->engine()->runs(), [&answered] { answered = true; },
            Qt::BlockingQueuedConnection);
        QVERIFY(answered);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("ChatBenchTest");
        QCoreApplication::setApplicationName("test_bad_inputs_gui");
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        const std::filesystem::path base = m_dir.path().toStdString();
        const auto corpus = chatbench::test::writeTrainingCorpus(base / "corpus.txt", 24, 5);
        m_goodRun = QString::fromStdString(
            chatbench::test::trainSmallRun(base / "good" / "good", "good", corpus, 1).string());
        m_window = new MainWindow;
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window));
    }

    void cleanupTestCase() { delete m_window; }

    // ---- File -> Open Workspace (a folder of runs, or a run folder itself) ----

    void openWorkspace_data()
    {
        QTest::addColumn<QString>("title");
        QTest::addColumn<QStringList>("expected");
        addRow("workspace folder missing", "Open workspace", { "TARGET: no such folder" },
            [](const QString &dir) { return dir + "/nowhere"; });
        addRow("run.json not JSON", "Open run", { "TARGET/run.json:1: column 20: invalid JSON" },
            [](const QString &dir) {
                writeFile(dir + "/run.json", "{\"name\": \"broken\", ");
                return dir;
            });
        addRow("run.json unknown key", "Open run", { "TARGET/run.json: 'tarin': unknown setting" },
            [](const QString &dir) {
                writeFile(dir + "/run.json",
                    "{\"name\": \"x\", \"data\": {\"corpus\": \"c.txt\"}, \"tarin\": {}}");
                return dir;
            });
        addRow("run.json value out of range", "Open run",
            { "TARGET/run.json: 'train.batch_size': 0 is out of range" }, [](const QString &dir) {
                writeFile(dir + "/run.json",
                    "{\"name\": \"x\", \"data\": {\"corpus\": \"c.txt\"}, "
                    "\"train\": {\"batch_size\": 0}}");
                return dir;
            });
        addRow("run.json without the corpus", "Open run",
            { "TARGET/run.json: 'data.corpus': no training corpus" }, [](const QString &dir) {
                writeFile(dir + "/run.json", "{\"name\": \"x\"}");
                return dir;
            });
        addRow("run folder inside a workspace", "Open run",
            { "TARGET/sub/run.json: 'model': expected an object" }, [](const QString &dir) {
                writeFile(dir + "/sub/run.json",
                    "{\"name\": \"x\", \"data\": {\"corpus\": \"c.txt\"}, \"model\": 3}");
                return dir;
            });
    }

    void openWorkspace()
    {
        QFETCH(QString, title);
        QFETCH(QStringList, expected);
        const QString target = setUpCurrent();
        m_window->openWorkspace(target);
        expectErrorBox(title, expected, target);
        QCOMPARE(m_window->runList()->topLevelItemCount(), 0);
    }

    // ---- a chat column's model: "Other folder…" or a workspace run ----

    void chatColumnModel_data()
    {
        QTest::addColumn<QString>("title");
        QTest::addColumn<QStringList>("expected");
        addRow("model folder missing", "Load models", { "TARGET: no such folder" },
            [](const QString &dir) { return dir + "/nowhere"; });
        addRow("folder without config.json", "Load models",
            { "TARGET: not a model folder", "config.json", "run.json" },
            [](const QString &dir) { return copyFixture(dir, "config.json"); });
        addRow("config.json not JSON", "Load models",
            { "TARGET/config.json:1: column 13: invalid JSON" }, [](const QString &dir) {
                copyFixture(dir);
                writeFile(dir + "/config.json", "{\"n_layer\": ");
                return dir;
            });
        addRow("config.json heads do not divide width", "Load models",
            { "TARGET/config.json: field 'n_head': 3 does not divide n_embd 32" },
            [](const QString &dir) {
                copyFixture(dir);
                writeFile(dir + "/config.json",
                    "{\"model_type\": \"gpt2\", \"n_layer\": 2, \"n_head\": 3, \"n_embd\": 32, "
                    "\"n_positions\": 64, \"vocab_size\": 100}");
                return dir;
            });
        addRow("model.safetensors truncated", "Load models",
            { "TARGET/model.safetensors: byte 0: header length", "runs past the end of the file" },
            [](const QString &dir) {
                copyFixture(dir);
                QFile(dir + "/model.safetensors").resize(200);
                return dir;
            });
        addRow("model.safetensors missing", "Load models",
            { "TARGET: no model weights: expected model.safetensors" },
            [](const QString &dir) { return copyFixture(dir, "model.safetensors"); });
        addRow("vocab.txt missing", "Load models", { "TARGET: no tokenizer found" },
            [](const QString &dir) { return copyFixture(dir, "vocab.txt"); });
        addRow("run folder without a checkpoint", "Load models", { "TARGET: no checkpoint yet" },
            [](const QString &dir) {
                writeFile(dir + "/run.json", runJson(dir + "/corpus.txt"));
                return dir;
            });
    }

    void chatColumnModel()
    {
        QFETCH(QString, title);
        QFETCH(QStringList, expected);
        const QString target = setUpCurrent();
        chatbench::ui::ChatPane *chat = m_window->chatPane();
        chat->columns().first()->useFolder(target);
        QCOMPARE(chat->columns().first()->spec().source, target);
        // Choosing it loads it at once: the refusal comes without a message sent.
        expectErrorBox(title, expected, target);
        QVERIFY(!chat->isBusy());
        QVERIFY(!chat->columns().first()->refusal().isEmpty());
    }

    // ---- Chat pane: Open… a transcript ----

    void chatTranscript_data()
    {
        QTest::addColumn<QString>("title");
        QTest::addColumn<QStringList>("expected");
        addRow("transcript missing", "Open transcript", { "TARGET: cannot open: No such file" },
            [](const QString &dir) { return dir + "/nothing.json"; });
        addRow("transcript not JSON", "Open transcript", { "TARGET:1: column 47: invalid JSON" },
            [](const QString &dir) {
                writeFile(
                    dir + "/chat.json", "{\"format\": \"chatbench-transcript\", \"models\": [");
                return dir + "/chat.json";
            });
        addRow("transcript of another format", "Open transcript",
            { "TARGET: format: expected \"chatbench-transcript\"" }, [](const QString &dir) {
                writeFile(dir + "/chat.json", "{\"format\": \"something-else\", \"version\": 1}");
                return dir + "/chat.json";
            });
        addRow("transcript reply count wrong", "Open transcript",
            { "TARGET: turns[0].versions: expected 1 entries" }, [](const QString &dir) {
                chatbench::Transcript t = transcriptOf(dir + "/model");
                chatbench::ChatTurn turn;
                turn.user = "hi";
                t.turns.push_back(turn);
                writeFile(dir + "/chat.json", QByteArray::fromStdString(transcriptToJson(t)));
                return dir + "/chat.json";
            });
        addRow("transcript model folder gone", "Open transcript", { "TARGET/gone: no such folder" },
            [](const QString &dir) {
                writeFile(dir + "/chat.json",
                    QByteArray::fromStdString(transcriptToJson(transcriptOf(dir + "/gone"))));
                return dir + "/chat.json";
            });
    }

    void chatTranscript()
    {
        QFETCH(QString, title);
        QFETCH(QStringList, expected);
        const QString target = setUpCurrent();
        m_window->chatPane()->openTranscript(target);
        // "TARGET/gone" names the model folder beside the transcript.
        expectErrorBox(title, expected,
            target.endsWith("chat.json") && expected.first().startsWith("TARGET/gone")
                ? QFileInfo(target).path()
                : target);
    }

    // ---- Model Comparison: Load prompts… ----

    void comparisonPrompts_data()
    {
        QTest::addColumn<QString>("title");
        QTest::addColumn<QStringList>("expected");
        addRow("prompt file missing", "Load prompts", { "TARGET: no such file" },
            [](const QString &dir) { return dir + "/prompts.txt"; });
        addRow("prompt file is a folder", "Load prompts", { "TARGET: is a folder" },
            [](const QString &dir) { return dir; });
        addRow("prompt file empty", "Load prompts", { "TARGET: the file is empty" },
            [](const QString &dir) {
                writeFile(dir + "/prompts.txt", "");
                return dir + "/prompts.txt";
            });
        addRow("prompt file not UTF-8", "Load prompts", { "TARGET:2: byte 6 is not UTF-8" },
            [](const QString &dir) {
                writeFile(dir + "/prompts.txt", "hello\n\xff\xfe\n");
                return dir + "/prompts.txt";
            });
        addRow("prompt dialogues without a reply", "Load prompts", { "TARGET: no prompts" },
            [](const QString &dir) {
                writeFile(dir + "/prompts.txt", "only one line\n\n   \n\nanother lone line\n");
                return dir + "/prompts.txt";
            });
    }

    void comparisonPrompts()
    {
        QFETCH(QString, title);
        QFETCH(QStringList, expected);
        const QString target = setUpCurrent();
        chatbench::ui::ModelComparison *comparison = m_window->modelComparison();
        comparison->setPromptText("kept\tas it was");
        QVERIFY(!comparison->loadPromptFile(target));
        expectErrorBox(title, expected, target);
        QCOMPARE(comparison->promptText(), QString("kept\tas it was"));
    }

    // ---- File -> New Run: the dialog's checks ----

    void newRunDialog_data()
    {
        QTest::addColumn<QString>("title"); // the field the message starts with
        QTest::addColumn<QStringList>("expected");
        // Each set-up returns "corpus|tokenizer|init" (empty: leave the field empty).
        addRow("corpus missing", "Corpus", { "TARGET: no such file" },
            [](const QString &dir) { return dir + "/corpus.txt||"; });
        addRow("corpus is a folder", "Corpus", { "TARGET: is a folder" },
            [](const QString &dir) { return dir + "||"; });
        addRow("corpus empty", "Corpus", { "TARGET: the corpus is empty" }, [](const QString &dir) {
            writeFile(dir + "/corpus.txt", "\n \n\n");
            return dir + "/corpus.txt||";
        });
        addRow("tokenizer is a file", "Tokenizer", { "TARGET is not a folder" },
            [](const QString &dir) {
                writeFile(dir + "/corpus.txt", "a\nb\n\n");
                writeFile(dir + "/vocab.txt", "[PAD]\n");
                return dir + "/corpus.txt|" + dir + "/vocab.txt|";
            });
        addRow("tokenizer folder without a vocabulary", "Tokenizer",
            { "TARGET: no tokenizer found" }, [](const QString &dir) {
                writeFile(dir + "/corpus.txt", "a\nb\n\n");
                QDir().mkpath(dir + "/tok");
                return dir + "/corpus.txt|" + dir + "/tok|";
            });
        addRow("tokenizer vocabulary without [UNK]", "Tokenizer",
            { "TARGET/vocab.txt: WordPiece vocabulary has no unknown token '[UNK]'" },
            [](const QString &dir) {
                writeFile(dir + "/corpus.txt", "a\nb\n\n");
                writeFile(dir + "/tok/vocab.txt", "hello\nworld\n");
                return dir + "/corpus.txt|" + dir + "/tok|";
            });
        addRow("pretrained folder without config.json", "Pretrained model",
            { "TARGET: no config.json" }, [](const QString &dir) {
                writeFile(dir + "/corpus.txt", "a\nb\n\n");
                copyFixture(dir + "/base", "config.json");
                return dir + "/corpus.txt||" + dir + "/base";
            });
        addRow("pretrained config.json not JSON", "Pretrained model", { "TARGET/config.json" },
            [](const QString &dir) {
                writeFile(dir + "/corpus.txt", "a\nb\n\n");
                copyFixture(dir + "/base");
                writeFile(dir + "/base/config.json", "[1, 2");
                return dir + "/corpus.txt||" + dir + "/base";
            });
    }

    void newRunDialog()
    {
        QFETCH(QString, title);
        QFETCH(QStringList, expected);
        const QStringList fields = setUpCurrent().split('|');
        QCOMPARE(fields.size(), 3);
        chatbench::ui::NewRunDialog dialog(m_dir.path(), chatbench::HubSettings {}, m_window);
        dialog.nameEdit()->setText(QStringLiteral("new-run-%1").arg(m_case));
        dialog.corpusEdit()->setText(fields[0]);
        dialog.tokenizerEdit()->setText(fields[1]);
        if (!fields[2].isEmpty()) {
            dialog.initChoice()->setCurrentIndex(1);
            dialog.initFolderEdit()->setText(fields[2]);
        }
        dialog.show();
        dialog.accept();
        QVERIFY(dialog.isVisible()); // not accepted: the user fixes it here
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        const QString shown = dialog.shownError();
        qInfo("%s", qPrintable(shown));
        QVERIFY2(shown.startsWith(title + ":"), qPrintable(shown));
        // The file named is the one the field points at.
        const QString target = title == "Corpus" ? fields[0]
            : title == "Tokenizer"               ? fields[1]
                                                 : fields[2];
        for (QString piece : expected) {
            piece.replace("TARGET", target);
            QVERIFY2(shown.contains(piece), qPrintable("'" + piece + "' not in: " + shown));
        }
        QVERIFY(!QFileInfo::exists(dialog.runFolder()));
    }

    // ---- and after all that, the window still opens a workspace and chats ----

    void stillWorksAfterwards()
    {
        m_window->openWorkspace(QFileInfo(m_goodRun).path());
        QTRY_COMPARE(m_window->runList()->topLevelItemCount(), 1);
        chatbench::ui::ChatModelSpec spec;
        spec.name = "good";
        spec.source = m_goodRun;
        spec.maxNewTokens = 6;
        chatbench::ui::ChatPane *chat = m_window->chatPane();
        chat->columns().first()->setSpec(spec);
        QSignalSpy turns(chat, &chatbench::ui::ChatPane::turnFinished);
        chat->input()->setText(QStringLiteral("你好"));
        chat->send();
        QTRY_COMPARE_WITH_TIMEOUT(turns.count(), 1, 60000);
        QVERIFY(!visibleMessageBox());
        QVERIFY(chat->conversationText(0).contains(QStringLiteral("你好")));
    }
};

QTEST_MAIN(TestBadInputsGui)
#include "test_bad_inputs_gui.moc"
