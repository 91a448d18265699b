#pragma once
// The Chat pane: one input line, one column per model (chat_column.h) answering the same user
// turns, replies streamed in token by token, stop / regenerate / clear, and transcripts saved,
// reopened and exported (JSON, report-style Markdown, table, HTML) by the engine's
// transcript.h. The pane holds only what it shows; the ChatSession lives on the engine thread,
// and the pane reloads the models there whenever a column's choice or settings changed.

#include "chat_column.h"
#include "engine_types.h"

#include <QSet>
#include <QWidget>

class QHBoxLayout;
class QAction;
class QLineEdit;
class QPushButton;
class QToolButton;
class QTimer;

namespace chatbench::ui {

class ChatPane : public QWidget
{
    Q_OBJECT

public:
    explicit ChatPane(QWidget *parent = nullptr);

    // A run of the workspace becomes a model choice in every column.
    void addSource(const QString &label, const QString &folder);
    ChatColumn *addColumn(const ChatModelSpec *spec = nullptr);
    // One column per run (name, folder), in order, at the weights it trains with now (else its
    // latest checkpoint), with the first column's sampling settings; other columns go.
    void chatWithRuns(const QVector<QPair<QString, QString>> &runs);
    QVector<ChatColumn *> columns() const { return m_columns; }
    ChatModelSpecs specs() const;
    QLineEdit *input() const { return m_input; }
    bool isBusy() const { return m_busy; }

public Q_SLOTS:
    void send(); // the input line's text
    void editLastTurn(); // puts the last user line back in the input, to be answered again
    void reload(); // loads the columns' models again (picks up a training run's newer checkpoints)
    // What Open… does after its dialog: the engine reads the transcript and loads its models.
    void openTranscript(const QString &file);
    void onModelsLoaded(const chatbench::ui::LoadedModels &models);
    void onTurnStarted(int turn, const QString &user);
    void onToken(int turn, int model, const QString &textSoFar);
    void onTurnFinished(int turn, const QStringList &replies);
    void onCleared();
    void onError();

Q_SIGNALS:
    void loadRequested(const chatbench::ui::ChatModelSpecs &specs);
    void sendRequested(const QString &text);
    void regenerateRequested();
    void editRequested(int turn, const QString &text);
    void clearRequested();
    void stopRequested();
    void saveRequested(const QString &file, chatbench::TranscriptFormat format);
    void openRequested(const QString &file);
    void hubModelRequested(chatbench::ui::ChatColumn *column);
    void turnFinished(int turn);

protected:
    void changeEvent(QEvent *event) override;

private:
    void render(int model = -1);
    void removeColumn(ChatColumn *column);
    void setBusy(bool busy);
    void retranslate();
    QString saveFilter(chatbench::TranscriptFormat format) const;

    QHBoxLayout *m_columnsLayout = nullptr;
    QVector<ChatColumn *> m_columns;
    QVector<QPair<QString, QString>> m_sources;
    QVector<QVector<ChatLine>> m_lines; // [model][turn]
    QLineEdit *m_input = nullptr;
    QPushButton *m_send = nullptr, *m_stop = nullptr, *m_regenerate = nullptr;
    QPushButton *m_addModel = nullptr, *m_reload = nullptr, *m_open = nullptr;
    QPushButton *m_clear = nullptr, *m_editLast = nullptr;
    QToolButton *m_save = nullptr;
    QVector<QAction *> m_saveFormats; // Json, Markdown, Table, Html
    bool m_dirty = true; // the columns changed since the models were loaded
    bool m_busy = false;
    QTimer *m_renderTimer = nullptr; // coalesces token updates: at most ~30 redraws a second
    QSet<int> m_stale; // columns with tokens not drawn yet
    int m_editing = -1; // the user turn the input line replaces, or -1 for a new turn
};

} // namespace chatbench::ui
