#pragma once
// The application window. The panes (Chat, Training Monitor, Model Comparison) arrive with the
// workbench; this window already owns the menus, the status bar and the remembered geometry.

#include <QMainWindow>

class QLabel;
class QTabWidget;

namespace chatbench::ui {

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createMenus();
    void showAbout();

    QTabWidget *m_panes = nullptr;
    QLabel *m_engineStatus = nullptr;
};

} // namespace chatbench::ui
