#pragma once
// Help → Keyboard Shortcuts: every key the window answers to, gathered from what is really
// there — the menu actions with a shortcut, and the panes' QShortcuts, whose whatsThis says
// "Pane: what it does" — so the list cannot drift from the keys.

#include <QDialog>

class QMainWindow;
class QTableWidget;

namespace chatbench::ui {

// Keys a widget handles itself (an event filter, keyPressEvent) rather than through a menu or a
// QShortcut, for the dialog to list: each entry {keys, "Where: what it does"}, in the UI's
// language (call it again on a language change).
void setKeyHelp(QWidget *widget, const QVector<QPair<QString, QString>> &entries);

class ShortcutsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ShortcutsDialog(QMainWindow *window);
    QTableWidget *table() const { return m_table; }

private:
    QTableWidget *m_table = nullptr;
};

} // namespace chatbench::ui
