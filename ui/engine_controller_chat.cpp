// EngineController, part two: the chat session, transcripts and model comparison (the first
// part, engine_controller.cpp, holds the workspace and training).

#include "chatbench/atomic_file.h"
#include "chatbench/chat_session.h"
#include "chatbench/error.h"
#include "chatbench/language_model.h"
#include "chatbench/run_directory.h"
#include "chatbench/text_metrics.h"
#include "chatbench/tokenizer.h"
#include "chatbench/trainer.h"
#include "chatbench/transcript.h"
#include "engine_controller.h"
#include "report_export.h"

#include <cmath>
#include <filesystem>

namespace fs = std::filesystem;

namespace chatbench::ui {

namespace {

fs::path toPath(const QString &s)
{
    return fs::path(s.toStdString());
}
QString toQString(const std::string &s)
{
    return QString::fromStdString(s);
}

} // namespace

struct EngineController::LoadedModel
{
    std::shared_ptr<const LanguageModel> model;
    std::shared_ptr<const Tokenizer> tokenizer;
    std::string path;
};

std::shared_ptr<EngineController::LoadedModel> EngineController::loadModel(
    const ChatModelSpec &spec, QString *checkpoint)
{
    fs::path folder = toPath(spec.source);
    if (fs::exists(folder / "run.json")) {
        const RunDirectory run = RunDirectory::open(folder);
        std::optional<CheckpointInfo> info;
        Trainer *training = trainer(spec.source);
        if (spec.checkpoint == "now" && training && training->canStep()) {
            // The trainer does not lend its live model (no engine API for it), so "current
            // weights" are a checkpoint written now, between two steps of this thread.
            const fs::path saved = training->saveCheckpoint();
            info = CheckpointInfo { training->currentStep(), saved };
        } else if (spec.checkpoint == "best")
            info = run.bestCheckpoint();
        else if (spec.checkpoint.startsWith("step-")) {
            for (const auto &c : run.checkpoints())
                if (c.step == spec.checkpoint.mid(5).toLongLong())
                    info = c;
        } else {
            info = run.latestCheckpoint();
        }
        if (!info)
            throw Error::inFile(folder,
                "no " + spec.checkpoint.toStdString()
                    + " checkpoint yet (a run writes one at each save_every / epoch end)");
        folder = info->dir;
    }
    *checkpoint = toQString(folder.string());
    auto &cached = m_modelCache[folder.string()];
    if (!cached) {
        cached = std::make_shared<LoadedModel>();
        cached->model = std::make_shared<const LanguageModel>(LanguageModel::load(folder));
        cached->tokenizer = loadTokenizer(folder);
        cached->path = folder.string();
    }
    return cached;
}

namespace {

SamplingOptions samplingOf(const ChatModelSpec &spec, const Tokenizer &tokenizer)
{
    SamplingOptions o;
    o.temperature = spec.temperature;
    o.topK = spec.topK;
    o.topP = spec.topP;
    o.repetitionPenalty = spec.repetitionPenalty;
    o.maxNewTokens = spec.maxNewTokens;
    o.seed = spec.seed;
    o.precision = spec.bf16Weights ? "bf16" : "fp32";
    o.setSpecialTokenDefaults(tokenizer.specialIds());
    return o;
}

} // namespace

void EngineController::loadChatModels(const ChatModelSpecs &specs)
{
    Q_EMIT engineActivity(tr("loading models"));
    try {
        std::vector<ChatModel> models;
        QStringList names, checkpoints;
        for (const ChatModelSpec &spec : specs) {
            QString checkpoint;
            const auto loaded = loadModel(spec, &checkpoint);
            ChatModel m;
            m.name = spec.name.toStdString();
            m.path = loaded->path;
            m.model = loaded->model;
            m.tokenizer = loaded->tokenizer;
            m.sampling = samplingOf(spec, *loaded->tokenizer);
            m.maxHistoryLen = spec.maxHistory;
            models.push_back(std::move(m));
            names << spec.name;
            checkpoints << checkpoint;
        }
        auto session = std::make_unique<ChatSession>(std::move(models));
        if (m_chat && m_chat->models().size() == session->models().size())
            Transcript::of(*m_chat).restoreInto(*session);
        m_chat = std::move(session);
        // Drop models no column uses any more (they hold hundreds of MB for real sizes).
        for (auto it = m_modelCache.begin(); it != m_modelCache.end();)
            it = it->second->model.use_count() == 1 ? m_modelCache.erase(it) : std::next(it);
        Q_EMIT chatModelsLoaded(names, checkpoints);
        emitTurns();
    } catch (const std::exception &e) {
        Q_EMIT error(tr("Load models"), QString::fromUtf8(e.what()));
    }
    reportStates();
}

void EngineController::emitTurns()
{
    if (!m_chat)
        return;
    Q_EMIT chatCleared();
    const auto &turns = m_chat->turns();
    for (std::size_t i = 0; i < turns.size(); ++i) {
        Q_EMIT chatTurnStarted(int(i), toQString(turns[i].user));
        QStringList replies;
        for (const auto &r : turns[i].replies)
            replies << toQString(r.text);
        Q_EMIT chatTurnFinished(int(i), replies);
    }
}

void EngineController::sendChat(const QString &text)
{
    if (!m_chat) {
        Q_EMIT error(tr("Chat"), tr("Load a model first."));
        return;
    }
    m_cancel = false;
    const int turn = int(m_chat->turns().size());
    Q_EMIT chatTurnStarted(turn, text);
    Q_EMIT engineActivity(tr("generating"));
    const auto onToken = [this, turn](std::size_t model, std::int32_t, const std::string &soFar) {
        Q_EMIT chatToken(turn, int(model), toQString(soFar));
        return !m_cancel.load();
    };
    try {
        const ChatTurn &t = m_chat->send(text.toStdString(), onToken, &m_cancel);
        QStringList replies;
        for (const auto &r : t.replies)
            replies << toQString(r.text);
        Q_EMIT chatTurnFinished(turn, replies);
    } catch (const std::exception &e) {
        Q_EMIT error(tr("Chat"), QString::fromUtf8(e.what()));
    }
    reportStates();
}

void EngineController::regenerateChat()
{
    if (!m_chat || m_chat->turns().empty())
        return;
    m_cancel = false;
    const int turn = int(m_chat->turns().size()) - 1;
    Q_EMIT chatTurnStarted(turn, toQString(m_chat->turns().back().user));
    const auto onToken = [this, turn](std::size_t model, std::int32_t, const std::string &soFar) {
        Q_EMIT chatToken(turn, int(model), toQString(soFar));
        return !m_cancel.load();
    };
    try {
        const ChatTurn &t = m_chat->regenerate(onToken, &m_cancel);
        QStringList replies;
        for (const auto &r : t.replies)
            replies << toQString(r.text);
        Q_EMIT chatTurnFinished(turn, replies);
    } catch (const std::exception &e) {
        Q_EMIT error(tr("Regenerate"), QString::fromUtf8(e.what()));
    }
    reportStates();
}

void EngineController::editChatTurn(int index, const QString &text)
{
    if (!m_chat || index < 0 || std::size_t(index) >= m_chat->turns().size())
        return;
    m_cancel = false;
    Q_EMIT chatTurnStarted(index, text); // the pane drops the turns after it
    const auto onToken = [this, index](std::size_t model, std::int32_t, const std::string &soFar) {
        Q_EMIT chatToken(index, int(model), toQString(soFar));
        return !m_cancel.load();
    };
    try {
        const ChatTurn &t
            = m_chat->editUserTurn(std::size_t(index), text.toStdString(), onToken, &m_cancel);
        QStringList replies;
        for (const auto &r : t.replies)
            replies << toQString(r.text);
        Q_EMIT chatTurnFinished(index, replies);
    } catch (const std::exception &e) {
        Q_EMIT error(tr("Edit turn"), QString::fromUtf8(e.what()));
    }
    reportStates();
}

void EngineController::clearChat()
{
    if (m_chat)
        m_chat->restore({}, std::vector<std::uint64_t>(m_chat->models().size(), 0));
    Q_EMIT chatCleared();
}

void EngineController::saveTranscript(const QString &file, const QString &format)
{
    if (!m_chat) {
        Q_EMIT error(tr("Save transcript"), tr("There is no chat to save."));
        return;
    }
    try {
        const Transcript t = Transcript::of(*m_chat);
        if (format == "json")
            chatbench::saveTranscript(t, toPath(file));
        else if (format == "table")
            writeFileAtomically(toPath(file), transcriptToMarkdownTable(t));
        else if (format == "html")
            writeFileAtomically(toPath(file), transcriptToHtml(t));
        else
            writeFileAtomically(toPath(file), transcriptToMarkdown(t));
        Q_EMIT transcriptSaved(file);
    } catch (const std::exception &e) {
        Q_EMIT error(tr("Save transcript"), QString::fromUtf8(e.what()));
    }
}

void EngineController::openTranscript(const QString &file)
{
    try {
        const Transcript t = loadTranscript(toPath(file));
        std::vector<ChatModel> models;
        QStringList names, checkpoints;
        for (const TranscriptModel &tm : t.models) {
            ChatModelSpec spec;
            spec.source = toQString(tm.path);
            QString checkpoint;
            const auto loaded = loadModel(spec, &checkpoint);
            ChatModel m { tm.name, loaded->path, loaded->model, loaded->tokenizer, tm.sampling,
                tm.maxHistoryLen };
            models.push_back(std::move(m));
            names << toQString(tm.name);
            checkpoints << checkpoint;
        }
        auto session = std::make_unique<ChatSession>(std::move(models));
        t.restoreInto(*session);
        m_chat = std::move(session);
        Q_EMIT chatModelsLoaded(names, checkpoints);
        emitTurns();
    } catch (const std::exception &e) {
        Q_EMIT error(tr("Open transcript"), QString::fromUtf8(e.what()));
    }
}

// ---- comparison ----

void EngineController::compareModels(
    const ChatModelSpecs &specs, const QStringList &prompts, const QStringList &references)
{
    m_cancel = false;
    Q_EMIT engineActivity(tr("comparing models"));
    try {
        for (int m = 0; m < specs.size() && !m_cancel; ++m) {
            QString checkpoint;
            const auto loaded = loadModel(specs[m], &checkpoint);
            const ChatPrompter prompter(*loaded->model, *loaded->tokenizer, specs[m].maxHistory);
            const SamplingOptions base
                = prompter.sampling(samplingOf(specs[m], *loaded->tokenizer));
            std::vector<std::string> replies, refs;
            for (int p = 0; p < prompts.size() && !m_cancel; ++p) {
                // A prompt line may hold a dialogue context as utterances separated by " | ".
                std::vector<std::vector<std::int32_t>> context;
                for (const QString &u : prompts[p].split(" | "))
                    context.push_back(loaded->tokenizer->encode(u.toStdString(), false));
                SamplingOptions o = base;
                o.seed = base.seed + std::uint64_t(p); // a reply never depends on the ones before
                const auto ids = prompter.ids(context);
                const auto gen = generate(*loaded->model, ids, o, {}, &m_cancel);
                const std::string reply
                    = gen.empty() ? std::string() : loaded->tokenizer->decode(gen[0].ids);
                replies.push_back(reply);
                refs.push_back(p < references.size() ? references[p].toStdString() : "");
                Q_EMIT comparisonReply(p, m, toQString(reply));
            }
            const TextMetrics t = evaluateReplies(replies, refs);
            const bool haveRefs = !references.isEmpty();
            Q_EMIT comparisonMetrics(m, t.distinct1, t.distinct2, haveRefs ? t.bleu2 : std::nan(""),
                haveRefs ? t.bleu4 : std::nan(""), t.meanLength);
        }
    } catch (const std::exception &e) {
        Q_EMIT error(tr("Compare models"), QString::fromUtf8(e.what()));
    }
    Q_EMIT comparisonFinished();
    reportStates();
}

// ---- report ----

void EngineController::prepareReport(const QStringList &runs, const QString &dir)
{
    Q_EMIT engineActivity(tr("assembling the report"));
    try {
        ReportRequest request;
        for (const QString &run : runs)
            request.runs.push_back(toPath(run));
        if (m_chat && !m_chat->turns().empty())
            request.transcript = Transcript::of(*m_chat);
        Q_EMIT reportPrepared(
            dir, std::make_shared<const AssembledReport>(assembleReport(request)));
    } catch (const std::exception &e) {
        Q_EMIT error(tr("Export report"), QString::fromUtf8(e.what()));
    }
    reportStates();
}

} // namespace chatbench::ui
