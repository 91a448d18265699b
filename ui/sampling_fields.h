#pragma once
// The sampling settings of a chat model as a row of small fields: temperature, top-k, top-p,
// repetition penalty, reply length, history, seed and bf16. The Chat pane has one set shared by
// every column, and each column its own: a column follows the shared value of a field until the
// user sets it otherwise, and a field that differs from the shared one is shown in bold as the
// column's own.

#include "engine_types.h"

#include <QWidget>

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;

namespace chatbench::ui {

class SamplingFields : public QWidget
{
    Q_OBJECT

public:
    explicit SamplingFields(QWidget *parent = nullptr);

    // The sampling part of a spec (temperature, top-k, top-p, repetition penalty, max new tokens,
    // history, seed, precision); the rest of `into` is left as it is.
    void writeTo(ChatModelSpec &into) const;
    void readFrom(const ChatModelSpec &spec);
    // The shared settings moved from `before` to `after`: every field still at the shared value
    // takes the new one, and the fields that differ are marked as the column's own.
    void follow(const ChatModelSpec &before, const ChatModelSpec &after);
    // Marks the fields that differ from `shared`; returns their names, e.g. {"temperature 0.7"}.
    QStringList markOwn(const ChatModelSpec &shared);

Q_SIGNALS:
    void changed();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();

    QDoubleSpinBox *m_temperature = nullptr, *m_topP = nullptr, *m_repetition = nullptr;
    QSpinBox *m_topK = nullptr, *m_maxLength = nullptr, *m_history = nullptr, *m_seed = nullptr;
    QCheckBox *m_bf16 = nullptr;
    QLabel *m_temperatureTitle = nullptr, *m_topKTitle = nullptr, *m_topPTitle = nullptr,
           *m_repetitionTitle = nullptr, *m_maxLengthTitle = nullptr, *m_historyTitle = nullptr,
           *m_seedTitle = nullptr;
};

} // namespace chatbench::ui
