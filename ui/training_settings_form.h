#pragma once
// The settings New Run and New Experiment both ask for: the dialogue layout, max length and
// held-out dialogues, then the hyper-parameters (epochs, max steps, batch size, gradient
// accumulation, learning rate, warm-up, validation interval, seed), with GPT2-chitchat's train.py
// defaults, as one form: read into and from a RunConfig, remembered between sessions.

#include "chatbench/run_config.h"

#include <QWidget>
#include <utility>
#include <vector>

class QComboBox;
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

    QComboBox *layoutChoice() const { return m_layout; } // 0: chitchat, 1: cdial
    QSpinBox *maxLenBox() const { return m_maxLen; }
    QSpinBox *validBox() const { return m_valid; }
    QDoubleSpinBox *lrBox() const { return m_lr; }
    QSpinBox *maxStepsBox() const { return m_maxSteps; }
    QFormLayout *form() const { return m_form; } // for a dialog's own rows below these

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    // The spin boxes but the learning rate, by settings key.
    std::vector<std::pair<const char *, QSpinBox *>> boxes() const;

    QFormLayout *m_form = nullptr;
    std::vector<QLabel *> m_labels; // one per field, in row order
    QComboBox *m_layout = nullptr;
    QSpinBox *m_maxLen = nullptr, *m_valid = nullptr;
    QSpinBox *m_epochs = nullptr, *m_maxSteps = nullptr, *m_batch = nullptr, *m_accum = nullptr;
    QSpinBox *m_warmup = nullptr, *m_evalEvery = nullptr, *m_seed = nullptr;
    QDoubleSpinBox *m_lr = nullptr;
};

} // namespace chatbench::ui
