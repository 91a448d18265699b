#include "report_service.h"

#include "chat_service.h"
#include "chatbench/report_assembly.h"

namespace chatbench::ui {

ReportService::ReportService(const ChatService &chat, QObject *parent)
    : QObject(parent), m_chat(chat)
{ }

void ReportService::prepare(const QStringList &runs, const QString &dir)
{
    Q_EMIT activity(tr("assembling the report"));
    try {
        ReportRequest request;
        for (const QString &run : runs)
            request.runs.emplace_back(run.toStdString());
        request.transcript = m_chat.transcript();
        Q_EMIT prepared(dir, std::make_shared<const AssembledReport>(assembleReport(request)));
    } catch (const std::exception &e) {
        Q_EMIT error(tr("Export report"), QString::fromUtf8(e.what()));
    }
    Q_EMIT activity(tr("idle"));
}

} // namespace chatbench::ui
