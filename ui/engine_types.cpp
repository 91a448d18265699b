#include "engine_types.h"

#include <QCoreApplication>

namespace chatbench::ui {

QString runStateText(RunState state)
{
    switch (state) {
    case RunState::Idle:
        return QCoreApplication::translate("RunState", "idle");
    case RunState::Running:
        return QCoreApplication::translate("RunState", "running");
    case RunState::Paused:
        return QCoreApplication::translate("RunState", "paused");
    case RunState::Finished:
        return QCoreApplication::translate("RunState", "finished");
    case RunState::Stopped:
        return QCoreApplication::translate("RunState", "stopped");
    case RunState::Failed:
        return QCoreApplication::translate("RunState", "failed");
    case RunState::External:
        return QCoreApplication::translate("RunState", "external");
    }
    return QString::fromLatin1(toString(state));
}

void registerEngineTypes()
{
    qRegisterMetaType<chatbench::TrainingEvent>();
    qRegisterMetaType<chatbench::RunState>();
    qRegisterMetaType<chatbench::PromptSet>();
    qRegisterMetaType<chatbench::TextMetrics>();
    qRegisterMetaType<chatbench::TranscriptFormat>();
    qRegisterMetaType<EventBatch>();
    qRegisterMetaType<ProbeReplies>();
    qRegisterMetaType<RunSummary>();
    qRegisterMetaType<ChatModelSpec>();
    qRegisterMetaType<ChatModelSpecs>();
    qRegisterMetaType<LoadedModels>();
    qRegisterMetaType<ChatTurns>();
    qRegisterMetaType<QVector<int>>();
    qRegisterMetaType<AssembledReportPtr>();
}

} // namespace chatbench::ui
