// chatbench-cli as a user runs it: one JSON object on stdout, one line on stderr on error, and
// exit codes 0 / 1 (bad input) / 2 (bad usage).

#include "common/cli_process.h"
#include "common/fixture.h"

#include <QProcess>
#include <QtTest/QtTest>

using nlohmann::json;

namespace {

using Run = chatbench::test::CliRun;

Run cli(const QStringList &args)
{
    return chatbench::test::runCli(args);
}

QString fixture()
{
    return QString::fromStdString(chatbench::test::tinyGpt2Dir().string());
}

QString idList(const json &ids)
{
    QStringList parts;
    for (const auto &id : ids)
        parts << QString::number(id.get<int>());
    return parts.join(',');
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tokenizeMatchesFixture()
    {
        const auto &cases = chatbench::test::tinyGpt2Expected()["tokenizer"]["cases"];
        for (const auto &c : cases) {
            if (c["name"] != "zh_en_mixed_wordpiece" && c["name"] != "fullwidth_punctuation")
                continue;
            Run r = cli({ "tokenize", "--tokenizer", fixture(), "--text",
                QString::fromStdString(c["text"].get<std::string>()) });
            QCOMPARE(r.exitCode, 0);
            QCOMPARE(r.object()["tokens"], c["tokens"]);
            QCOMPARE(r.object()["ids"], c["ids"]);
            QCOMPARE(r.object()["ids_with_special"], c["ids_with_special"]);
        }
    }

    void logitsMatchFixture()
    {
        const auto &c = chatbench::test::tinyGpt2Expected()["model"]["cases"][1];
        Run r = cli({ "logits", "--model", fixture(), "--ids", idList(c["input_ids"]) });
        QCOMPARE(r.exitCode, 0);
        json o = r.object();
        QCOMPARE(o["argmax"], c["argmax"]);
        QVERIFY(
            std::abs(o["loss"].get<double>() - c["loss_labels_equal_ids"].get<double>()) < 1e-4);
        QVERIFY(std::abs(o["accuracy"].get<double>() - c["accuracy_labels_equal_ids"].get<double>())
            < 1e-4);
        for (std::size_t i = 0; i < c["last_logits"].size(); ++i)
            QVERIFY(std::abs(o["last_logits"][i].get<double>() - c["last_logits"][i].get<double>())
                < 1e-4);
    }

    void oneTokenHasNullLoss()
    {
        Run r = cli({ "logits", "--model", fixture(), "--ids", "101" });
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.object()["loss"].is_null());
        QVERIFY(r.object()["accuracy"].is_null());
    }

    void greedyMatchesFixture_data()
    {
        QTest::addColumn<bool>("cache");
        QTest::newRow("kv cache") << true;
        QTest::newRow("no cache") << false;
    }

    void greedyMatchesFixture()
    {
        QFETCH(bool, cache);
        for (const auto &g : chatbench::test::tinyGpt2Expected()["model"]["greedy"]) {
            QStringList args { "generate", "--model", fixture(), "--ids", idList(g["prompt_ids"]),
                "--max-new", QString::number(g["max_new_tokens"].get<int>()), "--greedy" };
            if (!cache)
                args << "--no-cache";
            Run r = cli(args);
            QCOMPARE(r.exitCode, 0);
            QCOMPARE(r.object()["ids"], g["generated_ids"]);
        }
    }

    void chatSamplingPrintsEveryCandidate()
    {
        Run r = cli({ "generate", "--model", fixture(), "--text", "明天就要去比賽了", "--seed", "3",
            "--num-candidates", "2", "--max-new", "10" });
        QCOMPARE(r.exitCode, 0);
        const json candidates = r.object()["candidates"];
        QCOMPARE(candidates.size(), std::size_t(2));
        for (const auto &c : candidates) {
            QVERIFY(c["ids"].size() <= 10);
            QVERIFY(c["stop_reason"] == "max_tokens" || c["stop_reason"] == "stop_token");
            QVERIFY(c["text"].is_string());
            for (int banned : { 0, 100, 101 })
                QVERIFY(std::find(c["ids"].begin(), c["ids"].end(), banned) == c["ids"].end());
        }
        // Same seed, same replies.
        Run again = cli({ "generate", "--model", fixture(), "--text", "明天就要去比賽了", "--seed",
            "3", "--num-candidates", "2", "--max-new", "10" });
        QCOMPARE(again.out, r.out);
    }

    void chatAnswersEveryLineWithEveryModel()
    {
        QTemporaryDir dir;
        const QString save = dir.filePath("chat.json");
        const QStringList args = { "chat", "--model", fixture(), "--model", fixture(), "--seed",
            "5", "--max-new", "8", "--save", save };
        Run r
            = chatbench::test::runCliWithInput(args, "台灣贏中國隊了耶\n今天好開心\n\nnot read\n");
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 4);
        for (int i = 0; i < 4; ++i)
            QVERIFY2(lines[i].startsWith(i % 2 ? "tiny-gpt2-zh#2: " : "tiny-gpt2-zh: "),
                qPrintable(lines[i]));

        QFile file(save);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const json t = json::parse(file.readAll().toStdString());
        QCOMPARE(t["format"].get<std::string>(), std::string("chatbench-transcript"));
        QCOMPARE(t["models"].size(), std::size_t(2));
        QCOMPARE(t["models"][0]["path"].get<std::string>(), fixture().toStdString());
        QCOMPARE(t["models"][0]["sampling"]["seed"].get<int>(), 5);
        QCOMPARE(t["turns"].size(), std::size_t(2));
        QCOMPARE(t["turns"][1]["user"].get<std::string>(), std::string("今天好開心"));
        QCOMPARE(t["turns"][1]["replies"][1]["seed"].get<int>(), 6);
        QCOMPARE("tiny-gpt2-zh#2: " + t["turns"][1]["replies"][1]["text"].get<std::string>(),
            lines[3].toStdString());

        // The same input and seed replay the same chat; "quit" ends it like an empty line.
        Run again
            = chatbench::test::runCliWithInput(args, "台灣贏中國隊了耶\r\n今天好開心\nquit\n");
        QCOMPARE(again.out, r.out);

        // The saved transcript exports in the report's demo style.
        Run md = cli({ "export", "--transcript", save });
        QCOMPARE(md.exitCode, 0);
        const QStringList mdLines = md.out.split('\n');
        QCOMPARE(mdLines[0], QStringLiteral("## Demo - tiny-gpt2-zh"));
        // The model's run and sampling settings, then the demo block.
        QVERIFY2(
            mdLines[2].startsWith("run " + fixture() + " · temperature"), qPrintable(mdLines[2]));
        QVERIFY2(mdLines[2].contains(" · seed 5 · fp32"), qPrintable(mdLines[2]));
        QCOMPARE(mdLines[5], QStringLiteral("user:台灣贏中國隊了耶"));
        QCOMPARE(mdLines[6], QString(lines[0]).replace("tiny-gpt2-zh: ", "chatbot:"));
        Run html = cli({ "export", "--transcript", save, "--format", "html" });
        QCOMPARE(html.exitCode, 0);
        QVERIFY(html.out.startsWith("<!DOCTYPE html>"));
        Run bad = cli({ "export", "--transcript", save, "--format", "pdf" });
        QCOMPARE(bad.exitCode, 2);
    }

    void evalPrintsMetricsPerModel()
    {
        QTemporaryDir dir;
        QFile prompts(dir.filePath("prompts.txt"));
        QVERIFY(prompts.open(QIODevice::WriteOnly));
        prompts.write("台灣贏中國隊了耶\n沒有，我也很無奈啊\n\n我明天要去爬山\n那現在一定很累\n"
                      "我今天去的時候就累的不行了\n\n只有一句\n\n今天好開心\n好\n");
        prompts.close();
        Run r = cli({ "eval", "--model", fixture(), "--model", fixture(), "--greedy", "--prompts",
            prompts.fileName(), "--max-new", "10" });
        QCOMPARE(r.exitCode, 0);
        const json models = r.object()["models"];
        QCOMPARE(models.size(), std::size_t(2));
        for (const auto &m : models) {
            QCOMPARE(m["n"].get<int>(), 3); // the one-utterance dialogue has no reference reply
            for (const char *key :
                { "distinct_1", "distinct_2", "bleu_2", "bleu_4", "repetition_rate" }) {
                QVERIFY2(m[key].is_number(), key);
                QVERIFY(m[key].get<double>() >= 0 && m[key].get<double>() <= 1);
            }
            QVERIFY(m["mean_length"].get<double>() > 0);
        }
        // Greedy: the same checkpoint twice gives the same numbers.
        json a = models[0], b = models[1];
        a.erase("name");
        b.erase("name");
        QCOMPARE(a, b);

        QFile empty(dir.filePath("empty.txt"));
        QVERIFY(empty.open(QIODevice::WriteOnly));
        empty.write("只有一句\n");
        empty.close();
        Run bad = cli({ "eval", "--model", fixture(), "--prompts", empty.fileName() });
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.err.contains("no dialogue with a context"), qPrintable(bad.err));
    }

    // The model FLOPs per token bench train reports (and its fraction of the GEMM ceiling rests
    // on): 6N + 12 L T d, N the parameters without position embeddings, counted here by hand
    // for the tiny preset (vocab 8000, 4 layers, 256 wide, MLP 1024).
    void benchTrainCountsFlopsByTheFormula()
    {
        Run r = cli({ "bench", "train", "--preset", "tiny", "--seq", "32", "--batch-size", "2",
            "--steps", "1", "--warmup", "1", "--threads", "1" });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const std::int64_t d = 256, f = 1024, layers = 4, vocab = 8000, seq = 32;
        const std::int64_t block = 2 * 2 * d // two layer norms
            + (d * 3 * d + 3 * d) // c_attn
            + (d * d + d) // attn.c_proj
            + (d * f + f) // mlp.c_fc
            + (f * d + d); // mlp.c_proj
        const std::int64_t n = vocab * d + layers * block + 2 * d; // wte, blocks, ln_f
        QCOMPARE(n, std::int64_t(5207552));
        QCOMPARE(r.object()["parameters"].get<std::int64_t>(), n);
        QCOMPARE(
            r.object()["flops_per_token"].get<double>(), double(6 * n + 12 * layers * seq * d));
        QVERIFY(r.object()["tokens_per_s"].get<double>() > 0);
    }

    void preparePrintsStatisticsAndWritesCaches()
    {
        QTemporaryDir dir;
        const QString corpus = dir.filePath("c.txt"), out = dir.filePath("out");
        QFile file(corpus);
        QVERIFY(file.open(QIODevice::WriteOnly));
        // Six two-turn dialogues, then a one-utterance dialogue that is rejected.
        for (int i = 0; i < 6; ++i)
            file.write(QStringLiteral("你好%1\r\n我很好\r\n\r\n").arg(i).toUtf8());
        file.write("孤单\n");
        file.close();
        Run r = cli({ "prepare", "--corpus", corpus, "--tokenizer", fixture(), "--out", out,
            "--val", "2", "--max-len", "6" });
        QCOMPARE(r.exitCode, 0);
        const json o = r.object();
        QCOMPARE(o["format"], "chitchat");
        QCOMPARE(o["dialogues_read"], 7);
        QCOMPARE(o["dialogues"], 6);
        QCOMPARE(o["rejected"], 1);
        QCOMPARE(o["problems"]["single_utterance"]["examples"][0]["at"], "line 19");
        QCOMPARE(o["utterances"], 12);
        QCOMPARE(o["train"], 4);
        QCOMPARE(o["valid"], 2);
        QCOMPARE(o["truncated"], 6); // [CLS] 你 好 N [SEP] 我 很 好 [SEP]: 9 tokens, cut to 6
        QCOMPARE(o["tokens_kept"], 36);
        QCOMPARE(o["cache_hit"], false);
        QFile stats(out + "/stats.json");
        QVERIFY(stats.open(QIODevice::ReadOnly));
        const json written = json::parse(stats.readAll().toStdString());
        QCOMPARE(written["key"], o["key"]);
        QCOMPARE(written["train"], 4);
        QVERIFY(QFile::exists(out + "/train.tokens"));
        QVERIFY(QFile::exists(out + "/valid.tokens"));

        // The same command again reuses the caches.
        Run again = cli({ "prepare", "--corpus", corpus, "--tokenizer", fixture(), "--out", out,
            "--val", "2", "--max-len", "6" });
        QCOMPARE(again.exitCode, 0);
        QCOMPARE(again.object()["cache_hit"], true);
        QCOMPARE(again.object()["key"], o["key"]);
    }

    void prepareReportsJsonSyntaxErrorOffset()
    {
        QTemporaryDir dir;
        const QString corpus = dir.filePath("bad.json"), out = dir.filePath("out");
        QFile file(corpus);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"train": [["a", "b"], ["c" "d"]]})");
        file.close();
        Run r = cli({ "prepare", "--corpus", corpus, "--tokenizer", fixture(), "--out", out });
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains("bad.json: byte 28: JSON syntax error"), qPrintable(r.err));
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY(!QFileInfo::exists(out));
    }

    void errors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown command") << QStringList { "frobnicate" } << 2 << "unknown command";
        QTest::newRow("missing option")
            << QStringList { "logits", "--ids", "1" } << 2 << "missing required option --model";
        QTest::newRow("bad id list") << QStringList { "logits", "--model", fixture(), "--ids",
            "101,,3" } << 2 << "'' is not a token id";
        QTest::newRow("unknown option") << QStringList { "tokenize", "--tokenizer", fixture(),
            "--txt", "a" } << 2 << "unknown option --txt";
        QTest::newRow("greedy with top-k") << QStringList { "generate", "--model", fixture(),
            "--ids", "101", "--greedy", "--top-k", "3" }
                                           << 2 << "--greedy";
        QTest::newRow("id out of vocabulary") << QStringList { "logits", "--model", fixture(),
            "--ids", "101,600" } << 1 << "token id 600 at position 1 is outside the vocabulary";
        QTest::newRow("model folder missing")
            << QStringList { "generate", "--model", "/nonexistent/model", "--ids", "1", "--greedy" }
            << 1 << "/nonexistent/model: not a folder";
        QTest::newRow("tokenizer folder missing")
            << QStringList { "tokenize", "--tokenizer", "/nonexistent/tok", "--text", "a" } << 1
            << "/nonexistent/tok";
    }

    void errors()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        Run r = cli(args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        if (exitCode == 1)
            QCOMPARE(r.err.count('\n'), 1); // one line
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
