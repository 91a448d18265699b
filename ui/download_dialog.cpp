#include "download_dialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QThread>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace chatbench::ui {

namespace {

enum Column { NameColumn, SizeColumn, StateColumn };
constexpr int kSizeRole = Qt::UserRole + 1;
constexpr int kBarScale = 1000; // QProgressBar counts in int: bytes would overflow it

QString bytesText(quint64 bytes)
{
    return QLocale().formattedDataSize(qint64(bytes));
}

QString durationText(double seconds)
{
    if (seconds < 0)
        return QObject::tr("time left unknown");
    const qint64 s = qint64(seconds + 0.5);
    if (s < 60)
        return QObject::tr("%1 s left").arg(s);
    if (s < 3600)
        return QObject::tr("%1 min %2 s left").arg(s / 60).arg(s % 60);
    return QObject::tr("%1 h %2 min left").arg(s / 3600).arg(s % 3600 / 60);
}

int barValue(quint64 done, quint64 total)
{
    return total == 0 ? 0 : int(kBarScale * double(std::min(done, total)) / double(total));
}

} // namespace

DownloadDialog::DownloadDialog(
    const HubSettings &settings, Purpose purpose, const QString &repo, QWidget *parent)
    : QDialog(parent), m_thread(new QThread(this)), m_service(new DownloadService(settings)),
      m_purpose(purpose)
{
    m_thread->setObjectName("download");
    m_service->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_service, &QObject::deleteLater);
    m_thread->start();

    setWindowTitle(tr("Download Model"));
    m_repo = new QLineEdit(repo, this);
    m_repo->setPlaceholderText(QStringLiteral("ckiplab/gpt2-base-chinese"));
    m_revision = new QLineEdit(this);
    m_revision->setPlaceholderText(tr("main (a branch, tag or commit)"));
    m_list = new QPushButton(tr("&List Files"), this);
    m_files = new QTreeWidget(this);
    m_files->setColumnCount(3);
    m_files->setHeaderLabels({ tr("File"), tr("Size"), tr("State") });
    m_files->setRootIsDecorated(false);
    m_files->header()->setSectionResizeMode(NameColumn, QHeaderView::Stretch);
    m_files->header()->setSectionResizeMode(SizeColumn, QHeaderView::ResizeToContents);
    m_files->header()->setSectionResizeMode(StateColumn, QHeaderView::ResizeToContents);
    m_files->setMinimumSize(520, 200);
    m_selection = new QLabel(this);
    m_fileLabel = new QLabel(this);
    m_fileBar = new QProgressBar(this);
    m_totalLabel = new QLabel(this);
    m_totalBar = new QProgressBar(this);
    for (QProgressBar *bar : { m_fileBar, m_totalBar }) {
        bar->setRange(0, kBarScale);
        bar->setValue(0);
        bar->setTextVisible(false);
    }
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *repoRow = new QHBoxLayout;
    repoRow->addWidget(m_repo, 1);
    repoRow->addWidget(m_list);
    auto *form = new QFormLayout;
    form->addRow(tr("Repo id"), repoRow);
    form->addRow(tr("Revision"), m_revision);

    auto *buttons = new QDialogButtonBox(this);
    m_download
        = buttons->addButton(purpose == Purpose::Pick ? tr("&Download and Use") : tr("&Download"),
            QDialogButtonBox::AcceptRole);
    m_cancel = buttons->addButton(tr("C&ancel Download"), QDialogButtonBox::ActionRole);
    m_close = buttons->addButton(QDialogButtonBox::Close);
    m_download->setEnabled(false);
    m_cancel->setEnabled(false);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_files, 1);
    layout->addWidget(m_selection);
    layout->addWidget(m_fileLabel);
    layout->addWidget(m_fileBar);
    layout->addWidget(m_totalLabel);
    layout->addWidget(m_totalBar);
    layout->addWidget(m_message);
    layout->addWidget(buttons);

    connect(m_list, &QPushButton::clicked, this, &DownloadDialog::listFiles);
    connect(m_repo, &QLineEdit::returnPressed, this, &DownloadDialog::listFiles);
    connect(m_revision, &QLineEdit::returnPressed, this, &DownloadDialog::listFiles);
    // A changed repo or revision makes the list stale: list again before downloading.
    for (QLineEdit *edit : { m_repo, m_revision })
        connect(edit, &QLineEdit::textEdited, this, [this] {
            m_files->clear();
            m_listedRepo.clear();
            m_download->setEnabled(false);
            updateSelectionSize();
        });
    connect(m_download, &QPushButton::clicked, this, &DownloadDialog::startDownload);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_service->cancel();
        showMessage(tr("Cancelling… (what is complete stays in the cache)"), false);
    });
    connect(m_close, &QPushButton::clicked, this, &DownloadDialog::reject);
    connect(m_files, &QTreeWidget::itemChanged, this, &DownloadDialog::updateSelectionSize);

    connect(m_service, &DownloadService::listed, this, &DownloadDialog::onListed);
    connect(m_service, &DownloadService::progress, this, &DownloadDialog::onProgress);
    connect(m_service, &DownloadService::finished, this, &DownloadDialog::onFinished);
    connect(m_service, &DownloadService::failed, this, &DownloadDialog::onFailed);

    updateSelectionSize();
    showMessage(tr("Files go to the Hugging Face cache (%1), shared with transformers and "
                   "huggingface_hub.")
                    .arg(QString::fromStdString(m_service->settings().cacheDir.string())),
        false);
    if (!repo.isEmpty())
        listFiles();
}

DownloadDialog::~DownloadDialog()
{
    // The transfer checks the flag at least once a second, so the wait is short.
    m_service->cancel();
    m_thread->quit();
    m_thread->wait();
}

QString DownloadDialog::repoId() const
{
    QString id = m_repo->text().trimmed();
    const QString revision = m_revision->text().trimmed();
    if (!revision.isEmpty() && revision != QLatin1String("main"))
        id = id.section('@', 0, 0) + '@' + revision;
    return id;
}

QString DownloadDialog::message() const
{
    return m_message->text();
}

void DownloadDialog::listFiles()
{
    if (m_busy)
        return;
    m_files->clear();
    m_listedRepo.clear();
    setBusy(true);
    showMessage(tr("Asking the Hub for the files of %1…").arg(repoId()), false);
    QMetaObject::invokeMethod(m_service, "list", Qt::QueuedConnection,
        Q_ARG(QString, m_repo->text()), Q_ARG(QString, m_revision->text()));
}

void DownloadDialog::startDownload()
{
    if (m_busy || m_listedRepo.isEmpty())
        return;
    m_fetching = checkedFiles();
    if (m_fetching.isEmpty()) {
        showMessage(tr("Check the files to download."), true);
        return;
    }
    setBusy(true);
    m_fileBar->setValue(0);
    m_totalBar->setValue(0);
    showMessage(
        tr("Downloading %n file(s) of %1…", nullptr, int(m_fetching.size())).arg(repoId()), false);
    QMetaObject::invokeMethod(m_service, "download", Qt::QueuedConnection,
        Q_ARG(QString, m_repo->text()), Q_ARG(QString, m_revision->text()),
        Q_ARG(QStringList, m_fetching));
}

void DownloadDialog::reject()
{
    if (m_busy)
        m_service->cancel();
    QDialog::reject();
}

void DownloadDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_repo->setEnabled(!busy);
    m_revision->setEnabled(!busy);
    m_list->setEnabled(!busy);
    m_files->setEnabled(!busy);
    m_download->setEnabled(!busy && !m_listedRepo.isEmpty());
    m_cancel->setEnabled(busy);
}

void DownloadDialog::showMessage(const QString &text, bool error)
{
    m_message->setStyleSheet(error ? QStringLiteral("color: #b00020") : QString());
    m_message->setText(text);
}

void DownloadDialog::onListed(const QString &repo, const QString &commit, const HubFileRows &files)
{
    m_listedRepo = repo;
    const QSignalBlocker blocker(m_files); // one size update at the end, not one per row
    m_files->clear();
    for (const HubFileRow &f : files) {
        auto *item = new QTreeWidgetItem(m_files);
        item->setText(NameColumn, f.name);
        item->setText(SizeColumn, f.wanted ? bytesText(f.size) : tr("—"));
        item->setData(SizeColumn, kSizeRole, f.wanted ? QVariant(f.size) : QVariant());
        item->setTextAlignment(SizeColumn, Qt::AlignRight | Qt::AlignVCenter);
        item->setText(StateColumn, f.cached ? tr("in the cache") : QString());
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(NameColumn, f.wanted ? Qt::Checked : Qt::Unchecked);
    }
    setBusy(false);
    updateSelectionSize();
    showMessage(tr("%1 at commit %2: %n file(s); those a model needs are checked.", nullptr,
                    int(files.size()))
                    .arg(repo, commit.left(12)),
        false);
}

void DownloadDialog::onProgress(const DownloadStatus &status)
{
    if (!m_busy || status.file < 0 || status.file >= m_fetching.size())
        return;
    const QString name = m_fetching.at(status.file);
    m_fileLabel->setText(
        tr("%1: %2 of %3").arg(name, bytesText(status.fileBytes), bytesText(status.fileSize)));
    m_fileBar->setValue(barValue(status.fileBytes, status.fileSize));
    m_totalLabel->setText(tr("All: %1 of %2 · %3 · %4")
                              .arg(bytesText(status.bytes), bytesText(status.size),
                                  status.bytesPerSecond > 0
                                      ? tr("%1/s").arg(bytesText(quint64(status.bytesPerSecond)))
                                      : tr("measuring speed"),
                                  durationText(status.etaSeconds)));
    m_totalBar->setValue(barValue(status.bytes, status.size));
    for (int i = 0; i < m_files->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_files->topLevelItem(i);
        if (item->text(NameColumn) == name) {
            item->setText(SizeColumn, bytesText(status.fileSize));
            item->setText(StateColumn,
                status.fileBytes >= status.fileSize
                    ? tr("done")
                    : tr("%1%").arg(barValue(status.fileBytes, status.fileSize) / 10));
        }
    }
}

void DownloadDialog::onFinished(const QString &repo, const QString &snapshot, quint64 transferred)
{
    if (!m_busy)
        return;
    m_snapshot = snapshot;
    setBusy(false);
    m_fileBar->setValue(kBarScale);
    m_totalBar->setValue(kBarScale);
    for (int i = 0; i < m_files->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_files->topLevelItem(i);
        if (m_fetching.contains(item->text(NameColumn)))
            item->setText(StateColumn, tr("in the cache"));
    }
    showMessage(transferred == 0
            ? tr("%1: every file was in the cache already (%2).").arg(repo, snapshot)
            : tr("%1: downloaded %2 into %3.").arg(repo, bytesText(transferred), snapshot),
        false);
    Q_EMIT downloaded(repoId(), snapshot);
    if (m_purpose == Purpose::Pick)
        accept();
}

void DownloadDialog::onFailed(const QString &what, const QString &message)
{
    if (!m_busy)
        return;
    setBusy(false);
    showMessage(message == QLatin1String("cancelled")
            ? tr("Cancelled; what was complete stays in the cache, and a new download resumes "
                 "the rest.")
            : what + ": " + message,
        message != QLatin1String("cancelled"));
}

QStringList DownloadDialog::checkedFiles() const
{
    QStringList names;
    for (int i = 0; i < m_files->topLevelItemCount(); ++i)
        if (m_files->topLevelItem(i)->checkState(NameColumn) == Qt::Checked)
            names << m_files->topLevelItem(i)->text(NameColumn);
    return names;
}

void DownloadDialog::updateSelectionSize()
{
    int count = 0, unknown = 0;
    quint64 bytes = 0;
    for (int i = 0; i < m_files->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = m_files->topLevelItem(i);
        if (item->checkState(NameColumn) != Qt::Checked)
            continue;
        ++count;
        const QVariant size = item->data(SizeColumn, kSizeRole);
        if (size.isValid())
            bytes += size.toULongLong();
        else
            ++unknown;
    }
    QString text = tr("%n file(s) checked, %1", nullptr, count).arg(bytesText(bytes));
    if (unknown > 0)
        text += tr(" + %n of a size the Hub tells when it is fetched", nullptr, unknown);
    m_selection->setText(text);
    m_download->setEnabled(!m_busy && !m_listedRepo.isEmpty() && count > 0);
}

} // namespace chatbench::ui
