#include "chatbench/hub.h"

#include "chatbench/atomic_file.h"
#include "chatbench/error.h"
#include "io/http_client.h"
#include "io/sha256.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fnmatch.h>
#include <nlohmann/json.hpp>
#include <regex>
#include <sys/file.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;

namespace chatbench {

namespace {

using Clock = std::chrono::steady_clock;

std::string environment(const char *name)
{
    const char *value = std::getenv(name);
    return value ? value : "";
}

bool isCommitHash(const std::string &text)
{
    return text.size() == 40 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// An ETag header's value without quotes or a weak marker: the blob's name.
std::string etagName(std::string etag)
{
    if (etag.rfind("W/", 0) == 0)
        etag.erase(0, 2);
    if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"')
        etag = etag.substr(1, etag.size() - 2);
    return etag;
}

bool isSha256(const std::string &text)
{
    return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// Holds an exclusive flock on a lock file for as long as it lives.
class BlobLock
{
public:
    explicit BlobLock(const fs::path &file)
    {
        std::error_code ec;
        fs::create_directories(file.parent_path(), ec);
        m_fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (m_fd < 0 || ::flock(m_fd, LOCK_EX) != 0)
            throw Error::inFile(file, "cannot lock (another download of this file?)");
    }
    ~BlobLock()
    {
        if (m_fd >= 0)
            ::close(m_fd); // releases the lock
    }
    BlobLock(const BlobLock &) = delete;
    BlobLock &operator=(const BlobLock &) = delete;

private:
    int m_fd = -1;
};

std::string describeStatus(const RepoId &repo, long status, const std::string &body)
{
    const std::string where = repo.id + "@" + repo.revision + ": ";
    switch (status) {
    case 401:
        return where
            + "the Hub answered 401: no such repo, or a private or gated one that needs a "
              "token; check the name, or log in (set HF_TOKEN, or huggingface-cli login)";
    case 403:
        return where
            + "the Hub answered 403: the token has no access to this repo; for a gated repo, "
              "accept its terms on its page first";
    case 404:
        return where + "not found (404): check the repo id and the revision";
    default:
        break;
    }
    std::string excerpt = body.substr(0, 200);
    for (char &c : excerpt)
        if (c == '\n' || c == '\r')
            c = ' ';
    return where + "the Hub answered " + std::to_string(status)
        + (excerpt.empty() ? "" : ": " + excerpt);
}

} // namespace

HubSettings hubSettingsFromEnvironment()
{
    HubSettings s;
    if (const std::string endpoint = environment("HF_ENDPOINT"); !endpoint.empty())
        s.endpoint = endpoint;
    while (!s.endpoint.empty() && s.endpoint.back() == '/')
        s.endpoint.pop_back();
    const std::string home = environment("HOME");
    const std::string xdg = environment("XDG_CACHE_HOME");
    const fs::path cacheRoot = !xdg.empty() ? fs::path(xdg) : fs::path(home) / ".cache";
    const std::string hfHome = environment("HF_HOME");
    const fs::path hfRoot = !hfHome.empty() ? fs::path(hfHome) : cacheRoot / "huggingface";
    const std::string hubCache = environment("HF_HUB_CACHE");
    s.cacheDir = !hubCache.empty() ? fs::path(hubCache) : hfRoot / "hub";
    s.token = environment("HF_TOKEN");
    if (s.token.empty()) {
        std::error_code ec;
        const fs::path tokenFile = hfRoot / "token";
        if (fs::is_regular_file(tokenFile, ec))
            try {
                s.token = readSmallFile(tokenFile);
            } catch (const Error &) {
                // unreadable: anonymous, as huggingface_hub would be
            }
        const auto last = s.token.find_last_not_of(" \t\r\n");
        s.token.erase(last == std::string::npos ? 0 : last + 1);
    }
    std::string offline = environment("HF_HUB_OFFLINE");
    for (char &c : offline)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    s.offline = offline == "1" || offline == "true" || offline == "yes" || offline == "on";
    return s;
}

std::optional<RepoId> RepoId::parse(std::string_view text)
{
    static const std::regex pattern(
        R"(([A-Za-z0-9][A-Za-z0-9._-]*)/([A-Za-z0-9][A-Za-z0-9._-]*)(@([A-Za-z0-9._/-]+))?)");
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_match(text.begin(), text.end(), m, pattern))
        return std::nullopt;
    RepoId repo;
    repo.id = m[1].str() + "/" + m[2].str();
    if (m[4].matched)
        repo.revision = m[4].str();
    if (repo.id.find("..") != std::string::npos || repo.revision.find("..") != std::string::npos)
        return std::nullopt;
    return repo;
}

std::string RepoId::toString() const
{
    return revision == "main" ? id : id + "@" + revision;
}

std::string RepoId::cacheFolderName() const
{
    std::string name = "models--" + id;
    const auto slash = name.find('/');
    return name.replace(slash, 1, "--");
}

std::vector<std::string> selectModelFiles(
    const std::vector<std::string> &files, const std::vector<std::string> &include)
{
    std::vector<std::string> out;
    if (!include.empty()) {
        for (const std::string &f : files)
            for (const std::string &pattern : include)
                if (::fnmatch(pattern.c_str(), f.c_str(), 0) == 0) {
                    out.push_back(f);
                    break;
                }
        return out;
    }
    const auto endsWith = [](const std::string &s, const std::string &suffix) {
        return s.size() >= suffix.size()
            && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    bool safetensors = false;
    for (const std::string &f : files)
        safetensors
            = safetensors || (f.find('/') == std::string::npos && endsWith(f, ".safetensors"));
    for (const std::string &f : files) {
        if (f.find('/') != std::string::npos)
            continue; // the model's own files are at the top
        const bool wanted = f == "config.json" || f == "generation_config.json" || f == "vocab.txt"
            || f == "tokenizer.json" || f == "tokenizer_config.json"
            || f == "special_tokens_map.json" || endsWith(f, ".model")
            || (safetensors ? endsWith(f, ".safetensors") || f == "model.safetensors.index.json"
                            : f == "pytorch_model.bin" || f == "pytorch_model.bin.index.json");
        if (wanted)
            out.push_back(f);
    }
    return out;
}

std::optional<fs::path> cachedSnapshot(
    const HubSettings &settings, const RepoId &repo, std::string *commit)
{
    const fs::path root = settings.cacheDir / repo.cacheFolderName();
    std::error_code ec;
    std::string sha = repo.revision;
    if (!isCommitHash(sha)) {
        const fs::path ref = root / "refs" / repo.revision;
        if (!fs::is_regular_file(ref, ec))
            return std::nullopt;
        try {
            sha = readSmallFile(ref);
        } catch (const Error &) {
            return std::nullopt;
        }
        while (!sha.empty() && std::isspace(static_cast<unsigned char>(sha.back())))
            sha.pop_back();
    }
    const fs::path snapshot = root / "snapshots" / sha;
    if (sha.empty() || !fs::is_directory(snapshot, ec))
        return std::nullopt;
    if (commit)
        *commit = sha;
    return snapshot;
}

fs::path resolveModelFolder(
    const std::string &pathOrRepoId, const HubSettings &settings, std::string *commit)
{
    std::error_code ec;
    if (fs::exists(pathOrRepoId, ec))
        return pathOrRepoId;
    const auto repo = RepoId::parse(pathOrRepoId);
    if (!repo)
        return pathOrRepoId; // not a repo id: the folder's opener says what is missing
    if (auto snapshot = cachedSnapshot(settings, *repo, commit))
        return *snapshot;
    throw Error(pathOrRepoId + ": no such folder, and the Hugging Face cache ("
        + settings.cacheDir.string() + ") does not have " + repo->toString()
        + ": `chatbench-cli download " + repo->toString() + "` fetches it");
}

std::string normalizeModelLocation(const std::string &text, const fs::path &baseDir)
{
    if (text.empty())
        return text;
    const fs::path p(text);
    const fs::path located = p.is_absolute() || baseDir.empty() ? p : baseDir / p;
    std::error_code ec;
    if (!fs::exists(located, ec) && RepoId::parse(text))
        return text;
    return fs::absolute(located, ec).lexically_normal().string();
}

std::string pinRepoRevision(const std::string &text, const HubSettings &settings)
{
    std::error_code ec;
    const auto repo = RepoId::parse(text);
    if (!repo || fs::exists(text, ec) || isCommitHash(repo->revision))
        return text;
    std::string commit;
    if (!cachedSnapshot(settings, *repo, &commit))
        return text;
    return repo->id + "@" + commit;
}

HubClient::HubClient(HubSettings settings) : m_settings(std::move(settings))
{
    while (!m_settings.endpoint.empty() && m_settings.endpoint.back() == '/')
        m_settings.endpoint.pop_back();
}

namespace {

// Requests to the Hub and where it redirects: the token only for the endpoint's origin,
// transient failures (and 5xx answers) retried with doubling backoff.
class Requester
{
public:
    Requester(const HubSettings &settings, const std::atomic<bool> *cancel)
        : m_settings(settings), m_endpoint(urlOrigin(settings.endpoint)), m_cancel(cancel)
    { }

    // Runs attempt() until it returns, retrying what failed transiently. attempt throws
    // HttpFailure (transient or not), or returns the answer; an answer of 500 or more counts
    // as a transient failure until the attempts are used up.
    HttpResponse retry(const std::function<HttpResponse()> &attempt) const
    {
        double backoff = m_settings.firstBackoffSeconds;
        for (int n = 1;; ++n) {
            try {
                HttpResponse response = attempt();
                if (response.status < 500 || n >= m_settings.maxAttempts)
                    return response;
            } catch (const HttpFailure &failure) {
                if (failure.cancelled())
                    throw Error("cancelled");
                if (!failure.transient() || n >= m_settings.maxAttempts)
                    throw Error(std::string(failure.what()) + " (after " + std::to_string(n)
                        + " attempt" + (n > 1 ? "s" : "") + ")");
            }
            sleepFor(backoff);
            backoff *= 2;
        }
    }

    // One exchange. follow: take every redirect (a file's bytes); otherwise only one within
    // the endpoint (a renamed repo), because the metadata sits on the first answer.
    HttpResponse once(std::string url, bool head, bool follow, HttpRequest request = {}) const
    {
        const std::vector<std::string> headers = request.headers;
        for (int hops = 0;; ++hops) {
            request.url = url;
            request.head = head;
            request.headers = headers;
            if (!m_settings.token.empty() && urlOrigin(url) == m_endpoint)
                request.headers.push_back("Authorization: Bearer " + m_settings.token);
            request.connectTimeoutSeconds = m_settings.connectTimeoutSeconds;
            request.stallSeconds = m_settings.stallSeconds;
            request.cancel = m_cancel;
            HttpResponse response = performHttp(request);
            const bool redirect = response.status == 301 || response.status == 302
                || response.status == 303 || response.status == 307 || response.status == 308;
            const std::string location = response.header("location");
            if (!redirect || location.empty())
                return response;
            const std::string next = resolveUrl(url, location);
            if (!follow && !(urlOrigin(next) == m_endpoint))
                return response;
            if (hops >= 10)
                throw HttpFailure(url + ": more than 10 redirects", false, false);
            url = next;
        }
    }

    HttpResponse send(const std::string &url, bool head) const
    {
        return retry([&] { return once(url, head, false); });
    }

private:
    void sleepFor(double seconds) const
    {
        const auto until = Clock::now() + std::chrono::duration<double>(seconds);
        while (Clock::now() < until) {
            if (m_cancel && m_cancel->load())
                throw Error("cancelled");
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }

    const HubSettings &m_settings;
    UrlOrigin m_endpoint;
    const std::atomic<bool> *m_cancel;
};

std::string resolveUrlOf(
    const HubSettings &s, const RepoId &repo, const std::string &revision, const std::string &file)
{
    return s.endpoint + "/" + repo.id + "/resolve/" + encodeUrlPath(revision) + "/"
        + encodeUrlPath(file);
}

// The recent transfer rate, for the progress line's speed and ETA.
class RateMeter
{
public:
    void add(std::uint64_t bytes)
    {
        const auto now = Clock::now();
        m_window += bytes;
        const double elapsed = std::chrono::duration<double>(now - m_since).count();
        if (elapsed >= 0.5) {
            const double rate = double(m_window) / elapsed;
            m_rate = m_rate == 0 ? rate : 0.7 * m_rate + 0.3 * rate;
            m_window = 0;
            m_since = now;
        }
    }
    double rate() const { return m_rate; }

private:
    Clock::time_point m_since = Clock::now();
    std::uint64_t m_window = 0;
    double m_rate = 0;
};

// Downloads one file into blobs/{etag}.incomplete, resuming what a previous attempt (or
// process) left there, checks its size and, for an LFS file, its SHA-256, then renames it to
// blobs/{etag}. A file that fails the check is deleted: no snapshot link will point at it.
void fetchBlob(const Requester &requester, const RepoId &repo, const std::string &url,
    const HubFile &f, const fs::path &blobs, std::uint64_t before, DownloadProgress &progress,
    RateMeter &meter, const std::function<void()> &report)
{
    const fs::path partial = blobs / (f.etag + ".incomplete");
    std::error_code ec;
    requester.retry([&]() -> HttpResponse {
        std::uint64_t have = fs::exists(partial, ec) ? fs::file_size(partial, ec) : 0;
        using File = std::unique_ptr<std::FILE, int (*)(std::FILE *)>;
        File out(std::fopen(partial.c_str(), "ab"), std::fclose);
        if (!out)
            throw Error::inFile(partial, "cannot be written");
        HttpRequest request;
        if (have > 0)
            request.headers.push_back("Range: bytes=" + std::to_string(have) + "-");
        request.onBodyStart = [&](long status, const std::map<std::string, std::string> &) {
            if (status == 200 && have > 0) { // the Range was ignored: the whole file comes
                out = File(std::fopen(partial.c_str(), "wb"), std::fclose);
                have = 0;
            }
        };
        request.onBody = [&](const char *data, std::size_t size) {
            if (!out || std::fwrite(data, 1, size, out.get()) != size)
                return false;
            have += size;
            progress.fileBytes = have;
            progress.bytes = before + have;
            progress.transferred += size;
            meter.add(size);
            report();
            return true;
        };
        progress.fileBytes = have;
        progress.bytes = before + have;
        const HttpResponse r = requester.once(url, false, true, request);
        if (!out || std::fflush(out.get()) != 0)
            throw Error::inFile(partial, "write error (is the disk full?)");
        out.reset();
        if (r.status == 416 && f.size > 0 && have == f.size)
            return r; // the earlier attempt had it all
        if (r.status >= 500)
            return r; // retried
        if (r.status >= 400)
            throw Error(describeStatus(repo, r.status, r.body) + " (file " + f.name + ")");
        if (r.status != 200 && r.status != 206)
            throw Error(repo.toString() + ": " + f.name + ": unexpected answer "
                + std::to_string(r.status));
        if (f.size > 0 && have < f.size)
            throw HttpFailure(url + ": the connection ended after " + std::to_string(have) + " of "
                    + std::to_string(f.size) + " bytes",
                true, false);
        return r;
    });
    const std::uint64_t size = fs::file_size(partial, ec);
    if (f.size > 0 && size != f.size) {
        fs::remove(partial, ec);
        throw Error(repo.toString() + ": " + f.name + " arrived with " + std::to_string(size)
            + " bytes, the Hub announced " + std::to_string(f.size) + "; the download was deleted");
    }
    if (f.lfs) {
        const std::string actual = sha256OfFile(partial);
        if (actual != f.etag) {
            fs::remove(partial, ec);
            throw Error(repo.toString() + ": " + f.name + " is damaged: its SHA-256 is " + actual
                + ", the Hub's is " + f.etag + "; the download was deleted (try again)");
        }
    }
    fs::rename(partial, blobs / f.etag, ec);
    if (ec)
        throw Error::inFile(blobs / f.etag, "cannot be stored: " + ec.message());
}

// snapshots/{commit}/{name} -> ../../blobs/{etag} (one more ../ per folder in name), made
// beside and renamed over, so a reader never sees a half-made link.
void linkIntoSnapshot(const fs::path &snapshot, const std::string &name, const std::string &etag)
{
    const fs::path link = snapshot / name;
    std::error_code ec;
    fs::create_directories(link.parent_path(), ec);
    std::string target = "../../";
    for (char c : name)
        if (c == '/')
            target += "../";
    target += "blobs/" + etag;
    if (fs::is_symlink(link, ec) && fs::read_symlink(link, ec) == target)
        return;
    // Unique per process and per call: two downloads of one repo may link the same file.
    static std::atomic<unsigned> counter { 0 };
    const fs::path temporary = link.parent_path()
        / ("." + link.filename().string() + ".link-" + std::to_string(::getpid()) + "-"
            + std::to_string(counter++));
    fs::remove(temporary, ec);
    fs::create_symlink(target, temporary, ec);
    if (!ec)
        fs::rename(temporary, link, ec);
    if (ec)
        throw Error::inFile(link, "cannot link into the cache snapshot: " + ec.message());
}

Error notCached(const HubSettings &settings, const RepoId &repo, const std::string &what)
{
    return Error(repo.toString() + ": offline (HF_HUB_OFFLINE is set) and " + what
        + " not in the cache (" + settings.cacheDir.string() + ")");
}

// A file of a cached snapshot, as describe() would have found it on the Hub.
HubFile cachedFile(const fs::path &snapshot, const std::string &name)
{
    std::error_code ec;
    HubFile f;
    f.name = name;
    f.cached = true;
    f.size = fs::file_size(snapshot / name, ec);
    f.etag = fs::read_symlink(snapshot / name, ec).filename().string();
    f.lfs = isSha256(f.etag);
    return f;
}

} // namespace

HubListing HubClient::list(const RepoId &repo, const std::atomic<bool> *cancel) const
{
    if (m_settings.offline) {
        // Offline, the cached snapshot stands for the revision: what is there is what opens.
        HubListing listing;
        const auto snapshot = cachedSnapshot(m_settings, repo, &listing.commit);
        if (!snapshot)
            throw notCached(m_settings, repo, "it is");
        std::error_code ec;
        for (const auto &entry : fs::recursive_directory_iterator(*snapshot, ec))
            if (!entry.is_directory(ec))
                listing.files.push_back(
                    entry.path().lexically_relative(*snapshot).generic_string());
        std::sort(listing.files.begin(), listing.files.end());
        return listing;
    }
    const Requester requester(m_settings, cancel);
    const std::string url = m_settings.endpoint + "/api/models/" + repo.id + "/revision/"
        + encodeUrlPath(repo.revision);
    const HttpResponse response = requester.send(url, false);
    if (response.status != 200)
        throw Error(describeStatus(repo, response.status, response.body));
    const nlohmann::json j = nlohmann::json::parse(response.body, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("sha") || !j["sha"].is_string())
        throw Error(repo.toString() + ": the Hub's answer to " + url
            + " is not the expected JSON (no \"sha\")");
    HubListing listing;
    listing.commit = j["sha"].get<std::string>();
    if (const auto siblings = j.find("siblings"); siblings != j.end() && siblings->is_array())
        for (const auto &s : *siblings)
            if (s.is_object() && s.contains("rfilename") && s["rfilename"].is_string())
                listing.files.push_back(s["rfilename"].get<std::string>());
    return listing;
}

std::vector<HubFile> HubClient::describe(const RepoId &repo, const std::string &commit,
    const std::vector<std::string> &names, const std::atomic<bool> *cancel) const
{
    std::vector<HubFile> out;
    if (m_settings.offline) {
        const auto snapshot = cachedSnapshot(
            m_settings, RepoId { repo.id, commit.empty() ? repo.revision : commit });
        std::error_code ec;
        for (const std::string &name : names) {
            if (!snapshot || !fs::exists(*snapshot / name, ec))
                throw notCached(m_settings, repo, name + " is");
            out.push_back(cachedFile(*snapshot, name));
        }
        return out;
    }
    const Requester requester(m_settings, cancel);
    const fs::path blobs = m_settings.cacheDir / repo.cacheFolderName() / "blobs";
    for (const std::string &name : names) {
        const HttpResponse r = requester.send(resolveUrlOf(m_settings, repo, commit, name), true);
        if (r.status >= 400)
            throw Error(describeStatus(repo, r.status, r.body) + " (file " + name + ")");
        HubFile f;
        f.name = name;
        const std::string linked = etagName(r.header("x-linked-etag"));
        f.etag = linked.empty() ? etagName(r.header("etag")) : linked;
        f.lfs = !linked.empty() && isSha256(linked);
        const std::string size = r.header("x-linked-size").empty() ? r.header("content-length")
                                                                   : r.header("x-linked-size");
        f.size = size.empty() ? 0 : std::strtoull(size.c_str(), nullptr, 10);
        if (f.etag.empty() || f.etag.find('/') != std::string::npos)
            throw Error(repo.toString() + ": the Hub gave no usable ETag for " + name);
        std::error_code ec;
        f.cached = fs::is_regular_file(blobs / f.etag, ec);
        out.push_back(std::move(f));
    }
    return out;
}

DownloadResult HubClient::download(const RepoId &repo, const std::vector<std::string> &names,
    const DownloadCallback &onProgress, const std::atomic<bool> *cancel) const
{
    DownloadResult result;
    result.repo = repo;
    const fs::path root = m_settings.cacheDir / repo.cacheFolderName();
    std::error_code ec;

    // Offline, or a snapshot that has every file already: nothing to ask the Hub.
    std::string cachedCommit;
    const auto snapshot = cachedSnapshot(m_settings, repo, &cachedCommit);
    bool complete = snapshot.has_value();
    for (const std::string &name : names)
        complete = complete && fs::exists(*snapshot / name, ec);
    if (m_settings.offline && !complete) {
        for (const std::string &name : names)
            if (!snapshot || !fs::exists(*snapshot / name, ec))
                throw notCached(m_settings, repo, name + " is");
    }
    if (complete && (m_settings.offline || isCommitHash(repo.revision))) {
        result.commit = cachedCommit;
        result.snapshot = *snapshot;
        for (const std::string &name : names)
            result.files.push_back(cachedFile(*snapshot, name));
        return result;
    }

    // The revision's commit now (a branch may have moved on).
    const HubListing listing = list(repo, cancel);
    result.commit = listing.commit;
    for (const std::string &name : names)
        if (std::find(listing.files.begin(), listing.files.end(), name) == listing.files.end())
            throw Error(repo.toString() + ": no file " + name + " in commit " + listing.commit);
    result.snapshot = root / "snapshots" / listing.commit;
    result.files = describe(repo, listing.commit, names, cancel);

    const Requester requester(m_settings, cancel);
    DownloadProgress progress;
    for (const HubFile &f : result.files)
        progress.size += f.size;
    RateMeter meter;
    const auto report = [&] {
        if (!onProgress)
            return;
        progress.bytesPerSecond = meter.rate();
        progress.etaSeconds = progress.bytesPerSecond > 0
            ? double(progress.size - std::min(progress.bytes, progress.size))
                / progress.bytesPerSecond
            : -1;
        onProgress(progress);
    };

    const fs::path blobs = root / "blobs";
    fs::create_directories(blobs, ec);
    fs::create_directories(result.snapshot, ec);
    if (ec)
        throw Error::inFile(result.snapshot, "cannot create the cache folder: " + ec.message());
    for (std::size_t i = 0; i < result.files.size(); ++i) {
        HubFile &f = result.files[i];
        progress.file = i;
        progress.fileBytes = 0;
        progress.fileSize = f.size;
        const std::uint64_t before = progress.bytes;
        const fs::path blob = blobs / f.etag;
        if (!fs::is_regular_file(blob, ec)) {
            const BlobLock lock(
                m_settings.cacheDir / ".locks" / repo.cacheFolderName() / (f.etag + ".lock"));
            // Another process may have completed it while this one waited for the lock.
            if (!fs::is_regular_file(blob, ec))
                fetchBlob(requester, repo, resolveUrlOf(m_settings, repo, listing.commit, f.name),
                    f, blobs, before, progress, meter, report);
        }
        progress.bytes = before + f.size;
        progress.fileBytes = f.size;
        report();
    }
    // Every blob is complete: link the snapshot to them, then name the commit.
    for (const HubFile &f : result.files)
        linkIntoSnapshot(result.snapshot, f.name, f.etag);
    if (repo.revision != listing.commit) {
        const fs::path ref = root / "refs" / repo.revision;
        fs::create_directories(ref.parent_path(), ec);
        writeFileAtomically(ref, listing.commit);
    }
    result.transferred = progress.transferred;
    return result;
}

DownloadResult HubClient::downloadModel(const RepoId &repo, const std::vector<std::string> &include,
    const DownloadCallback &onProgress, const std::atomic<bool> *cancel) const
{
    const std::vector<std::string> names = selectModelFiles(list(repo, cancel).files, include);
    if (names.empty())
        throw Error(repo.toString() + ": no file to fetch"
            + (include.empty() ? std::string(" (no config.json or weights: is it a model repo?)")
                               : " matches the --include patterns"));
    return download(repo, names, onProgress, cancel);
}

} // namespace chatbench
