#include "run_list.h"

#include <QHeaderView>
#include <cmath>

namespace chatbench::ui {

namespace {
// Prefixed: QAbstractItemView has its own State enum, which would shadow a plain name.
enum Column { ColName, ColState, ColStep, ColLoss, ColAccuracy, ColProgress };
constexpr int kDirRole = Qt::UserRole + 1;
} // namespace

RunList::RunList(QWidget *parent) : QTreeWidget(parent)
{
    setHeaderLabels({ tr("Run"), tr("State"), tr("Step"), tr("Loss"), tr("Acc."), tr("Done") });
    setRootIsDecorated(false);
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    header()->setStretchLastSection(false);
    header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    header()->setSectionResizeMode(ColName, QHeaderView::Stretch);
    connect(this, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (item)
            Q_EMIT runSelected(item->data(ColName, kDirRole).toString());
    });
}

QTreeWidgetItem *RunList::itemFor(const QString &dir) const
{
    for (int i = 0; i < topLevelItemCount(); ++i)
        if (topLevelItem(i)->data(ColName, kDirRole).toString() == dir)
            return topLevelItem(i);
    return nullptr;
}

void RunList::addRun(const RunSummary &run, const QColor &color)
{
    if (itemFor(run.dir))
        return;
    auto *item = new QTreeWidgetItem(this);
    item->setText(ColName, run.name);
    item->setData(ColName, kDirRole, run.dir);
    item->setToolTip(ColName, run.dir);
    QPixmap swatch(10, 10);
    swatch.fill(color);
    item->setIcon(ColName, QIcon(swatch));
    item->setText(ColState, run.state);
    for (int c : { ColStep, ColLoss, ColAccuracy, ColProgress })
        item->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
    if (topLevelItemCount() == 1)
        setCurrentItem(item);
}

void RunList::setState(const QString &dir, const QString &state)
{
    if (QTreeWidgetItem *item = itemFor(dir))
        item->setText(ColState, state);
}

void RunList::setLatest(const QString &dir, qint64 step, double loss, double acc, double progress)
{
    QTreeWidgetItem *item = itemFor(dir);
    if (!item)
        return;
    const auto num = [](double v, int decimals) {
        return std::isfinite(v) ? QString::number(v, 'f', decimals) : QStringLiteral("-");
    };
    item->setText(ColStep, QString::number(step));
    item->setText(ColLoss, num(loss, 3));
    item->setText(ColAccuracy, num(acc, 3));
    item->setText(ColProgress, std::isfinite(progress) ? num(progress * 100, 0) + "%" : "-");
}

QString RunList::selectedRun() const
{
    return currentItem() ? currentItem()->data(ColName, kDirRole).toString() : QString();
}

void RunList::selectRun(const QString &dir)
{
    if (QTreeWidgetItem *item = itemFor(dir))
        setCurrentItem(item);
}

void RunList::clearRuns()
{
    clear();
}

} // namespace chatbench::ui
