#pragma once
// The engine thread and the services on it, one concept each: TrainingRuns (workspace, metrics,
// training), ChatService (the chat session and transcripts), ComparisonService (prompt sets
// answered by several models) and ReportService (the report's assembly). Each is a parentless
// QObject moved to one QThread; widgets reach them only through queued signals and slots
// carrying engine_types.h values, so nothing slow runs on the GUI thread. The thread serves one
// request at a time: a chat reply or a comparison runs between two training steps.
//
// Downloads from the Hugging Face Hub are not here: each Download Model dialog has a thread of
// its own (download_dialog.h), so a download neither waits for training steps nor holds them up.
//
// Destroying an EngineThread stops the runs trained here (each with a checkpoint), waits for the
// thread and deletes the services there.

#include "chatbench/hub.h"

#include <QObject>

class QThread;

namespace chatbench::ui {

class ChatService;
class ComparisonService;
class ReportService;
class TrainingRuns;

class EngineThread : public QObject
{
    Q_OBJECT

public:
    // hub: where repo ids are looked up (the Hugging Face cache; hubSettingsFromEnvironment()).
    explicit EngineThread(chatbench::HubSettings hub = chatbench::hubSettingsFromEnvironment(),
        QObject *parent = nullptr);
    ~EngineThread() override;

    TrainingRuns *runs() const { return m_runs; }
    ChatService *chat() const { return m_chat; }
    ComparisonService *comparison() const { return m_comparison; }
    ReportService *report() const { return m_report; }

private:
    QThread *m_thread = nullptr;
    TrainingRuns *m_runs = nullptr;
    ChatService *m_chat = nullptr;
    ComparisonService *m_comparison = nullptr;
    ReportService *m_report = nullptr;
};

} // namespace chatbench::ui
