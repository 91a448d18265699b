#include "train/model_factory.h"

#include "chatbench/corpus_reader.h"
#include "chatbench/error.h"
#include "chatbench/text_normalizer.h"
#include "model/encoder_decoder_checkpoint.h"
#include "model/hf_checkpoint.h"
#include "tokenize/wordpiece_vocab_builder.h"
#include "train/encoder_decoder_trainable.h"
#include "train/gpt2_trainable.h"

namespace fs = std::filesystem;

namespace chatbench {

namespace {

std::unique_ptr<Tokenizer> buildTokenizer(const RunConfig &config, const fs::path &out)
{
    TextNormalizer normalizer(NormalizeOptions { true, false, config.convert });
    std::vector<std::string> lines;
    CorpusReadOptions read;
    read.format = parseCorpusFormat(config.format);
    readCorpus(config.corpus, read, [&](Dialogue &&dialogue) {
        normalizer.normalizeEach(dialogue.utterances);
        for (auto &u : dialogue.utterances)
            lines.push_back(std::move(u));
    });
    WordPieceVocabOptions options;
    options.vocabSize = config.tokenizerVocabSize > 0
        ? config.tokenizerVocabSize
        : std::int32_t(Gpt2Config::preset(config.preset).vocabSize);
    auto tokenizer = std::make_unique<WordPieceTokenizer>(buildWordPieceTokenizer(lines, options));
    tokenizer->save(out);
    return tokenizer;
}

void applyDropout(Gpt2Config &c, double dropout)
{
    if (dropout < 0)
        return;
    c.residPdrop = c.embdPdrop = c.attnPdrop = dropout;
}

Gpt2LMHeadModel loadInto(const Gpt2Config &c, const fs::path &dir)
{
    Gpt2LMHeadModel model(c);
    CheckpointReport report;
    loadStateDict(*model, readStateDict(findWeightsFile(dir), report), dir, &report);
    return model;
}

} // namespace

std::unique_ptr<Tokenizer> resolveTokenizer(
    const RunConfig &config, const RunDirectory &dir, const fs::path *checkpoint)
{
    if (checkpoint)
        return loadTokenizer(*checkpoint);
    if (!config.tokenizer.empty())
        return loadTokenizer(config.tokenizer);
    if (config.init != "scratch")
        return loadTokenizer(config.init);
    const fs::path built = dir.path() / "tokenizer";
    if (fs::exists(built / "vocab.txt"))
        return loadTokenizer(built);
    return buildTokenizer(config, built);
}

Gpt2Config plannedGpt2Config(const RunConfig &config, const Tokenizer &tokenizer)
{
    if (config.init != "scratch") {
        Gpt2Config c = Gpt2Config::fromJsonFile(fs::path(config.init) / "config.json");
        c.dialogueLayout = config.layout; // what it learns from now on
        applyDropout(c, config.dropout);
        return c;
    }
    Gpt2Config c = Gpt2Config::preset(config.preset);
    c.vocabSize = tokenizer.vocabSize();
    if (config.nLayer)
        c.nLayer = config.nLayer;
    if (config.nHead)
        c.nHead = config.nHead;
    if (config.nEmbd)
        c.nEmbd = config.nEmbd;
    if (config.nPositions)
        c.nPositions = config.nPositions;
    const SpecialTokenIds &ids = tokenizer.specialIds();
    c.bosTokenId = ids.cls >= 0 ? ids.cls : ids.bos;
    c.eosTokenId = ids.sep >= 0 ? ids.sep : ids.eos;
    c.padTokenId = ids.pad;
    c.dialogueLayout = config.layout;
    applyDropout(c, config.dropout);
    c.validate("run.json model");
    return c;
}

std::vector<RunProblem> fitProblems(
    const RunConfig &config, const Tokenizer &tokenizer, const Gpt2Config &c)
{
    std::vector<RunProblem> problems;
    if (tokenizer.vocabSize() > c.vocabSize)
        problems.push_back({ "tokenizer.path",
            "the tokenizer has " + std::to_string(tokenizer.vocabSize())
                + " tokens but the model's vocabulary holds " + std::to_string(c.vocabSize)
                + ": use the checkpoint's own tokenizer" });
    if (config.maxLen > c.nPositions)
        problems.push_back({ "data.max_len",
            "data.max_len " + std::to_string(config.maxLen) + " exceeds the model's context ("
                + std::to_string(c.nPositions) + " positions)" });
    return problems;
}

void checkFits(const RunConfig &config, const Tokenizer &tokenizer, const Gpt2Config &c,
    const fs::path &origin)
{
    const std::vector<RunProblem> problems = fitProblems(config, tokenizer, c);
    if (!problems.empty())
        throw Error::inFile(origin, problems.front().message);
}

namespace {

// GPT-2 + Transformer: the decoder is a GPT-2 (pretrained or scratch) with fresh
// cross-attention, the encoder the same shape, from scratch or from the checkpoint's blocks.
std::unique_ptr<TrainableModel> buildEncoderDecoder(const RunConfig &config,
    const Tokenizer &tokenizer, const fs::path *checkpoint, Gpt2LMHeadModel gpt2)
{
    const SpecialTokenIds &ids = tokenizer.specialIds();
    PairOptions pairs;
    pairs.clsId = ids.cls >= 0 ? ids.cls : ids.bos;
    pairs.sepId = ids.sep >= 0 ? ids.sep : ids.eos;
    pairs.padId = std::max(ids.pad, 0);
    pairs.maxHistory = config.maxHistory;
    if (pairs.clsId < 0 || pairs.sepId < 0)
        throw Error("model kind gpt2+transformer: the tokenizer needs [CLS] and [SEP] tokens "
                    "to split dialogues into history and response");
    Gpt2EncoderDecoder model = checkpoint
        ? loadEncoderDecoderCheckpoint(*checkpoint)
        : encoderDecoderFromGpt2(*gpt2, config.encoderInit, config.seed);
    model->train();
    return std::make_unique<EncoderDecoderTrainable>(std::move(model), pairs);
}

} // namespace

std::unique_ptr<TrainableModel> buildTrainableModel(
    const RunConfig &config, const Tokenizer &tokenizer, const fs::path *checkpoint)
{
    if (config.kind == ModelKind::Gpt2Transformer && checkpoint)
        return buildEncoderDecoder(config, tokenizer, checkpoint, nullptr);
    auto finish = [&](Gpt2LMHeadModel gpt2) -> std::unique_ptr<TrainableModel> {
        if (config.kind == ModelKind::Gpt2Transformer)
            return buildEncoderDecoder(config, tokenizer, nullptr, std::move(gpt2));
        return std::make_unique<Gpt2Trainable>(std::move(gpt2));
    };
    if (checkpoint) {
        Gpt2Config c = Gpt2Config::fromJsonFile(*checkpoint / "config.json");
        return std::make_unique<Gpt2Trainable>(loadInto(c, *checkpoint));
    }
    if (config.init != "scratch") {
        const Gpt2Config c = plannedGpt2Config(config, tokenizer);
        checkFits(config, tokenizer, c, config.init);
        return finish(loadInto(c, config.init));
    }
    const Gpt2Config c = plannedGpt2Config(config, tokenizer);
    checkFits(config, tokenizer, c, "run.json");
    Gpt2LMHeadModel model(c);
    model->initWeights(config.seed);
    return finish(std::move(model));
}

} // namespace chatbench
