#pragma once
// Everything needed to reproduce a training run, as stored in RUNDIR/run.json. Defaults follow
// GPT2-chitchat's train.py (batch 4, gradient accumulation 4, lr 2.6e-5, eps 1e-9, warm-up 4000,
// linear decay, clip 2.0, max_len 150), so a run configured with nothing but a corpus trains the
// way the reference experiment did.
//
// run.json:
//   {"name": "scratch",
//    "model": {"kind": "gpt2" | "gpt2+transformer", "init": "scratch" | CHECKPOINT_DIR,
//              "preset": "tiny" | "small" | "base", "n_layer", "n_head", "n_embd",
//              "n_positions", "dropout", "encoder_init": "scratch" | "blocks", "max_history"},
//    "tokenizer": {"path": DIR, "vocab_size": N},
//    "data": {"corpus": FILE, "format": "auto", "convert": "", "max_len": 150,
//             "valid_count": N, "valid_fraction": F, "cache_dir": DIR,
//             "layout": "chitchat"|"cdial", "loss": "all"|"response"},
//    "train": {"epochs", "max_steps", "batch_size", "grad_accum", "lr", "warmup_steps",
//              "schedule", "weight_decay", "adam_beta1", "adam_beta2", "adam_eps",
//              "max_grad_norm", "eval_every", "save_every", "keep_last", "log_every",
//              "seed", "threads", "max_nan_steps", "device": "cpu" | "cuda" | "cuda:N",
//              "precision": "fp32" | "bf16",
//              "probes": [PROMPT | [UTTERANCE, ..., PROMPT], ...], "probe_count", "probe_tokens"}}
// Relative paths are resolved against the folder of the file they were read from.

#include "chatbench/device.h"
#include "chatbench/dialogue_layout.h"
#include "chatbench/gpt2_config.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace chatbench {

// The words run.json uses for these; each parse function throws chatbench::Error naming the
// accepted words.
enum class ModelKind { Gpt2, Gpt2Transformer };
const char *modelKindName(ModelKind kind); // "gpt2", "gpt2+transformer"
ModelKind parseModelKind(std::string_view name);

// The learning rate after warm-up (train/lr_schedule.h).
enum class Schedule { Linear, Cosine, Constant };
const char *toString(Schedule schedule); // "linear", "cosine", "constant"
Schedule parseSchedule(std::string_view name);

// Which tokens the loss learns: every one (GPT2-chitchat), or the final utterance's (CDial-GPT).
enum class LossScope { All, Response };
const char *toString(LossScope scope); // "all", "response"
LossScope parseLossScope(std::string_view name);

struct RunConfig
{
    std::string name = "run";

    // model
    ModelKind kind = ModelKind::Gpt2;
    // "scratch", a Hugging Face GPT-2 checkpoint folder, or a repo id from the Hub cache
    // ("org/name"; a run records it pinned to its commit, "org/name@<commit>").
    std::string init = "scratch";
    std::string preset = "tiny"; // sizes for a scratch model (gpt2_config.h)
    // Explicit sizes; 0 keeps the preset's (or the checkpoint's) value.
    std::int64_t nLayer = 0, nHead = 0, nEmbd = 0, nPositions = 0;
    double dropout = 0.1; // resid, embd and attn dropout; -1 keeps the checkpoint's
    EncoderInit encoderInit = EncoderInit::Scratch; // gpt2+transformer only
    int maxHistory = 3; // gpt2+transformer: utterances of history the encoder sees

    // tokenizer: a folder with vocab.txt, tokenizer.json or a SentencePiece model, or a repo id
    // (as init). Empty: the init checkpoint's own, or (from scratch) a WordPiece vocabulary of
    // tokenizerVocabSize built from the corpus.
    std::string tokenizer;
    std::int32_t tokenizerVocabSize = 0; // 0: the preset's vocab size

    // data
    std::string corpus;
    std::string format = "auto";
    std::string convert; // OpenCC configuration, e.g. "s2twp"
    int maxLen = 150;
    std::uint64_t validCount = 0;
    double validFraction = 0.0; // used when validCount is 0; both 0: no validation
    std::string cacheDir; // empty: RUNDIR/data
    // How a dialogue becomes a sample (dialogue_layout.h): GPT2-chitchat's, or CDial-GPT's
    // speaker tokens. Recorded in the model's config.json, so chats prompt the model the way it
    // was trained.
    DialogueLayout::Kind layout = DialogueLayout::Kind::Chitchat;
    // Response: perplexity over response tokens too. A run.json with layout cdial and no loss
    // gets Response.
    LossScope loss = LossScope::All;

    // training
    int epochs = 100;
    std::int64_t maxSteps = 0; // > 0: stop after this many optimizer steps instead
    int batchSize = 4;
    int gradAccum = 4;
    double lr = 2.6e-5;
    std::int64_t warmupSteps = 4000;
    Schedule schedule = Schedule::Linear;
    double weightDecay = 0.0; // on 2-D weights only
    double adamBeta1 = 0.9, adamBeta2 = 0.999, adamEps = 1e-9;
    double maxGradNorm = 2.0; // 0: no clipping
    std::int64_t evalEvery = 0; // optimizer steps; 0: at the end of every epoch
    std::int64_t saveEvery = 0; // optimizer steps; 0: at the end of every epoch
    int keepLast = 3; // checkpoints kept besides the best one
    std::int64_t logEvery = 1; // a "train" metrics event every N optimizer steps
    std::uint64_t seed = 42;
    int threads = 0; // 0: all cores
    int maxNanSteps = 5; // non-finite steps in a row before the run stops
    // Where the model, optimizer state and batches live (chatbench/device.h). Data-parallel
    // workers given "cuda" each take the GPU of their LOCAL_RANK. Checkpoints are device-free.
    std::string device = "cpu";
    // Bf16: forward passes under bf16 autocast; weights, AdamW moments and the loss stay fp32.
    Precision precision = Precision::Fp32;
    // Prompts every evaluation answers greedily, into probes.jsonl (probe_log.h), so a change in
    // the replies comes from the weights alone. Each is a dialogue's context, oldest first, the
    // prompt last. Empty: the contexts of the first probeCount held-out dialogues (0: none).
    std::vector<std::vector<std::string>> probes;
    int probeCount = 3;
    int probeTokens = 32; // the longest probe reply, in tokens

    // Throws chatbench::Error naming the field (and origin) for a value out of range.
    void validate(const std::filesystem::path &origin = "run.json") const;

    // run.json text <-> RunConfig. Unknown keys are an error (a typo must not silently train
    // with a default); relative paths are made absolute against baseDir.
    static RunConfig fromJsonText(const std::string &text, const std::filesystem::path &origin,
        const std::filesystem::path &baseDir);
    static RunConfig fromJsonFile(const std::filesystem::path &file);
    std::string toJsonText() const;
};

} // namespace chatbench
