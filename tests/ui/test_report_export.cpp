// File -> Export Report from the main window: two finished runs of the workspace and the current
// chat become report.md, report.html, loss.png and accuracy.png; the Markdown names each run with
// the average loss its own metrics.jsonl gives; a folder that cannot be created gives the error
// box (path and reason), and the window goes on working.

#include "chat_pane.h"
#include "chatbench/training_event.h"
#include "common/small_run.h"
#include "main_window.h"
#include "run_list.h"

#include <QImage>
#include <QLineEdit>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QtTest/QtTest>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>

using chatbench::ui::MainWindow;

namespace {

// The mean of the epochs' training losses, read straight from the file (not through the
// report's code), formatted as the report prints it.
QString averageLossOf(const QString &runDir)
{
    std::ifstream in((runDir + "/metrics.jsonl").toStdString());
    std::map<long, double> byEpoch;
    for (std::string line; std::getline(in, line);) {
        const auto e = chatbench::TrainingEvent::fromJson(line, "metrics.jsonl");
        if (e.event == chatbench::EventKind::Epoch)
            byEpoch[std::lround(e.epoch)] = e.loss;
    }
    if (byEpoch.empty())
        return {};
    double sum = 0;
    for (const auto &[epoch, loss] : byEpoch)
        sum += loss;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", sum / double(byEpoch.size()));
    return QString::fromLatin1(buf);
}

QString readText(const QString &file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

QMessageBox *visibleMessageBox()
{
    for (QWidget *w : QApplication::topLevelWidgets())
        if (auto *box = qobject_cast<QMessageBox *>(w); box && box->isVisible())
            return box;
    return nullptr;
}

} // namespace

class TestReportExport : public QObject
{
    Q_OBJECT

    QTemporaryDir m_workspace;
    QString m_alpha, m_beta;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("ChatBenchTest");
        QCoreApplication::setApplicationName("test_report_export");
        QSettings().clear();
        QVERIFY(m_workspace.isValid());
        const std::filesystem::path ws = m_workspace.path().toStdString();
        const auto corpus = chatbench::test::writeTrainingCorpus(ws / "corpus.txt", 24, 5);
        m_alpha = QString::fromStdString(
            chatbench::test::trainSmallRun(ws / "alpha", "alpha", corpus, 1).string());
        m_beta = QString::fromStdString(
            chatbench::test::trainSmallRun(ws / "beta", "beta", corpus, 2).string());
        QVERIFY(!averageLossOf(m_alpha).isEmpty());
        QVERIFY(!averageLossOf(m_beta).isEmpty());
    }

    void exportsTheWorkspaceRunsAndTheChat()
    {
        MainWindow window;
        window.show();
        window.openWorkspace(m_workspace.path());
        QTRY_COMPARE(window.runList()->topLevelItemCount(), 2);

        // A chat with alpha's latest checkpoint becomes the report's demo transcript.
        chatbench::ui::ChatModelSpec spec;
        spec.name = "alpha-chat";
        spec.source = m_alpha;
        spec.checkpoint = {};
        spec.maxNewTokens = 8;
        window.chatPane()->columns().first()->setSpec(spec);
        QSignalSpy turns(window.chatPane(), &chatbench::ui::ChatPane::turnFinished);
        window.chatPane()->input()->setText(QStringLiteral("你好"));
        window.chatPane()->send();
        QTRY_COMPARE_WITH_TIMEOUT(turns.count(), 1, 60000);

        QSignalSpy exported(&window, &MainWindow::reportExported);
        const QString out = m_workspace.filePath("report");
        window.exportReportTo(out);
        QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 60000);
        QCOMPARE(exported.first().first().toString(), out + "/report.md");
        for (const char *name : { "report.md", "report.html", "loss.png", "accuracy.png" })
            QVERIFY2(QFileInfo(out + "/" + name).size() > 0, name);
        QVERIFY(!QImage(out + "/loss.png").isNull());
        QVERIFY(window.statusBar()->currentMessage().contains(out + "/report.md"));
        QVERIFY(!visibleMessageBox());

        const QString md = readText(out + "/report.md");
        for (const QString &run : { m_alpha, m_beta }) {
            const QString name = QFileInfo(run).fileName();
            const QString row = "| " + name + " | " + averageLossOf(run) + " | 2 |";
            QVERIFY2(md.contains(row), qPrintable(row + "\nnot in\n" + md));
        }
        QVERIFY(md.contains("## Demo - alpha-chat"));
        QVERIFY(md.contains(QStringLiteral("user:你好")));
        QVERIFY(md.contains("corpus.txt"));
        QVERIFY(md.contains("24 dialogues"));
        QVERIFY(md.contains("No prompt set was given")); // an empty table says why
        QVERIFY(readText(out + "/report.html").contains("data:image/png;base64,"));
    }

    void aFolderThatCannotBeCreatedShowsTheErrorBox()
    {
        MainWindow window;
        window.show();
        window.openWorkspace(m_workspace.path());
        QTRY_COMPARE(window.runList()->topLevelItemCount(), 2);
        // A regular file where a folder should be: fails for root too (tests may run as root).
        const QString blocker = m_workspace.filePath("blocker");
        QVERIFY(QFile(blocker).open(QIODevice::WriteOnly));
        const QString out = blocker + "/report";
        QSignalSpy exported(&window, &MainWindow::reportExported);
        window.exportReportTo(out);
        QTRY_VERIFY_WITH_TIMEOUT(visibleMessageBox(), 60000);
        QMessageBox *box = visibleMessageBox();
        QVERIFY2(box->text().contains(out), qPrintable(box->text()));
        QVERIFY2(box->text().contains("Not a directory"), qPrintable(box->text()));
        QCOMPARE(box->windowTitle(), QString("Export report"));
        QCOMPARE(exported.count(), 0);
        box->close();

        // The window goes on working: the next export succeeds.
        const QString good = m_workspace.filePath("report-after-error");
        window.exportReportTo(good);
        QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 60000);
        QVERIFY(QFileInfo::exists(good + "/report.md"));
    }

    void noRunsIsAnErrorNotAnEmptyReport()
    {
        MainWindow window;
        window.show();
        const QString out = m_workspace.filePath("empty-report");
        window.exportReportTo(out);
        QTRY_VERIFY(visibleMessageBox());
        QVERIFY(visibleMessageBox()->text().contains("no runs"));
        visibleMessageBox()->close();
        QVERIFY(!QFileInfo::exists(out));
    }
};

QTEST_MAIN(TestReportExport)
#include "test_report_export.moc"
