#pragma once
// Models from the Hugging Face Hub, in the cache huggingface_hub, transformers and llama.cpp
// share, so a model fetched by any of them opens here by its repo id, offline.
//
// The Hub's public HTTP protocol:
//   GET  {endpoint}/api/models/{repo}/revision/{rev}   the commit ("sha") and the file names
//                                                     ("siblings"[].rfilename)
//   HEAD {endpoint}/{repo}/resolve/{commit}/{file}     X-Repo-Commit; X-Linked-Etag (an LFS
//                                                     file's SHA-256) or ETag; X-Linked-Size or
//                                                     Content-Length; a redirect for LFS files
//   GET  the same URL, following redirects            the bytes (Range: to resume)
// The token goes as "Authorization: Bearer" to the endpoint's own host only, never to the host
// a redirect leads to, and is never printed.
//
// The cache (HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub):
//   models--{org}--{name}/blobs/{etag}                 the files' bytes, named by their etag
//   models--{org}--{name}/snapshots/{commit}/{file}    relative symlinks into blobs/
//   models--{org}--{name}/refs/{revision}              the commit a branch or tag named
//   .locks/models--{org}--{name}/{etag}.lock           one writer per blob (flock)
// A file downloads to blobs/{etag}.incomplete, resumes from there after a failure, and is
// renamed when complete (and, for an LFS file, when its SHA-256 equals its etag).

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chatbench {

struct HubSettings
{
    std::string endpoint = "https://huggingface.co";
    std::string token; // empty: anonymous
    std::filesystem::path cacheDir; // the hub cache itself (the folder with models--*)
    bool offline = false; // every lookup from the cache only
    int connectTimeoutSeconds = 10;
    int stallSeconds = 30; // no byte for this long: the connection counts as stalled
    int maxAttempts = 5; // per request, for transient failures (resets, timeouts, 5xx)
    double firstBackoffSeconds = 1.0; // doubles after each failed attempt
};

// The settings huggingface_hub takes from the environment: HF_ENDPOINT, HF_TOKEN (else the
// token file HF_HOME/token, else ~/.cache/huggingface/token), HF_HUB_OFFLINE (1, true, yes, on),
// HF_HUB_CACHE, else HF_HOME/hub, else XDG_CACHE_HOME/huggingface/hub, else
// ~/.cache/huggingface/hub. Front ends call it; the engine reads no environment on its own.
HubSettings hubSettingsFromEnvironment();

// "org/name" or "org/name@revision" (a branch, tag or commit).
struct RepoId
{
    std::string id; // "org/name"
    std::string revision = "main";

    // The repo id in text, or nullopt when text is not of that form (a path, say).
    static std::optional<RepoId> parse(std::string_view text);
    std::string toString() const; // "org/name", or "org/name@rev" when rev is not main
    // models--org--name
    std::string cacheFolderName() const;
};

struct HubFile
{
    std::string name; // path in the repo, "/"-separated
    std::uint64_t size = 0;
    std::string etag; // the blob's name in the cache
    bool lfs = false; // its etag is the SHA-256 of its bytes
    bool cached = false; // its blob is in the cache already
};

struct HubListing
{
    std::string commit;
    std::vector<std::string> files; // every file of the revision
};

// The files a model needs, of all: config.json, generation_config.json, *.safetensors (else
// pytorch_model.bin), vocab.txt, tokenizer.json, tokenizer_config.json,
// special_tokens_map.json, *.model (SentencePiece). include: glob patterns instead ("*" stays
// within a folder, "**" does not), all files they match.
std::vector<std::string> selectModelFiles(
    const std::vector<std::string> &files, const std::vector<std::string> &include = {});

struct DownloadProgress
{
    std::size_t file = 0; // index into the files being fetched
    std::uint64_t fileBytes = 0, fileSize = 0; // of this file, including a resumed part
    std::uint64_t bytes = 0, size = 0; // of all the files
    std::uint64_t transferred = 0; // over the network in this call
    double bytesPerSecond = 0; // recent rate
    double etaSeconds = -1; // -1: unknown
};
using DownloadCallback = std::function<void(const DownloadProgress &)>;

struct DownloadResult
{
    RepoId repo;
    std::string commit;
    std::filesystem::path snapshot; // snapshots/{commit}
    std::vector<HubFile> files;
    std::uint64_t transferred = 0; // bytes fetched over the network (0 when all were cached)
};

class HubClient
{
public:
    explicit HubClient(HubSettings settings);

    const HubSettings &settings() const { return m_settings; }

    // The revision's commit and files. Throws chatbench::Error naming the repo and revision:
    // not found or private (log in, check the name), gated (accept its terms). Offline, the
    // cached snapshot's commit and files (an error when there is none).
    HubListing list(const RepoId &repo, const std::atomic<bool> *cancel = nullptr) const;
    // Each file's size and etag (HEAD requests), and whether its blob is cached already.
    // Offline, from the cached snapshot of commit.
    std::vector<HubFile> describe(const RepoId &repo, const std::string &commit,
        const std::vector<std::string> &names, const std::atomic<bool> *cancel = nullptr) const;
    // Fetches the files into the cache and links them into the commit's snapshot; a file whose
    // blob is there already transfers nothing. Transient failures are retried with backoff,
    // resuming. Offline, succeeds when every file is in the snapshot already. Throws
    // chatbench::Error (cancelled: "cancelled"); what is complete stays in the cache.
    DownloadResult download(const RepoId &repo, const std::vector<std::string> &names,
        const DownloadCallback &onProgress = {}, const std::atomic<bool> *cancel = nullptr) const;
    // list, selectModelFiles and download in one.
    DownloadResult downloadModel(const RepoId &repo, const std::vector<std::string> &include = {},
        const DownloadCallback &onProgress = {}, const std::atomic<bool> *cancel = nullptr) const;

private:
    HubSettings m_settings;
};

// The snapshot folder of repo@revision in the cache (a commit's folder, or the one
// refs/{revision} names), when it is there; commit receives the commit. No network.
std::optional<std::filesystem::path> cachedSnapshot(
    const HubSettings &settings, const RepoId &repo, std::string *commit = nullptr);

// A model or tokenizer folder from what a user typed: an existing path, or anything that is no
// repo id, as it is (its opener reports what is missing); else a repo id's snapshot from the
// cache. Throws chatbench::Error for a repo id not in the cache, naming the cache and the
// download command that fetches it.
std::filesystem::path resolveModelFolder(
    const std::string &pathOrRepoId, const HubSettings &settings, std::string *commit = nullptr);

// A model or tokenizer setting made independent of the working folder: a path that exists
// (relative ones against baseDir) becomes absolute; a repo id that names no path stays as typed;
// anything else becomes an absolute path (reported missing where it is opened).
std::string normalizeModelLocation(const std::string &text, const std::filesystem::path &baseDir);

// text with a repo id pinned to the commit its revision names in the cache
// ("org/name@<40 hex>"), so a run records exactly what it started from; anything else, or a
// repo id the cache lacks, as it is.
std::string pinRepoRevision(const std::string &text, const HubSettings &settings);

} // namespace chatbench
