#pragma once
// The plain value types that cross the thread boundary between the engine services (engine
// thread) and the widgets (GUI thread) through queued signals. Nothing here holds an engine
// object, so a copy is all a queued connection needs; states and choices travel as the engine's
// enums, never as words to compare.

#include "chatbench/device.h"
#include "chatbench/model_source.h"
#include "chatbench/probe_log.h"
#include "chatbench/prompt_set.h"
#include "chatbench/run_state.h"
#include "chatbench/text_metrics.h"
#include "chatbench/training_event.h"
#include "chatbench/transcript.h"

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>
#include <memory>

namespace chatbench {
struct AssembledReport; // chatbench/report_assembly.h
} // namespace chatbench

namespace chatbench::ui {

using EventBatch = QVector<chatbench::TrainingEvent>;
// A run's whole probes.jsonl (probe_log.h): small, so it travels whole when it changes.
using ProbeReplies = QVector<chatbench::ProbeReply>;

// One row of the run list: a run folder of the workspace and where it stands.
struct RunSummary
{
    QString name; // run.json's name
    QString dir;
    chatbench::RunState state = chatbench::RunState::Idle;
    bool inProcess = false; // trained by this process's engine thread
};

// A model to chat with or compare: a run folder (with the checkpoint to take) or any Hugging Face
// folder, and how to sample from it.
struct ChatModelSpec
{
    QString name; // the column title and the transcript's model name
    QString source; // a run folder (has run.json) or a model folder (has config.json)
    chatbench::CheckpointChoice checkpoint; // run folders only
    double temperature = 1.0;
    int topK = 8; // GPT2-chitchat's interact.py
    double topP = 1.0;
    double repetitionPenalty = 1.0;
    int maxNewTokens = 40;
    int maxHistory = 3;
    quint64 seed = 0;
    chatbench::Precision precision = chatbench::Precision::Fp32; // of the decoding step
};
using ChatModelSpecs = QVector<ChatModelSpec>;

// What the engine opened for a spec: the checkpoint folder and the run's step (-1: a model
// folder, which has no step).
struct LoadedModel
{
    QString name;
    QString folder;
    qint64 step = -1;
};
using LoadedModels = QVector<LoadedModel>;

// The chat's turns as the engine's session holds them (every version of every reply), sent
// whole after each change: text, small enough to copy.
using ChatTurns = std::vector<chatbench::ChatTurn>;

// A report assembled on the engine thread, for the GUI thread to draw and write. Shared and
// immutable: the runs' events are too many to copy for a queued signal.
using AssembledReportPtr = std::shared_ptr<const chatbench::AssembledReport>;

// What the run list and the monitor show for a state, in the UI's language (the engine's own
// names, toString(), are the metrics file's words).
QString runStateText(chatbench::RunState state);

// Registers the types above for queued connections; call once before connecting.
void registerEngineTypes();

} // namespace chatbench::ui

Q_DECLARE_METATYPE(chatbench::TrainingEvent)
Q_DECLARE_METATYPE(chatbench::RunState)
Q_DECLARE_METATYPE(chatbench::PromptSet)
Q_DECLARE_METATYPE(chatbench::TextMetrics)
Q_DECLARE_METATYPE(chatbench::TranscriptFormat)
Q_DECLARE_METATYPE(chatbench::ui::EventBatch)
Q_DECLARE_METATYPE(chatbench::ui::ProbeReplies)
Q_DECLARE_METATYPE(chatbench::ui::RunSummary)
Q_DECLARE_METATYPE(chatbench::ui::ChatModelSpec)
Q_DECLARE_METATYPE(chatbench::ui::ChatModelSpecs)
Q_DECLARE_METATYPE(chatbench::ui::LoadedModels)
Q_DECLARE_METATYPE(chatbench::ui::ChatTurns)
Q_DECLARE_METATYPE(chatbench::ui::AssembledReportPtr)
