// Golden test: the GPT-2 forward pass, loss, accuracy and greedy decoding reproduce the values
// computed outside this project for ../shared/fixtures/tiny-gpt2-zh (expected.json).

#include "chatbench/error.h"
#include "chatbench/language_model.h"
#include "chatbench/sampling.h"
#include "common/fixture.h"
#include "generate/incremental_decoder.h"
#include "model/gpt2.h"
#include "model/language_model_impl.h"

#include <QtTest/QtTest>
#include <c10/core/InferenceMode.h>
#include <cmath>

using namespace chatbench;
using nlohmann::json;

namespace {

std::vector<std::int32_t> ids32(const json &j)
{
    return j.get<std::vector<std::int32_t>>();
}

// Infinite when the lengths differ: a short vector must not pass by comparing only its prefix.
double maxAbsDiff(const std::vector<float> &got, const json &expected)
{
    if (got.empty() || got.size() != expected.size())
        return HUGE_VAL;
    double worst = 0;
    for (std::size_t i = 0; i < got.size(); ++i)
        worst = std::max(worst, std::abs(double(got[i]) - expected[i].get<double>()));
    return worst;
}

const json *findCase(const json &cases, const std::string &name)
{
    for (const auto &c : cases)
        if (c["name"] == name)
            return &c;
    return nullptr;
}

} // namespace

class TestGpt2Model : public QObject
{
    Q_OBJECT

    std::unique_ptr<LanguageModel> m_model;
    const json &expected() { return test::tinyGpt2Expected(); }

private Q_SLOTS:
    void initTestCase()
    {
        CheckpointReport report;
        m_model
            = std::make_unique<LanguageModel>(LanguageModel::load(test::tinyGpt2Dir(), &report));
        QVERIFY(report.namePrefixed);
        QVERIFY(!report.lmHeadStored);
        QVERIFY(report.ignored.empty());
        QVERIFY(report.unexpected.empty());
        QCOMPARE(report.storedDtype, std::string("F32"));
    }

    void configMatches()
    {
        const auto &c = m_model->config();
        const auto &e = expected()["config"];
        QCOMPARE(c.vocabSize, e["vocab_size"].get<std::int64_t>());
        QCOMPARE(c.nPositions, e["n_positions"].get<std::int64_t>());
        QCOMPARE(c.nEmbd, e["n_embd"].get<std::int64_t>());
        QCOMPARE(c.nLayer, e["n_layer"].get<std::int64_t>());
        QCOMPARE(c.nHead, e["n_head"].get<std::int64_t>());
        QCOMPARE(c.innerDim(), 4 * c.nEmbd);
        QCOMPARE(c.bosTokenId, std::int64_t(101));
        QCOMPARE(c.eosTokenId, std::int64_t(102));
    }

    void geluNew()
    {
        const auto &s = expected()["model"]["gelu_new_samples"];
        auto x = torch::tensor(s["x"].get<std::vector<double>>(), torch::kDouble);
        auto y = torch::gelu(x, "tanh");
        auto want = s["gelu_new"].get<std::vector<double>>();
        QCOMPARE(std::size_t(y.numel()), want.size());
        for (std::size_t i = 0; i < want.size(); ++i)
            QVERIFY2(
                std::abs(y[i].item<double>() - want[i]) < 1e-9, qPrintable(QString::number(i)));
    }

    void scores_data()
    {
        QTest::addColumn<QString>("name");
        for (const auto &c : expected()["model"]["cases"]) {
            const auto name = QString::fromStdString(c["name"].get<std::string>());
            QTest::newRow(qPrintable(name)) << name;
        }
    }

    void scores()
    {
        QFETCH(QString, name);
        const json &c = *findCase(expected()["model"]["cases"], name.toStdString());
        const auto ids = ids32(c["input_ids"]);
        const auto labels = ids32(c["labels"]);
        TokenScores s = m_model->score(ids, &labels);

        QVERIFY2(maxAbsDiff(s.lastLogits, c["last_logits"]) < 1e-4, "last_logits");
        QCOMPARE(s.argmax, ids32(c["argmax"]));
        if (c["loss"].is_null()) {
            QVERIFY(std::isnan(s.loss));
            QVERIFY(std::isnan(s.accuracy));
        } else {
            QVERIFY2(std::abs(s.loss - c["loss"].get<double>()) < 1e-4,
                qPrintable(QString("loss %1 vs %2").arg(s.loss).arg(c["loss"].get<double>())));
            QVERIFY(std::abs(s.accuracy - c["accuracy"].get<double>()) < 1e-4);
            QCOMPARE(s.nCorrect, c["n_correct"].get<std::int64_t>());
            QCOMPARE(s.nCounted, c["n_word"].get<std::int64_t>());
            TokenScores plain = m_model->score(ids); // labels = ids, pads not ignored
            QVERIFY(std::abs(plain.loss - c["loss_labels_equal_ids"].get<double>()) < 1e-4);
            QVERIFY(std::abs(plain.accuracy - c["accuracy_labels_equal_ids"].get<double>()) < 1e-4);
        }

        // First-position logits, whole-tensor statistics and hidden states, through the module.
        c10::InferenceMode inference;
        auto &module = *m_model->impl().model;
        auto input = torch::tensor(std::vector<std::int64_t>(ids.begin(), ids.end())).unsqueeze(0);
        std::vector<torch::Tensor> hidden;
        auto logits = module.logits(module.transformer->forward(input, nullptr, &hidden));
        auto first = logits[0][0].contiguous();
        QVERIFY(maxAbsDiff({ first.data_ptr<float>(), first.data_ptr<float>() + first.numel() },
                    c["first_logits"])
            < 1e-4);
        QVERIFY(std::abs(logits.mean().item<double>() - c["logits_mean"].get<double>()) < 1e-5);
        QVERIFY(std::abs(logits.max().item<double>() - c["logits_max"].get<double>()) < 1e-4);
        QVERIFY(std::abs(logits.min().item<double>() - c["logits_min"].get<double>()) < 1e-4);
        QVERIFY(
            std::abs(logits.std(/*unbiased=*/false).item<double>() - c["logits_std"].get<double>())
            < 1e-4);
        const auto &hs = c["hidden_states_last_position"];
        QCOMPARE(hidden.size(), hs.size());
        for (std::size_t layer = 0; layer < hidden.size(); ++layer) {
            auto h = hidden[layer][0][ids.size() - 1].contiguous();
            QVERIFY2(maxAbsDiff({ h.data_ptr<float>(), h.data_ptr<float>() + h.numel() }, hs[layer])
                    < 1e-4,
                qPrintable(QString("hidden state %1").arg(layer)));
        }
    }

    void greedy_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("useCache");
        for (const auto &g : expected()["model"]["greedy"]) {
            const auto name = g["name"].get<std::string>();
            QTest::newRow((name + " cache").c_str()) << QString::fromStdString(name) << true;
            QTest::newRow((name + " recompute").c_str()) << QString::fromStdString(name) << false;
        }
    }

    void greedy()
    {
        QFETCH(QString, name);
        QFETCH(bool, useCache);
        const json &g = *findCase(expected()["model"]["greedy"], name.toStdString());
        const auto prompt = ids32(g["prompt_ids"]);
        const int maxNew = g["max_new_tokens"].get<int>();
        SamplingOptions options = SamplingOptions::greedy(maxNew);
        options.useCache = useCache;
        const auto greedy = generate(*m_model, prompt, options);
        QCOMPARE(greedy.size(), std::size_t(1));
        QCOMPARE(greedy[0].ids, ids32(g["generated_ids"]));

        // The logits of every step, not only their argmax.
        IncrementalDecoder decoder(*m_model->impl().model, useCache);
        auto logits = decoder.start({ prompt.begin(), prompt.end() });
        const auto generated = ids32(g["generated_ids"]);
        for (const auto &step : g["steps"]) {
            const auto topIds = step["top5_ids"].get<std::vector<std::int64_t>>();
            const auto topLogits = step["top5_logits"].get<std::vector<double>>();
            QCOMPARE(topIds.size(), topLogits.size());
            QVERIFY(!topIds.empty());
            for (std::size_t i = 0; i < topIds.size(); ++i)
                QVERIFY2(std::abs(logits[topIds[i]].item<double>() - topLogits[i]) < 1e-4,
                    qPrintable(QString("step %1").arg(step["step"].get<int>())));
            logits = decoder.append(generated[step["step"].get<std::size_t>()]);
        }
    }

    void rejectsBadIds()
    {
        try {
            m_model->score({ 101, 600 });
            QFAIL("id 600 accepted");
        } catch (const chatbench::Error &e) {
            QVERIFY2(QString(e.what()).contains("token id 600 at position 1"), e.what());
        }
        std::vector<std::int32_t> tooLong(65, 5);
        QVERIFY_THROWS_EXCEPTION(chatbench::Error, m_model->score(tooLong));
        QVERIFY_THROWS_EXCEPTION(chatbench::Error, m_model->score({}));
    }
};

QTEST_GUILESS_MAIN(TestGpt2Model)
#include "test_gpt2_model.moc"
