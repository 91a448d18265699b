#include "download_service.h"

#include "chatbench/error.h"

#include <chrono>

namespace chatbench::ui {

DownloadService::DownloadService(HubSettings settings, QObject *parent)
    : QObject(parent), m_settings(std::move(settings))
{
    qRegisterMetaType<HubFileRows>();
    qRegisterMetaType<DownloadStatus>();
}

bool DownloadService::parse(const QString &repo, const QString &revision, RepoId &out)
{
    const auto parsed = RepoId::parse(repo.trimmed().toStdString());
    if (!parsed) {
        Q_EMIT failed(tr("Download model"),
            tr("'%1' is not a repo id: expected ORG/NAME, e.g. ckiplab/gpt2-base-chinese")
                .arg(repo));
        return false;
    }
    out = *parsed;
    if (!revision.trimmed().isEmpty())
        out.revision = revision.trimmed().toStdString();
    return true;
}

void DownloadService::list(const QString &repoText, const QString &revision)
{
    m_cancel = false;
    RepoId repo;
    if (!parse(repoText, revision, repo))
        return;
    try {
        const HubClient hub(m_settings);
        const HubListing listing = hub.list(repo, &m_cancel);
        const std::vector<std::string> wanted = selectModelFiles(listing.files);
        // Sizes for what a model needs; the other files are listed without one (a HEAD each
        // would be slow for a repo with many files).
        const std::vector<HubFile> described
            = hub.describe(repo, listing.commit, wanted, &m_cancel);
        HubFileRows rows;
        for (const std::string &name : listing.files) {
            HubFileRow row;
            row.name = QString::fromStdString(name);
            for (const HubFile &f : described)
                if (f.name == name) {
                    row.size = f.size;
                    row.cached = f.cached;
                    row.wanted = true;
                }
            rows.append(row);
        }
        Q_EMIT listed(
            QString::fromStdString(repo.toString()), QString::fromStdString(listing.commit), rows);
    } catch (const std::exception &e) {
        Q_EMIT failed(tr("List files"), QString::fromUtf8(e.what()));
    }
}

void DownloadService::download(
    const QString &repoText, const QString &revision, const QStringList &files)
{
    m_cancel = false;
    RepoId repo;
    if (!parse(repoText, revision, repo))
        return;
    std::vector<std::string> names;
    for (const QString &f : files)
        names.push_back(f.toStdString());
    try {
        const HubClient hub(m_settings);
        // A progress signal at most 20 times a second: the GUI redraws on each.
        auto last = std::chrono::steady_clock::now() - std::chrono::seconds(1);
        const DownloadResult result = hub.download(
            repo, names,
            [&](const DownloadProgress &p) {
                const auto now = std::chrono::steady_clock::now();
                if (now - last < std::chrono::milliseconds(50) && p.bytes < p.size)
                    return;
                last = now;
                Q_EMIT progress({ int(p.file), p.fileBytes, p.fileSize, p.bytes, p.size,
                    p.bytesPerSecond, p.etaSeconds });
            },
            &m_cancel);
        Q_EMIT finished(QString::fromStdString(repo.toString()),
            QString::fromStdString(result.snapshot.string()), result.transferred);
    } catch (const std::exception &e) {
        Q_EMIT failed(tr("Download model"), QString::fromUtf8(e.what()));
    }
}

} // namespace chatbench::ui
