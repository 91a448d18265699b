// Download Model (download_dialog.h) against the Hub stand-in on 127.0.0.1: the file list with
// what a model needs checked, progress per file and overall while bytes arrive, a cancel that
// keeps what is complete and resumes later, Pick accepting with the repo id, the Hub's refusals
// shown in the dialog; New Run and the chat's model loader taking the repo id from the cache.

#include "chat_column.h"
#include "chat_service.h"
#include "chatbench/hub.h"
#include "common/fake_hub.h"
#include "download_dialog.h"
#include "engine_thread.h"
#include "engine_types.h"
#include "new_run_dialog.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest/QtTest>

using namespace chatbench;
using namespace chatbench::ui;
namespace fs = std::filesystem;

namespace {

const std::string kCommit = "fedcba9876543210fedcba9876543210fedcba98";

QTreeWidgetItem *row(QTreeWidget *files, const QString &name)
{
    const auto found = files->findItems(name, Qt::MatchExactly);
    return found.isEmpty() ? nullptr : found.first();
}

} // namespace

class TestDownloadDialog : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::FakeHub> m_hub;
    std::unique_ptr<QTemporaryDir> m_cache;

    HubSettings settings() const { return m_hub->settings(m_cache->path().toStdString()); }
    fs::path snapshot() const
    {
        return fs::path(m_cache->path().toStdString()) / "models--tiny--gpt2-zh" / "snapshots"
            / kCommit;
    }
    static bool listed(DownloadDialog &dialog)
    {
        return QTest::qWaitFor([&] { return dialog.fileList()->topLevelItemCount() > 0; }, 10000);
    }

private Q_SLOTS:
    void init()
    {
        registerEngineTypes();
        m_hub = std::make_unique<test::FakeHub>();
        m_hub->addRepo("tiny/gpt2-zh", kCommit, test::tinyGpt2Repo(true));
        m_cache = std::make_unique<QTemporaryDir>();
    }

    void listsThenDownloadsWithProgress()
    {
        DownloadDialog dialog(settings(), DownloadDialog::Purpose::Fetch, "tiny/gpt2-zh");
        dialog.show();
        QVERIFY(listed(dialog));
        QTreeWidget *files = dialog.fileList();
        QCOMPARE(files->topLevelItemCount(), 6);
        QCOMPARE(row(files, "model.safetensors")->checkState(0), Qt::Checked);
        QCOMPARE(row(files, "README.md")->checkState(0), Qt::Unchecked);
        QCOMPARE(row(files, "model.safetensors")->text(1), QLocale().formattedDataSize(189480));
        QVERIFY(dialog.downloadButton()->isEnabled());

        // About two seconds for the weights, so the bars are seen moving.
        m_hub->lfsBytesPerSecond = 100000;
        QSignalSpy done(&dialog, &DownloadDialog::downloaded);
        dialog.downloadButton()->click();
        QVERIFY(dialog.busy());
        const auto bars = dialog.findChildren<QProgressBar *>();
        QProgressBar *fileBar = bars.first(), *total = bars.last();
        const auto labelStarting = [&](const QString &start) {
            const auto labels = dialog.findChildren<QLabel *>();
            return std::any_of(labels.begin(), labels.end(),
                [&](const QLabel *l) { return l->text().startsWith(start); });
        };
        const auto speedShown = [&] {
            const auto labels = dialog.findChildren<QLabel *>();
            return std::any_of(labels.begin(), labels.end(), [](const QLabel *l) {
                return l->text().startsWith("All: ") && l->text().contains("/s · ")
                    && l->text().endsWith(" s left");
            });
        };
        // The weights in flight: their own bar part-way, the overall one too, and once the
        // speed is measured (half a second in), the speed and the time left.
        QVERIFY(QTest::qWaitFor(
            [&] {
                return labelStarting("model.safetensors:") && fileBar->value() > 0
                    && fileBar->value() < 1000 && speedShown();
            },
            5000));
        QVERIFY(total->value() > 0 && total->value() < 1000);
        dialog.grab().save(QDir::temp().filePath("test_download_dialog.png")); // docs/download.png
        QVERIFY(done.wait(10000));
        QCOMPARE(done.first().at(0).toString(), QStringLiteral("tiny/gpt2-zh"));
        QCOMPARE(done.first().at(1).toString(), QString::fromStdString(snapshot().string()));
        QCOMPARE(total->value(), 1000);
        QVERIFY(fs::exists(snapshot() / "model.safetensors"));
        QVERIFY(!fs::exists(snapshot() / "README.md"));
        QVERIFY2(dialog.message().contains("downloaded"), qPrintable(dialog.message()));
        QCOMPARE(row(files, "model.safetensors")->text(2), QStringLiteral("in the cache"));
    }

    void cancelKeepsWhatIsCompleteAndResumes()
    {
        DownloadDialog dialog(settings(), DownloadDialog::Purpose::Fetch, "tiny/gpt2-zh");
        QVERIFY(listed(dialog));
        m_hub->lfsBytesPerSecond = 20000; // about ten seconds for the weights
        dialog.downloadButton()->click();
        auto *fileBar = dialog.findChildren<QProgressBar *>().first();
        // Part-way through the weights (the small files before them fill the bar at once).
        const auto weightsInFlight = [&] {
            const auto labels = dialog.findChildren<QLabel *>();
            return fileBar->value() > 0 && fileBar->value() < 1000
                && std::any_of(labels.begin(), labels.end(),
                    [](const QLabel *l) { return l->text().startsWith("model.safetensors:"); });
        };
        QVERIFY(QTest::qWaitFor(weightsInFlight, 10000));
        QPushButton *cancel = nullptr;
        for (QPushButton *b : dialog.findChildren<QPushButton *>())
            if (b->text().remove('&').contains("Cancel Download"))
                cancel = b;
        QVERIFY(cancel && cancel->isEnabled());
        cancel->click();
        QVERIFY(QTest::qWaitFor([&] { return !dialog.busy(); }, 5000));
        QVERIFY2(dialog.message().startsWith("Cancelled"), qPrintable(dialog.message()));
        // config.json was complete before the cancel: its blob stays; nothing is linked yet.
        const std::string config = test::fileBytes(test::tinyGpt2Dir() / "config.json");
        QVERIFY(fs::exists(
            snapshot().parent_path().parent_path() / "blobs" / test::FakeHub::gitEtag(config)));
        QVERIFY(!fs::exists(snapshot() / "model.safetensors"));

        // Again at full speed: the weights resume from the partial blob.
        m_hub->lfsBytesPerSecond = 0;
        m_hub->cdn.clearRequests();
        m_hub->hub.clearRequests();
        QSignalSpy done(&dialog, &DownloadDialog::downloaded);
        dialog.downloadButton()->click();
        QVERIFY(done.wait(10000));
        for (const auto &r : m_hub->hub.requests())
            QVERIFY2(r.method != "GET" || r.path.find("config.json") == std::string::npos,
                "config.json was fetched again");
        QCOMPARE(m_hub->cdn.requests().size(), std::size_t(1));
        QVERIFY(m_hub->cdn.requests().front().header("range").rfind("bytes=", 0) == 0);
        QCOMPARE(test::fileBytes(snapshot() / "model.safetensors"),
            test::fileBytes(test::tinyGpt2Dir() / "model.safetensors"));
    }

    void pickAcceptsWithTheRepoId()
    {
        DownloadDialog dialog(settings(), DownloadDialog::Purpose::Pick, "tiny/gpt2-zh");
        QVERIFY(listed(dialog));
        dialog.downloadButton()->click();
        QVERIFY(QTest::qWaitFor([&] { return dialog.result() == QDialog::Accepted; }, 10000));
        QCOMPARE(dialog.repoId(), QStringLiteral("tiny/gpt2-zh"));

        // Listed again once cached: every needed file says so, and nothing is fetched.
        DownloadDialog again(settings(), DownloadDialog::Purpose::Pick, "tiny/gpt2-zh");
        QVERIFY(listed(again));
        QCOMPARE(
            row(again.fileList(), "model.safetensors")->text(2), QStringLiteral("in the cache"));
        m_hub->cdn.clearRequests();
        again.downloadButton()->click();
        QVERIFY(QTest::qWaitFor([&] { return again.result() == QDialog::Accepted; }, 10000));
        QCOMPARE(m_hub->cdn.requests().size(), std::size_t(0));
    }

    void showsWhatTheHubRefused()
    {
        DownloadDialog missing(settings(), DownloadDialog::Purpose::Fetch, "nobody/nothing");
        QVERIFY(QTest::qWaitFor([&] { return !missing.busy(); }, 10000));
        QVERIFY2(missing.message().contains("nobody/nothing")
                && missing.message().contains("not found", Qt::CaseInsensitive),
            qPrintable(missing.message()));
        QCOMPARE(missing.fileList()->topLevelItemCount(), 0);
        QVERIFY(!missing.downloadButton()->isEnabled());

        DownloadDialog typo(settings(), DownloadDialog::Purpose::Fetch, "not a repo");
        QVERIFY(QTest::qWaitFor([&] { return !typo.busy(); }, 10000));
        QVERIFY2(typo.message().contains("is not a repo id"), qPrintable(typo.message()));
    }

    void newRunTakesARepoIdFromTheCache()
    {
        QTemporaryDir workspace;
        const QString corpus = workspace.filePath("corpus.txt");
        QFile f(corpus);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("你好\n嗨\n\n早安\n早\n\n");
        f.close();
        NewRunDialog dialog(workspace.path(), settings());
        dialog.nameEdit()->setText("tuned");
        dialog.corpusEdit()->setText(corpus);
        dialog.initChoice()->setCurrentIndex(1);
        dialog.initFolderEdit()->setText("tiny/gpt2-zh");
        QCOMPARE(dialog.missingRepo(), QStringLiteral("tiny/gpt2-zh"));
        QVERIFY2(dialog.validationError().contains("not in the Hugging Face cache"),
            qPrintable(dialog.validationError()));

        HubClient(settings()).downloadModel(*RepoId::parse("tiny/gpt2-zh"));
        QCOMPARE(dialog.missingRepo(), QString());
        // Checked against the cached model's config.json: 64 positions.
        QVERIFY2(dialog.validationError().contains(
                     "Max length: data.max_len 150 exceeds the model's context (64 positions)"),
            qPrintable(dialog.validationError()));
        dialog.maxLenBox()->setValue(64);
        QVERIFY2(dialog.validationError().isEmpty(), qPrintable(dialog.validationError()));
        const auto run = nlohmann::json::parse(dialog.runJson().toStdString());
        QCOMPARE(run["model"]["init"].get<std::string>(), std::string("tiny/gpt2-zh"));
    }

    void chatLoadsARepoIdFromTheCache()
    {
        HubClient(settings()).downloadModel(*RepoId::parse("tiny/gpt2-zh"));
        ChatColumn column;
        column.useFolder("tiny/gpt2-zh");
        QCOMPARE(column.spec().source, QStringLiteral("tiny/gpt2-zh"));
        QCOMPARE(column.findChild<QComboBox *>()->currentText(), QStringLiteral("tiny/gpt2-zh"));

        EngineThread engine(settings());
        QSignalSpy loaded(engine.chat(), &ChatService::modelsLoaded);
        QSignalSpy errors(engine.chat(), &ChatService::error);
        ChatService *chat = engine.chat();
        const ChatModelSpecs specs { column.spec() };
        QMetaObject::invokeMethod(chat, [chat, specs] { chat->loadModels(specs, {}); });
        QVERIFY(QTest::qWaitFor([&] { return loaded.count() + errors.count() > 0; }, 30000));
        QVERIFY2(
            errors.isEmpty(), errors.isEmpty() ? "" : qPrintable(errors.first().at(1).toString()));
        const auto models = loaded.first().at(0).value<LoadedModels>();
        QCOMPARE(models.size(), 1);
        QCOMPARE(models.first().folder, QString::fromStdString(snapshot().string()));
    }
};

QTEST_MAIN(TestDownloadDialog)
#include "test_download_dialog.moc"
