#include "epoch_table.h"

#include <QEvent>
#include <QHeaderView>
#include <cmath>
#include <map>

namespace chatbench::ui {

EpochTable::EpochTable(QWidget *parent) : QTableWidget(0, 5, parent)
{
    retranslate();
    horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    verticalHeader()->setVisible(false);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionBehavior(QAbstractItemView::SelectRows);
}

void EpochTable::setRows(const std::vector<EpochRow> &rows)
{
    const auto cell = [](double v, int decimals) {
        auto *item = new QTableWidgetItem(
            std::isfinite(v) ? QString::number(v, 'f', decimals) : QStringLiteral("-"));
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        return item;
    };
    clearSpans();
    m_empty = rows.empty();
    if (rows.empty()) {
        // Say why the table is empty: short runs often end before their first epoch does.
        setRowCount(1);
        setSpan(0, 0, 1, columnCount());
        auto *note = new QTableWidgetItem(tr("No epoch finished yet"));
        note->setForeground(Qt::gray);
        note->setTextAlignment(Qt::AlignCenter);
        setItem(0, 0, note);
        return;
    }
    setRowCount(int(rows.size()));
    for (int i = 0; i < int(rows.size()); ++i) {
        const EpochRow &r = rows[std::size_t(i)];
        setItem(i, 0, cell(r.epoch, 0));
        setItem(i, 1, cell(r.trainLoss, 4));
        setItem(i, 2, cell(r.trainAcc, 4));
        setItem(i, 3, cell(r.validLoss, 4));
        setItem(i, 4, cell(r.validPpl, 2));
    }
}

void EpochTable::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QTableWidget::changeEvent(event);
}

void EpochTable::retranslate()
{
    setHorizontalHeaderLabels({ tr("Epoch"), tr("Avg. training loss"), tr("Accuracy"),
        tr("Validation loss"), tr("Perplexity") });
    if (m_empty && rowCount() == 1 && item(0, 0))
        item(0, 0)->setText(tr("No epoch finished yet"));
}

} // namespace chatbench::ui
