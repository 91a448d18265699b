// The bad-input catalogue: malformed corpora, checkpoints, configs, vocabularies, token caches,
// transcripts and run folders through the CLI. Each must end with its specific message (naming
// the file and what is wrong) and exit code, never a crash or a hang.

#include "common/training_corpus.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <fstream>
#include <functional>

namespace fs = std::filesystem;

namespace {

struct Case
{
    const char *name;
    std::function<void(const fs::path &dir)> setUp; // writes the bad input under dir
    QStringList args; // "DIR" is replaced by the case's folder
    int exitCode;
    QStringList expected; // substrings of stderr
};

void write(const fs::path &file, const std::string &bytes)
{
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << bytes;
}

void copyFixture(const fs::path &to)
{
    fs::create_directories(to);
    for (const auto &f : fs::directory_iterator(chatbench::test::tinyGpt2Dir()))
        fs::copy_file(f.path(), to / f.path().filename(), fs::copy_options::overwrite_existing);
}

using chatbench::test::fileBytes;

// A finished tiny run to damage: trained once, copied per case.
fs::path g_run, g_corpus;

void copyRun(const fs::path &to)
{
    fs::copy(g_run, to, fs::copy_options::recursive);
}

const QString kFixture = QString::fromStdString(chatbench::test::tinyGpt2Dir().string());

std::vector<Case> catalogue()
{
    const QStringList prepare
        = { "prepare", "--tokenizer", kFixture, "--out", "DIR/out", "--corpus" };
    auto corpus = [&](const char *extra) {
        QStringList a = prepare;
        a << "DIR/corpus" << QString(extra).split(' ', Qt::SkipEmptyParts);
        return a;
    };
    const QStringList logits = { "logits", "--text", "你好", "--model", "DIR/model" };
    auto damagedModel = [](std::function<void(const fs::path &)> damage) {
        return [damage](const fs::path &dir) {
            copyFixture(dir / "model");
            damage(dir / "model");
        };
    };
    auto config = [](const std::string &text) {
        return [text](const fs::path &dir) {
            chatbench::test::writeTrainingCorpus(dir / "c.txt", 20, 1);
            write(dir / "run.json", text);
        };
    };
    const QStringList train = { "train", "--config", "DIR/run.json", "--out", "DIR/run" };
    auto damagedRun = [](std::function<void(const fs::path &)> damage) {
        return [damage](const fs::path &dir) {
            copyRun(dir / "run");
            damage(dir / "run");
        };
    };
    const QStringList resume = { "train", "--resume", "DIR/run" };
    auto transcript = [](const std::string &text) {
        return [text](const fs::path &dir) { write(dir / "t.json", text); };
    };
    const QStringList exportT = { "export", "--transcript", "DIR/t.json" };
    auto cache = [](std::function<std::string(std::string)> damage) {
        return [damage](const fs::path &dir) {
            write(dir / "c.tokens", damage(fileBytes(g_run / "data" / "valid.tokens")));
        };
    };
    const QStringList eval = { "eval", "--model", kFixture, "--data", "DIR/c.tokens" };

    return {
        // corpora
        { "missing corpus", [](const fs::path &) {}, corpus(""), 1, { "corpus" } },
        { "empty corpus", [](const fs::path &d) { write(d / "corpus", ""); }, corpus(""), 1,
            { "corpus", "empty" } },
        { "corpus is a folder", [](const fs::path &d) { fs::create_directories(d / "corpus"); },
            corpus(""), 1, { "corpus" } },
        { "LCCC syntax error",
            [](const fs::path &d) {
                write(d / "corpus", "{\"train\": [[\"你 好\", \"嗨\"],\n [\"a\" \"b\"]]}");
            },
            corpus("--format lccc"), 1, { "byte 37", "syntax error" } },
        { "LCCC top level is a number", [](const fs::path &d) { write(d / "corpus", "42"); },
            corpus("--format lccc"), 1, { "corpus" } },
        { "unknown format", [](const fs::path &d) { write(d / "corpus", "a\nb\n"); },
            corpus("--format xml"), 2, { "xml", "chitchat" } },
        { "no usable dialogue", [](const fs::path &d) { write(d / "corpus", "\n\n\n \n"); },
            corpus(""), 1, { "corpus" } },
        { "validation as large as the corpus",
            [](const fs::path &d) { write(d / "corpus", "你好\n嗨\n\n早安\n早\n"); },
            corpus("--val 5"), 1, { "valid" } },
        // checkpoints
        { "model folder missing", [](const fs::path &) {}, logits, 1, { "model" } },
        { "no config.json", damagedModel([](const fs::path &m) { fs::remove(m / "config.json"); }),
            logits, 1, { "config.json" } },
        { "config.json not JSON",
            damagedModel([](const fs::path &m) { write(m / "config.json", "{n_layer: 2"); }),
            logits, 1, { "config.json:1" } },
        { "config.json wrong type", damagedModel([](const fs::path &m) {
             write(m / "config.json", "{\"n_layer\": \"two\"}");
         }),
            logits, 1, { "config.json", "n_layer" } },
        { "config.json heads do not divide width", damagedModel([](const fs::path &m) {
             write(m / "config.json",
                 "{\"n_embd\": 32, \"n_head\": 3, \"vocab_size\": 600, \"n_positions\": 64, "
                 "\"n_layer\": 2}");
         }),
            logits, 1, { "config.json", "n_head" } },
        { "no weights file",
            damagedModel([](const fs::path &m) { fs::remove(m / "model.safetensors"); }), logits, 1,
            { "model.safetensors" } },
        { "truncated safetensors", damagedModel([](const fs::path &m) {
             write(m / "model.safetensors", fileBytes(m / "model.safetensors").substr(0, 5000));
         }),
            logits, 1, { "model.safetensors" } },
        { "safetensors header garbage", damagedModel([](const fs::path &m) {
             std::string b = fileBytes(m / "model.safetensors");
             b.replace(8, 20, "!!!!!!!!!!!!!!!!!!!!");
             write(m / "model.safetensors", b);
         }),
            logits, 1, { "model.safetensors" } },
        { "pytorch_model.bin not a zip", damagedModel([](const fs::path &m) {
             fs::remove(m / "model.safetensors");
             write(m / "pytorch_model.bin", "not a pickle");
         }),
            logits, 1, { "pytorch_model.bin" } },
        { "wrong-shaped tensor", damagedModel([](const fs::path &m) {
             write(m / "config.json",
                 "{\"n_embd\": 32, \"n_head\": 2, \"vocab_size\": 601, \"n_positions\": 64, "
                 "\"n_layer\": 2}");
         }),
            logits, 1, { "wte" } },
        // vocabularies
        { "tokenizer folder without vocab",
            [](const fs::path &d) { fs::create_directories(d / "tok"); },
            { "tokenize", "--tokenizer", "DIR/tok", "--text", "x" }, 1, { "tok", "vocab.txt" } },
        { "empty vocab.txt", [](const fs::path &d) { write(d / "tok" / "vocab.txt", ""); },
            { "tokenize", "--tokenizer", "DIR/tok", "--text", "x" }, 1, { "vocab.txt" } },
        { "tokenizer_config.json not JSON",
            [](const fs::path &d) {
                copyFixture(d / "tok");
                write(d / "tok" / "tokenizer_config.json", "{\"do_lower_case\": tru");
            },
            { "tokenize", "--tokenizer", "DIR/tok", "--text", "x" }, 1,
            { "tokenizer_config.json" } },
        // run configurations
        { "run.json not JSON", config("{\"name\": \"x\",,}"), train, 1, { "run.json:1" } },
        { "run.json unknown setting",
            config("{\"data\": {\"corpus\": \"c.txt\"}, \"train\": {\"learning_rate\": 1}}"), train,
            1, { "run.json", "train.learning_rate", "unknown setting" } },
        { "run.json negative lr",
            config("{\"data\": {\"corpus\": \"c.txt\"}, \"train\": {\"lr\": -1}}"), train, 1,
            { "run.json", "train.lr" } },
        { "run.json without corpus", config("{\"name\": \"x\"}"), train, 1, { "data.corpus" } },
        { "run.json corpus missing", config("{\"data\": {\"corpus\": \"nowhere.txt\"}}"), train, 1,
            { "nowhere.txt" } },
        { "run.json bad model kind",
            config("{\"data\": {\"corpus\": \"c.txt\"}, \"model\": {\"kind\": \"lstm\"}}"), train,
            1, { "model.kind", "lstm" } },
        { "max_len beyond the checkpoint's context",
            config("{\"data\": {\"corpus\": \"c.txt\", \"max_len\": 100}, \"model\": {\"init\": \""
                + chatbench::test::tinyGpt2Dir().string() + "\"}}"),
            train, 1, { "max_len 100" } },
        // run folders
        { "resume: not a run folder", [](const fs::path &d) { fs::create_directories(d / "run"); },
            resume, 1, { "run.json is missing" } },
        { "resume: trainer_state.json damaged", damagedRun([](const fs::path &r) {
             write(r / "checkpoints" / "step-6" / "trainer_state.json", "{\"step\": 6}");
         }),
            resume, 1, { "trainer_state.json", "missing" } },
        { "resume: optimizer state truncated", damagedRun([](const fs::path &r) {
             write(r / "checkpoints" / "step-6" / "optimizer.safetensors", "12345678");
         }),
            resume, 1, { "optimizer.safetensors" } },
        { "resume: checkpoint lost its weights", damagedRun([](const fs::path &r) {
             fs::remove(r / "checkpoints" / "step-6" / "model.safetensors");
         }),
            resume, 1, { "step-6" } },
        { "resume: corpus changed", damagedRun([](const fs::path &r) {
             // The run's corpus, one dialogue longer, in place of the one it was trained on.
             const fs::path changed = r.parent_path() / "changed.txt";
             write(changed, fileBytes(g_corpus) + "新的\n一行\n\n");
             std::string config = fileBytes(r / "run.json");
             config.replace(
                 config.find(g_corpus.string()), g_corpus.string().size(), changed.string());
             write(r / "run.json", config);
         }),
            resume, 1, { "prepared data changed" } },
        // token caches
        { "token cache wrong magic", cache([](std::string b) {
             b[0] = 'X';
             return b;
         }),
            eval, 1, { "c.tokens" } },
        { "token cache truncated", cache([](std::string b) { return b.substr(0, b.size() / 2); }),
            eval, 1, { "c.tokens" } },
        // transcripts
        { "transcript not JSON", transcript("{\"format\": "), exportT, 1, { "t.json" } },
        { "transcript wrong format", transcript("{\"format\": \"other\", \"version\": 1}"), exportT,
            1, { "t.json", "format" } },
        { "transcript future version",
            transcript("{\"format\": \"chatbench-transcript\", \"version\": 99, \"models\": [], "
                       "\"turns\": []}"),
            exportT, 1, { "t.json", "version" } },
        { "transcript without models",
            transcript("{\"format\": \"chatbench-transcript\", \"version\": 1, \"models\": [], "
                       "\"turns\": [{\"user\": \"hi\", \"replies\": [{\"text\": \"x\"}]}]}"),
            exportT, 1, { "t.json", "at least one model" } },
        // usage
        { "unknown option", [](const fs::path &) {}, { "prepare", "--corpuz", "x" }, 2,
            { "corpuz" } },
    };
}

} // namespace

class TestBadInputs : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const fs::path base = fs::path(m_dir.path().toStdString()) / "base";
        g_corpus = chatbench::test::writeTrainingCorpus(
            fs::path(m_dir.path().toStdString()) / "corpus.txt", 60, 2);
        g_run = base;
        QProcess p;
        p.start(QStringLiteral(CHATBENCH_BIN_DIR "/chatbench-cli"),
            { "train", "--corpus", QString::fromStdString(g_corpus.string()), "--tokenizer",
                kFixture, "--preset", "tiny", "--max-len", "64", "--max-steps", "6", "--save-every",
                "6", "--val", "6", "--out", QString::fromStdString(base.string()), "--quiet" });
        QVERIFY(p.waitForFinished(120000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    }

    void eachBadInputGetsItsMessage_data()
    {
        QTest::addColumn<int>("index");
        const auto all = catalogue();
        QVERIFY(all.size() >= 30);
        for (std::size_t i = 0; i < all.size(); ++i)
            QTest::newRow(all[i].name) << int(i);
    }

    void eachBadInputGetsItsMessage()
    {
        QFETCH(int, index);
        const Case c = catalogue()[std::size_t(index)];
        const fs::path dir
            = fs::path(m_dir.path().toStdString()) / ("case" + std::to_string(index));
        fs::create_directories(dir);
        c.setUp(dir);
        QStringList args;
        for (QString a : c.args)
            args << a.replace("DIR", QString::fromStdString(dir.string()));
        QProcess p;
        p.start(QStringLiteral(CHATBENCH_BIN_DIR "/chatbench-cli"), args);
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit); // no crash
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(p.exitCode() == c.exitCode,
            qPrintable(QString("exit %1: %2").arg(p.exitCode()).arg(err)));
        QVERIFY2(err.count('\n') <= 2, qPrintable(err)); // one line (plus at most a warning)
        for (const QString &e : c.expected)
            QVERIFY2(err.contains(e), qPrintable("expected '" + e + "' in: " + err));
    }
};

QTEST_GUILESS_MAIN(TestBadInputs)
#include "test_bad_inputs.moc"
