// Transcripts: a session saved and loaded is identical, malformed files say what and where,
// and the Markdown export reproduces the reference report's demo blocks line by line.

#include "chatbench/error.h"
#include "chatbench/language_model.h"
#include "chatbench/tokenizer.h"
#include "chatbench/transcript.h"
#include "common/fixture.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <algorithm>
#include <fstream>
#include <sstream>

using namespace chatbench;
namespace fs = std::filesystem;

namespace {

// The reference report's demo transcripts (reference/000_728065f9e449144d.txt, lines 57-101).
const char *const kReferenceDemo = R"(## Demo - Learning from *Scratch*

```
user:台南的食物到底為什麼那麼甜呀
chatbot:哈哈哈哈哈哈哈
user:明天就要去比賽了
chatbot:好的好的，加油加油。
user:我覺得我們沒辦法復合
chatbot:嗯嗯，一起加油吧
user:以後有時間再見面
chatbot:好好聊聊
user:大谷翔平被三振兩次 笑死
chatbot:我是大谷翔平
user:我從來不去想結局會是怎樣
chatbot:你說的話我也是一定要去看看
user:也從不在意別人的眼光
chatbot:我不在意你
user:就算我會一無所有
chatbot:你會回頭的
user:去到了一個全新世界
chatbot:哈哈哈哈哈
user:把你放在心中
chatbot:你的心在那裡，我不怕
user:頭也不回的人 是我
chatbot:不是我
```

----

## Demo - Learning from *pretrained*

```
user:我明天要去爬山
chatbot:我今天下午去爬了一天爬了個小時
user:那現在一定很累
chatbot:我今天去的時候就累的不行了
user:最近吃太多芒果了 臉部一直發炎
chatbot:吃了火鍋就好了。
user:好久沒去吃火鍋了
chatbot:是的，好久了
user:大谷翔平被三振兩次 笑死
chatbot:我也笑了哈哈哈哈哈哈哈哈哈哈哈
user:台灣贏中國隊了耶
chatbot:沒有，我也很無奈啊
```
)";

using Dialogue = std::vector<std::pair<std::string, std::string>>;

const Dialogue kScratch = { { "台南的食物到底為什麼那麼甜呀", "哈哈哈哈哈哈哈" },
    { "明天就要去比賽了", "好的好的，加油加油。" }, { "我覺得我們沒辦法復合", "嗯嗯，一起加油吧" },
    { "以後有時間再見面", "好好聊聊" }, { "大谷翔平被三振兩次 笑死", "我是大谷翔平" },
    { "我從來不去想結局會是怎樣", "你說的話我也是一定要去看看" },
    { "也從不在意別人的眼光", "我不在意你" }, { "就算我會一無所有", "你會回頭的" },
    { "去到了一個全新世界", "哈哈哈哈哈" }, { "把你放在心中", "你的心在那裡，我不怕" },
    { "頭也不回的人 是我", "不是我" } };
const Dialogue kPretrained = { { "我明天要去爬山", "我今天下午去爬了一天爬了個小時" },
    { "那現在一定很累", "我今天去的時候就累的不行了" },
    { "最近吃太多芒果了 臉部一直發炎", "吃了火鍋就好了。" }, { "好久沒去吃火鍋了", "是的，好久了" },
    { "大谷翔平被三振兩次 笑死", "我也笑了哈哈哈哈哈哈哈哈哈哈哈" },
    { "台灣贏中國隊了耶", "沒有，我也很無奈啊" } };

Transcript handMade(const std::string &model, const Dialogue &dialogue)
{
    Transcript t;
    TranscriptModel m;
    m.name = model;
    m.path = "runs/" + model;
    t.models.push_back(m);
    for (const auto &[user, reply] : dialogue) {
        ChatReply r;
        r.text = reply;
        r.stopReason = StopReason::StopToken;
        ChatTurn turn;
        turn.user = user;
        turn.replies = { r };
        t.turns.push_back(turn);
    }
    return t;
}

std::vector<std::string> lines(const std::string &text)
{
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

void write(const fs::path &file, const std::string &text)
{
    std::ofstream(file, std::ios::binary) << text;
}

} // namespace

class TestTranscript : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::vector<ChatModel> m_models;

    fs::path temp(const char *name) const { return fs::path(m_dir.path().toStdString()) / name; }

    std::string loadError(const std::string &text)
    {
        const fs::path file = temp("bad.json");
        write(file, text);
        try {
            loadTranscript(file);
        } catch (const Error &e) {
            return e.what();
        }
        return "no error";
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        std::shared_ptr<const LanguageModel> model
            = std::make_shared<const LanguageModel>(LanguageModel::load(test::tinyGpt2Dir()));
        std::shared_ptr<const Tokenizer> tokenizer = loadTokenizer(test::tinyGpt2Dir());
        for (const char *name : { "scratch", "pretrained \"quoted\" | piped" }) {
            ChatModel m;
            m.name = name;
            m.path = test::tinyGpt2Dir().string();
            m.model = model;
            m.tokenizer = tokenizer;
            m.sampling.topK = 8;
            m.sampling.temperature = 0.7;
            m.sampling.topP = 0.9;
            m.sampling.maxNewTokens = 10;
            m.sampling.seed = 1234567890123ULL;
            m.sampling.setSpecialTokenDefaults(tokenizer->specialIds());
            m.maxHistoryLen = m_models.empty() ? 3 : 5;
            if (!m_models.empty())
                m.sampling.precision = Precision::Bf16; // recorded: it changes the replies a little
            m_models.push_back(m);
        }
    }

    void savedAndLoadedSessionIsIdentical()
    {
        ChatSession session(m_models);
        session.send("台灣贏中國隊了耶");
        session.send("今天好開心😂\n第二行 <b>&</b>");
        session.regenerate();
        const Transcript saved = Transcript::of(session);
        QCOMPARE(saved.turns.size(), std::size_t(2));
        QCOMPARE(saved.models[1].draws, std::uint64_t(3));

        const fs::path file = temp("session.json");
        saveTranscript(saved, file);
        const Transcript loaded = loadTranscript(file);
        QVERIFY(loaded == saved);
        QCOMPARE(transcriptToJson(loaded), transcriptToJson(saved));

        // Restored into a fresh session it continues with the seeds the old one would have used.
        ChatSession reopened(m_models);
        loaded.restoreInto(reopened);
        QVERIFY(Transcript::of(reopened) == saved);
        QCOMPARE(reopened.send("好").replies[0].seed, session.send("好").replies[0].seed);
        QCOMPARE(reopened.turns().back().replies[1].ids, session.turns().back().replies[1].ids);

        Transcript other = saved;
        other.models[0].sampling.topP = 0.8;
        QVERIFY(other != saved);
        other = saved;
        other.models[1].sampling.precision = Precision::Fp32;
        QVERIFY(other != saved);

        // Transcripts written before bf16 decoding have no precision: they decoded in fp32.
        auto old = nlohmann::json::parse(transcriptToJson(saved));
        for (auto &m : old["models"])
            m["sampling"].erase("precision");
        std::ofstream(temp("old.json")) << old.dump();
        const Transcript oldLoaded = loadTranscript(temp("old.json"));
        QCOMPARE(oldLoaded.models[0].sampling.precision, Precision::Fp32);
        QCOMPARE(oldLoaded.models[1].sampling.precision, Precision::Fp32);

        // Version 1 had one reply per model and turn, no versions, source or step.
        auto v1 = nlohmann::json::parse(transcriptToJson(saved));
        v1["version"] = 1;
        for (auto &m : v1["models"]) {
            m.erase("source");
            m.erase("step");
        }
        for (auto &turn : v1["turns"]) {
            turn.erase("versions");
            turn.erase("shown");
        }
        std::ofstream(temp("v1.json")) << v1.dump();
        const Transcript v1Loaded = loadTranscript(temp("v1.json"));
        QCOMPARE(v1Loaded.turns[1].versions[0].size(), std::size_t(1));
        QCOMPARE(v1Loaded.turns[1].replies[0].ids, saved.turns[1].replies[0].ids);
        QCOMPARE(v1Loaded.models[0].step, std::int64_t(-1));
    }

    void identityAndVersionsRoundTrip()
    {
        std::vector<ChatModel> models = m_models;
        models[0].source = "/work/runs/scratch";
        models[0].step = 108;
        ChatSession session(models);
        session.send("台灣贏中國隊了耶");
        session.regenerate();
        session.showVersion(0, 1, 0);
        const Transcript saved = Transcript::of(session);
        const Transcript loaded = transcriptFromJson(transcriptToJson(saved), "mem.json");
        QVERIFY(loaded == saved);
        QCOMPARE(loaded.models[0].source, std::string("/work/runs/scratch"));
        QCOMPARE(loaded.models[0].step, std::int64_t(108));
        QCOMPARE(loaded.turns[0].versions[1].size(), std::size_t(2));
        QCOMPARE(loaded.turns[0].shown, (std::vector<std::size_t> { 1, 0 }));
        QCOMPARE(loaded.turns[0].replies[1].seed, saved.turns[0].versions[1][0].seed);
        QVERIFY(loaded.turns[0].replies[0].decodeMs > 0);
        Transcript other = saved;
        other.turns[0].shown[1] = 1;
        QVERIFY(other != saved);

        // Every export names each model's run, step and sampling settings.
        const std::string scratch = "run /work/runs/scratch · step 108 · temperature 0.7 · top-k "
                                    "8 · top-p 0.9 · repetition penalty 1 · seed 1234567890123 · "
                                    "fp32";
        QCOMPARE(describeModel(saved.models[0]), scratch);
        const std::string pretrained = describeModel(saved.models[1]);
        QVERIFY(pretrained.find("step") == std::string::npos); // a model folder has none
        QVERIFY(pretrained.find("bf16") != std::string::npos);
        for (const TranscriptFormat f :
            { TranscriptFormat::Markdown, TranscriptFormat::Table, TranscriptFormat::Html }) {
            const std::string text = renderTranscript(saved, f);
            QVERIFY2(text.find(scratch) != std::string::npos, toString(f));
            QVERIFY2(text.find("seed 1234567890123 · bf16") != std::string::npos, toString(f));
        }
    }

    void malformedTranscriptsSayWhatAndWhere_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        const Transcript t = Transcript::of([this] {
            ChatSession s(m_models);
            ChatTurn turn;
            turn.user = "u";
            turn.replies = { ChatReply {}, ChatReply {} };
            s.restore({ turn }, { 1, 1 });
            return s;
        }());
        const nlohmann::json good = nlohmann::json::parse(transcriptToJson(t));
        auto with = [&](const std::function<void(nlohmann::json &)> &edit) {
            nlohmann::json j = good;
            edit(j);
            return QString::fromStdString(j.dump());
        };
        QTest::newRow("syntax") << "{\"format\": \"chatbench-transcript\",\n \"version\": }"
                                << "bad.json:2:";
        QTest::newRow("format") << with([](auto &j) { j["format"] = "other"; })
                                << "bad.json: format: expected \"chatbench-transcript\"";
        QTest::newRow("version") << with([](auto &j) { j["version"] = 3; })
                                 << "bad.json: version: version 3 is not supported";
        QTest::newRow("missing") << with([](auto &j) { j["models"][1].erase("path"); })
                                 << "bad.json: models[1].path: missing";
        QTest::newRow("versions") << with([](auto &j) { j["turns"][0]["versions"].erase(1); })
                                  << "bad.json: turns[0].versions: expected 2 entries (one per "
                                     "model), got 1";
        QTest::newRow("seed") << with([](auto &j) {
            j["turns"][0]["versions"][1][0]["seed"] = -1;
        }) << "bad.json: turns[0].versions[1][0].seed: expected a non-negative integer, got -1";
        QTest::newRow("stop") << with([](auto &j) {
            j["turns"][0]["versions"][0][0]["stop_reason"] = "tired";
        }) << "bad.json: turns[0].versions[0][0].stop_reason: unknown stop reason 'tired'";
        QTest::newRow("shown") << with([](auto &j) { j["turns"][0]["shown"][1] = 1; })
                               << "bad.json: turns[0].shown: model 1 has 1 versions, not 2";
        QTest::newRow("v1 replies") << with([](auto &j) {
            j["version"] = 1;
            j["turns"][0].erase("versions");
            j["turns"][0].erase("shown");
            j["turns"][0]["replies"].erase(1);
        }) << "bad.json: turns[0].replies: expected 2 entries (one per model), got 1";
        QTest::newRow("top_k") << with([](auto &j) { j["models"][0]["sampling"]["top_k"] = "8"; })
                               << "bad.json: models[0].sampling.top_k: expected an integer, got "
                                  "string";
        QTest::newRow("precision")
            << with([](auto &j) { j["models"][0]["sampling"]["precision"] = "fp16"; })
            << "bad.json: models[0].sampling.precision: precision 'fp16': expected fp32 or bf16";
        QTest::newRow("no models") << with([](auto &j) { j["models"] = nlohmann::json::array(); })
                                   << "bad.json: models: a transcript needs at least one model";
    }

    void malformedTranscriptsSayWhatAndWhere()
    {
        QFETCH(QString, text);
        QFETCH(QString, message);
        const QString error = QString::fromStdString(loadError(text.toStdString()));
        QVERIFY2(error.contains(message), qPrintable(error));
        QVERIFY2(
            error.contains(QString::fromStdString(temp("bad.json").string())), qPrintable(error));
    }

    void missingFileNamesIt()
    {
        try {
            loadTranscript(temp("absent.json"));
            QFAIL("no error");
        } catch (const Error &e) {
            QVERIFY(std::string(e.what()).find("absent.json") != std::string::npos);
        }
    }

    void markdownMatchesTheReferenceLineByLine()
    {
        const std::string scratch
            = transcriptToMarkdown(handMade("Learning from *Scratch*", kScratch));
        const std::string pretrained
            = transcriptToMarkdown(handMade("Learning from *pretrained*", kPretrained));
        const auto expected = lines(kReferenceDemo);
        // The reference has no line naming the run and sampling under each heading; the rest
        // matches it line by line.
        auto got = lines(scratch + "\n----\n\n" + pretrained);
        for (std::size_t i = 0; i + 2 < got.size(); ++i)
            if (got[i].rfind("## Demo - ", 0) == 0) {
                QCOMPARE(got[i + 2].rfind("run ", 0), std::size_t(0));
                got.erase(got.begin() + std::ptrdiff_t(i) + 1, got.begin() + std::ptrdiff_t(i) + 3);
            }
        QCOMPARE(got.size(), expected.size());
        for (std::size_t i = 0; i < got.size(); ++i)
            QCOMPARE(got[i], expected[i]);

        // Two models in one transcript: the same blocks, separated by the slide break.
        Transcript both = handMade("Learning from *Scratch*", kScratch);
        both.models.push_back(handMade("Learning from *pretrained*", kScratch).models[0]);
        for (auto &turn : both.turns)
            turn.replies.push_back(turn.replies[0]);
        const auto twoBlocks = lines(transcriptToMarkdown(both));
        QCOMPARE(twoBlocks[0], expected[0]);
        QCOMPARE(std::count(twoBlocks.begin(), twoBlocks.end(), "----"), std::ptrdiff_t(1));

        // The report itself, where this checkout has it.
        std::ifstream report(test::fixturesDir() / ".." / "reference" / "000_728065f9e449144d.txt");
        if (report) {
            std::vector<std::string> reportLines;
            for (std::string line; std::getline(report, line);)
                reportLines.push_back(line);
            QVERIFY(reportLines.size() >= 101);
            for (std::size_t i = 0; i < got.size(); ++i)
                QCOMPARE(got[i], reportLines[56 + i]);
        }
    }

    void tableAndHtmlExports()
    {
        Transcript t = handMade("A|B", { { "你好 <script>", "a|b\nc" } });
        t.models.push_back(handMade("C", {}).models[0]);
        ChatReply r;
        r.text = "\"x\" & 'y'";
        t.turns[0].replies.push_back(r);

        QCOMPARE(transcriptToMarkdownTable(t),
            "- **A|B**: " + describeModel(t.models[0]) + "\n- **C**: " + describeModel(t.models[1])
                + "\n\n| # | user | A\\|B | C |\n|---|---|---|---|\n"
                  "| 1 | 你好 <script> | a\\|b c | \"x\" & 'y' |\n");

        const std::string html = transcriptToHtml(t, "Demo <1>");
        QVERIFY(html.find("<meta charset=\"utf-8\">") != std::string::npos);
        QVERIFY(html.find("<style>") != std::string::npos);
        QVERIFY(html.find("<title>Demo &lt;1&gt;</title>") != std::string::npos);
        QVERIFY(html.find("你好 &lt;script&gt;") != std::string::npos);
        QVERIFY(html.find("&quot;x&quot; &amp; &#39;y&#39;") != std::string::npos);
        QVERIFY(html.find("<script>") == std::string::npos);
        QVERIFY(html.find("http") == std::string::npos); // nothing fetched from elsewhere
    }
};

QTEST_APPLESS_MAIN(TestTranscript)
#include "test_transcript.moc"
