#include "run_list.h"

#include <QApplication>
#include <QEvent>
#include <QHeaderView>
#include <QStyledItemDelegate>
#include <cmath>

namespace chatbench::ui {

namespace {
// Prefixed: QAbstractItemView has its own State enum, which would shadow a plain name.
enum Column { ColName, ColState, ColStep, ColLoss, ColAccuracy, ColProgress };
constexpr int kDirRole = Qt::UserRole + 1;
constexpr int kProgressRole = Qt::UserRole + 2; // 0..1000, or -1 when unknown
constexpr int kShownRole = Qt::UserRole + 3; // the check state last reported
constexpr int kStateRole = Qt::UserRole + 4; // the RunState, for its text in a new language

// Draws the Done column as a progress bar, so every run's progress shows at a glance.
class ProgressDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override
    {
        const int value
            = index.data(kProgressRole).isValid() ? index.data(kProgressRole).toInt() : -1;
        if (value < 0) {
            QStyledItemDelegate::paint(painter, option, index);
            return;
        }
        QStyleOptionProgressBar bar;
        bar.rect = option.rect.adjusted(2, 2, -2, -2);
        bar.minimum = 0;
        bar.maximum = 1000;
        bar.progress = value;
        bar.text = index.data(Qt::DisplayRole).toString();
        bar.textVisible = true;
        // Qt 6 reads the orientation from the state; without it the bar is drawn vertically.
        bar.state = option.state | QStyle::State_Horizontal;
        const QWidget *widget = option.widget;
        QStyle *style = widget ? widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
    }
};
} // namespace

RunList::RunList(QWidget *parent) : QTreeWidget(parent)
{
    retranslate();
    setRootIsDecorated(false);
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    header()->setStretchLastSection(false);
    header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    header()->setSectionResizeMode(ColName, QHeaderView::Stretch);
    setItemDelegateForColumn(ColProgress, new ProgressDelegate(this));
    connect(this, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (item)
            Q_EMIT runSelected(item->data(ColName, kDirRole).toString());
    });
    connect(this, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem *item, int column) {
        // itemChanged also fires for every text update: only a changed check state counts.
        const bool shown = item->checkState(ColName) == Qt::Checked;
        if (column != ColName || item->data(ColName, kShownRole).toBool() == shown)
            return;
        item->setData(ColName, kShownRole, shown);
        Q_EMIT runShownChanged(item->data(ColName, kDirRole).toString(), shown);
    });
}

void RunList::setFailure(const QString &dir, const QString &message)
{
    QTreeWidgetItem *item = itemFor(dir);
    if (!item)
        return;
    item->setToolTip(ColState, message.isEmpty() ? QString() : tr("Failed: %1").arg(message));
    item->setForeground(ColState, message.isEmpty() ? palette().text() : QBrush(Qt::red));
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
    item->setData(ColName, kShownRole, true);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(ColName, Qt::Checked);
    item->setToolTip(ColName, tr("%1\nUntick to hide its curves").arg(run.dir));
    item->setData(ColState, kStateRole, int(run.state));
    QPixmap swatch(10, 10);
    swatch.fill(color);
    item->setIcon(ColName, QIcon(swatch));
    item->setText(ColState, runStateText(run.state));
    for (int c : { ColStep, ColLoss, ColAccuracy, ColProgress })
        item->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
    if (topLevelItemCount() == 1)
        setCurrentItem(item);
}

void RunList::setState(const QString &dir, RunState state)
{
    if (QTreeWidgetItem *item = itemFor(dir)) {
        item->setText(ColState, runStateText(state));
        item->setData(ColState, kStateRole, int(state));
    }
}

void RunList::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QTreeWidget::changeEvent(event);
}

// The rows keep their runs and values; only the words change (the Done tooltip, computed from
// the latest speed, follows at the next update).
void RunList::retranslate()
{
    setHeaderLabels({ tr("Run"), tr("State"), tr("Step"), tr("Loss"), tr("Acc."), tr("Done") });
    for (int i = 0; i < topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = topLevelItem(i);
        const QString dir = item->data(ColName, kDirRole).toString();
        item->setToolTip(ColName, tr("%1\nUntick to hide its curves").arg(dir));
        item->setText(ColState, runStateText(RunState(item->data(ColState, kStateRole).toInt())));
    }
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
    item->setData(ColProgress, kProgressRole,
        std::isfinite(progress) ? int(std::lround(progress * 1000)) : -1);
}

void RunList::setSpeed(const QString &dir, double tokensPerSecond, double etaSeconds)
{
    QTreeWidgetItem *item = itemFor(dir);
    if (!item || !std::isfinite(tokensPerSecond))
        return;
    item->setToolTip(ColProgress,
        tr("%1 tokens/s, about %2 min left")
            .arg(tokensPerSecond, 0, 'f', 0)
            .arg(std::isfinite(etaSeconds) ? QString::number(etaSeconds / 60, 'f', 1) : "?"));
}

QString RunList::selectedRun() const
{
    return currentItem() ? currentItem()->data(ColName, kDirRole).toString() : QString();
}

QVector<QPair<QString, QString>> RunList::selectedRuns() const
{
    QVector<QPair<QString, QString>> out;
    for (int i = 0; i < topLevelItemCount(); ++i)
        if (const QTreeWidgetItem *item = topLevelItem(i); item->isSelected())
            out.append({ item->text(ColName), item->data(ColName, kDirRole).toString() });
    return out;
}

QStringList RunList::runs() const
{
    QStringList dirs;
    for (int i = 0; i < topLevelItemCount(); ++i)
        dirs << topLevelItem(i)->data(ColName, kDirRole).toString();
    return dirs;
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

void RunList::removeRun(const QString &dir)
{
    delete itemFor(dir);
}

} // namespace chatbench::ui
