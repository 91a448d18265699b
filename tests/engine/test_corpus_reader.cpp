// The corpus readers: each format, detection, and each kind of damage with its location.

#include "chatbench/corpus_reader.h"
#include "chatbench/error.h"

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

using namespace chatbench;
using namespace std::string_literals;
namespace fs = std::filesystem;

namespace {

struct Result
{
    std::vector<Dialogue> dialogues;
    CorpusReadSummary summary;
};

class CorpusFiles
{
public:
    fs::path write(const std::string &name, const std::string &bytes)
    {
        fs::path file = fs::path(m_dir.path().toStdString()) / name;
        std::ofstream(file, std::ios::binary) << bytes;
        return file;
    }

    Result read(const std::string &name, const std::string &bytes, CorpusReadOptions options = {})
    {
        Result r;
        r.summary = readCorpus(write(name, bytes), options,
            [&](Dialogue &&d) { r.dialogues.push_back(std::move(d)); });
        return r;
    }

private:
    QTemporaryDir m_dir;
};

using Utterances = std::vector<std::string>;

} // namespace

class TestCorpusReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void chitchatSplitsOnBlankLinesWithCrlf()
    {
        CorpusFiles files;
        auto r = files.read("a.txt", "你好\r\n嗨\r\n\r\n在吗\n在\n吃了吗\n\n\n");
        QCOMPARE(r.summary.format, CorpusFormat::Chitchat);
        QCOMPARE(r.dialogues.size(), std::size_t(2));
        QCOMPARE(r.dialogues[0].utterances, (Utterances { "你好", "嗨" }));
        QCOMPARE(r.dialogues[1].utterances, (Utterances { "在吗", "在", "吃了吗" }));
        QCOMPARE(r.dialogues[1].where.line, std::uint64_t(4));
        QCOMPARE(r.summary.problems.total(), std::uint64_t(0));
    }

    void invalidUtf8IsRepairedAndLocated()
    {
        CorpusFiles files;
        auto r = files.read("a.txt", "ok\nb\xFFo\n\nx\0y\nz\n"s);
        QCOMPARE(r.dialogues[0].utterances[1], std::string("b\xEF\xBF\xBDo"));
        QCOMPARE(r.dialogues[1].utterances[0], std::string("xy"));
        const auto &p = r.summary.problems;
        QCOMPARE(p.count(CorpusProblem::InvalidUtf8), std::uint64_t(1));
        QCOMPARE(p.examples(CorpusProblem::InvalidUtf8)[0].where.line, std::uint64_t(2));
        QCOMPARE(p.examples(CorpusProblem::InvalidUtf8)[0].where.offset, std::uint64_t(4));
        QCOMPARE(p.count(CorpusProblem::NulByte), std::uint64_t(1));
        QCOMPARE(p.examples(CorpusProblem::NulByte)[0].where.toString(), std::string("line 4"));
    }

    void hugeLineRejectsItsDialogue()
    {
        CorpusFiles files;
        const std::string big(10u << 20, 'a');
        auto r = files.read("a.txt", "a\nb\n\nc\n" + big + "\n\nd\ne\n");
        QCOMPARE(r.dialogues.size(), std::size_t(2));
        QCOMPARE(r.summary.problems.count(CorpusProblem::LineTooLong), std::uint64_t(1));
        QCOMPARE(r.summary.problems.examples(CorpusProblem::LineTooLong)[0].where.line,
            std::uint64_t(5));
    }

    void emptyFileIsAnError()
    {
        CorpusFiles files;
        for (const std::string bytes : { "", "\n\r\n  \n", "\xEF\xBB\xBF" }) {
            try {
                files.read("empty.txt", bytes);
                QFAIL("no error");
            } catch (const Error &e) {
                QVERIFY2(std::string(e.what()).find("empty.txt: the corpus is empty")
                        != std::string::npos,
                    e.what());
            }
        }
    }

    void lcccObjectJoinsCjkAndKeepsLatinSpaces()
    {
        CorpusFiles files;
        const std::string json = R"({"train": [["你 好 ， 世 界", "hello world 你 好"],
            ["a", "b"]], "valid": [["c c", "d"]]})";
        auto r = files.read("lccc.json", json);
        QCOMPARE(r.summary.format, CorpusFormat::Lccc);
        QCOMPARE(r.dialogues.size(), std::size_t(3));
        QCOMPARE(r.dialogues[0].utterances, (Utterances { "你好，世界", "hello world你好" }));
        QCOMPARE(r.dialogues[2].utterances, (Utterances { "c c", "d" }));
        QCOMPARE(r.dialogues[1].where.offset, std::size_t(json.find("[\"a\"")));

        CorpusReadOptions valid;
        valid.lcccSplit = "valid";
        QCOMPARE(files.read("lccc.json", json, valid).dialogues.size(), std::size_t(1));
    }

    void lcccTopLevelListAndBadItems()
    {
        CorpusFiles files;
        auto r = files.read("l.json", R"([["a b", "c"], 5, ["x", {"t": 1}], ["only"]])");
        QCOMPARE(r.dialogues.size(), std::size_t(2));
        QCOMPARE(r.summary.problems.count(CorpusProblem::NotADialogue), std::uint64_t(2));
    }

    void lcccSyntaxErrorNamesFileAndByte()
    {
        CorpusFiles files;
        // The invalid byte and the NUL before the error must not shift the reported offset.
        const std::string json = "[[\"a\xFF\", \"b\0\"], [\"c\" \"d\"]]"s;
        try {
            files.read("bad.json", json);
            QFAIL("no error");
        } catch (const Error &e) {
            const std::string expected = "bad.json: byte " + std::to_string(json.find("\"d"));
            QVERIFY2(std::string(e.what()).find(expected) != std::string::npos, e.what());
            QVERIFY2(std::string(e.what()).find("syntax error") != std::string::npos, e.what());
        }
    }

    void lcccRepairsInvalidUtf8()
    {
        CorpusFiles files;
        auto r = files.read("l.json", "[[\"a\xC3\", \"b\"]]");
        QCOMPARE(r.dialogues[0].utterances[0], std::string("a\xEF\xBF\xBD"));
        QCOMPARE(r.summary.problems.examples(CorpusProblem::InvalidUtf8)[0].where.offset,
            std::uint64_t(4));
    }

    void jsonlListsObjectsAndBadLines()
    {
        CorpusFiles files;
        auto r = files.read("d.jsonl",
            "[\"你好\", \"嗨\"]\n{\"dialog\": [\"a\", \"b\", \"c\"]}\n\n[\"x\",\n[1, 2]\n");
        QCOMPARE(r.summary.format, CorpusFormat::Jsonl);
        QCOMPARE(r.dialogues.size(), std::size_t(2));
        QCOMPARE(r.dialogues[1].utterances, (Utterances { "a", "b", "c" }));
        const auto &p = r.summary.problems;
        QCOMPARE(p.count(CorpusProblem::SyntaxError), std::uint64_t(1));
        QCOMPARE(p.examples(CorpusProblem::SyntaxError)[0].where.line, std::uint64_t(4));
        QCOMPARE(p.count(CorpusProblem::NotADialogue), std::uint64_t(1));
        QCOMPARE(p.examples(CorpusProblem::NotADialogue)[0].where.line, std::uint64_t(5));
    }

    void jsonlNumberOverflowIsASyntaxError()
    {
        // Found by fuzz/fuzz_corpus_jsonl: nlohmann throws out_of_range, not parse_error.
        CorpusFiles files;
        CorpusReadOptions options;
        options.format = CorpusFormat::Jsonl;
        auto r = files.read("d.jsonl", "[\"a\", 1e999]\n[\"b\", \"c\"]\n", options);
        QCOMPARE(r.dialogues.size(), std::size_t(1));
        const auto &p = r.summary.problems;
        QCOMPARE(p.count(CorpusProblem::SyntaxError), std::uint64_t(1));
        QCOMPARE(p.examples(CorpusProblem::SyntaxError)[0].where.line, std::uint64_t(1));
    }

    void formatCanBeForced()
    {
        CorpusFiles files;
        CorpusReadOptions options;
        options.format = CorpusFormat::Chitchat;
        auto r = files.read("d.jsonl", "[\"a\", \"b\"]\n", options);
        QCOMPARE(r.dialogues[0].utterances, (Utterances { "[\"a\", \"b\"]" }));
        QCOMPARE(parseCorpusFormat("lccc"), CorpusFormat::Lccc);
        QVERIFY_THROWS_EXCEPTION(Error, parseCorpusFormat("csv"));
    }
};

QTEST_GUILESS_MAIN(TestCorpusReader)
#include "test_corpus_reader.moc"
