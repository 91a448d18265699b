#pragma once
// The workspace's runs, one row each (name, state, step, latest loss and accuracy, progress),
// for the run list dock. Rows are keyed by run folder: two runs may share a name. Each row's
// checkbox shows or hides the run's curves; its swatch is the run's colour in the plots.

#include "engine_types.h"

#include <QTreeWidget>

namespace chatbench::ui {

class RunList : public QTreeWidget
{
    Q_OBJECT

public:
    explicit RunList(QWidget *parent = nullptr);

    void addRun(const RunSummary &run, const QColor &color);
    void setState(const QString &dir, chatbench::RunState state);
    // Why the run failed, as its state's tooltip (empty: it no longer stands failed).
    void setFailure(const QString &dir, const QString &message);
    void setLatest(const QString &dir, qint64 step, double loss, double acc, double progress);
    // Shown as the row's Done tooltip.
    void setSpeed(const QString &dir, double tokensPerSecond, double etaSeconds);
    QString selectedRun() const;
    // Every selected run (name, folder), in row order: several for Add model in the Chat pane.
    QVector<QPair<QString, QString>> selectedRuns() const;
    QStringList runs() const; // run folders, in row order
    void selectRun(const QString &dir);
    void clearRuns();
    void removeRun(const QString &dir);
    QTreeWidgetItem *itemFor(const QString &dir) const;

private:
    void retranslate();

protected:
    void changeEvent(QEvent *event) override;

Q_SIGNALS:
    void runSelected(const QString &dir);
    // The run's checkbox: show or hide its curves.
    void runShownChanged(const QString &dir, bool shown);
};

} // namespace chatbench::ui
