#pragma once
// A stand-in for the Hugging Face Hub on the loopback interface: the model API
// (/api/models/{repo}/revision/{rev}), the resolve URLs (/{repo}/resolve/{rev}/{file}) with the
// Hub's headers (X-Repo-Commit, ETag, X-Linked-Etag, X-Linked-Size), and a second server that
// stands in for the CDN an LFS file redirects to. Knobs for the failures a download must
// survive or report: a token the endpoint requires, an LFS transfer cut off once, bytes that do
// not match their SHA-256, 5xx answers.

#include "chatbench/hub.h"
#include "common/fixture.h"
#include "common/http_stand_in.h"
#include "io/sha256.h"

#include <atomic>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace chatbench::test {

struct FakeRepoFile
{
    std::string name;
    std::string bytes;
    bool lfs = false;
};

class FakeHub
{
public:
    FakeHub()
        : cdn([this](const HttpStandInRequest &r) { return serveCdn(r); }),
          hub([this](const HttpStandInRequest &r) { return serveHub(r); })
    { }

    // The repo at commit (40 hex digits), reachable as revision too.
    void addRepo(const std::string &id, const std::string &commit,
        const std::vector<FakeRepoFile> &files, const std::string &revision = "main")
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        Repo &repo = m_repos[id];
        repo.commit = commit;
        repo.revisions = { revision, commit };
        repo.files = files;
        for (const FakeRepoFile &f : files)
            if (f.lfs)
                m_blobs[sha256OfBytes(f.bytes)] = f.bytes;
    }

    std::string endpoint() const { return hub.url(); }
    // Client settings for this Hub and cache, with short retry waits (tests stay quick).
    HubSettings settings(const std::string &cacheDir) const
    {
        HubSettings s;
        s.endpoint = endpoint();
        s.cacheDir = cacheDir;
        s.firstBackoffSeconds = 0.01;
        return s;
    }
    static std::string gitEtag(const std::string &bytes)
    {
        return sha256OfBytes(bytes).substr(0, 40);
    }

    // Knobs, set before a download.
    std::string requiredToken; // the endpoint answers 401 without "Bearer <token>"
    std::atomic<std::size_t> cutNextLfsAfter { std::string::npos }; // once, in bytes
    std::map<std::string, std::string> servedInstead; // LFS sha256 -> wrong bytes
    std::atomic<int> failApiTimes { 0 }; // the next N API calls answer 503
    std::atomic<std::size_t> lfsBytesPerSecond { 0 }; // the CDN's pace (0: full speed)

    // Body bytes the CDN sent (partial ones included).
    std::size_t cdnBytes() const { return m_cdnBytes; }

private:
    struct Repo
    {
        std::string commit;
        std::vector<std::string> revisions;
        std::vector<FakeRepoFile> files;
    };

    static HttpStandInResponse withRange(const HttpStandInRequest &r, const std::string &bytes)
    {
        HttpStandInResponse out;
        const std::string range = r.header("range");
        if (range.rfind("bytes=", 0) == 0) {
            const std::size_t from = std::stoull(range.substr(6));
            if (from >= bytes.size())
                return { 416, {}, "", std::string::npos };
            out.status = 206;
            out.headers["Content-Range"] = "bytes " + std::to_string(from) + "-"
                + std::to_string(bytes.size() - 1) + "/" + std::to_string(bytes.size());
            out.body = bytes.substr(from);
        } else {
            out.body = bytes;
        }
        return out;
    }

    HttpStandInResponse serveCdn(const HttpStandInRequest &r)
    {
        const std::string prefix = "/lfs/";
        std::lock_guard<std::mutex> lock(m_mutex);
        const std::string sha = r.path.substr(prefix.size(), 64);
        const auto blob = m_blobs.find(sha);
        if (r.path.rfind(prefix, 0) != 0 || blob == m_blobs.end())
            return { 404, {}, "no such blob", std::string::npos };
        const auto wrong = servedInstead.find(sha);
        HttpStandInResponse out
            = withRange(r, wrong == servedInstead.end() ? blob->second : wrong->second);
        out.cutAfter = cutNextLfsAfter.exchange(std::string::npos);
        out.bytesPerSecond = lfsBytesPerSecond;
        m_cdnBytes += std::min(out.body.size(), out.cutAfter);
        return out;
    }

    HttpStandInResponse serveHub(const HttpStandInRequest &r)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (!requiredToken.empty() && r.header("authorization") != "Bearer " + requiredToken)
            return { 401, { { "X-Error-Code", "RepoNotFound" } },
                "{\"error\":\"Invalid credentials\"}", std::string::npos };
        const std::string api = "/api/models/";
        if (r.path.rfind(api, 0) == 0) {
            if (failApiTimes > 0) {
                --failApiTimes;
                return { 503, {}, "busy", std::string::npos };
            }
            // /api/models/{org}/{name}/revision/{rev}
            const std::string rest = r.path.substr(api.size());
            const std::size_t mark = rest.find("/revision/");
            const Repo *repo = find(rest.substr(0, mark), rest.substr(mark + 10));
            if (!repo)
                return { 404, {}, "{\"error\":\"Repository Not Found\"}", std::string::npos };
            nlohmann::json siblings = nlohmann::json::array();
            for (const FakeRepoFile &f : repo->files)
                siblings.push_back({ { "rfilename", f.name } });
            return { 200, { { "Content-Type", "application/json" } },
                nlohmann::json { { "sha", repo->commit }, { "siblings", siblings } }.dump(),
                std::string::npos };
        }
        // /{org}/{name}/resolve/{rev}/{file}
        const std::size_t mark = r.path.find("/resolve/");
        if (mark == std::string::npos)
            return { 404, {}, "not found", std::string::npos };
        const std::string id = r.path.substr(1, mark - 1);
        const std::string rest = r.path.substr(mark + 9);
        const std::size_t slash = rest.find('/');
        const Repo *repo = find(id, rest.substr(0, slash));
        const std::string name = rest.substr(slash + 1);
        if (!repo)
            return { 404, {}, "not found", std::string::npos };
        for (const FakeRepoFile &f : repo->files) {
            if (f.name != name)
                continue;
            std::map<std::string, std::string> headers = { { "X-Repo-Commit", repo->commit } };
            if (f.lfs) {
                const std::string sha = sha256OfBytes(f.bytes);
                headers["Location"] = cdn.url() + "/lfs/" + sha + "?signature=x";
                headers["X-Linked-Etag"] = "\"" + sha + "\"";
                headers["X-Linked-Size"] = std::to_string(f.bytes.size());
                headers["ETag"] = "\"" + gitEtag(sha) + "\"";
                return { 302, headers, "", std::string::npos };
            }
            headers["ETag"] = "\"" + gitEtag(f.bytes) + "\"";
            HttpStandInResponse out = withRange(r, f.bytes);
            out.headers.insert(headers.begin(), headers.end());
            if (r.method == "HEAD")
                out.headers["Content-Length"] = std::to_string(out.body.size());
            return out;
        }
        return { 404, { { "X-Error-Code", "EntryNotFound" } }, "no such file", std::string::npos };
    }

    const Repo *find(const std::string &id, const std::string &revision) const
    {
        const auto it = m_repos.find(id);
        if (it == m_repos.end())
            return nullptr;
        for (const std::string &r : it->second.revisions)
            if (r == revision)
                return &it->second;
        return nullptr;
    }

    mutable std::mutex m_mutex;
    std::map<std::string, Repo> m_repos;
    std::map<std::string, std::string> m_blobs; // sha256 -> bytes
    std::atomic<std::size_t> m_cdnBytes { 0 };

public:
    // Last, so that they stop (in their destructors) before anything their handlers use goes.
    HttpStandIn cdn; // before hub: hub's answers redirect to it
    HttpStandIn hub;
};

// The fixture model (tiny-gpt2-zh) as a repo: its weights an LFS file, the rest regular, plus,
// when asked, a README a model download leaves out.
inline std::vector<FakeRepoFile> tinyGpt2Repo(bool withReadme = false)
{
    std::vector<FakeRepoFile> files;
    for (const char *name :
        { "config.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json" })
        files.push_back({ name, fileBytes(tinyGpt2Dir() / name), false });
    files.push_back({ "model.safetensors", fileBytes(tinyGpt2Dir() / "model.safetensors"), true });
    if (withReadme)
        files.push_back({ "README.md", "# tiny", false });
    return files;
}

} // namespace chatbench::test
