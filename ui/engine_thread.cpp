#include "engine_thread.h"

#include "chat_service.h"
#include "comparison_service.h"
#include "engine_types.h"
#include "model_loader.h"
#include "report_service.h"
#include "training_runs.h"

#include <QThread>

namespace chatbench::ui {

EngineThread::EngineThread(HubSettings hub, QObject *parent)
    : QObject(parent), m_thread(new QThread(this))
{
    registerEngineTypes();
    m_thread->setObjectName("engine");
    m_runs = new TrainingRuns(hub);
    // Shared by the two services that open models, so a checkpoint loads once for both.
    auto loader = std::make_shared<ModelLoader>(*m_runs, std::move(hub));
    m_chat = new ChatService(loader);
    m_comparison = new ComparisonService(loader);
    m_report = new ReportService(*m_chat);
    // Deleted on the engine thread once its loop has ended; the runs last, as the loader and
    // the report refer to services created before them.
    for (QObject *service :
        std::initializer_list<QObject *> { m_report, m_comparison, m_chat, m_runs }) {
        service->moveToThread(m_thread);
        connect(m_thread, &QThread::finished, service, &QObject::deleteLater);
    }
    m_thread->start();
}

EngineThread::~EngineThread()
{
    m_chat->cancel();
    m_comparison->cancel();
    // Runs trained here stop with a checkpoint; waiting is right: quitting must not lose them.
    QMetaObject::invokeMethod(m_runs, &TrainingRuns::shutdown, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
}

} // namespace chatbench::ui
