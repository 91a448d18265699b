// Prompt sets: the two text forms and their detection, references, trimming, CRLF and a byte
// order mark, errors with line and byte, files; and generateReplies' seeds, callback and cancel
// on the fixture model.

#include "chatbench/error.h"
#include "chatbench/language_model.h"
#include "chatbench/prompt_set.h"
#include "chatbench/sampling.h"
#include "chatbench/tokenizer.h"
#include "common/errors.h"
#include "common/fixture.h"

#include <QtTest/QtTest>
#include <fstream>

using namespace chatbench;
using test::contains;
using test::errorOf;

namespace {

using Context = std::vector<std::string>;

} // namespace

class TestPromptSet : public QObject
{
    Q_OBJECT

    ChatModel m_model;

private Q_SLOTS:
    void initTestCase()
    {
        m_model.name = "tiny";
        m_model.model = std::make_shared<LanguageModel>(LanguageModel::load(test::tinyGpt2Dir()));
        m_model.tokenizer = loadTokenizer(test::tinyGpt2Dir());
        m_model.sampling.topK = 8;
        m_model.sampling.maxNewTokens = 6;
        m_model.sampling.seed = 5;
        m_model.sampling.setSpecialTokenDefaults(m_model.tokenizer->specialIds());
    }

    void linesWithAndWithoutReferences()
    {
        const PromptSet set = parsePromptSet(" 你好 \n今天天气很好\t 是啊 \n\n", "typed");
        QCOMPARE(set.dialogues.size(), std::size_t(2));
        QCOMPARE(set.dialogues[0].context, Context { "你好" });
        QCOMPARE(set.dialogues[0].reference, std::string());
        QCOMPARE(set.dialogues[1].context, Context { "今天天气很好" });
        QCOMPARE(set.dialogues[1].reference, std::string("是啊"));
        QVERIFY(!set.hasReferences); // not every prompt has one
        QVERIFY(parsePromptSet("a\tb\nc\td\n", "typed").hasReferences);
    }

    void dialoguesTakeTheirLastUtteranceAsReference()
    {
        // CRLF and a byte order mark, a lone utterance skipped and counted.
        const PromptSet set = parsePromptSet("\xEF\xBB\xBF"
                                             "a\r\nb\r\nc\r\n\r\nlone\r\n\r\nd\r\ne\r\n",
            "file");
        QCOMPARE(set.dialogues.size(), std::size_t(2));
        QCOMPARE(set.dialogues[0].context, (Context { "a", "b" }));
        QCOMPARE(set.dialogues[0].reference, std::string("c"));
        QCOMPARE(set.dialogues[1].context, Context { "d" });
        QCOMPARE(set.dialogues[1].reference, std::string("e"));
        QCOMPARE(set.skipped, std::size_t(1));
        QVERIFY(set.hasReferences);
        // Forced forms: one dialogue without blank lines; lines even with them.
        QCOMPARE(parsePromptSet("a\nb\nc\n", "f", PromptFormat::Dialogues).dialogues.size(),
            std::size_t(1));
        QCOMPARE(parsePromptSet("a\nb\n\nc\n", "f", PromptFormat::Lines).dialogues.size(),
            std::size_t(3));
    }

    void errorsNameTheLineAndByte()
    {
        const std::string bad = errorOf([] { parsePromptSet("hello\n\xff\xfe\n", "p.txt"); });
        QVERIFY2(bad.find("p.txt:2: byte 6 is not UTF-8") != std::string::npos, bad.c_str());
        // U+FFFD written out is text, not damage.
        QCOMPARE(parsePromptSet("\xEF\xBF\xBD\n", "p").dialogues.size(), std::size_t(1));
        const std::string none = errorOf([] { parsePromptSet("one\n\n  \n\ntwo\n", "p.txt"); });
        QVERIFY2(none.find("p.txt: no prompts") != std::string::npos, none.c_str());
        QVERIFY(errorOf([] { parsePromptSet("", "p"); }).find("no prompts") != std::string::npos);
    }

    void filesAreReadWithClearErrors()
    {
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath("prompts.txt").toStdString();
        std::ofstream(file) << "a\nb\n\nc\nd\n";
        QCOMPARE(readPromptSet(file).dialogues.size(), std::size_t(2));
        QVERIFY(errorOf([&] {
            readPromptSet(dir.filePath("none.txt").toStdString());
        }).find("none.txt: no such file")
            != std::string::npos);
        QVERIFY(errorOf([&] { readPromptSet(dir.path().toStdString()); }).find("is a folder")
            != std::string::npos);
        std::ofstream(dir.filePath("empty.txt").toStdString());
        QVERIFY(errorOf([&] {
            readPromptSet(dir.filePath("empty.txt").toStdString());
        }).find("the file is empty")
            != std::string::npos);
    }

    void repliesDrawWithSeedPlusIndex()
    {
        const std::vector<PromptDialogue> prompts
            = { { { "你好" }, "" }, { { "今天", "天气很好" }, "" }, { { "明天见" }, "" } };
        std::vector<std::size_t> seen;
        const auto replies = generateReplies(
            m_model, prompts, [&](std::size_t i, const std::string &) { seen.push_back(i); });
        QCOMPARE(replies.size(), std::size_t(3));
        QCOMPARE(seen, (std::vector<std::size_t> { 0, 1, 2 }));
        // Reply 1 alone, with the seed moved on by one, is the same reply.
        ChatModel shifted = m_model;
        shifted.sampling.seed = m_model.sampling.seed + 1;
        QCOMPARE(generateReplies(shifted, { prompts[1] }).at(0), replies[1]);
    }

    void cancelKeepsTheFinishedReplies()
    {
        std::atomic<bool> cancel { false };
        const std::vector<PromptDialogue> prompts(5, { { "你好" }, "" });
        const auto replies = generateReplies(
            m_model, prompts, [&](std::size_t i, const std::string &) { cancel = i == 1; },
            &cancel);
        QCOMPARE(replies.size(), std::size_t(2));
    }
};

QTEST_APPLESS_MAIN(TestPromptSet)
#include "test_prompt_set.moc"
