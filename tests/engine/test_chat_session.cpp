// Chat sessions on the fixture model: GPT2-chitchat's prompt layout and history window, seeds
// that make replies reproducible and regenerations different, editing, streaming, several models.

#include "chatbench/chat_session.h"
#include "chatbench/error.h"
#include "chatbench/language_model.h"
#include "chatbench/tokenizer.h"
#include "common/fixture.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace chatbench;
using Ids = std::vector<std::int32_t>;

namespace {

// Fixture ids (expected.json's tokenizer cases).
const std::string kTaiwan = "台灣贏中國隊了耶";
const Ids kTaiwanIds = { 239, 296, 297, 298, 299, 300, 259, 301 };
const std::string kHappy = "今天好開心😂";
const Ids kHappyIds = { 302, 253, 281, 329, 330, 593 };
const std::string kHotpot = "我们今天去吃火锅吧";
const Ids kHotpotIds = { 260, 318, 302, 253, 256, 271, 284, 312, 320 };
constexpr std::int32_t CLS = 101, SEP = 102;

Ids cat(std::initializer_list<Ids> parts)
{
    Ids out;
    for (const auto &p : parts)
        out.insert(out.end(), p.begin(), p.end());
    return out;
}

ChatReply reply(Ids ids)
{
    ChatReply r;
    r.ids = std::move(ids);
    return r;
}

} // namespace

class TestChatSession : public QObject
{
    Q_OBJECT

    std::shared_ptr<const LanguageModel> m_model;
    std::shared_ptr<const Tokenizer> m_tokenizer;

    ChatModel chatModel(std::string name, std::uint64_t seed, int maxHistoryLen = 3)
    {
        ChatModel m;
        m.name = std::move(name);
        m.path = test::tinyGpt2Dir().string();
        m.model = m_model;
        m.tokenizer = m_tokenizer;
        m.sampling.topK = 8;
        m.sampling.maxNewTokens = 12;
        m.sampling.seed = seed;
        m.sampling.setSpecialTokenDefaults(m_tokenizer->specialIds());
        m.maxHistoryLen = maxHistoryLen;
        return m;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_model = std::make_shared<const LanguageModel>(LanguageModel::load(test::tinyGpt2Dir()));
        m_tokenizer = loadTokenizer(test::tinyGpt2Dir());
    }

    // A model trained in CDial-GPT's layout (its config.json says so) is prompted with speaker
    // tokens, alternating from the first utterance kept, the reply's speaker last; its reply
    // also ends at a speaker token. The fixture vocabulary lends [unused1]/[unused2].
    void cdialModelsArePromptedWithSpeakerTokens()
    {
        QTemporaryDir dir;
        const std::filesystem::path copy = dir.path().toStdString();
        for (const auto &f : std::filesystem::directory_iterator(test::tinyGpt2Dir()))
            std::filesystem::copy(f.path(), copy / f.path().filename());
        {
            auto config = nlohmann::json::parse(std::ifstream(copy / "config.json"));
            config["chatbench_dialogue_layout"] = "cdial";
            std::ofstream(copy / "config.json") << config.dump();
        }
        ChatModel m = chatModel("cdial", 0, 2);
        m.model = std::make_shared<const LanguageModel>(LanguageModel::load(copy));
        constexpr std::int32_t S1 = 1, S2 = 2;
        const ChatPrompter prompter(*m.model, *m_tokenizer, 2);
        QCOMPARE(prompter.ids({ { 7 }, { 8, 9 }, { 10 } }), (Ids { CLS, S1, 8, 9, S2, 10, S1 }));
        QCOMPARE(prompter.ids({ { 7 } }), (Ids { CLS, S1, 7, S2 }));
        const SamplingOptions o = prompter.sampling(m.sampling);
        QVERIFY(std::count(o.stopIds.begin(), o.stopIds.end(), SEP) == 1);
        QVERIFY(std::count(o.stopIds.begin(), o.stopIds.end(), S1) == 1);
        QVERIFY(std::count(o.stopIds.begin(), o.stopIds.end(), S2) == 1);

        ChatSession session({ m });
        QCOMPARE(session.promptIds(0, 0, kHotpot), cat({ { CLS, S1 }, kHotpotIds, { S2 } }));
        const ChatTurn &turn = session.send(kHotpot);
        for (const std::int32_t id : turn.replies[0].ids)
            QVERIFY(id != S1 && id != S2 && id != SEP);

        // A layout the tokenizer cannot serve is refused when the session is made.
        auto bad = nlohmann::json::parse(std::ifstream(copy / "config.json"));
        bad["chatbench_dialogue_layout"] = "screenplay";
        std::ofstream(copy / "config.json") << bad.dump();
        try {
            LanguageModel::load(copy);
            QFAIL("an unknown dialogue layout in config.json was accepted");
        } catch (const Error &e) {
            QVERIFY2(std::string(e.what()).find("chatbench_dialogue_layout") != std::string::npos,
                e.what());
        }
    }

    static ChatTurn turn(const std::string &user, std::vector<ChatReply> replies)
    {
        ChatTurn t;
        t.user = user;
        t.replies = std::move(replies);
        return t;
    }

    void promptLayoutAndHistoryWindow()
    {
        const DialogueLayout chitchat(DialogueLayout::Kind::Chitchat, *m_tokenizer);
        QCOMPARE(chatPromptIds(chitchat, { { 1 }, { 2, 3 }, { 4 }, {} }, 3),
            (Ids { CLS, 2, 3, SEP, 4, SEP, SEP }));
        QCOMPARE(chatPromptIds(chitchat, { { 1 } }, 3), (Ids { CLS, 1, SEP }));

        ChatSession session({ chatModel("a", 0, 3), chatModel("b", 0, 4) });
        const Ids r0a = { 281, 354 }, r0b = { 302 }, r1a = { 329, 330 }, r1b = { 253, 281 };
        session.restore(
            { turn(kTaiwan, { reply(r0a), reply(r0b) }), turn(kHappy, { reply(r1a), reply(r1b) }) },
            { 2, 2 });

        // The first turn: [CLS] u [SEP].
        QCOMPARE(session.promptIds(0, 0, kHotpot), cat({ { CLS }, kHotpotIds, { SEP } }));
        // Three utterances: the window starts at the previous user turn, with this model's reply.
        QCOMPARE(session.promptIds(0, 2, kHotpot),
            cat({ { CLS }, kHappyIds, { SEP }, r1a, { SEP }, kHotpotIds, { SEP } }));
        // Four utterances for model b: its own replies, the oldest user turn cut off.
        QCOMPARE(session.promptIds(1, 2, kHotpot),
            cat({ { CLS }, r0b, { SEP }, kHappyIds, { SEP }, r1b, { SEP }, kHotpotIds, { SEP } }));
        // A window of one is the new utterance alone.
        ChatSession single({ chatModel("c", 0, 1) });
        single.restore({ turn(kTaiwan, { reply(r0a) }) }, { 1 });
        QCOMPARE(single.promptIds(0, 1, kHotpot), cat({ { CLS }, kHotpotIds, { SEP } }));
        // A saved reply without ids (hand-written transcript) is encoded from its text.
        ChatReply textOnly;
        textOnly.text = kHappy;
        single.restore({ turn(kTaiwan, { textOnly }) }, { 1 });
        ChatSession two({ chatModel("d", 0, 2) });
        two.restore({ turn(kTaiwan, { textOnly }) }, { 1 });
        QCOMPARE(two.promptIds(0, 1, kHotpot),
            cat({ { CLS }, kHappyIds, { SEP }, kHotpotIds, { SEP } }));
    }

    void sendUsesTheBuiltPromptAndSeed()
    {
        ChatSession session({ chatModel("a", 40), chatModel("b", 70) });
        session.send(kTaiwan);
        const Ids prompt = session.promptIds(0, 1, kHappy);
        const ChatTurn &turn = session.send(kHappy);
        QCOMPARE(turn.replies.size(), std::size_t(2));
        QCOMPARE(turn.replies[0].seed, std::uint64_t(41));
        QCOMPARE(turn.replies[1].seed, std::uint64_t(71));
        // Reproducible from the recorded seed and the prompt built from the history.
        SamplingOptions o = session.models()[0].sampling;
        o.seed = turn.replies[0].seed;
        const Generation g = generate(*m_model, prompt, o).front();
        QCOMPARE(turn.replies[0].ids, g.ids);
        QCOMPARE(turn.replies[0].text, m_tokenizer->decode(g.ids));
        QCOMPARE(session.draws(), (std::vector<std::uint64_t> { 2, 2 }));
    }

    void regenerateReplacesOnlyTheLastReply()
    {
        ChatSession session({ chatModel("a", 5), chatModel("b", 9) });
        QVERIFY_THROWS_EXCEPTION(Error, session.regenerate());
        session.send(kTaiwan);
        session.send(kHappy);
        const std::vector<ChatTurn> before = session.turns();
        const ChatTurn &after = session.regenerate();
        QCOMPARE(session.turns().size(), std::size_t(2));
        QCOMPARE(session.turns()[0].user, before[0].user);
        QCOMPARE(session.turns()[0].replies[0].ids, before[0].replies[0].ids);
        QCOMPARE(session.turns()[0].replies[1].seed, before[0].replies[1].seed);
        QCOMPARE(after.user, kHappy);
        for (std::size_t m = 0; m < 2; ++m)
            QVERIFY(after.replies[m].seed != before[1].replies[m].seed);
        QCOMPARE(after.replies[0].seed, std::uint64_t(5 + 2));
        // Over a few regenerations the sampled reply must change (top-k 8, random weights).
        bool changed = false;
        for (int i = 0; i < 5 && !changed; ++i)
            changed = session.regenerate().replies[0].ids != before[1].replies[0].ids;
        QVERIFY(changed);
    }

    void editTruncatesAndAnswersAgain()
    {
        ChatSession session({ chatModel("a", 1) });
        session.send(kTaiwan);
        session.send(kHappy);
        session.send(kHotpot);
        const ChatTurn first = session.turns()[0];
        const ChatTurn &edited = session.editUserTurn(1, kHotpot);
        QCOMPARE(session.turns().size(), std::size_t(2));
        QCOMPARE(edited.user, kHotpot);
        QCOMPARE(session.turns()[0].replies[0].ids, first.replies[0].ids);
        QCOMPARE(edited.replies[0].seed, std::uint64_t(1 + 3));
        QVERIFY_THROWS_EXCEPTION(Error, session.editUserTurn(2, kHappy));
    }

    void streamingAndCancellation()
    {
        ChatSession session({ chatModel("a", 3), chatModel("b", 4) });
        std::vector<std::vector<std::int32_t>> seen(2);
        std::vector<std::string> lastText(2);
        const ChatTurn &turn
            = session.send(kTaiwan, [&](std::size_t m, std::int32_t id, const std::string &text) {
                  seen[m].push_back(id);
                  lastText[m] = text;
                  return true;
              });
        for (std::size_t m = 0; m < 2; ++m) {
            const auto &r = turn.replies[m];
            QCOMPARE(seen[m].size(), r.ids.size() + (r.stopReason == StopReason::StopToken));
            QCOMPARE(lastText[m], r.text);
        }

        // Stopping after the first token of model a also stops model b.
        const ChatTurn &cut = session.send(
            kHappy, [](std::size_t, std::int32_t, const std::string &) { return false; });
        QCOMPARE(cut.replies[0].stopReason, StopReason::Cancelled);
        QVERIFY(cut.replies[0].ids.size() <= 1);
        QCOMPARE(cut.replies[1].stopReason, StopReason::Cancelled);
        QVERIFY(cut.replies[1].ids.empty());
    }

    void repliesStreamTogether()
    {
        ChatSession session({ chatModel("a", 3), chatModel("b", 4) });
        session.send(kTaiwan);
        const Ids promptA = session.promptIds(0, 1, kHappy),
                  promptB = session.promptIds(1, 1, kHappy);
        std::vector<std::size_t> order;
        const ChatTurn &turn
            = session.send(kHappy, [&](std::size_t m, std::int32_t, const std::string &) {
                  order.push_back(m);
                  return true;
              });
        // Token by token in turns: b's first token comes before a's second.
        QVERIFY(order.size() >= 2);
        QCOMPARE(order[0], std::size_t(0));
        QCOMPARE(order[1], std::size_t(1));
        // Each reply is what the model says alone for the same prompt and seed.
        for (const auto &[m, prompt] : { std::pair { 0, promptA }, std::pair { 1, promptB } }) {
            SamplingOptions o = ChatPrompter(*m_model, *m_tokenizer, 3)
                                    .sampling(session.models()[std::size_t(m)].sampling);
            o.seed = turn.replies[std::size_t(m)].seed;
            const Generation g = generate(*m_model, prompt, o).front();
            QCOMPARE(turn.replies[std::size_t(m)].ids, g.ids);
            QCOMPARE(turn.replies[std::size_t(m)].stopReason, g.stopReason);
            QVERIFY(turn.replies[std::size_t(m)].decodeMs > 0);
        }
    }

    void regenerateKeepsEveryVersion()
    {
        ChatSession session({ chatModel("a", 5), chatModel("b", 9) });
        session.send(kTaiwan);
        const ChatReply first = session.turns()[0].replies[0];
        session.regenerate();
        const ChatTurn &turn = session.turns()[0];
        QCOMPARE(turn.versions[0].size(), std::size_t(2));
        QCOMPARE(turn.shown, (std::vector<std::size_t> { 1, 1 }));
        QCOMPARE(turn.versions[0][0].ids, first.ids);
        QCOMPARE(turn.replies[0].seed, turn.versions[0][1].seed);
        // Going back to version 1 of model a: the next prompt is built from it.
        session.showVersion(0, 0, 0);
        QCOMPARE(session.turns()[0].replies[0].ids, first.ids);
        QCOMPARE(session.turns()[0].replies[1].seed, turn.versions[1][1].seed);
        QCOMPARE(session.promptIds(0, 1, kHappy),
            cat({ { CLS }, kTaiwanIds, { SEP }, first.ids, { SEP }, kHappyIds, { SEP } }));
        QVERIFY_THROWS_EXCEPTION(Error, session.showVersion(0, 0, 2));
        QVERIFY_THROWS_EXCEPTION(Error, session.showVersion(1, 0, 0));
        // Editing the user turn drops the versions that answered the old text.
        session.editUserTurn(0, kHotpot);
        QCOMPARE(session.turns()[0].versions[0].size(), std::size_t(1));
    }

    void aModelAddedLaterCatchesUp()
    {
        ChatSession alone({ chatModel("a", 5) });
        alone.send(kTaiwan);
        alone.send(kHappy);
        std::vector<ChatTurn> turns = alone.turns();
        for (ChatTurn &t : turns) {
            t.versions.push_back({});
            t.shown.push_back(0);
        }
        ChatSession both({ chatModel("a", 5), chatModel("b", 9) });
        both.restore(turns, { 2, 0 });
        QVERIFY(both.turns()[0].answeredBy(0));
        QVERIFY(!both.turns()[0].answeredBy(1));
        const Ids before = both.turns()[0].replies[0].ids;
        for (std::size_t t = 0; t < 2; ++t)
            both.answerMissing(t);
        for (std::size_t t = 0; t < 2; ++t) {
            QVERIFY(both.turns()[t].answeredBy(1));
            QCOMPARE(both.turns()[t].versions[0].size(), std::size_t(1));
        }
        QCOMPARE(both.turns()[0].replies[0].ids, before);
        QCOMPARE(both.turns()[1].replies[1].seed, std::uint64_t(9 + 1));
        QVERIFY_THROWS_EXCEPTION(Error, both.answerMissing(2));
    }

    void rejectsBadSetups()
    {
        QVERIFY_THROWS_EXCEPTION(Error, ChatSession({}));
        ChatModel noTokenizer = chatModel("x", 0);
        noTokenizer.tokenizer.reset();
        QVERIFY_THROWS_EXCEPTION(Error, ChatSession({ noTokenizer }));
        QVERIFY_THROWS_EXCEPTION(Error, ChatSession({ chatModel("x", 0, 0) }));
        ChatSession session({ chatModel("a", 0) });
        QVERIFY_THROWS_EXCEPTION(Error, session.restore({ turn(kTaiwan, {}) }, { 0 }));
        QVERIFY_THROWS_EXCEPTION(Error, session.restore({}, {}));
    }
};

QTEST_APPLESS_MAIN(TestChatSession)
#include "test_chat_session.moc"
