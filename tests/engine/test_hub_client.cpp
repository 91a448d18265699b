// HubClient against a Hub stand-in on 127.0.0.1 (tests/common/fake_hub.h), never the network:
// the cache layout huggingface_hub shares, an LFS file through a redirect to a second port, a
// connection dropped halfway (resumed), a wrong SHA-256 (refused, nothing linked), a token sent
// to the endpoint only, a missing repo, offline lookups, a second download that transfers
// nothing, retried 5xx answers, two downloads of one repo at once; and the model loaded from the
// cache equals the same files opened as a folder.

#include "chatbench/error.h"
#include "chatbench/hub.h"
#include "chatbench/language_model.h"
#include "common/errors.h"
#include "common/fake_hub.h"
#include "common/fixture.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <fstream>
#include <sstream>
#include <thread>

using namespace chatbench;
using test::contains;
using test::errorOf;
namespace fs = std::filesystem;

namespace {

const std::string kCommit = "0123456789abcdef0123456789abcdef01234567";

std::vector<float> lastLogits(const fs::path &dir)
{
    return LanguageModel::load(dir).score({ 101, 252, 253, 254, 255, 102 }).lastLogits;
}

} // namespace

class TestHubClient : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::FakeHub> m_hub;
    std::unique_ptr<QTemporaryDir> m_cache;

    HubSettings settings() const
    {
        HubSettings s = m_hub->settings(m_cache->path().toStdString());
        s.stallSeconds = 5;
        return s;
    }
    fs::path repoDir() const
    {
        return fs::path(m_cache->path().toStdString()) / "models--tiny--gpt2-zh";
    }

private Q_SLOTS:
    void init()
    {
        m_hub = std::make_unique<test::FakeHub>();
        m_hub->addRepo("tiny/gpt2-zh", kCommit, test::tinyGpt2Repo(true));
        m_cache = std::make_unique<QTemporaryDir>();
    }
    void cleanup()
    {
        m_hub.reset();
        m_cache.reset();
    }

    void repoIdsAndFileSelection()
    {
        QCOMPARE(RepoId::parse("ckiplab/gpt2-base-chinese")->toString(),
            std::string("ckiplab/gpt2-base-chinese"));
        QCOMPARE(
            RepoId::parse("uer/gpt2-chinese-cluecorpussmall@v1.0")->revision, std::string("v1.0"));
        QCOMPARE(RepoId::parse("a/b")->cacheFolderName(), std::string("models--a--b"));
        for (const char *notRepo : { "runs/a/b", "/abs/path", "./a/b", "name", "a/../b", "a/b@" })
            QVERIFY2(!RepoId::parse(notRepo), notRepo);
        const std::vector<std::string> all = { "config.json", "model.safetensors",
            "pytorch_model.bin", "flax_model.msgpack", "vocab.txt", "README.md", "onnx/model.onnx",
            "tokenizer_config.json", "spiece.model" };
        QCOMPARE(selectModelFiles(all),
            (std::vector<std::string> { "config.json", "model.safetensors", "vocab.txt",
                "tokenizer_config.json", "spiece.model" }));
        QCOMPARE(selectModelFiles({ "config.json", "pytorch_model.bin" }),
            (std::vector<std::string> { "config.json", "pytorch_model.bin" }));
        QCOMPARE(selectModelFiles(all, { "*.md", "onnx/*" }),
            (std::vector<std::string> { "README.md", "onnx/model.onnx" }));
    }

    void downloadsIntoTheSharedCacheLayout()
    {
        std::vector<DownloadProgress> progress;
        const DownloadResult r = HubClient(settings())
                                     .downloadModel(*RepoId::parse("tiny/gpt2-zh"), {},
                                         [&](const DownloadProgress &p) { progress.push_back(p); });
        QCOMPARE(r.commit, kCommit);
        QCOMPARE(r.snapshot, repoDir() / "snapshots" / kCommit);
        QCOMPARE(r.files.size(), std::size_t(5)); // no README
        const std::string weights = test::fileBytes(test::tinyGpt2Dir() / "model.safetensors");
        const std::string sha = sha256OfBytes(weights);
        for (const HubFile &f : r.files) {
            const fs::path link = r.snapshot / f.name;
            QVERIFY2(fs::is_symlink(link), f.name.c_str());
            QCOMPARE(fs::read_symlink(link), fs::path("../../blobs/" + f.etag));
            QCOMPARE(test::fileBytes(link), test::fileBytes(test::tinyGpt2Dir() / f.name));
            QCOMPARE(f.lfs, f.name == "model.safetensors");
        }
        QVERIFY(fs::is_regular_file(repoDir() / "blobs" / sha));
        QCOMPARE(test::fileBytes(repoDir() / "refs" / "main"), kCommit);
        QVERIFY(r.transferred > weights.size());
        QVERIFY(!progress.empty());
        QCOMPARE(progress.back().bytes, progress.back().size);
        QCOMPARE(progress.back().size, std::uint64_t(r.transferred));

        // Opened from the snapshot, the model equals the same files as a folder.
        QVERIFY(test::maxDiff(lastLogits(r.snapshot), lastLogits(test::tinyGpt2Dir())) <= 1e-6);
        QCOMPARE(resolveModelFolder("tiny/gpt2-zh", settings()), r.snapshot);
        QCOMPARE(
            *cachedSnapshot(settings(), *RepoId::parse("tiny/gpt2-zh@" + kCommit)), r.snapshot);
    }

    void secondDownloadTransfersNothing()
    {
        const RepoId repo = *RepoId::parse("tiny/gpt2-zh");
        HubClient(settings()).downloadModel(repo);
        const std::size_t cdnBefore = m_hub->cdnBytes();
        const DownloadResult again = HubClient(settings()).downloadModel(repo);
        QCOMPARE(again.transferred, std::uint64_t(0));
        QCOMPARE(m_hub->cdnBytes(), cdnBefore);
        for (const HubFile &f : again.files)
            QVERIFY2(f.cached, f.name.c_str());
        // At a commit, a complete snapshot needs the file list only: no HEAD, no file.
        m_hub->hub.clearRequests();
        m_hub->cdn.clearRequests();
        HubClient(settings()).downloadModel(*RepoId::parse("tiny/gpt2-zh@" + kCommit));
        QCOMPARE(m_hub->hub.requests().size(), std::size_t(1));
        QVERIFY(m_hub->hub.requests().front().path.rfind("/api/models/", 0) == 0);
        QVERIFY(m_hub->cdn.requests().empty());
    }

    void resumesAConnectionDroppedHalfway()
    {
        const std::string weights = test::fileBytes(test::tinyGpt2Dir() / "model.safetensors");
        m_hub->cutNextLfsAfter = weights.size() / 2;
        const DownloadResult r
            = HubClient(settings()).downloadModel(*RepoId::parse("tiny/gpt2-zh"));
        const fs::path blob = repoDir() / "blobs" / sha256OfBytes(weights);
        QCOMPARE(sha256OfFile(blob), sha256OfBytes(weights));
        QVERIFY(!fs::exists(blob.string() + ".incomplete"));
        bool resumed = false;
        for (const auto &request : m_hub->cdn.requests())
            resumed = resumed
                || request.header("range") == "bytes=" + std::to_string(weights.size() / 2) + "-";
        QVERIFY(resumed);
        QVERIFY(test::maxDiff(lastLogits(r.snapshot), lastLogits(test::tinyGpt2Dir())) <= 1e-6);
    }

    void refusesBytesWhoseSha256Differs()
    {
        const std::string weights = test::fileBytes(test::tinyGpt2Dir() / "model.safetensors");
        const std::string sha = sha256OfBytes(weights);
        std::string damaged = weights;
        damaged[damaged.size() / 2] ^= 0x55;
        m_hub->servedInstead[sha] = damaged;
        const std::string error
            = errorOf([&] { HubClient(settings()).downloadModel(*RepoId::parse("tiny/gpt2-zh")); });
        QVERIFY2(contains(error, "model.safetensors is damaged") && contains(error, sha)
                && contains(error, "deleted"),
            error.c_str());
        QVERIFY(!fs::exists(repoDir() / "blobs" / sha));
        QVERIFY(!fs::exists(repoDir() / "blobs" / (sha + ".incomplete")));
        QVERIFY(!fs::exists(repoDir() / "snapshots" / kCommit / "model.safetensors"));
        QVERIFY(!fs::is_symlink(repoDir() / "snapshots" / kCommit / "model.safetensors"));
    }

    void sendsTheTokenToTheEndpointOnly()
    {
        m_hub->requiredToken = "hf_secret";
        const RepoId repo = *RepoId::parse("tiny/gpt2-zh");
        const std::string denied = errorOf([&] { HubClient(settings()).downloadModel(repo); });
        QVERIFY2(contains(denied, "tiny/gpt2-zh@main") && contains(denied, "401")
                && contains(denied, "HF_TOKEN") && !contains(denied, "hf_secret"),
            denied.c_str());
        HubSettings s = settings();
        s.token = "hf_secret";
        m_hub->hub.clearRequests();
        HubClient(s).downloadModel(repo);
        for (const auto &request : m_hub->hub.requests())
            QCOMPARE(request.header("authorization"), std::string("Bearer hf_secret"));
        QVERIFY(!m_hub->cdn.requests().empty());
        for (const auto &request : m_hub->cdn.requests())
            QVERIFY2(request.header("authorization").empty(), request.path.c_str());
    }

    void namesAMissingRepo()
    {
        const std::string error = errorOf(
            [&] { HubClient(settings()).downloadModel(*RepoId::parse("nobody/nothing@dev")); });
        QVERIFY2(contains(error, "nobody/nothing@dev") && contains(error, "not found (404)")
                && contains(error, "check the repo id and the revision"),
            error.c_str());
        QVERIFY(!fs::exists(
            fs::path(m_cache->path().toStdString()) / "models--nobody--nothing" / "snapshots"));
    }

    void offlineServesTheCacheOnly()
    {
        HubSettings s = settings();
        s.offline = true;
        const RepoId repo = *RepoId::parse("tiny/gpt2-zh");
        const std::string before = errorOf([&] { HubClient(s).downloadModel(repo); });
        QVERIFY2(
            contains(before, "offline") && contains(before, "not in the cache"), before.c_str());
        const std::string lookup = errorOf([&] { resolveModelFolder("tiny/gpt2-zh", s); });
        QVERIFY2(contains(lookup, "chatbench-cli download tiny/gpt2-zh"), lookup.c_str());

        HubClient(settings()).downloadModel(repo);
        m_hub->hub.clearRequests();
        const DownloadResult offline = HubClient(s).downloadModel(repo);
        QCOMPARE(offline.transferred, std::uint64_t(0));
        QCOMPARE(m_hub->hub.requests().size(), std::size_t(0));
        QCOMPARE(offline.files.size(), std::size_t(5));
        // The GUI's file list offline: the snapshot's files with their sizes, no request.
        const HubListing listed = HubClient(s).list(repo);
        QCOMPARE(listed.commit, offline.commit);
        QCOMPARE(listed.files.size(), std::size_t(5));
        for (const HubFile &f : HubClient(s).describe(repo, listed.commit, listed.files))
            QVERIFY2(f.cached && f.size > 0 && !f.etag.empty(), f.name.c_str());
        QCOMPARE(m_hub->hub.requests().size(), std::size_t(0));
        QVERIFY(test::maxDiff(lastLogits(resolveModelFolder("tiny/gpt2-zh", s)),
                    lastLogits(test::tinyGpt2Dir()))
            <= 1e-6);
    }

    void retriesTransientFailures()
    {
        m_hub->failApiTimes = 2;
        const DownloadResult r
            = HubClient(settings()).downloadModel(*RepoId::parse("tiny/gpt2-zh"));
        QCOMPARE(r.commit, kCommit);
        HubSettings once = settings();
        once.maxAttempts = 1;
        m_hub->failApiTimes = 1;
        const std::string error
            = errorOf([&] { HubClient(once).downloadModel(*RepoId::parse("tiny/gpt2-zh")); });
        QVERIFY2(contains(error, "503"), error.c_str());
    }

    void twoDownloadsAtOnceShareTheCache()
    {
        const RepoId repo = *RepoId::parse("tiny/gpt2-zh");
        std::string errors[2];
        std::thread a(
            [&] { errors[0] = errorOf([&] { HubClient(settings()).downloadModel(repo); }); });
        std::thread b(
            [&] { errors[1] = errorOf([&] { HubClient(settings()).downloadModel(repo); }); });
        a.join();
        b.join();
        for (const std::string &e : errors)
            QVERIFY2(e == "(no chatbench::Error thrown)", e.c_str());
        const std::string weights = test::fileBytes(test::tinyGpt2Dir() / "model.safetensors");
        QCOMPARE(
            sha256OfFile(repoDir() / "blobs" / sha256OfBytes(weights)), sha256OfBytes(weights));
    }

    void settingsComeFromTheEnvironment()
    {
        QTemporaryDir home;
        const fs::path hfHome = fs::path(home.path().toStdString()) / "hf";
        fs::create_directories(hfHome);
        std::ofstream(hfHome / "token") << "hf_from_file\n";
        qputenv("HF_HOME", hfHome.c_str());
        qunsetenv("HF_TOKEN");
        qunsetenv("HF_HUB_CACHE");
        qputenv("HF_HUB_OFFLINE", "1");
        qputenv("HF_ENDPOINT", "http://127.0.0.1:9/");
        HubSettings s = hubSettingsFromEnvironment();
        QCOMPARE(s.token, std::string("hf_from_file"));
        QCOMPARE(s.cacheDir, hfHome / "hub");
        QVERIFY(s.offline);
        QCOMPARE(s.endpoint, std::string("http://127.0.0.1:9"));
        qputenv("HF_TOKEN", "hf_env");
        qputenv("HF_HUB_CACHE", "/somewhere/hub");
        s = hubSettingsFromEnvironment();
        QCOMPARE(s.token, std::string("hf_env"));
        QCOMPARE(s.cacheDir, fs::path("/somewhere/hub"));
        for (const char *name :
            { "HF_HOME", "HF_TOKEN", "HF_HUB_CACHE", "HF_HUB_OFFLINE", "HF_ENDPOINT" })
            qunsetenv(name);
    }
};

QTEST_APPLESS_MAIN(TestHubClient)
#include "test_hub_client.moc"
