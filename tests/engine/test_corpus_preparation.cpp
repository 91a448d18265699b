// prepareCorpus end to end with the fixture's BERT vocabulary: encoding, statistics, the
// validation split, the cache key and reuse, and fatal errors leaving no cache behind.

#include "chatbench/corpus_preparation.h"
#include "chatbench/error.h"
#include "chatbench/token_cache.h"
#include "chatbench/tokenizer.h"
#include "common/fixture.h"

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

using namespace chatbench;
namespace fs = std::filesystem;

namespace {

std::string corpusText(int dialogues)
{
    std::string text;
    for (int i = 0; i < dialogues; ++i)
        text += "你好\n我很好" + std::to_string(i % 10) + "\n\n";
    text += "只有一句\n\n";
    for (int i = 0; i < 10; ++i)
        text += "你好";
    text += "\n嗨\n\n";
    return text;
}

} // namespace

class TestCorpusPreparation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void preparesEncodesAndReports()
    {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        std::ofstream(root / "c.txt") << corpusText(100);
        auto tokenizer = loadTokenizer(test::tinyGpt2Dir());
        const auto &special = tokenizer->specialIds();
        PrepareOptions options;
        options.maxLen = 12;
        options.validCount = 10;
        options.threads = 2;
        auto p = prepareCorpus(root / "c.txt", *tokenizer, root / "out", options);
        QVERIFY(!p.cacheHit);
        QCOMPARE(p.trainExamples, std::uint64_t(91));
        QCOMPARE(p.validExamples, std::uint64_t(10));
        auto stats = nlohmann::json::parse(p.statsJson);
        QCOMPARE(stats["dialogues"].get<int>(), 101);
        QCOMPARE(stats["rejected"].get<int>(), 1);
        QCOMPARE(stats["problems"]["single_utterance"]["examples"][0]["at"].get<std::string>(),
            std::string("line 301"));
        QCOMPARE(stats["truncated"].get<int>(), 1);
        QCOMPARE(stats["problems"]["truncated"]["examples"][0]["at"].get<std::string>(),
            std::string("line 303"));
        QVERIFY(fs::exists(root / "out" / "stats.json"));

        auto train = TokenCache::open(p.trainFile);
        QCOMPARE(train.key(), p.key);
        std::vector<std::int32_t> expected { special.cls };
        for (const char *u : { "你好", "我很好0" }) {
            auto ids = tokenizer->encode(u, false);
            expected.insert(expected.end(), ids.begin(), ids.end());
            expected.push_back(special.sep);
        }
        // Example 0 may have gone to validation; find it among the first two.
        QVERIFY(train[0] == expected || train[1] == expected);
        std::size_t longest = 0;
        for (std::size_t i = 0; i < train.size(); ++i)
            longest = std::max(longest, train.length(i));
        auto valid = TokenCache::open(p.validFile);
        for (std::size_t i = 0; i < valid.size(); ++i)
            longest = std::max(longest, valid.length(i));
        QCOMPARE(longest, std::size_t(12));

        // Same inputs: reused, same split. Another seed: rebuilt with another key.
        auto again = prepareCorpus(root / "c.txt", *tokenizer, root / "out", options);
        QVERIFY(again.cacheHit);
        QCOMPARE(again.key, p.key);
        options.seed = 7;
        auto reseeded = prepareCorpus(root / "c.txt", *tokenizer, root / "out", options);
        QVERIFY(!reseeded.cacheHit);
        QVERIFY(reseeded.key != p.key);
    }

    // CDial-GPT's layout: speaker tokens before every utterance, [SEP] after the response
    // only; a long dialogue loses its oldest utterances, never the response; another cache key.
    void cdialLayoutKeepsTheResponse()
    {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        std::ofstream(root / "c.txt") << "你好\n我很好\n\n今天天氣很好\n我們去吃火鍋\n好啊\n\n";
        auto tokenizer = loadTokenizer(test::tinyGpt2Dir());
        const auto &special = tokenizer->specialIds();
        const auto ids = [&](const char *u) { return tokenizer->encode(u, false); };
        const std::int32_t s1 = tokenizer->tokenToId("[unused1]");
        const std::int32_t s2 = tokenizer->tokenToId("[unused2]");
        PrepareOptions options;
        options.layout = DialogueLayout::Kind::CDial;
        options.maxLen = 12;
        auto p = prepareCorpus(root / "c.txt", *tokenizer, root / "cdial", options);
        auto stats = nlohmann::json::parse(p.statsJson);
        QCOMPARE(stats["layout"].get<std::string>(), std::string("cdial"));
        QCOMPARE(stats["speaker_tokens"][1].get<std::string>(), std::string("[unused2]"));
        QCOMPARE(stats["truncated"].get<int>(), 1);
        auto train = TokenCache::open(p.trainFile);
        QCOMPARE(train.size(), std::size_t(2));
        std::vector<std::int32_t> first { special.cls, s1 };
        for (auto id : ids("你好"))
            first.push_back(id);
        first.push_back(s2);
        for (auto id : ids("我很好"))
            first.push_back(id);
        first.push_back(special.sep);
        QCOMPARE(train[0], first);
        // 1 + (1+6) + (1+6) + (1+2) + 1 = 19 tokens > 12: the first utterance goes, the
        // speakers restart at [speaker1].
        std::vector<std::int32_t> second { special.cls, s1 };
        for (auto id : ids("我們去吃火鍋"))
            second.push_back(id);
        second.push_back(s2);
        for (auto id : ids("好啊"))
            second.push_back(id);
        second.push_back(special.sep);
        QCOMPARE(train[1], second);

        options.layout = DialogueLayout::Kind::Chitchat;
        auto chitchat = prepareCorpus(root / "c.txt", *tokenizer, root / "cdial", options);
        QVERIFY(!chitchat.cacheHit);
        QVERIFY(chitchat.key != p.key);
    }

    void validationSplitIsDeterministic()
    {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        std::ofstream(root / "c.txt") << corpusText(50);
        auto tokenizer = loadTokenizer(test::tinyGpt2Dir());
        PrepareOptions options;
        options.validFraction = 0.2;
        options.reuseCache = false;
        options.threads = 1;
        auto a = prepareCorpus(root / "c.txt", *tokenizer, root / "a", options);
        options.threads = 3;
        auto b = prepareCorpus(root / "c.txt", *tokenizer, root / "b", options);
        QCOMPARE(a.validExamples, std::uint64_t(10));
        std::ifstream fa(a.validFile, std::ios::binary), fb(b.validFile, std::ios::binary);
        std::string sa((std::istreambuf_iterator<char>(fa)), {});
        std::string sb((std::istreambuf_iterator<char>(fb)), {});
        QVERIFY(sa == sb);
    }

    void fatalErrorsLeaveNoCache()
    {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        auto tokenizer = loadTokenizer(test::tinyGpt2Dir());
        std::ofstream(root / "bad.json") << R"({"train": [["a", "b"], ["c" "d"]]})";
        std::ofstream(root / "single.txt") << "a\n\nb\n";
        std::ofstream(root / "empty.txt") << "";
        const std::pair<const char *, const char *> cases[] = {
            { "bad.json", "bad.json: byte 28: JSON syntax error" },
            { "single.txt", "no usable dialogue" },
            { "empty.txt", "empty.txt: the corpus is empty" },
        };
        for (const auto &[file, message] : cases) {
            try {
                prepareCorpus(root / file, *tokenizer, root / "out");
                QFAIL(file);
            } catch (const Error &e) {
                QVERIFY2(std::string(e.what()).find(message) != std::string::npos, e.what());
            }
            QVERIFY(!fs::exists(root / "out"));
        }
    }
};

QTEST_GUILESS_MAIN(TestCorpusPreparation)
#include "test_corpus_preparation.moc"
