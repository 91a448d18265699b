#include "shortcuts_dialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QShortcut>
#include <QTableWidget>
#include <QVBoxLayout>

namespace chatbench::ui {

namespace {
const char *const kKeyHelp = "chatbench_key_help";

struct Entry
{
    QString where, what, keys;
};

Entry entryOf(const QString &keys, const QString &text)
{
    const int colon = int(text.indexOf(QLatin1Char(':')));
    return { colon > 0 ? text.left(colon) : QString(),
        colon > 0 ? text.mid(colon + 1).trimmed() : text, keys };
}

void collectMenu(const QMenu *menu, const QString &where, QVector<Entry> &out)
{
    for (const QAction *a : menu->actions()) {
        if (a->menu())
            collectMenu(a->menu(), where, out);
        else if (!a->isSeparator() && !a->shortcut().isEmpty())
            out.append({ where, QString(a->text()).remove(QLatin1Char('&')),
                a->shortcut().toString(QKeySequence::NativeText) });
    }
}
} // namespace

void setKeyHelp(QWidget *widget, const QVector<QPair<QString, QString>> &entries)
{
    QStringList packed;
    for (const auto &[keys, what] : entries)
        packed << keys + QLatin1Char('\t') + what;
    widget->setProperty(kKeyHelp, packed);
}

ShortcutsDialog::ShortcutsDialog(QMainWindow *window) : QDialog(window)
{
    setWindowTitle(tr("Keyboard Shortcuts"));
    QVector<Entry> entries;
    for (const QAction *a : window->menuBar()->actions())
        if (a->menu())
            collectMenu(
                a->menu(), tr("Menu %1").arg(QString(a->text()).remove(QLatin1Char('&'))), entries);
    for (const QShortcut *s : window->findChildren<QShortcut *>()) {
        const QString text = s->whatsThis();
        if (text.isEmpty())
            continue;
        QStringList keys;
        for (const QKeySequence &k : s->keys())
            keys << k.toString(QKeySequence::NativeText);
        entries.append(entryOf(keys.join(tr(" or ")), text));
    }
    for (const QWidget *w : window->findChildren<QWidget *>())
        for (const QString &packed : w->property(kKeyHelp).toStringList())
            entries.append(entryOf(
                packed.section(QLatin1Char('\t'), 0, 0), packed.section(QLatin1Char('\t'), 1)));
    m_table = new QTableWidget(int(entries.size()), 3, this);
    m_table->setHorizontalHeaderLabels({ tr("Where"), tr("What"), tr("Keys") });
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    for (int i = 0; i < entries.size(); ++i) {
        m_table->setItem(i, 0, new QTableWidgetItem(entries[i].where));
        m_table->setItem(i, 1, new QTableWidgetItem(entries[i].what));
        m_table->setItem(i, 2, new QTableWidgetItem(entries[i].keys));
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table);
    layout->addWidget(buttons);
    resize(620, 480);
}

} // namespace chatbench::ui
