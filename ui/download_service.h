#pragma once
// Hugging Face Hub downloads for the GUI (chatbench/hub.h), on a thread of their own: a model of
// hundreds of megabytes must not stop the training and chat the engine thread serves. Lists a
// repo's files with their sizes, downloads the chosen ones into the shared cache with progress,
// cancels (any thread) keeping what is complete. Lives on the download thread
// (engine_thread.h); talk to it by queued calls.

#include "chatbench/hub.h"

#include <QMetaType>
#include <QObject>
#include <QStringList>
#include <QVector>
#include <atomic>

namespace chatbench::ui {

struct HubFileRow
{
    QString name;
    quint64 size = 0;
    bool cached = false; // its blob is in the cache already
    bool wanted = false; // what a model needs (selectModelFiles)
};
using HubFileRows = QVector<HubFileRow>;

struct DownloadStatus
{
    int file = 0; // index into the files being fetched
    quint64 fileBytes = 0, fileSize = 0;
    quint64 bytes = 0, size = 0;
    double bytesPerSecond = 0;
    double etaSeconds = -1; // -1: unknown
};

class DownloadService : public QObject
{
    Q_OBJECT

public:
    explicit DownloadService(HubSettings settings, QObject *parent = nullptr);

    // Thread-safe (an atomic flag): stops the listing or download in progress.
    void cancel() { m_cancel = true; }
    const HubSettings &settings() const { return m_settings; }

public Q_SLOTS:
    // repo: "org/name" or "org/name@rev"; revision, when not empty, overrides the @rev.
    void list(const QString &repo, const QString &revision);
    void download(const QString &repo, const QString &revision, const QStringList &files);

Q_SIGNALS:
    void listed(
        const QString &repo, const QString &commit, const chatbench::ui::HubFileRows &files);
    void progress(const chatbench::ui::DownloadStatus &status);
    // snapshot: the cache folder the files are linked into; transferred: bytes fetched now.
    void finished(const QString &repo, const QString &snapshot, quint64 transferred);
    // what: "List files" or "Download"; message: the engine's text (or "cancelled").
    void failed(const QString &what, const QString &message);

private:
    bool parse(const QString &repo, const QString &revision, RepoId &out);

    HubSettings m_settings;
    std::atomic<bool> m_cancel { false };
};

} // namespace chatbench::ui

Q_DECLARE_METATYPE(chatbench::ui::HubFileRows)
Q_DECLARE_METATYPE(chatbench::ui::DownloadStatus)
