#pragma once
// The reference report's per-epoch table (epoch, average training loss, token accuracy,
// validation loss, perplexity) as a widget; the rows come from chatbench::epochTable.

#include "chatbench/progress_report.h"

#include <QTableWidget>
#include <vector>

namespace chatbench::ui {

// Shows rows in a five-column table ("-" for what is missing).
class EpochTable : public QTableWidget
{
    Q_OBJECT

public:
    explicit EpochTable(QWidget *parent = nullptr);
    void setRows(const std::vector<EpochRow> &rows);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    bool m_empty = true; // showing the "no epoch yet" note
};

} // namespace chatbench::ui
