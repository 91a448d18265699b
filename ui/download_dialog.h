#pragma once
// File → Download Model…: a repo id and revision, the revision's files with their sizes (what a
// model needs checked), a progress bar for the file in flight and one for all, with speed and
// time left, and a cancel that keeps what is complete in the cache. The work runs in a
// DownloadService on a thread the dialog owns (one per dialog: two dialogs never wait for, or
// cancel, each other; the cache's per-blob locks keep their files apart); the dialog only sends
// it queued calls. Closing the dialog cancels what is in flight and waits for the thread.
//
// Two purposes: Fetch (the File menu: download, then stay open) and Pick (a model picker asked
// for a repo id not in the cache: download, then accept, and repoId() names what to use).

#include "download_service.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QProgressBar;
class QThread;
class QPushButton;
class QTreeWidget;

namespace chatbench::ui {

class DownloadDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Purpose { Fetch, Pick };

    // repo: filled in and listed at once when not empty.
    DownloadDialog(const chatbench::HubSettings &settings, Purpose purpose,
        const QString &repo = {}, QWidget *parent = nullptr);
    ~DownloadDialog() override;

    // What the downloaded model goes by: "org/name", or "org/name@rev" for another revision.
    QString repoId() const;
    QString snapshotFolder() const { return m_snapshot; }
    bool busy() const { return m_busy; }

    // For tests: the widgets a user works with.
    QLineEdit *repoEdit() const { return m_repo; }
    QTreeWidget *fileList() const { return m_files; }
    QPushButton *downloadButton() const { return m_download; }
    QString message() const;

public Q_SLOTS:
    void listFiles();
    void startDownload();
    void reject() override; // while busy: cancels, then closes

Q_SIGNALS:
    void downloaded(const QString &repoId, const QString &snapshot);

private:
    void setBusy(bool busy);
    void showMessage(const QString &text, bool error);
    void onListed(const QString &repo, const QString &commit, const HubFileRows &files);
    void onProgress(const DownloadStatus &status);
    void onFinished(const QString &repo, const QString &snapshot, quint64 transferred);
    void onFailed(const QString &what, const QString &message);
    QStringList checkedFiles() const;
    void updateSelectionSize();

    QThread *m_thread = nullptr;
    DownloadService *m_service = nullptr;
    Purpose m_purpose;
    QString m_listedRepo, m_snapshot;
    QStringList m_fetching; // the files of the download in flight, in order
    bool m_busy = false;
    QLineEdit *m_repo = nullptr;
    QLineEdit *m_revision = nullptr;
    QPushButton *m_list = nullptr;
    QTreeWidget *m_files = nullptr;
    QLabel *m_selection = nullptr;
    QLabel *m_fileLabel = nullptr;
    QProgressBar *m_fileBar = nullptr;
    QLabel *m_totalLabel = nullptr;
    QProgressBar *m_totalBar = nullptr;
    QLabel *m_message = nullptr;
    QPushButton *m_download = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_close = nullptr;
};

} // namespace chatbench::ui
