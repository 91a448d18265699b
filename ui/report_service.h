#pragma once
// The engine thread's half of File -> Export Report: reads the runs' metrics and corpora (and the
// chat so far, as the demo slides) into an assembled report (chatbench/report_assembly.h), for
// the GUI thread to draw and write with the report library. Lives on the engine thread.

#include "engine_types.h"

#include <QObject>

namespace chatbench::ui {

class ChatService;

class ReportService : public QObject
{
    Q_OBJECT

public:
    // chat: where the demo slides come from (the same engine thread).
    explicit ReportService(const ChatService &chat, QObject *parent = nullptr);

public Q_SLOTS:
    void prepare(const QStringList &runs, const QString &dir);

Q_SIGNALS:
    void prepared(const QString &dir, const chatbench::ui::AssembledReportPtr &report);
    void activity(const QString &what);
    void error(const QString &what, const QString &message);

private:
    const ChatService &m_chat;
};

} // namespace chatbench::ui
