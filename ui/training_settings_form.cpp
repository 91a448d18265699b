#include "training_settings_form.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QSettings>
#include <QSpinBox>

namespace chatbench::ui {

namespace {

QSpinBox *spin(QWidget *parent, int min, int max, std::int64_t value)
{
    auto *box = new QSpinBox(parent);
    box->setRange(min, max);
    box->setValue(int(value));
    return box;
}

} // namespace

TrainingSettingsForm::TrainingSettingsForm(QWidget *parent) : QWidget(parent)
{
    const RunConfig defaults; // GPT2-chitchat's train.py values
    m_layout = new QComboBox(this);
    m_layout->addItems({ QString(), QString() });
    m_maxLen = spin(this, 8, 4096, defaults.maxLen);
    m_valid = spin(this, 0, 10000000, 200);
    m_epochs = spin(this, 1, 10000, defaults.epochs);
    m_maxSteps = spin(this, 0, 100000000, defaults.maxSteps);
    m_batch = spin(this, 1, 4096, defaults.batchSize);
    m_accum = spin(this, 1, 1024, defaults.gradAccum);
    m_lr = new QDoubleSpinBox(this);
    m_lr->setDecimals(7);
    m_lr->setRange(1e-7, 1);
    m_lr->setSingleStep(1e-5);
    m_lr->setValue(defaults.lr);
    m_warmup = spin(this, 0, 10000000, defaults.warmupSteps);
    m_evalEvery = spin(this, 0, 10000000, defaults.evalEvery);
    m_seed = spin(this, 0, 2147483647, std::int64_t(defaults.seed));
    m_form = new QFormLayout(this);
    m_form->setContentsMargins(0, 0, 0, 0);
    for (QWidget *field : std::initializer_list<QWidget *> { m_layout, m_maxLen, m_valid, m_epochs,
             m_maxSteps, m_batch, m_accum, m_lr, m_warmup, m_evalEvery, m_seed })
        m_form->addRow(m_labels.emplace_back(new QLabel(this)), field);
    retranslate();
}

void TrainingSettingsForm::applyTo(RunConfig &c) const
{
    const bool cdial = m_layout->currentIndex() == 1;
    c.layout = cdial ? DialogueLayout::Kind::CDial : DialogueLayout::Kind::Chitchat;
    c.loss = cdial ? LossScope::Response : LossScope::All; // CDial-GPT learns the response only
    c.maxLen = m_maxLen->value();
    c.validCount = std::uint64_t(m_valid->value());
    c.epochs = m_epochs->value();
    c.maxSteps = m_maxSteps->value();
    c.batchSize = m_batch->value();
    c.gradAccum = m_accum->value();
    c.lr = m_lr->value();
    c.warmupSteps = m_warmup->value();
    c.evalEvery = m_evalEvery->value();
    c.seed = std::uint64_t(m_seed->value());
}

void TrainingSettingsForm::setFrom(const RunConfig &c)
{
    m_layout->setCurrentIndex(c.layout == DialogueLayout::Kind::CDial ? 1 : 0);
    m_maxLen->setValue(c.maxLen);
    m_valid->setValue(int(c.validCount));
    m_epochs->setValue(c.epochs);
    m_maxSteps->setValue(int(c.maxSteps));
    m_batch->setValue(c.batchSize);
    m_accum->setValue(c.gradAccum);
    m_lr->setValue(c.lr);
    m_warmup->setValue(int(c.warmupSteps));
    m_evalEvery->setValue(int(c.evalEvery));
    m_seed->setValue(int(c.seed));
}

std::vector<std::pair<const char *, QSpinBox *>> TrainingSettingsForm::boxes() const
{
    return { { "maxLen", m_maxLen }, { "valid", m_valid }, { "epochs", m_epochs },
        { "maxSteps", m_maxSteps }, { "batch", m_batch }, { "accum", m_accum },
        { "warmup", m_warmup }, { "evalEvery", m_evalEvery }, { "seed", m_seed } };
}

void TrainingSettingsForm::remember(const QString &group) const
{
    QSettings settings;
    for (const auto &[name, box] : boxes())
        settings.setValue(group + "/" + name, box->value());
    settings.setValue(group + "/lr", m_lr->value());
    settings.setValue(group + "/layout", m_layout->currentIndex());
}

void TrainingSettingsForm::restore(const QString &group)
{
    QSettings settings;
    for (const auto &[name, box] : boxes())
        box->setValue(settings.value(group + "/" + name, box->value()).toInt());
    m_lr->setValue(settings.value(group + "/lr", m_lr->value()).toDouble());
    m_layout->setCurrentIndex(settings.value(group + "/layout", 0).toInt());
}

void TrainingSettingsForm::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void TrainingSettingsForm::retranslate()
{
    const QString labels[] = { tr("Dialogue layout"), tr("Max length"), tr("Validation dialogues"),
        tr("Epochs"), tr("Max steps"), tr("Batch size"), tr("Gradient accumulation"),
        tr("Learning rate"), tr("Warm-up steps"), tr("Validate every"), tr("Seed") };
    // By pointer, not by row: a dialog may insert rows of its own between these.
    for (std::size_t i = 0; i < m_labels.size(); ++i)
        m_labels[i]->setText(labels[i]);
    m_layout->setItemText(0, tr("GPT2-chitchat: [CLS] u1 [SEP] u2 [SEP] …, loss on every token"));
    m_layout->setItemText(1, tr("CDial-GPT: speaker tokens, loss on the final response"));
    m_maxLen->setToolTip(tr("tokens per dialogue (GPT2-chitchat: 150)"));
    m_valid->setToolTip(tr("dialogues held out for validation"));
    m_maxSteps->setToolTip(tr("0: train all epochs"));
    m_evalEvery->setToolTip(tr("steps; 0: at every epoch's end"));
}

} // namespace chatbench::ui
