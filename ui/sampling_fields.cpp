#include "sampling_fields.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QSpinBox>
#include <climits>

namespace chatbench::ui {

SamplingFields::SamplingFields(QWidget *parent) : QWidget(parent)
{
    const auto real = [this](double min, double max, double step, double value) {
        auto *box = new QDoubleSpinBox(this);
        box->setRange(min, max);
        box->setSingleStep(step);
        box->setValue(value);
        connect(
            box, qOverload<double>(&QDoubleSpinBox::valueChanged), this, &SamplingFields::changed);
        return box;
    };
    const auto whole = [this](int min, int max, int value) {
        auto *box = new QSpinBox(this);
        box->setRange(min, max);
        box->setValue(value);
        connect(box, qOverload<int>(&QSpinBox::valueChanged), this, &SamplingFields::changed);
        return box;
    };
    const ChatModelSpec defaults;
    m_temperature = real(0, 5, 0.1, defaults.temperature);
    m_topK = whole(0, 1000, defaults.topK);
    m_topP = real(0.01, 1, 0.05, defaults.topP);
    m_repetition = real(1, 5, 0.1, defaults.repetitionPenalty);
    m_maxLength = whole(1, 1000, defaults.maxNewTokens);
    m_history = whole(1, 50, defaults.maxHistory);
    m_seed = whole(0, INT_MAX, int(defaults.seed));
    m_bf16 = new QCheckBox(this);
    connect(m_bf16, &QCheckBox::toggled, this, &SamplingFields::changed);

    // Two rows of label-beside-box pairs: compact enough for a column header.
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(4);
    const std::pair<QLabel **, QWidget *> fields[] = { { &m_temperatureTitle, m_temperature },
        { &m_topKTitle, m_topK }, { &m_topPTitle, m_topP }, { &m_seedTitle, m_seed },
        { &m_repetitionTitle, m_repetition }, { &m_maxLengthTitle, m_maxLength },
        { &m_historyTitle, m_history } };
    int i = 0;
    for (const auto &[title, box] : fields) {
        *title = new QLabel(this);
        box->setMaximumWidth(90);
        grid->addWidget(*title, i / 4, 2 * (i % 4));
        grid->addWidget(box, i / 4, 2 * (i % 4) + 1);
        ++i;
    }
    grid->addWidget(m_bf16, 1, 6, 1, 2);
    grid->setColumnStretch(8, 1);
    retranslate();
}

void SamplingFields::writeTo(ChatModelSpec &s) const
{
    s.temperature = m_temperature->value();
    s.topK = m_topK->value();
    s.topP = m_topP->value();
    s.repetitionPenalty = m_repetition->value();
    s.maxNewTokens = m_maxLength->value();
    s.maxHistory = m_history->value();
    s.seed = quint64(m_seed->value());
    s.precision = m_bf16->isChecked() ? Precision::Bf16 : Precision::Fp32;
}

void SamplingFields::readFrom(const ChatModelSpec &s)
{
    m_temperature->setValue(s.temperature);
    m_topK->setValue(s.topK);
    m_topP->setValue(s.topP);
    m_repetition->setValue(s.repetitionPenalty);
    m_maxLength->setValue(s.maxNewTokens);
    m_history->setValue(s.maxHistory);
    m_seed->setValue(int(qMin<quint64>(s.seed, INT_MAX)));
    m_bf16->setChecked(s.precision == Precision::Bf16);
}

void SamplingFields::follow(const ChatModelSpec &before, const ChatModelSpec &after)
{
    ChatModelSpec mine;
    writeTo(mine);
    const auto follow = [&](auto ChatModelSpec::*field) {
        if (mine.*field == before.*field)
            mine.*field = after.*field;
    };
    follow(&ChatModelSpec::temperature);
    follow(&ChatModelSpec::topK);
    follow(&ChatModelSpec::topP);
    follow(&ChatModelSpec::repetitionPenalty);
    follow(&ChatModelSpec::maxNewTokens);
    follow(&ChatModelSpec::maxHistory);
    follow(&ChatModelSpec::seed);
    follow(&ChatModelSpec::precision);
    readFrom(mine);
    markOwn(after);
}

QStringList SamplingFields::markOwn(const ChatModelSpec &shared)
{
    ChatModelSpec mine;
    writeTo(mine);
    QStringList own;
    const auto mark = [&own](QWidget *title, bool differs, const QString &what) {
        QFont font = title->font();
        font.setBold(differs);
        title->setFont(font);
        title->setToolTip(
            differs ? tr("This column's own setting (the shared one differs)") : QString());
        if (differs)
            own << what;
    };
    mark(m_temperatureTitle, mine.temperature != shared.temperature,
        tr("temperature %1").arg(mine.temperature));
    mark(m_topKTitle, mine.topK != shared.topK, tr("top-k %1").arg(mine.topK));
    mark(m_topPTitle, mine.topP != shared.topP, tr("top-p %1").arg(mine.topP));
    mark(m_repetitionTitle, mine.repetitionPenalty != shared.repetitionPenalty,
        tr("repetition penalty %1").arg(mine.repetitionPenalty));
    mark(m_maxLengthTitle, mine.maxNewTokens != shared.maxNewTokens,
        tr("max length %1").arg(mine.maxNewTokens));
    mark(m_historyTitle, mine.maxHistory != shared.maxHistory,
        tr("history %1").arg(mine.maxHistory));
    mark(m_seedTitle, mine.seed != shared.seed, tr("seed %1").arg(mine.seed));
    mark(m_bf16, mine.precision != shared.precision,
        mine.precision == Precision::Bf16 ? tr("bf16") : tr("fp32"));
    return own;
}

void SamplingFields::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void SamplingFields::retranslate()
{
    m_temperatureTitle->setText(tr("T"));
    m_temperature->setToolTip(tr("Temperature; 0 = greedy"));
    m_topKTitle->setText(tr("top-k"));
    m_topK->setToolTip(tr("0 = off; GPT2-chitchat uses 8"));
    m_topPTitle->setText(tr("top-p"));
    m_repetitionTitle->setText(tr("rep."));
    m_repetition->setToolTip(tr("Repetition penalty; 1 = off"));
    m_maxLengthTitle->setText(tr("max len"));
    m_maxLength->setToolTip(tr("The longest reply, in tokens"));
    m_historyTitle->setText(tr("history"));
    m_history->setToolTip(tr("Utterances the model sees, its own replies included"));
    m_seedTitle->setText(tr("seed"));
    m_seed->setToolTip(tr("Reply n of a model draws with seed + n, so a chat replays exactly"));
    m_bf16->setText(tr("bf16"));
    m_bf16->setToolTip(tr("Decode with bfloat16 copies of the weight matrices: up to ~1.8x faster "
                          "on the CPU, logits within bfloat16 rounding"));
}

} // namespace chatbench::ui
