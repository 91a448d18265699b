#include "engine_types.h"

namespace chatbench::ui {

QString runStateText(RunState state)
{
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
    qRegisterMetaType<RunSummary>();
    qRegisterMetaType<ChatModelSpec>();
    qRegisterMetaType<ChatModelSpecs>();
    qRegisterMetaType<LoadedModels>();
    qRegisterMetaType<AssembledReportPtr>();
}

} // namespace chatbench::ui
