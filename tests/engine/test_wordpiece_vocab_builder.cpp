// buildWordPieceVocab: BERT's special-id layout, a vocabulary that covers its own corpus, and a
// deterministic result.

#include "chatbench/error.h"
#include "tokenize/wordpiece_vocab_builder.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <fstream>

using namespace chatbench;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kCorpus = {
    "你好，今天天气怎么样？",
    "我们今天去公园散步吧。",
    "我在用tokenizer做chatbot，超好用！",
    "The tokenizer splits words into pieces; the chatbot answers.",
    "Tokenization is fun: tokens, tokenizers, tokenized text.",
    "明天我们一起去图书馆看书好吗？",
    "我爱Python和C++，也喜欢吃火锅。",
    "Café au lait, s'il vous plaît!",
    "价格是1234.56元，日期2023年12月31日。",
};

int countUnk(const WordPieceTokenizer &tokenizer, const std::vector<std::string> &lines)
{
    int unk = 0;
    for (const std::string &line : lines)
        for (std::int32_t id : tokenizer.encode(line, false))
            unk += id == tokenizer.specialIds().unk;
    return unk;
}

} // namespace

class TestWordPieceVocabBuilder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bertLayout();
    void coversItsCorpus();
    void deterministic();
    void respectsVocabSize();
    void fromFiles();
    void saveLoadRoundTrip();
};

void TestWordPieceVocabBuilder::bertLayout()
{
    WordPieceVocabOptions options;
    options.minFrequency = 1;
    const std::vector<std::string> vocab = buildWordPieceVocab(kCorpus, options);
    QCOMPARE(vocab[0], std::string("[PAD]"));
    QCOMPARE(vocab[1], std::string("[unused1]"));
    QCOMPARE(vocab[99], std::string("[unused99]"));
    QCOMPARE(vocab[100], std::string("[UNK]"));
    QCOMPARE(vocab[101], std::string("[CLS]"));
    QCOMPARE(vocab[102], std::string("[SEP]"));
    QCOMPARE(vocab[103], std::string("[MASK]"));
    // The most frequent CJK character comes first: 天 and 我 occur 4 times, 天 sorts first.
    QCOMPARE(vocab[104], std::string("天"));
    const WordPieceTokenizer tokenizer(vocab, options.tokenizerOptions());
    const SpecialTokenIds &ids = tokenizer.specialIds();
    QCOMPARE(ids.pad, 0);
    QCOMPARE(ids.unk, 100);
    QCOMPARE(ids.cls, 101);
    QCOMPARE(ids.sep, 102);
    QCOMPARE(ids.mask, 103);
    QCOMPARE(ids.bos, 101);
    QCOMPARE(ids.eos, 102);
    for (const char *c : { "a", "z", "0", "9", "!", "~", "##a", "##e" })
        QVERIFY2(tokenizer.tokenToId(c) >= 0, c);
    QCOMPARE(tokenizer.tokenToId("A"), -1); // lowercased corpus: no uppercase letters
}

void TestWordPieceVocabBuilder::coversItsCorpus()
{
    WordPieceVocabOptions options;
    options.minFrequency = 1;
    options.vocabSize = 400;
    const WordPieceTokenizer tokenizer = buildWordPieceTokenizer(kCorpus, options);
    QCOMPARE(countUnk(tokenizer, kCorpus), 0);
    // Frequent words get whole tokens or long pieces.
    QCOMPARE(QString::fromStdString(tokenizer.tokenize("tokenizer").front()), QString("tokenizer"));
    QCOMPARE(QString::fromStdString(tokenizer.decode(tokenizer.encode(kCorpus[0]))),
        QString::fromStdString(kCorpus[0]));
}

void TestWordPieceVocabBuilder::deterministic()
{
    WordPieceVocabOptions options;
    options.minFrequency = 1;
    options.vocabSize = 300;
    const auto first = buildWordPieceVocab(kCorpus, options);
    std::vector<std::string> reversed(kCorpus.rbegin(), kCorpus.rend());
    QCOMPARE(buildWordPieceVocab(kCorpus, options), first);
    QCOMPARE(buildWordPieceVocab(reversed, options), first); // order of lines does not matter
}

void TestWordPieceVocabBuilder::respectsVocabSize()
{
    WordPieceVocabOptions options;
    options.minFrequency = 1;
    options.vocabSize = 104 + 68 + 5; // specials + lowercase ASCII + 5
    const auto vocab = buildWordPieceVocab(kCorpus, options);
    QCOMPARE(vocab.size(), std::size_t(options.vocabSize));
    QCOMPARE(vocab[104], std::string("天"));
    QCOMPARE(vocab.back(), std::string("~")); // ASCII is kept even when CJK fills the budget

    options.vocabSize = 150;
    bool threw = false;
    try {
        buildWordPieceVocab(kCorpus, options);
    } catch (const Error &e) {
        threw = QString(e.what()).contains("too small");
    }
    QVERIFY(threw);

    options.vocabSize = 100000; // more slots than candidates: the vocabulary is just smaller
    options.minFrequency = 2;
    const auto small = buildWordPieceVocab(kCorpus, options);
    QVERIFY(small.size() < 1000);
    const WordPieceTokenizer tokenizer(small, options.tokenizerOptions());
    QVERIFY(countUnk(tokenizer, kCorpus) > 0); // characters seen once are left out
}

void TestWordPieceVocabBuilder::fromFiles()
{
    QTemporaryDir tmp;
    const fs::path file = fs::path(tmp.path().toStdString()) / "corpus.txt";
    {
        std::ofstream out(file, std::ios::binary);
        for (const std::string &line : kCorpus)
            out << line << "\r\n";
    }
    WordPieceVocabOptions options;
    options.minFrequency = 1;
    QCOMPARE(buildWordPieceVocab(std::vector<fs::path> { file }, options),
        buildWordPieceVocab(kCorpus, options));
    bool named = false;
    try {
        buildWordPieceVocab(std::vector<fs::path> { file.string() + ".missing" }, options);
    } catch (const Error &e) {
        named = QString(e.what()).contains("corpus.txt.missing");
    }
    QVERIFY(named);
}

void TestWordPieceVocabBuilder::saveLoadRoundTrip()
{
    WordPieceVocabOptions options;
    options.minFrequency = 1;
    options.vocabSize = 400;
    const WordPieceTokenizer built = buildWordPieceTokenizer(kCorpus, options);
    QTemporaryDir tmp;
    const fs::path dir = fs::path(tmp.path().toStdString()) / "tokenizer";
    built.save(dir);
    std::unique_ptr<Tokenizer> loaded = loadTokenizer(dir);
    QCOMPARE(loaded->vocabSize(), built.vocabSize());
    for (const std::string &line : kCorpus)
        QCOMPARE(loaded->encode(line), built.encode(line));
}

QTEST_GUILESS_MAIN(TestWordPieceVocabBuilder)
#include "test_wordpiece_vocab_builder.moc"
