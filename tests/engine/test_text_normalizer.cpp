// Utterance normalisation: whitespace, full-width folding, OpenCC script conversion.

#include "chatbench/error.h"
#include "chatbench/text_normalizer.h"

#include <QtTest>
#include <thread>

using namespace chatbench;

class TestTextNormalizer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void whitespaceCollapsesAndTrims()
    {
        QCOMPARE(cleanWhitespace("  a \t\u00a0 b\u200b c\u3000 "), std::string("a b c"));
        QCOMPARE(cleanWhitespace("你好\r\n世界"), std::string("你好 世界"));
        QCOMPARE(cleanWhitespace(""), std::string());
    }

    void fullWidthFoldsToAscii()
    {
        QCOMPARE(foldFullWidth("ＡＢＣ１２３！～\u3000你好，"), std::string("ABC123!~ 你好,"));
    }

    void openccSimplifiedToTaiwanPhrases()
    {
        if (!CHATBENCH_HAVE_OPENCC)
            QSKIP("this chatbench was built without OpenCC (CHATBENCH_OPENCC)");
        TextNormalizer n({ true, false, "s2twp" });
        QCOMPARE(n.normalize("软件"), std::string("軟體"));
        QCOMPARE(n.normalize(" 鼠标  和 头发 "), std::string("滑鼠 和 頭髮"));
        TextNormalizer back({ true, false, "t2s.json" });
        QCOMPARE(back.normalize("頭髮"), std::string("头发"));
    }

    void normalizeEachMatchesNormalize()
    {
        if (!CHATBENCH_HAVE_OPENCC)
            QSKIP("this chatbench was built without OpenCC (CHATBENCH_OPENCC)");
        // Phrases across the joins, a text with its own line break, ASCII, empty and
        // full-width texts: batched conversion must not change a single result.
        const std::vector<std::string> texts { "软件", "鼠标", "", "ok fine", "头发\n软件",
            "简体中文，ｏｋ", "  打印机 ", "内存", "\n", "信息", "网络" };
        for (const char *config : { "s2twp", "t2s" }) {
            TextNormalizer n({ true, true, config });
            std::vector<std::string> each = texts;
            n.normalizeEach(each);
            QCOMPARE(each.size(), texts.size());
            for (std::size_t i = 0; i < texts.size(); ++i)
                QCOMPARE(each[i], n.normalize(texts[i]));
        }
        QCOMPARE(TextNormalizer({ true, false, "s2twp" }).normalize("头发\n软件"),
            std::string("頭髮 軟體"));
        TextNormalizer plain;
        std::vector<std::string> none { " a  b " };
        plain.normalizeEach(none);
        QCOMPARE(none[0], std::string("a b"));
    }

    void openccIsSafeFromSeveralThreads()
    {
        if (!CHATBENCH_HAVE_OPENCC)
            QSKIP("this chatbench was built without OpenCC (CHATBENCH_OPENCC)");
        TextNormalizer n({ true, true, "s2t" });
        std::vector<std::thread> threads;
        std::atomic<int> wrong { 0 };
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 2000; ++i)
                    if (n.normalize("简体中文，ｏｋ") != "簡體中文,ok")
                        ++wrong;
            });
        for (auto &t : threads)
            t.join();
        QCOMPARE(wrong.load(), 0);
    }

    void unknownConversionNamesIt()
    {
        try {
            TextNormalizer n({ true, false, "s2xx" });
            QFAIL("no error");
        } catch (const Error &e) {
            QVERIFY2(std::string(e.what()).find("'s2xx'") != std::string::npos, e.what());
            // Without OpenCC every conversion is refused, saying why.
            if (!CHATBENCH_HAVE_OPENCC)
                QVERIFY2(std::string(e.what()).find("built without OpenCC") != std::string::npos,
                    e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestTextNormalizer)
#include "test_text_normalizer.moc"
