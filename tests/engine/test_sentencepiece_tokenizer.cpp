// SentencePieceTokenizer and trainSentencePiece, in a process that also runs libtorch: Debian's
// libsentencepiece and libtorch crash each other when they share a link namespace (see
// ARCHITECTURE.md), so every test here runs beside live torch tensors.

#include "chatbench/error.h"
#include "common/errors.h"
#include "tokenize/sentencepiece_tokenizer.h"

#include <ATen/ATen.h>
#include <QtTest/QtTest>
#include <atomic>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

using namespace chatbench;
using test::contains;
using test::errorOf;
namespace fs = std::filesystem;

namespace {

// Set in the copy of this executable that checks the shim-not-found error: the shim is loaded
// once per process, so a bad CHATBENCH_SPM_SHIM can only be seen by a fresh process.
constexpr const char *kChildVariable = "CHATBENCH_SPM_TEST_CHILD";

// Our own Chinese chat lines, always present, so the round-trip sentences are covered.
const char *const kChineseLines[] = {
    "你好，今天天气怎么样？",
    "我们今天去公园散步吧。",
    "我很好，谢谢你的关心。",
    "明天我们一起去图书馆看书好吗？",
    "这个周末你有什么打算？",
    "我想在家里休息，看看电影。",
    "你喜欢吃什么水果？我喜欢苹果和香蕉。",
    "今天的工作很忙，但是很有意思。",
};

const char *const kEnglishWords[] = {
    "the",
    "quick",
    "brown",
    "fox",
    "jumps",
    "over",
    "lazy",
    "dog",
    "model",
    "train",
    "token",
    "chat",
    "dialog",
    "machine",
    "learn",
    "piece",
    "sentence",
    "hello",
    "world",
    "data",
    "text",
    "good",
    "morning",
    "night",
    "today",
    "weather",
};

std::string stripAnsi(const std::string &line)
{
    static const std::regex ansi("\x1b\\[[0-9;]*m");
    return std::regex_replace(line, ansi, "");
}

void writeCorpus(const fs::path &file)
{
    std::ofstream out(file, std::ios::binary);
    // A real Chinese text when fortunes-zh is installed (ARCHITECTURE.md lists it), but only a
    // little of it: every distinct character costs a vocabulary slot in a 400-piece model.
    std::ifstream poems("/usr/share/games/fortunes/tang300");
    std::string line;
    int taken = 0;
    while (taken < 16 && std::getline(poems, line)) {
        line = stripAnsi(line);
        if (line.empty() || line == "%")
            continue;
        out << line << '\n';
        ++taken;
    }
    for (int repeat = 0; repeat < 20; ++repeat) {
        for (const char *zh : kChineseLines)
            out << zh << '\n';
        out << '\n'; // blank lines, as between dialogues, are skipped by the trainer
    }
    // Deterministic pseudo-random English so BPE/unigram find real subwords.
    std::uint32_t state = 12345;
    const std::size_t words = sizeof kEnglishWords / sizeof kEnglishWords[0];
    for (int sentence = 0; sentence < 300; ++sentence) {
        for (int w = 0; w < 8; ++w) {
            state = state * 1664525u + 1013904223u;
            out << (w > 0 ? " " : "") << kEnglishWords[(state >> 8) % words];
        }
        out << ".\n";
    }
}

// Proves libtorch is alive and working in this process.
void checkTorch()
{
    at::Tensor a = at::ones({ 32, 48 });
    at::Tensor b = at::full({ 48, 16 }, 2.0);
    at::Tensor c = at::matmul(a, b);
    QCOMPARE(c.size(0), int64_t(32));
    QCOMPARE(c.size(1), int64_t(16));
    QCOMPARE(c.sum().item<double>(), 32.0 * 16.0 * 48.0 * 2.0);
}

int childMain(int argc, char **argv)
{
    // Report what a program would see when the shim cannot be loaded.
    std::string why;
    const bool available = sentencePieceAvailable(&why);
    std::printf("available=%d\n%s\n", available ? 1 : 0, why.c_str());
    if (argc > 1) {
        try {
            SentencePieceTokenizer tokenizer(argv[1]);
            std::printf("constructed\n");
        } catch (const Error &e) {
            std::printf("error: %s\n", e.what());
        }
    }
    return 0;
}

} // namespace

class TestSentencePieceTokenizer : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    fs::path m_corpus;
    fs::path m_model;
    std::unique_ptr<SentencePieceTokenizer> m_tokenizer;

    fs::path dir() const { return fs::path(m_dir.path().toStdString()); }

    QString runChild(const QString &shimPath, const QString &modelArg)
    {
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(kChildVariable, "1");
        env.insert("CHATBENCH_SPM_SHIM", shimPath);
        child.setProcessEnvironment(env);
        child.start(QCoreApplication::applicationFilePath(), { modelArg });
        if (!child.waitForFinished(60000))
            return "child did not finish";
        return QString::fromUtf8(child.readAllStandardOutput());
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!CHATBENCH_HAVE_SENTENCEPIECE)
            QSKIP("this chatbench was built without SentencePiece (CHATBENCH_SENTENCEPIECE)");
        QVERIFY(m_dir.isValid());
        checkTorch(); // torch first: its libprotobuf is loaded before SentencePiece's
        std::string why;
        QVERIFY2(sentencePieceAvailable(&why), why.c_str());
        m_corpus = dir() / "corpus.txt";
        writeCorpus(m_corpus);
        SentencePieceTrainOptions options;
        options.vocabSize = 400;
        options.modelType = "unigram";
        options.extra = { { "hard_vocab_limit", "false" } };
        try {
            m_model = trainSentencePiece({ m_corpus }, dir() / "zh_en", options);
        } catch (const Error &e) {
            QFAIL(e.what());
        }
        QCOMPARE(m_model, dir() / "zh_en.model");
        m_tokenizer = std::make_unique<SentencePieceTokenizer>(m_model);
        checkTorch();
    }

    void trainingWritesTheModelAtomically()
    {
        QVERIFY(fs::is_regular_file(m_model));
        QVERIFY(fs::file_size(m_model) > 1000);
        // Trained in memory: no .vocab, no temporary left behind, nothing but the corpus.
        std::vector<std::string> names;
        for (const auto &entry : fs::directory_iterator(dir()))
            names.push_back(entry.path().filename().string());
        std::sort(names.begin(), names.end());
        QCOMPARE(names, (std::vector<std::string> { "corpus.txt", "zh_en.model" }));
    }

    void trainsBpeIntoAFolder()
    {
        const fs::path folder = dir() / "bpe";
        fs::create_directories(folder);
        fs::path model;
        try {
            model = trainSentencePiece(
                { m_corpus }, folder, 400, "bpe", 0.9995, { { "hard_vocab_limit", "false" } });
        } catch (const Error &e) {
            QFAIL(e.what());
        }
        QCOMPARE(model, folder / "spiece.model");
        SentencePieceTokenizer bpe(model);
        const std::string text = "我们今天去公园散步吧。the quick brown fox";
        QCOMPARE(bpe.decode(bpe.encode(text)), text);
        checkTorch();
    }

    void roundTrip_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("chinese") << QString::fromUtf8("我们今天去公园散步吧。");
        QTest::newRow("english") << QString::fromUtf8(
            "the quick brown fox jumps over the lazy dog.");
        QTest::newRow("mixed") << QString::fromUtf8("明天我们一起去图书馆看书 hello world today");
        QTest::newRow("empty") << QString();
    }

    void roundTrip()
    {
        QFETCH(QString, text);
        const std::string utf8 = text.toStdString();
        const std::vector<std::int32_t> ids = m_tokenizer->encode(utf8, false);
        QCOMPARE(ids.empty(), utf8.empty());
        QCOMPARE(m_tokenizer->decode(ids), utf8);
        QCOMPARE(m_tokenizer->decode(m_tokenizer->encode(utf8, true)), utf8);
        if (!utf8.empty() && utf8.size() > 12)
            QVERIFY(ids.size() < utf8.size()); // merged into pieces, not bytes
    }

    void specialIds()
    {
        const SpecialTokenIds &s = m_tokenizer->specialIds();
        QCOMPARE(s.pad, 0);
        QCOMPARE(s.unk, 1);
        QCOMPARE(s.bos, 2);
        QCOMPARE(s.eos, 3);
        QCOMPARE(s.cls, s.bos);
        QCOMPARE(s.sep, s.eos);
        QCOMPARE(s.mask, -1);
        QCOMPARE(m_tokenizer->idToToken(0), std::string("<pad>"));
        QCOMPARE(m_tokenizer->idToToken(1), std::string("<unk>"));
        QCOMPARE(m_tokenizer->idToToken(2), std::string("<s>"));
        QCOMPARE(m_tokenizer->idToToken(3), std::string("</s>"));

        const std::string text = "hello world";
        const auto plain = m_tokenizer->encode(text, false);
        const auto wrapped = m_tokenizer->encode(text, true);
        QCOMPARE(wrapped.size(), plain.size() + 2);
        QCOMPARE(wrapped.front(), s.bos);
        QCOMPARE(wrapped.back(), s.eos);
        QVERIFY(std::equal(plain.begin(), plain.end(), wrapped.begin() + 1));
        // Control pieces: dropped when skipped, spelled out otherwise.
        QCOMPARE(m_tokenizer->decode(wrapped, true), text);
        QCOMPARE(m_tokenizer->decode(wrapped, false), "<s>" + text + "</s>");
        std::vector<std::int32_t> dialogue = { s.cls };
        for (const char *utterance : { "hello world", "good morning" }) {
            const auto u = m_tokenizer->encode(utterance, false);
            dialogue.insert(dialogue.end(), u.begin(), u.end());
            dialogue.push_back(s.sep);
        }
        dialogue.push_back(s.pad);
        QCOMPARE(m_tokenizer->decode(dialogue, false),
            std::string("<s>hello world</s>good morning</s><pad>"));
        // Text can never produce a control piece.
        for (std::int32_t id : m_tokenizer->encode("<s> </s> <pad>", false))
            QVERIFY(id != s.bos && id != s.eos && id != s.pad);
    }

    void unknownCharacters()
    {
        const std::int32_t unk = m_tokenizer->specialIds().unk;
        const std::string text = "龘";
        const auto ids = m_tokenizer->encode(text, false);
        QVERIFY(std::find(ids.begin(), ids.end(), unk) != ids.end());
        QVERIFY(m_tokenizer->decode(ids).find("\xE2\x81\x87") != std::string::npos); // " ⁇ "
        // tokenize() keeps the surface text of unknown pieces, as Hugging Face does.
        const auto pieces = m_tokenizer->tokenize(text);
        std::string joined;
        for (const auto &p : pieces)
            joined += p;
        QVERIFY(joined.find(text) != std::string::npos);
    }

    void tokenizeMatchesEncode()
    {
        const std::string text = "你好 the quick brown fox 今天的工作很忙";
        const auto pieces = m_tokenizer->tokenize(text);
        const auto ids = m_tokenizer->encode(text, false);
        QCOMPARE(pieces.size(), ids.size());
        for (std::size_t i = 0; i < ids.size(); ++i) {
            QCOMPARE(m_tokenizer->tokenToId(pieces[i]), ids[i]);
            QCOMPARE(m_tokenizer->idToToken(ids[i]), pieces[i]);
        }
        QCOMPARE(pieces.front().rfind("\xE2\x96\x81", 0), std::size_t(0)); // "▁" word start
    }

    void tokenIdConsistency()
    {
        const std::int32_t n = m_tokenizer->vocabSize();
        QVERIFY2(n > 100 && n <= 400,
            std::to_string(n).c_str()); // hard_vocab_limit=false may stop short
        for (std::int32_t id = 0; id < n; ++id)
            QCOMPARE(m_tokenizer->tokenToId(m_tokenizer->idToToken(id)), id);
        QCOMPARE(m_tokenizer->tokenToId("definitely-not-a-piece"), -1);
        QCOMPARE(m_tokenizer->tokenToId(""), -1);
        QVERIFY(
            errorOf([&] { m_tokenizer->idToToken(n); }).find("outside [0, ") != std::string::npos);
        QVERIFY(errorOf([&] { m_tokenizer->idToToken(-1); }).find("outside") != std::string::npos);
        QVERIFY(errorOf([&] {
            m_tokenizer->decode({ 5, n });
        }).find("token id")
            != std::string::npos);
        QCOMPARE(m_tokenizer->kind(), std::string("sentencepiece"));
    }

    void concurrentEncoding()
    {
        const std::string text = "你喜欢吃什么水果？我喜欢苹果和香蕉。 good night world";
        const auto expected = m_tokenizer->encode(text);
        std::atomic<int> mismatches { 0 };
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&] {
                for (int i = 0; i < 200; ++i) {
                    if (m_tokenizer->encode(text) != expected)
                        ++mismatches;
                }
            });
        }
        for (auto &thread : threads)
            thread.join();
        QCOMPARE(mismatches.load(), 0);
        checkTorch();
    }

    void saveWritesHuggingFaceNames()
    {
        const fs::path out = dir() / "checkpoint" / "step-1";
        m_tokenizer->save(out);
        QVERIFY(fs::is_regular_file(out / "spiece.model"));
        QCOMPARE(fs::file_size(out / "spiece.model"), fs::file_size(m_model));
        std::ifstream in(out / "tokenizer_config.json");
        const nlohmann::json config = nlohmann::json::parse(in);
        QCOMPARE(config.at("tokenizer_kind").get<std::string>(), std::string("sentencepiece"));
        QCOMPARE(config.at("bos_token").get<std::string>(), std::string("<s>"));
        QCOMPARE(config.at("pad_token").get<std::string>(), std::string("<pad>"));
        QVERIFY(!config.contains("mask_token"));
        SentencePieceTokenizer reloaded(out / "spiece.model");
        const std::string text = "这个周末你有什么打算？";
        QCOMPARE(reloaded.encode(text), m_tokenizer->encode(text));
        for (const auto &entry : fs::directory_iterator(out))
            QVERIFY2(entry.path().filename().string().find(".tmp-") == std::string::npos,
                "temporary file left behind");
    }

    void loadTokenizerFindsTheModel()
    {
        const fs::path saved = dir() / "saved";
        m_tokenizer->save(saved);
        std::unique_ptr<Tokenizer> fromSaved = loadTokenizer(saved);
        QCOMPARE(fromSaved->kind(), std::string("sentencepiece"));
        QCOMPARE(fromSaved->vocabSize(), m_tokenizer->vocabSize());
        // Any *.model name, as Llama's tokenizer.model.
        const fs::path other = dir() / "llama-like";
        fs::create_directories(other);
        fs::copy_file(m_model, other / "tokenizer.model");
        std::unique_ptr<Tokenizer> fromOther = loadTokenizer(other);
        QCOMPARE(fromOther->encode("hello world"), m_tokenizer->encode("hello world"));
    }

    void missingModelFile()
    {
        const fs::path missing = dir() / "nope" / "missing.model";
        const std::string message = errorOf([&] { SentencePieceTokenizer t(missing); });
        QVERIFY2(message.find(missing.string()) != std::string::npos, message.c_str());
        QVERIFY2(message.find("not found") != std::string::npos, message.c_str());
    }

    void corruptModelFile()
    {
        const fs::path corrupt = dir() / "corrupt.model";
        {
            std::ofstream out(corrupt, std::ios::binary);
            out << "this is not a protobuf \x01\x02\x03\xff\xfe";
        }
        const std::string message = errorOf([&] { SentencePieceTokenizer t(corrupt); });
        QVERIFY2(message.find(corrupt.string()) != std::string::npos, message.c_str());
        QVERIFY2(
            message.find("not a valid SentencePiece model") != std::string::npos, message.c_str());
        // A truncated real model must not crash either.
        const fs::path truncated = dir() / "truncated.model";
        {
            std::ifstream in(m_model, std::ios::binary);
            std::string bytes((std::istreambuf_iterator<char>(in)), {});
            std::ofstream out(truncated, std::ios::binary);
            out << bytes.substr(0, bytes.size() / 2);
        }
        const std::string message2 = errorOf([&] { SentencePieceTokenizer t(truncated); });
        QVERIFY2(message2.find("not a valid SentencePiece model") != std::string::npos,
            message2.c_str());
        fs::remove(corrupt);
        fs::remove(truncated);
    }

    void trainingErrors()
    {
        const fs::path missing = dir() / "no-such-corpus.txt";
        std::string message = errorOf([&] { trainSentencePiece({ missing }, dir() / "x", 300); });
        QVERIFY2(message.find(missing.string()) != std::string::npos, message.c_str());
        QVERIFY2(message.find("not found") != std::string::npos, message.c_str());

        message = errorOf([&] { trainSentencePiece({ m_corpus }, dir() / "x", 300, "wordpiece"); });
        QVERIFY2(message.find("unknown SentencePiece model type 'wordpiece'") != std::string::npos,
            message.c_str());

        // SentencePiece's own complaint comes through, and nothing is written.
        message = errorOf([&] { trainSentencePiece({ m_corpus }, dir() / "x", 50000); });
        QVERIFY2(
            message.find("SentencePiece training failed") != std::string::npos, message.c_str());
        QVERIFY2(message.find("ocabulary size") != std::string::npos, message.c_str());
        QVERIFY(!fs::exists(dir() / "x.model"));

        message = errorOf([&] {
            trainSentencePiece(
                { m_corpus }, dir() / "x", 300, "unigram", 0.9995, { { "no_such_flag", "1" } });
        });
        QVERIFY2(
            message.find("SentencePiece training failed") != std::string::npos, message.c_str());
        checkTorch();
    }

    void userDefinedSymbolsStayWhole()
    {
        SentencePieceTrainOptions options;
        options.vocabSize = 400;
        options.userDefinedSymbols = { "[SPEAKER1]", "[SPEAKER2]" };
        options.extra = { { "hard_vocab_limit", "false" } };
        const fs::path model = trainSentencePiece({ m_corpus }, dir() / "uds.model", options);
        SentencePieceTokenizer t(model);
        const std::int32_t speaker = t.tokenToId("[SPEAKER1]");
        QVERIFY(speaker >= 4);
        const auto ids = t.encode("[SPEAKER1]hello world", false);
        QVERIFY(std::find(ids.begin(), ids.end(), speaker) != ids.end());
        QCOMPARE(t.decode(ids), std::string("[SPEAKER1]hello world"));
    }

    void shimNotFound()
    {
        // CHATBENCH_SPM_SHIM is honoured alone, so a bad value must be reported as is.
        const QString bad
            = QString::fromStdString((dir() / "no-such-dir" / "libnothing.so").string());
        QString out = runChild(bad, QString::fromStdString(m_model.string()));
        QVERIFY2(out.contains("available=0"), qPrintable(out));
        QVERIFY2(out.contains("SentencePiece support unavailable"), qPrintable(out));
        QVERIFY2(out.contains("looked in: (CHATBENCH_SPM_SHIM) " + bad), qPrintable(out));
        // Loading a model names the model file, then why SentencePiece is unavailable.
        QVERIFY2(out.contains("error: " + QString::fromStdString(m_model.string())
                     + ": SentencePiece support unavailable"),
            qPrintable(out));

        // A file that is there but is no shim: dlmopen's own reason is passed on.
        out = runChild(
            QString::fromStdString(m_corpus.string()), QString::fromStdString(m_model.string()));
        QVERIFY2(out.contains("available=0"), qPrintable(out));
        QVERIFY2(out.contains(QString::fromStdString(m_corpus.string())), qPrintable(out));

        // And the normal search finds it in a fresh process too.
        out = runChild(QString(), QString::fromStdString(m_model.string()));
        QVERIFY2(out.contains("available=1") && out.contains("constructed"), qPrintable(out));
    }

    void cleanupTestCase()
    {
        m_tokenizer.reset();
        checkTorch();
    }
};

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsSet(kChildVariable))
        return childMain(argc, argv);
    QCoreApplication app(argc, argv);
    TestSentencePieceTokenizer test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_sentencepiece_tokenizer.moc"
