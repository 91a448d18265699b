#pragma once
// The hyper-parameters New Run and New Experiment both ask for (epochs, max steps, batch size,
// gradient accumulation, learning rate, warm-up, validation interval, seed), with GPT2-chitchat's
// train.py defaults, as one form: read into and from a RunConfig, remembered between sessions.

#include "chatbench/run_config.h"

#include <QWidget>
#include <utility>
#include <vector>

class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QSpinBox;

namespace chatbench::ui {

class TrainingSettingsForm : public QWidget
{
    Q_OBJECT

public:
    explicit TrainingSettingsForm(QWidget *parent = nullptr);

    void applyTo(chatbench::RunConfig &config) const;
    void setFrom(const chatbench::RunConfig &config);
    // QSettings under group/ (e.g. "experiment/epochs").
    void remember(const QString &group) const;
    void restore(const QString &group);

    QDoubleSpinBox *lrBox() const { return m_lr; }
    QSpinBox *maxStepsBox() const { return m_maxSteps; }
    QFormLayout *form() const { return m_form; } // for a dialog's own rows below these

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    std::vector<std::pair<const char *, QSpinBox *>> boxes() const; // all but the learning rate

    QFormLayout *m_form = nullptr;
    QSpinBox *m_epochs = nullptr, *m_maxSteps = nullptr, *m_batch = nullptr, *m_accum = nullptr;
    QSpinBox *m_warmup = nullptr, *m_evalEvery = nullptr, *m_seed = nullptr;
    QDoubleSpinBox *m_lr = nullptr;
};

} // namespace chatbench::ui
