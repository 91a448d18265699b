// WordPieceTokenizer against transformers' BertTokenizer (fixtures/tiny-gpt2-zh/expected.json),
// plus the errors a user sees for broken tokenizer files.

#include "chatbench/atomic_file.h"
#include "chatbench/error.h"
#include "chatbench/tokenizer.h"
#include "common/fixture.h"
#include "tokenize/wordpiece_tokenizer.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <atomic>
#include <fstream>
#include <functional>
#include <thread>

using namespace chatbench;
namespace fs = std::filesystem;

namespace {

QByteArray fromHex(const std::string &hex)
{
    return QByteArray::fromHex(QByteArray::fromStdString(hex));
}

QStringList toQt(const std::vector<std::string> &tokens)
{
    QStringList list;
    for (const std::string &t : tokens)
        list << QString::fromStdString(t);
    return list;
}

QStringList toQt(const nlohmann::json &tokens)
{
    QStringList list;
    for (const auto &t : tokens)
        list << QString::fromStdString(t.get<std::string>());
    return list;
}

QList<int> toInts(const std::vector<std::int32_t> &ids)
{
    return QList<int>(ids.begin(), ids.end());
}

QList<int> toInts(const nlohmann::json &ids)
{
    QList<int> list;
    for (const auto &id : ids)
        list << id.get<int>();
    return list;
}

void writeFile(const fs::path &file, const std::string &bytes)
{
    std::ofstream out(file, std::ios::binary);
    out << bytes;
}

// A copy of the fixture tokenizer in a temporary folder, for corrupting one file at a time.
fs::path copyFixture(const QTemporaryDir &tmp)
{
    const fs::path dir = fs::path(tmp.path().toStdString()) / "tok";
    fs::create_directories(dir);
    for (const char *name : { "vocab.txt", "tokenizer_config.json", "special_tokens_map.json" })
        fs::copy_file(test::tinyGpt2Dir() / name, dir / name);
    return dir;
}

QString errorOf(const std::function<void()> &f)
{
    try {
        f();
    } catch (const Error &e) {
        return QString::fromUtf8(e.what());
    }
    return QString();
}

} // namespace

class TestWordPieceTokenizer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void fixtureCases_data();
    void fixtureCases();
    void specialIds();
    void loadTokenizerFactory();
    void vocabErrors_data();
    void vocabErrors();
    void vocabCrlf();
    void configErrors_data();
    void configErrors();
    void inMemoryVocabErrors();
    void invalidUtf8();
    void decode_data();
    void decode();
    void decodeRejectsBadIds();
    void saveLoadRoundTrip();
    void concurrentEncode();
    void flavorsDifferWithoutLowercasing_data();
    void flavorsDifferWithoutLowercasing();
    void flavorsAgreeWhenLowercasing();
    void fastTokenizerJson();
    void fastTokenizerJsonErrors();

private:
    std::unique_ptr<WordPieceTokenizer> m_tokenizer;
};

void TestWordPieceTokenizer::initTestCase()
{
    m_tokenizer = WordPieceTokenizer::load(test::tinyGpt2Dir());
    QCOMPARE(m_tokenizer->vocabSize(), 600);
}

void TestWordPieceTokenizer::fixtureCases_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("tokens");
    QTest::addColumn<QList<int>>("ids");
    QTest::addColumn<QList<int>>("idsWithSpecial");
    const nlohmann::json &tok = test::tinyGpt2Expected().at("tokenizer");
    int rows = 0;
    for (const char *group : { "cases", "special_token_cases" })
        for (const nlohmann::json &c : tok.at(group)) {
            QTest::newRow(c.at("name").get<std::string>().c_str())
                << fromHex(c.at("text_utf8_hex").get<std::string>()) << toQt(c.at("tokens"))
                << toInts(c.at("ids")) << toInts(c.at("ids_with_special"));
            ++rows;
        }
    QCOMPARE(rows, 45);
}

void TestWordPieceTokenizer::fixtureCases()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, tokens);
    QFETCH(QList<int>, ids);
    QFETCH(QList<int>, idsWithSpecial);
    const std::string_view text(input.constData(), static_cast<std::size_t>(input.size()));
    QCOMPARE(toQt(m_tokenizer->tokenize(text)), tokens);
    QCOMPARE(toInts(m_tokenizer->encode(text, false)), ids);
    QCOMPARE(toInts(m_tokenizer->encode(text)), idsWithSpecial);
}

void TestWordPieceTokenizer::specialIds()
{
    const SpecialTokenIds &ids = m_tokenizer->specialIds();
    QCOMPARE(ids.pad, 0);
    QCOMPARE(ids.unk, 100);
    QCOMPARE(ids.cls, 101);
    QCOMPARE(ids.sep, 102);
    QCOMPARE(ids.mask, 103);
    QCOMPARE(ids.bos, 101);
    QCOMPARE(ids.eos, 102);
    QCOMPARE(m_tokenizer->tokenToId("[SEP]"), 102);
    QCOMPARE(m_tokenizer->tokenToId("no-such-token"), -1);
    QCOMPARE(m_tokenizer->idToToken(101), std::string("[CLS]"));
    QVERIFY(!errorOf([&] { m_tokenizer->idToToken(600); }).isEmpty());
    QCOMPARE(m_tokenizer->options().modelMaxLength.value_or(0), std::int64_t(64));
}

void TestWordPieceTokenizer::loadTokenizerFactory()
{
    std::unique_ptr<Tokenizer> tokenizer = loadTokenizer(test::tinyGpt2Dir());
    QCOMPARE(tokenizer->kind(), std::string("wordpiece"));
    QCOMPARE(tokenizer->encode("你好"), m_tokenizer->encode("你好"));

    QTemporaryDir tmp;
    const QString empty = errorOf([&] { loadTokenizer(tmp.path().toStdString()); });
    QVERIFY2(empty.contains(tmp.path()) && empty.contains("vocab.txt") && empty.contains(".model"),
        qPrintable(empty));
    const QString missing = errorOf([&] { loadTokenizer(tmp.path().toStdString() + "/nope"); });
    QVERIFY2(missing.contains("nope") && missing.contains("not found"), qPrintable(missing));
}

void TestWordPieceTokenizer::vocabErrors_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<bool>("remove");
    QTest::addColumn<QString>("expected");
    QTest::newRow("missing") << QByteArray() << true
                             << "vocab.txt: WordPiece vocabulary file not found";
    QTest::newRow("empty") << QByteArray() << false
                           << "vocab.txt:1: empty vocabulary: expected one token per line";
    QTest::newRow("duplicate") << QByteArray("[PAD]\n[UNK]\nab\ncd\nab\n") << false
                               << "vocab.txt:5: duplicate token 'ab' (first on line 3)";
    QTest::newRow("duplicate-crlf") << QByteArray("[UNK]\r\nx\r\nx\r\n") << false
                                    << "vocab.txt:3: duplicate token 'x' (first on line 2)";
    QTest::newRow("invalid-utf8") << QByteArray("[UNK]\nok\nbad\xff\n") << false
                                  << "vocab.txt:3: token is not valid UTF-8";
    QTest::newRow("no-unk") << QByteArray("[PAD]\na\nb\n") << false
                            << "vocab.txt: WordPiece vocabulary has no unknown token '[UNK]'";
}

void TestWordPieceTokenizer::vocabErrors()
{
    QFETCH(QByteArray, content);
    QFETCH(bool, remove);
    QFETCH(QString, expected);
    QTemporaryDir tmp;
    const fs::path dir = copyFixture(tmp);
    if (remove)
        fs::remove(dir / "vocab.txt");
    else
        writeFile(dir / "vocab.txt", content.toStdString());
    const QString message = errorOf([&] { WordPieceTokenizer::load(dir); });
    QVERIFY2(message.endsWith(expected), qPrintable(message));
    QVERIFY2(message.startsWith(QString::fromStdString((dir / "vocab.txt").string())),
        qPrintable(message));
}

void TestWordPieceTokenizer::vocabCrlf()
{
    QTemporaryDir tmp;
    const fs::path dir = copyFixture(tmp);
    std::string vocab = readSmallFile(test::tinyGpt2Dir() / "vocab.txt");
    std::string crlf;
    for (char c : vocab)
        crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    writeFile(dir / "vocab.txt", crlf);
    auto tokenizer = WordPieceTokenizer::load(dir);
    QCOMPARE(tokenizer->vocab(), m_tokenizer->vocab());
}

void TestWordPieceTokenizer::configErrors_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");
    QTest::newRow("bad-json") << "tokenizer_config.json"
                              << QByteArray("{\n  \"do_lower_case\": tru\n}")
                              << "tokenizer_config.json:2: column";
    // Found by fuzz/fuzz_wordpiece_vocab: an out-of-range number escaped as a nlohmann exception.
    QTest::newRow("number-overflow")
        << "tokenizer_config.json" << QByteArray("{\"model_max_length\": 1e999}")
        << "tokenizer_config.json: invalid JSON: number overflow";
    QTest::newRow("not-object") << "tokenizer_config.json" << QByteArray("[1, 2]")
                                << "tokenizer_config.json: expected a JSON object, got array";
    QTest::newRow("wrong-type")
        << "tokenizer_config.json" << QByteArray("{\"do_lower_case\": \"yes\"}")
        << "tokenizer_config.json: field 'do_lower_case': expected a boolean";
    QTest::newRow("strip-accents-type")
        << "tokenizer_config.json" << QByteArray("{\"strip_accents\": 1}")
        << "tokenizer_config.json: field 'strip_accents': expected a boolean";
    QTest::newRow("never-split-type")
        << "tokenizer_config.json" << QByteArray("{\"never_split\": \"[X]\"}")
        << "tokenizer_config.json: field 'never_split': expected a list";
    QTest::newRow("token-type") << "special_tokens_map.json" << QByteArray("{\"unk_token\": 5}")
                                << "special_tokens_map.json: field 'unk_token': expected a string";
    QTest::newRow("max-length") << "tokenizer_config.json"
                                << QByteArray("{\"model_max_length\": \"64\"}")
                                << "tokenizer_config.json: field 'model_max_length'";
}

void TestWordPieceTokenizer::configErrors()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    QTemporaryDir tmp;
    const fs::path dir = copyFixture(tmp);
    writeFile(dir / file.toStdString(), content.toStdString());
    const QString message = errorOf([&] { WordPieceTokenizer::load(dir); });
    QVERIFY2(message.contains(QString::fromStdString((dir / "").string()) + expected),
        qPrintable(message));
}

void TestWordPieceTokenizer::inMemoryVocabErrors()
{
    QVERIFY(errorOf([] { WordPieceTokenizer t(std::vector<std::string> {}); }).contains("empty"));
    const QString dup = errorOf([] {
        WordPieceTokenizer t(std::vector<std::string> { "[UNK]", "a", "b", "a" });
    });
    QVERIFY2(dup.contains("'a' (id 3) duplicates id 1"), qPrintable(dup));
    // HF writes 1e30 for "no limit"; that is not an error.
    QTemporaryDir tmp;
    const fs::path dir = copyFixture(tmp);
    writeFile(
        dir / "tokenizer_config.json", "{\"model_max_length\": 1000000000000000019884624838656}");
    QVERIFY(!WordPieceTokenizer::load(dir)->options().modelMaxLength);
}

// Invalid UTF-8 is decoded as Python's errors="replace" does (one U+FFFD per ill-formed
// subsequence), and cleaning drops U+FFFD: the bad bytes vanish, their neighbours survive.
void TestWordPieceTokenizer::invalidUtf8()
{
    const std::string good = "你好ok";
    const std::vector<std::string> bad = {
        "\xff你好ok",
        "你\xe4\xbd好ok",
        "你好\xc0\xafok",
        "你好ok\xe4",
        "你\xed\xa0\x80好ok",
        "\xf4\x90\x80\x80你好\x80\x80ok",
        "你好o\xf0\x9f\x98k",
    };
    const auto expected = m_tokenizer->tokenize(good);
    QCOMPARE(toQt(expected), QStringList({ "你", "好", "ok" }));
    for (const std::string &text : bad)
        QCOMPARE(toQt(m_tokenizer->tokenize(text)), toQt(expected));
    // Truncated sequences at the very end must not read past the buffer.
    const std::string raw = "好\xe5\xa5";
    QCOMPARE(toQt(m_tokenizer->tokenize(std::string_view(raw.data(), raw.size()))),
        QStringList({ "好" }));
}

void TestWordPieceTokenizer::decode_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("decoded");
    QTest::newRow("chinese") << "「你好」，他說。真的嗎！？"
                             << "「你好」，他說。真的嗎！？";
    QTest::newRow("mixed") << "我在用tokenizer做chatbot，超好用！"
                           << "我在用tokenizer做chatbot，超好用！";
    QTest::newRow("english") << "Hello, World! unaffable"
                             << "hello, world! unaffable";
    QTest::newRow("unk-kept") << "大谷翔平"
                              << "大谷[UNK]平";
    QTest::newRow("special-skipped") << "[CLS]你好[SEP]"
                                     << "你好";
    QTest::newRow("empty") << ""
                           << "";
}

void TestWordPieceTokenizer::decode()
{
    QFETCH(QString, text);
    QFETCH(QString, decoded);
    const auto ids = m_tokenizer->encode(text.toStdString());
    QCOMPARE(QString::fromStdString(m_tokenizer->decode(ids)), decoded);
}

void TestWordPieceTokenizer::decodeRejectsBadIds()
{
    QCOMPARE(QString::fromStdString(m_tokenizer->decode({ 101, 239, 240, 102 }, false)),
        QString("[CLS]台南[SEP]"));
    QCOMPARE(QString::fromStdString(m_tokenizer->decode({ 0, 239, 0 })), QString("台"));
    const QString message = errorOf([&] { m_tokenizer->decode({ 239, 600 }); });
    QVERIFY2(message.contains("600"), qPrintable(message));
    QVERIFY(!errorOf([&] { m_tokenizer->decode({ -1 }); }).isEmpty());
}

void TestWordPieceTokenizer::saveLoadRoundTrip()
{
    QTemporaryDir tmp;
    const fs::path dir = fs::path(tmp.path().toStdString()) / "saved";
    WordPieceOptions options = m_tokenizer->options();
    options.neverSplit = { "<keep>" };
    WordPieceTokenizer original(m_tokenizer->vocab(), options);
    original.save(dir);
    auto loaded = WordPieceTokenizer::load(dir);
    QCOMPARE(loaded->vocab(), m_tokenizer->vocab());
    QCOMPARE(loaded->options().neverSplit, options.neverSplit);
    QCOMPARE(loaded->options().modelMaxLength, options.modelMaxLength);
    QCOMPARE(loaded->options().doLowerCase, true);
    QVERIFY(!loaded->options().stripAccents);
    const std::string text = "Café 你好 <keep> [MASK]!";
    QCOMPARE(loaded->tokenize(text), original.tokenize(text));
    QCOMPARE(toQt(loaded->tokenize("a <keep> b")), QStringList({ "a", "<keep>", "b" }));
    QCOMPARE(loaded->encode("a <keep>"),
        std::vector<std::int32_t>({ 101, m_tokenizer->tokenToId("a"), 100, 102 }));

    const nlohmann::json config
        = nlohmann::json::parse(readSmallFile(dir / "tokenizer_config.json"));
    QCOMPARE(config.at("tokenizer_class").get<std::string>(), std::string("BertTokenizer"));
    QVERIFY(config.at("strip_accents").is_null());
    const nlohmann::json map
        = nlohmann::json::parse(readSmallFile(dir / "special_tokens_map.json"));
    QCOMPARE(map.at("mask_token").get<std::string>(), std::string("[MASK]"));
    QVERIFY(!fs::exists(dir / "added_tokens.json"));
}

void TestWordPieceTokenizer::concurrentEncode()
{
    const nlohmann::json &cases = test::tinyGpt2Expected().at("tokenizer").at("cases");
    std::vector<std::string> texts;
    std::vector<std::vector<std::int32_t>> expected;
    for (const nlohmann::json &c : cases) {
        texts.push_back(fromHex(c.at("text_utf8_hex").get<std::string>()).toStdString());
        expected.push_back(c.at("ids").get<std::vector<std::int32_t>>());
    }
    std::atomic<int> mismatches { 0 };
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int round = 0; round < 50; ++round)
                for (std::size_t i = 0; i < texts.size(); ++i)
                    if (m_tokenizer->encode(texts[i], false) != expected[i])
                        ++mismatches;
        });
    for (std::thread &t : threads)
        t.join();
    QCOMPARE(mismatches.load(), 0);
}

namespace {

// A cased vocabulary with a composed "Café", its decomposed spelling's pieces, and both forms of
// the ideograph U+8C48 / compatibility ideograph U+F900.
const std::vector<std::string> kCasedVocab = { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
    "Caf\xC3\xA9", "Cafe", "##\xCC\x81", "\xE8\xB1\x88", "\xEF\xA4\x80", "cafe", "ok" };

fs::path writeCasedFolder(const fs::path &dir, const char *tokenizerClass, bool lowercase)
{
    fs::create_directories(dir);
    std::string vocab;
    for (const auto &t : kCasedVocab)
        vocab += t + "\n";
    writeFile(dir / "vocab.txt", vocab);
    nlohmann::json config = { { "do_lower_case", lowercase } };
    if (tokenizerClass)
        config["tokenizer_class"] = tokenizerClass;
    writeFile(dir / "tokenizer_config.json", config.dump());
    return dir;
}

} // namespace

// With do_lower_case false, BertTokenizer (Python) NFC-normalises after the CJK split while
// BertTokenizerFast (the Rust BertNormalizer) leaves the text as typed: a decomposed accent and
// a CJK compatibility ideograph come out differently. No tokenizer_class means the fast one.
void TestWordPieceTokenizer::flavorsDifferWithoutLowercasing_data()
{
    QTest::addColumn<QString>("tokenizerClass");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");
    const QString decomposed = QString::fromUtf8("Cafe\xCC\x81"); // e + U+0301
    const QString compatibility = QString::fromUtf8("\xEF\xA4\x80"); // U+F900
    QTest::newRow("Python, decomposed accent")
        << "BertTokenizer" << decomposed << QStringList { QString::fromUtf8("Caf\xC3\xA9") };
    QTest::newRow("fast, decomposed accent")
        << "BertTokenizerFast" << decomposed
        << QStringList { "Cafe", QString::fromUtf8("##\xCC\x81") };
    QTest::newRow("no class, decomposed accent")
        << "" << decomposed << QStringList { "Cafe", QString::fromUtf8("##\xCC\x81") };
    QTest::newRow("Python, compatibility ideograph")
        << "BertTokenizer" << compatibility << QStringList { QString::fromUtf8("\xE8\xB1\x88") };
    QTest::newRow("fast, compatibility ideograph")
        << "BertTokenizerFast" << compatibility << QStringList { compatibility };
    QTest::newRow("no class, compatibility ideograph")
        << "" << compatibility << QStringList { compatibility };
}

void TestWordPieceTokenizer::flavorsDifferWithoutLowercasing()
{
    QFETCH(QString, tokenizerClass);
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    QTemporaryDir tmp;
    const std::string name = tokenizerClass.toStdString();
    const fs::path root = tmp.path().toStdString();
    const auto tokenizer = WordPieceTokenizer::load(
        writeCasedFolder(root / "t", name.empty() ? nullptr : name.c_str(), false));
    QCOMPARE(tokenizer->options().flavor,
        name == "BertTokenizer" ? BertFlavor::Python : BertFlavor::Fast);
    QCOMPARE(toQt(tokenizer->tokenize(text.toStdString())), expected);
    // The flavor survives a save: its class is written back.
    tokenizer->save(root / "saved");
    QCOMPARE(WordPieceTokenizer::load(root / "saved")->tokenize(text.toStdString()),
        tokenizer->tokenize(text.toStdString()));
}

// Lowercasing strips accents in both (NFD, drop Mn), so both give the same tokens.
void TestWordPieceTokenizer::flavorsAgreeWhenLowercasing()
{
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    const auto python
        = WordPieceTokenizer::load(writeCasedFolder(root / "p", "BertTokenizer", true));
    const auto fast
        = WordPieceTokenizer::load(writeCasedFolder(root / "f", "BertTokenizerFast", true));
    for (const char *text : { "Cafe\xCC\x81", "Caf\xC3\xA9 OK", "\xEF\xA4\x80" }) {
        QCOMPARE(fast->tokenize(text), python->tokenize(text));
        QCOMPARE(fast->encode(text), python->encode(text));
    }
    QCOMPARE(toQt(fast->tokenize("Cafe\xCC\x81")), QStringList { "cafe" });
    // Another class is not a BERT WordPiece tokenizer.
    writeCasedFolder(root / "x", "GPT2Tokenizer", true);
    try {
        WordPieceTokenizer::load(root / "x");
        QFAIL("a GPT2Tokenizer folder loaded as WordPiece");
    } catch (const Error &e) {
        QVERIFY2(QString(e.what()).contains("'GPT2Tokenizer' is not a BERT WordPiece"), e.what());
    }
}

// Without vocab.txt, the fast tokenizer's own tokenizer.json: its vocabulary (token -> id) and
// BertNormalizer flags give the same tokens as the vocab.txt folder of the same settings.
void TestWordPieceTokenizer::fastTokenizerJson()
{
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    nlohmann::json vocab = nlohmann::json::object();
    for (std::size_t id = kCasedVocab.size(); id-- > 0;) // not in id order: the ids place tokens
        vocab[kCasedVocab[id]] = id;
    const nlohmann::json file = { { "version", "1.0" },
        { "added_tokens",
            { { { "id", 0 }, { "content", "[PAD]" }, { "special", true } },
                { { "id", 11 }, { "content", "ok" }, { "special", true } } } },
        { "normalizer",
            { { "type", "BertNormalizer" }, { "clean_text", true },
                { "handle_chinese_chars", true }, { "strip_accents", nullptr },
                { "lowercase", false } } },
        { "pre_tokenizer", { { "type", "BertPreTokenizer" } } },
        { "model",
            { { "type", "WordPiece" }, { "unk_token", "[UNK]" },
                { "continuing_subword_prefix", "##" }, { "max_input_chars_per_word", 100 },
                { "vocab", vocab } } } };
    fs::create_directories(root / "json");
    writeFile(root / "json" / "tokenizer.json", file.dump());
    const auto fromJson = loadTokenizer(root / "json");
    const auto fromVocab = WordPieceTokenizer::load(writeCasedFolder(root / "txt", nullptr, false));
    QCOMPARE(fromJson->kind(), std::string("wordpiece"));
    QCOMPARE(fromJson->vocabSize(), std::int32_t(kCasedVocab.size()));
    QCOMPARE(fromJson->specialIds().unk, 1);
    QCOMPARE(fromJson->specialIds().cls, 2);
    for (const char *text : { "Cafe\xCC\x81", "\xEF\xA4\x80 Caf\xC3\xA9", "ok" }) {
        QCOMPARE(fromJson->tokenize(text), fromVocab->tokenize(text));
        QCOMPARE(fromJson->encode(text), fromVocab->encode(text));
    }
    // "ok" is an added special token: kept whole, not split by WordPiece, where it is typed.
    QCOMPARE(toQt(fromJson->tokenize("ok!")), (QStringList { "ok", "[UNK]" }));
}

void TestWordPieceTokenizer::fastTokenizerJsonErrors()
{
    QTemporaryDir tmp;
    const fs::path dir = fs::path(tmp.path().toStdString()) / "bad";
    fs::create_directories(dir);
    const auto errorFor = [&](const nlohmann::json &file) -> QString {
        writeFile(dir / "tokenizer.json", file.dump());
        try {
            WordPieceTokenizer::load(dir);
        } catch (const Error &e) {
            return QString::fromUtf8(e.what());
        }
        return QString();
    };
    const nlohmann::json normalizer
        = { { "type", "BertNormalizer" }, { "clean_text", true }, { "lowercase", true } };
    QString e = errorFor({ { "normalizer", normalizer },
        { "model", { { "type", "BPE" }, { "vocab", nlohmann::json::object() } } } });
    QVERIFY2(e.contains("tokenizer.json") && e.contains("'model.type': 'BPE'"), qPrintable(e));
    e = errorFor({ { "normalizer", normalizer },
        { "model", { { "type", "WordPiece" }, { "vocab", { { "[UNK]", 0 }, { "a", 5 } } } } } });
    QVERIFY2(e.contains("'model.vocab': token 'a' has id 5"), qPrintable(e));
    e = errorFor({ { "normalizer", { { "type", "Sequence" } } },
        { "model", { { "type", "WordPiece" }, { "vocab", { { "[UNK]", 0 } } } } } });
    QVERIFY2(e.contains("expected a BertNormalizer"), qPrintable(e));
}

QTEST_GUILESS_MAIN(TestWordPieceTokenizer)
#include "test_wordpiece_tokenizer.moc"
