// The token cache file: round trips at both id widths, validation, and atomic writes.

#include "chatbench/error.h"
#include "chatbench/token_cache.h"

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

using namespace chatbench;
namespace fs = std::filesystem;

class TestTokenCache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTripsNarrowAndWideIds()
    {
        QTemporaryDir dir;
        for (std::int32_t vocab : { 21128, 70000 }) {
            const fs::path file = fs::path(dir.path().toStdString()) / "c.tokens";
            const std::vector<std::int32_t> ids { 101, 5, 102, 101, vocab - 1, 102, 7 };
            writeTokenCache(file, 0xabcdef, vocab, { 0, 3, 3, 7 }, ids);
            auto cache = TokenCache::open(file);
            QCOMPARE(cache.idBytes(), vocab < 65536 ? 2 : 4);
            QCOMPARE(cache.key(), std::uint64_t(0xabcdef));
            QCOMPARE(cache.size(), std::size_t(3));
            QCOMPARE(cache.tokenCount(), std::uint64_t(7));
            QCOMPARE(cache.vocabSize(), vocab);
            QCOMPARE(cache[0], (std::vector<std::int32_t> { 101, 5, 102 }));
            QCOMPARE(cache.length(1), std::size_t(0));
            QCOMPARE(cache[2], (std::vector<std::int32_t> { 101, vocab - 1, 102, 7 }));
            QVERIFY_THROWS_EXCEPTION(Error, cache[3]);
            QCOMPARE(qint64(fs::file_size(file)), qint64(48 + 8 * 4 + cache.idBytes() * 7));
        }
    }

    void truncatedFileIsRejected()
    {
        QTemporaryDir dir;
        const fs::path file = fs::path(dir.path().toStdString()) / "c.tokens";
        writeTokenCache(file, 1, 100, { 0, 2 }, { 1, 2 });
        fs::resize_file(file, fs::file_size(file) - 1);
        try {
            TokenCache::open(file);
            QFAIL("no error");
        } catch (const Error &e) {
            QVERIFY2(std::string(e.what()).find("truncated") != std::string::npos, e.what());
        }
        std::ofstream(file) << "not a cache at all, but long enough to hold a header.......";
        QVERIFY_THROWS_EXCEPTION(Error, TokenCache::open(file));
    }

    void failedWriteLeavesNothing()
    {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        // An id outside a narrow vocabulary fails halfway through the write.
        QVERIFY_THROWS_EXCEPTION(
            Error, writeTokenCache(root / "bad.tokens", 1, 100, { 0, 2 }, { 1, 100 }));
        // A folder in the way makes the final rename fail.
        fs::create_directory(root / "taken.tokens");
        QVERIFY_THROWS_EXCEPTION(
            Error, writeTokenCache(root / "taken.tokens", 1, 100, { 0, 1 }, { 1 }));
        std::vector<std::string> left;
        for (const auto &entry : fs::directory_iterator(root))
            left.push_back(entry.path().filename().string());
        QCOMPARE(left, std::vector<std::string> { "taken.tokens" });
        QVERIFY(fs::is_directory(root / "taken.tokens"));
    }
};

QTEST_GUILESS_MAIN(TestTokenCache)
#include "test_token_cache.moc"
