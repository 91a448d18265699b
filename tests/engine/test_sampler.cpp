// The sampler: greedy decoding through it reproduces the fixture's greedy ids, each logits
// processor does transformers' arithmetic, and seeds, bans, stops, min length, cancellation and
// candidates behave as chatbench/sampling.h promises. The engine's single-token step gives the
// torch path's logits step by step, and its bfloat16-weight variant gives the logits of the
// bfloat16-rounded weights.

#include "chatbench/error.h"
#include "chatbench/language_model.h"
#include "chatbench/sampling.h"
#include "chatbench/tokenizer.h"
#include "common/fixture.h"
#include "generate/incremental_decoder.h"
#include "generate/logits_processors.h"
#include "model/language_model_impl.h"
#include "train/flat_adamw.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <QtTest/QtTest>
#include <c10/core/InferenceMode.h>
#include <set>

using namespace chatbench;
using nlohmann::json;

namespace {

std::vector<std::int32_t> ids32(const json &j)
{
    return j.get<std::vector<std::int32_t>>();
}

std::vector<float> toVector(const torch::Tensor &t)
{
    return { t.data_ptr<float>(), t.data_ptr<float>() + t.numel() };
}

torch::Tensor logitsOf(std::vector<float> v)
{
    return torch::tensor(v, torch::kFloat);
}

const json &greedyCase(int index)
{
    return test::tinyGpt2Expected()["model"]["greedy"][index];
}

SamplingOptions sampling(std::uint64_t seed, int maxNew = 20)
{
    SamplingOptions o;
    o.temperature = 1.0;
    o.maxNewTokens = maxNew;
    o.seed = seed;
    return o;
}

bool hasRepeatedNgram(const std::vector<std::int32_t> &s, std::size_t n)
{
    std::set<std::vector<std::int32_t>> seen;
    for (std::size_t i = 0; i + n <= s.size(); ++i)
        if (!seen.insert({ s.begin() + std::ptrdiff_t(i), s.begin() + std::ptrdiff_t(i + n) })
                 .second)
            return true;
    return false;
}

// Every parameter drawn from N(0, 1/sqrt(n_embd)) (layer norm weights around 1), so hidden
// states and logits are of order 1 and a tolerance of 1e-4 means something: HF's initialisation
// gives logits so close to zero that a wrong step could still agree within it.
Gpt2LMHeadModel randomModel(const Gpt2Config &config, std::uint64_t seed)
{
    Gpt2LMHeadModel model(config);
    torch::NoGradGuard noGrad;
    auto generator = at::detail::createCPUGenerator(seed);
    for (auto &item : model->named_parameters()) {
        auto &p = item.value();
        p.normal_(0.0, 1.0 / std::sqrt(double(config.nEmbd)), generator);
        const auto &name = item.key();
        if (name.find("ln_") != std::string::npos && name.find(".weight") != std::string::npos)
            p.add_(1.0);
    }
    model->eval();
    return model;
}

// n ids spread over the vocabulary.
std::vector<std::int64_t> spreadIds(int n, std::int64_t vocab)
{
    std::vector<std::int64_t> ids;
    for (int i = 0; i < n; ++i)
        ids.push_back((i * 131 + 7) % vocab);
    return ids;
}

// Feeds the same ids to a decoder on the fast step and one on the torch path; returns the largest
// logits difference over all steps (largest: the largest |logit| seen). steps may run past
// n_positions (both then re-encode the window).
double fastStepDifference(Gpt2LMHeadModelImpl &model, const std::vector<std::int64_t> &prompt,
    int steps, bool *usedFastStep, double *largest, bool bf16Weights = false)
{
    c10::InferenceMode inference;
    IncrementalDecoder fast(model, /*useCache=*/true, /*fastStep=*/true, bf16Weights);
    IncrementalDecoder reference(model, /*useCache=*/true, /*fastStep=*/false);
    auto a = fast.start(prompt), b = reference.start(prompt);
    *usedFastStep = fast.usesFastStep() && !reference.usesFastStep();
    double worst = (a - b).abs().max().item<double>();
    for (int step = 0; step < steps; ++step) {
        const std::int64_t next = b.argmax().item<std::int64_t>();
        a = fast.append(next);
        b = reference.append(next);
        if (a.sizes() != b.sizes() || a.scalar_type() != b.scalar_type())
            return std::numeric_limits<double>::infinity();
        worst = std::max(worst, (a - b).abs().max().item<double>());
        *largest = std::max(*largest, b.abs().max().item<double>());
    }
    return worst;
}

} // namespace

class TestSampler : public QObject
{
    Q_OBJECT

    std::unique_ptr<LanguageModel> m_model;
    std::vector<std::int32_t> m_prompt; // the chat prompt of greedy case 0
    std::vector<std::int32_t> m_greedy; // its 20 greedy ids

    std::vector<Generation> run(const SamplingOptions &o, const TokenCallback &onToken = {},
        const std::atomic<bool> *cancel = nullptr)
    {
        return generate(*m_model, m_prompt, o, onToken, cancel);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_model = std::make_unique<LanguageModel>(LanguageModel::load(test::tinyGpt2Dir()));
        m_prompt = ids32(greedyCase(0)["prompt_ids"]);
        m_greedy = ids32(greedyCase(0)["generated_ids"]);
    }

    void greedyMatchesFixture_data()
    {
        QTest::addColumn<int>("index");
        QTest::addColumn<bool>("useCache");
        const auto &cases = test::tinyGpt2Expected()["model"]["greedy"];
        for (std::size_t i = 0; i < cases.size(); ++i) {
            const auto name = cases[i]["name"].get<std::string>();
            QTest::newRow((name + " cache").c_str()) << int(i) << true;
            QTest::newRow((name + " recompute").c_str()) << int(i) << false;
        }
    }

    void greedyMatchesFixture()
    {
        QFETCH(int, index);
        QFETCH(bool, useCache);
        const json &g = greedyCase(index);
        const auto prompt = ids32(g["prompt_ids"]);
        const auto expected = ids32(g["generated_ids"]);
        SamplingOptions o = SamplingOptions::greedy(g["max_new_tokens"].get<int>());
        o.useCache = useCache;
        auto out = generate(*m_model, prompt, o);
        QCOMPARE(out.size(), std::size_t(1));
        QCOMPARE(out[0].ids, expected);
        QCOMPARE(out[0].stopReason, StopReason::MaxTokens);
        QCOMPARE(out[0].tokenMs.size(), expected.size());

        // The chat bans and [SEP] stop change nothing here (the fixture avoids those ids).
        auto tokenizer = loadTokenizer(test::tinyGpt2Dir());
        o.setSpecialTokenDefaults(tokenizer->specialIds());
        QCOMPARE(generate(*m_model, prompt, o)[0].ids, expected);

        // top-k 1 sampling is greedy whatever the seed and temperature.
        o.temperature = 0.7;
        o.topK = 1;
        o.seed = 1234;
        QCOMPARE(generate(*m_model, prompt, o)[0].ids, expected);
    }

    void fastStepMatchesTorchPath_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QString>("activation");
        QTest::addColumn<bool>("inverseLayerScale");
        QTest::addColumn<int>("threads"); // 0: as configured
        QTest::newRow("tiny preset, gelu_new") << "tiny"
                                               << "gelu_new" << false << 0;
        // tiny's MLP matrices (256 x 1024) are big enough to split into two bands of rows.
        QTest::newRow("tiny preset, 2 threads") << "tiny"
                                                << "gelu_new" << false << 2;
        QTest::newRow("small, gelu (erf)") << ""
                                           << "gelu" << false << 0;
        QTest::newRow("small, gelu_pytorch_tanh, 1/layer scale")
            << ""
            << "gelu_pytorch_tanh" << true << 0;
        QTest::newRow("small, relu") << ""
                                     << "relu" << false << 0;
        QTest::newRow("small, silu") << ""
                                     << "silu" << false << 0;
    }

    void fastStepMatchesTorchPath()
    {
        QFETCH(QString, preset);
        QFETCH(QString, activation);
        QFETCH(bool, inverseLayerScale);
        QFETCH(int, threads);
        const int configuredThreads = at::get_num_threads();
        const auto restoreThreads = qScopeGuard([&] { at::set_num_threads(configuredThreads); });
        if (threads > 0)
            at::set_num_threads(threads);
        Gpt2Config config;
        if (!preset.isEmpty()) {
            config = Gpt2Config::preset(preset.toStdString());
        } else { // small enough to run past n_positions in a few steps
            config.vocabSize = 300;
            config.nPositions = 40;
            config.nEmbd = 48;
            config.nLayer = 3;
            config.nHead = 4;
        }
        config.activation = parseActivation(activation.toStdString());
        config.scaleAttnByInverseLayerIdx = inverseLayerScale;
        auto model = randomModel(config, 17);
        const auto prompt = spreadIds(23, config.vocabSize);
        bool usedFastStep = false;
        double largest = 0;
        const double worst = fastStepDifference(*model, prompt, 25, &usedFastStep, &largest);
        QVERIFY(usedFastStep);
        QVERIFY2(largest > 1, qPrintable(QString("logits too small to compare: %1").arg(largest)));
        QVERIFY2(worst < 1e-4,
            qPrintable(
                QString("max |fast - torch| = %1 (largest logit %2)").arg(worst).arg(largest)));
    }

    void fastStepMatchesTorchPathOnFixture()
    {
        auto &model = *m_model->impl().model;
        for (const auto &g : test::tinyGpt2Expected()["model"]["greedy"]) {
            // The longer prompts run past n_positions (64), into the re-encoded window.
            const auto prompt = g["prompt_ids"].get<std::vector<std::int64_t>>();
            bool usedFastStep = false;
            double largest = 0;
            const double worst = fastStepDifference(model, prompt, 24, &usedFastStep, &largest);
            QVERIFY(usedFastStep);
            QVERIFY2(worst < 1e-4,
                qPrintable(QString("%1: max |fast - torch| = %2")
                               .arg(QString::fromStdString(g["name"].get<std::string>()))
                               .arg(worst)));
        }
    }

    void fastStepFallsBack()
    {
        c10::InferenceMode inference;
        auto &model = *m_model->impl().model;
        const std::vector<std::int64_t> prompt(m_prompt.begin(), m_prompt.end());
        IncrementalDecoder decoder(model, /*useCache=*/true);
        decoder.start(prompt);
        QVERIFY(decoder.usesFastStep());
        model.train(); // dropout: only the torch path applies it
        decoder.start(prompt);
        QVERIFY(!decoder.usesFastStep());
        model.eval();
        IncrementalDecoder recompute(model, /*useCache=*/false);
        recompute.start(prompt);
        QVERIFY(!recompute.usesFastStep());

        // The greedy reply is the fixture's on either path.
        SamplingOptions o = SamplingOptions::greedy(int(m_greedy.size()));
        o.fastStep = false;
        QCOMPARE(run(o)[0].ids, m_greedy);
    }

    // bf16: the step's products are those of the bfloat16-rounded weights. On weights that are
    // already bfloat16 values the packed copy is exact, so the step must give the float32 torch
    // path's logits; on float32 weights it differs by the rounding, visibly but boundedly.
    void bf16StepUsesTheRoundedWeights()
    {
        Gpt2Config config = Gpt2Config::preset("tiny");
        config.nPositions = 64;
        auto model = randomModel(config, 23);
        const auto prompt = spreadIds(17, config.vocabSize);
        bool usedFastStep = false;
        double largest = 0;
        const double rounded
            = fastStepDifference(*model, prompt, 20, &usedFastStep, &largest, true);
        QVERIFY(usedFastStep);
        QVERIFY2(largest > 1, qPrintable(QString("logits too small: %1").arg(largest)));
        QVERIFY2(rounded > 1e-4 && rounded < 0.02 * largest,
            qPrintable(QString("bf16 vs fp32: max |diff| = %1 (largest logit %2)")
                           .arg(rounded)
                           .arg(largest)));

        // Scale and round every weight in place: the version counters change, so the model's
        // packed copy (made from the weights above) must be packed again.
        {
            torch::NoGradGuard noGrad;
            for (auto &p : model->parameters())
                p.copy_((p * 1.25).to(torch::kBFloat16).to(torch::kFloat));
        }
        largest = 0;
        const double exact = fastStepDifference(*model, prompt, 20, &usedFastStep, &largest, true);
        QVERIFY2(exact < 1e-4, qPrintable(QString("max |bf16 step - torch| = %1").arg(exact)));
    }

    void bf16WeightsFollowOptimizerSteps()
    {
        Gpt2Config config = Gpt2Config::preset("tiny");
        config.nPositions = 32;
        auto model = randomModel(config, 5);
        FlatAdamW optimizer(*model, {});
        const auto before = Gpt2TokenStep::bf16Weights(*model);
        QCOMPARE(Gpt2TokenStep::bf16Weights(*model), before); // unchanged weights: reused
        optimizer.gradients().fill_(1.0f);
        optimizer.step(1e-2); // writes the weights through raw pointers
        const auto after = Gpt2TokenStep::bf16Weights(*model);
        QVERIFY(after != before);
        const float *wte = model->transformer->wte->weight.data_ptr<float>();
        QCOMPARE(after->lmHead.at(0, 0), toBf16(wte[0]));
    }

    void bf16SamplingOption()
    {
        SamplingOptions o = SamplingOptions::greedy(int(m_greedy.size()));
        o.precision = Precision::Bf16;
        // The fixture's greedy reply survives the rounding (its logits are not near-ties).
        QCOMPARE(run(o)[0].ids, m_greedy);
    }

    void specialTokenDefaults()
    {
        auto tokenizer = loadTokenizer(test::tinyGpt2Dir());
        SamplingOptions o;
        o.setSpecialTokenDefaults(tokenizer->specialIds());
        QCOMPARE(std::set<std::int32_t>(o.bannedIds.begin(), o.bannedIds.end()),
            (std::set<std::int32_t> { 0, 100, 101 }));
        QCOMPARE(o.stopIds, std::vector<std::int32_t> { 102 });
        o.setSpecialTokenDefaults(m_model->config());
        QCOMPARE(o.bannedIds, std::vector<std::int32_t> { 0 });
        QCOMPARE(o.stopIds, std::vector<std::int32_t> { 102 });
    }

    void repetitionPenaltyMath()
    {
        c10::InferenceMode inference;
        auto logits = logitsOf({ 2.0f, -2.0f, 1.0f, -1.0f, 0.5f, 0.0f });
        // id 1 occurs twice but is penalised once; ids 2 and 3 are not in the context.
        applyRepetitionPenalty(logits, { 0, 1, 1, 4, 5 }, 2.0);
        QCOMPARE(toVector(logits), (std::vector<float> { 1.0f, -4.0f, 1.0f, -1.0f, 0.25f, 0.0f }));
    }

    void noRepeatNgramBans()
    {
        c10::InferenceMode inference;
        const float inf = std::numeric_limits<float>::infinity();
        auto logits = torch::zeros({ 10 });
        // 3-grams of 5 6 7 5 6: (5 6 7) (6 7 5) (7 5 6); the tail "5 6" would repeat (5 6 7).
        banRepeatedNgrams(logits, { 5, 6, 7, 5, 6 }, 3);
        QCOMPARE(toVector(logits), (std::vector<float> { 0, 0, 0, 0, 0, 0, 0, -inf, 0, 0 }));
        logits = torch::zeros({ 10 });
        // Bigrams after "9": (9 1) and (9 2).
        banRepeatedNgrams(logits, { 9, 1, 3, 9, 2, 4, 9 }, 2);
        QCOMPARE(toVector(logits), (std::vector<float> { 0, -inf, -inf, 0, 0, 0, 0, 0, 0, 0 }));
        logits = torch::zeros({ 4 });
        banRepeatedNgrams(logits, { 1, 2 }, 3); // no complete 3-gram yet
        QCOMPARE(toVector(logits), (std::vector<float> { 0, 0, 0, 0 }));

        // Through the sampler: greedy repeats 440 and 283, blocked it never repeats a bigram.
        QVERIFY(hasRepeatedNgram(m_greedy, 2));
        SamplingOptions o = SamplingOptions::greedy(20);
        o.noRepeatNgramSize = 2;
        auto sequence = m_prompt;
        const auto ids = run(o)[0].ids;
        sequence.insert(sequence.end(), ids.begin(), ids.end());
        QCOMPARE(ids.size(), std::size_t(20));
        QVERIFY(!hasRepeatedNgram(sequence, 2));
    }

    void topKAndTopP()
    {
        c10::InferenceMode inference;
        const float inf = std::numeric_limits<float>::infinity();
        auto logits = logitsOf({ 1, 3, 2, 3 });
        keepTopK(logits, 2); // ties with the 2nd largest stay
        QCOMPARE(toVector(logits), (std::vector<float> { -inf, 3, -inf, 3 }));
        logits = logitsOf({ 1, 3, 2, 3 });
        keepTopK(logits, 3);
        QCOMPARE(toVector(logits), (std::vector<float> { -inf, 3, 2, 3 }));

        // Probabilities .5 .3 .15 .05: ascending cumulative mass .05 .2 .5 1.
        const std::vector<float> p
            = { std::log(0.5f), std::log(0.3f), std::log(0.15f), std::log(0.05f) };
        logits = logitsOf(p);
        keepTopP(logits, 0.8); // drops mass <= .2: the two smallest
        QCOMPARE(toVector(logits), (std::vector<float> { p[0], p[1], -inf, -inf }));
        logits = logitsOf(p);
        keepTopP(logits, 0.9); // drops mass <= .1: the smallest
        QCOMPARE(toVector(logits), (std::vector<float> { p[0], p[1], p[2], -inf }));
        logits = logitsOf(p);
        keepTopP(logits, 0.01); // the top token always stays
        QCOMPARE(toVector(logits), (std::vector<float> { p[0], -inf, -inf, -inf }));

        logits = logitsOf({ 2, -4 });
        applyTemperature(logits, 0.5);
        QCOMPARE(toVector(logits), (std::vector<float> { 4, -8 }));
    }

    void seedReproducible()
    {
        const auto a = run(sampling(7))[0].ids;
        QCOMPARE(a.size(), std::size_t(20));
        QCOMPARE(run(sampling(7))[0].ids, a);
        QVERIFY(run(sampling(8))[0].ids != a);
        QVERIFY(a != m_greedy);
        SamplingOptions recompute = sampling(7);
        recompute.useCache = false;
        QCOMPARE(run(recompute)[0].ids, a);
    }

    void bannedIdsNeverAppear()
    {
        SamplingOptions o = sampling(3, 40);
        o.numCandidates = 4;
        o.bannedIds = { 440, 283, 400, 125, 84 }; // greedy's favourites
        for (const auto &g : run(o))
            for (const auto id : g.ids)
                QVERIFY2(std::find(o.bannedIds.begin(), o.bannedIds.end(), id) == o.bannedIds.end(),
                    qPrintable(QString::number(id)));
        o.temperature = 0;
        QCOMPARE(run(o)[0].ids.size(), std::size_t(40));
    }

    void stopIdStops()
    {
        SamplingOptions o = SamplingOptions::greedy(20);
        o.stopIds = { 476 }; // greedy: 440 125 476 ...
        const auto g = run(o)[0];
        QCOMPARE(g.ids, (std::vector<std::int32_t> { 440, 125 }));
        QCOMPARE(g.stopReason, StopReason::StopToken);
        QCOMPARE(g.stopId, 476);
        QCOMPARE(g.tokenMs.size(), std::size_t(3));
    }

    void minNewSuppressesStop()
    {
        SamplingOptions o = SamplingOptions::greedy(20);
        o.stopIds = { 440 }; // greedy's first choice
        auto g = run(o)[0];
        QVERIFY(g.ids.empty());
        QCOMPARE(g.stopReason, StopReason::StopToken);

        o.minNewTokens = 3;
        g = run(o)[0];
        QVERIFY(g.ids.size() >= 3);
        QVERIFY(std::find(g.ids.begin(), g.ids.end(), 440) == g.ids.end());
        if (g.ids.size() < 20)
            QCOMPARE(g.stopReason, StopReason::StopToken);
    }

    void callbackStreamsAndCancels()
    {
        std::vector<std::int32_t> streamed;
        SamplingOptions o = sampling(5);
        o.numCandidates = 3;
        auto out = run(o, [&](int candidate, std::int32_t id) {
            if (candidate == 0)
                streamed.push_back(id);
            return true;
        });
        QCOMPARE(out.size(), std::size_t(3));
        QCOMPARE(streamed, out[0].ids);

        int calls = 0;
        out = run(o, [&](int, std::int32_t) { return ++calls < 5; });
        QCOMPARE(out.size(), std::size_t(1)); // later candidates are not started
        QCOMPARE(out[0].ids.size(), std::size_t(5));
        QCOMPARE(out[0].stopReason, StopReason::Cancelled);

        std::atomic<bool> cancel { true };
        out = run(o, {}, &cancel);
        QCOMPARE(out.size(), std::size_t(1));
        QVERIFY(out[0].ids.empty());
        QCOMPARE(out[0].stopReason, StopReason::Cancelled);

        // As another thread would: the flag is read before every step.
        cancel = false;
        calls = 0;
        out = run(
            o,
            [&](int, std::int32_t) {
                cancel = ++calls >= 7;
                return true;
            },
            &cancel);
        QCOMPARE(out.size(), std::size_t(1));
        QCOMPARE(out[0].ids.size(), std::size_t(7));
        QCOMPARE(out[0].stopReason, StopReason::Cancelled);
    }

    void candidatesUseTheirOwnSeeds()
    {
        SamplingOptions o = sampling(11);
        o.numCandidates = 4;
        const auto out = run(o);
        QCOMPARE(out.size(), std::size_t(4));
        for (std::size_t i = 0; i < out.size(); ++i) {
            for (std::size_t j = 0; j < i; ++j)
                QVERIFY(out[i].ids != out[j].ids);
            QCOMPARE(out[i].ids, run(sampling(11 + i))[0].ids);
        }
    }

    void rejectsBadOptions()
    {
        const auto bad = [&](auto change) {
            SamplingOptions o;
            change(o);
            QVERIFY_THROWS_EXCEPTION(chatbench::Error, run(o));
        };
        bad([](SamplingOptions &o) { o.temperature = -1; });
        bad([](SamplingOptions &o) { o.topP = 0; });
        bad([](SamplingOptions &o) { o.topK = -1; });
        bad([](SamplingOptions &o) { o.repetitionPenalty = 0; });
        bad([](SamplingOptions &o) { o.numCandidates = 0; });
        bad([](SamplingOptions &o) { o.bannedIds = { 600 }; });
        bad([](SamplingOptions &o) { o.stopIds = { -1 }; });
        QVERIFY_THROWS_EXCEPTION(chatbench::Error, generate(*m_model, {}, SamplingOptions {}));
    }
};

QTEST_GUILESS_MAIN(TestSampler)
#include "test_sampler.moc"
