#include "training_settings_form.h"

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
    for (QWidget *field : std::initializer_list<QWidget *> {
             m_epochs, m_maxSteps, m_batch, m_accum, m_lr, m_warmup, m_evalEvery, m_seed })
        m_form->addRow(new QLabel(this), field);
    retranslate();
}

void TrainingSettingsForm::applyTo(RunConfig &c) const
{
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
    return { { "epochs", m_epochs }, { "maxSteps", m_maxSteps }, { "batch", m_batch },
        { "accum", m_accum }, { "warmup", m_warmup }, { "evalEvery", m_evalEvery },
        { "seed", m_seed } };
}

void TrainingSettingsForm::remember(const QString &group) const
{
    QSettings settings;
    for (const auto &[name, box] : boxes())
        settings.setValue(group + "/" + name, box->value());
    settings.setValue(group + "/lr", m_lr->value());
}

void TrainingSettingsForm::restore(const QString &group)
{
    QSettings settings;
    for (const auto &[name, box] : boxes())
        box->setValue(settings.value(group + "/" + name, box->value()).toInt());
    m_lr->setValue(settings.value(group + "/lr", m_lr->value()).toDouble());
}

void TrainingSettingsForm::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void TrainingSettingsForm::retranslate()
{
    const QString labels[]
        = { tr("Epochs"), tr("Max steps"), tr("Batch size"), tr("Gradient accumulation"),
              tr("Learning rate"), tr("Warm-up steps"), tr("Validate every"), tr("Seed") };
    for (int i = 0; i < 8; ++i)
        if (auto *label
            = qobject_cast<QLabel *>(m_form->itemAt(i, QFormLayout::LabelRole)->widget()))
            label->setText(labels[i]);
    m_maxSteps->setToolTip(tr("0: train all epochs"));
    m_evalEvery->setToolTip(tr("steps; 0: at every epoch's end"));
}

} // namespace chatbench::ui
