#pragma once
// The plain value types that cross the thread boundary between the EngineController (engine
// thread) and the widgets (GUI thread) through queued signals. Nothing here holds an engine
// object, so a copy is all a queued connection needs.

#include "chatbench/training_event.h"

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>
#include <memory>

namespace chatbench::ui {

struct AssembledReport; // report_export.h

using EventBatch = QVector<chatbench::TrainingEvent>;

// One row of the run list: a run folder of the workspace and what its metrics say so far.
struct RunSummary
{
    QString name; // run.json's name
    QString dir;
    QString state; // "idle", "running", "paused", "finished", "stopped", "failed", "external"
    bool inProcess = false; // trained by this process's engine thread
};

// A model to chat with: a run folder (with the checkpoint to take) or any Hugging Face folder.
struct ChatModelSpec
{
    QString name; // the column title and the transcript's model name
    QString source; // a run folder (has run.json) or a model folder (has config.json)
    QString checkpoint = QStringLiteral("latest"); // run folders: "latest", "best" or "step-N"
    double temperature = 1.0;
    int topK = 8; // GPT2-chitchat's interact.py
    double topP = 1.0;
    double repetitionPenalty = 1.0;
    int maxNewTokens = 40;
    int maxHistory = 3;
    quint64 seed = 0;
    bool bf16Weights = false; // SamplingOptions::precision "bf16"
};
using ChatModelSpecs = QVector<ChatModelSpec>;

// A report assembled on the engine thread, for the GUI thread to draw and write. Shared and
// immutable: the runs' events are too many to copy for a queued signal.
using AssembledReportPtr = std::shared_ptr<const AssembledReport>;

// Registers the types above for queued connections; call once before connecting.
void registerEngineTypes();

} // namespace chatbench::ui

Q_DECLARE_METATYPE(chatbench::TrainingEvent)
Q_DECLARE_METATYPE(chatbench::ui::EventBatch)
Q_DECLARE_METATYPE(chatbench::ui::RunSummary)
Q_DECLARE_METATYPE(chatbench::ui::ChatModelSpec)
Q_DECLARE_METATYPE(chatbench::ui::ChatModelSpecs)
Q_DECLARE_METATYPE(chatbench::ui::AssembledReportPtr)
