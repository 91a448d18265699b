#pragma once
// The reference report's per-epoch table (epoch, average training loss, token accuracy,
// validation loss, perplexity), built from a run's events: an "epoch" event carries the
// epoch's mean training loss and micro-averaged accuracy, and the trainer validates right after
// it at the same step, so the "valid" event of that step supplies the validation columns.

#include "chatbench/training_event.h"

#include <QTableWidget>
#include <vector>

namespace chatbench::ui {

struct EpochRow
{
    int epoch = 0;
    std::int64_t step = 0;
    double trainLoss = TrainingEvent::none;
    double trainAcc = TrainingEvent::none;
    double validLoss = TrainingEvent::none; // NaN when the run does not validate
    double validPpl = TrainingEvent::none;
    double validAcc = TrainingEvent::none;
};

// Events of one run in file order. A later epoch event with the same epoch number (a resumed
// run that redid it) replaces the earlier one.
std::vector<EpochRow> epochRows(const std::vector<TrainingEvent> &events);

// Shows rows in a five-column table ("-" for what is missing).
class EpochTable : public QTableWidget
{
    Q_OBJECT

public:
    explicit EpochTable(QWidget *parent = nullptr);
    void setRows(const std::vector<EpochRow> &rows);
};

} // namespace chatbench::ui
