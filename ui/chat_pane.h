#pragma once
// The Chat pane: one input line, one column per model (chat_column.h) answering the same user
// turns together, token by token, and the conversation in rows aligned across the columns
// (conversation_grid.h) with each reply's tokens, speed, stop reason and versions. Sampling
// settings are shared by the columns unless a column sets its own. Stop / regenerate / edit any
// line / clear, and transcripts saved, reopened and exported (JSON, report-style Markdown, table,
// HTML) by the engine's transcript.h. The pane holds only what it shows; the ChatSession lives
// on the engine thread (chat_service.h), and the pane loads the models there as soon as a
// column's model changes (a folder that is no model is refused at once, the column keeping its
// model) and before the next reply when settings changed.

#include "chat_column.h"
#include "engine_types.h"

#include <QWidget>

class QAction;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QShortcut;
class QTimer;
class QToolButton;

namespace chatbench::ui {

class ConversationGrid;
class SamplingFields;

class ChatPane : public QWidget
{
    Q_OBJECT

public:
    explicit ChatPane(QWidget *parent = nullptr);

    // A run of the workspace becomes a model choice in every column.
    void addSource(const QString &label, const QString &folder);
    // A new column with spec, else with nothing chosen and the shared settings; it is answered
    // the conversation so far once its model loads.
    ChatColumn *addColumn(const ChatModelSpec *spec = nullptr);
    // One more column per run (name, folder), at the weights it trains with now (else its
    // latest checkpoint), with the shared settings: what Add model does with the runs selected.
    void addRuns(const QVector<QPair<QString, QString>> &runs);
    // One column per run, in order, the other columns gone (New Experiment, --compare).
    void chatWithRuns(const QVector<QPair<QString, QString>> &runs);
    QVector<ChatColumn *> columns() const { return m_columns; }
    ChatModelSpecs specs() const;
    QLineEdit *input() const { return m_input; }
    ConversationGrid *conversation() const { return m_grid; }
    // Column `column`'s side of the conversation as text ("user: …", "chatbot: …" lines).
    QString conversationText(int column) const;
    bool isBusy() const { return m_busy; }

public Q_SLOTS:
    void send(); // the input line's text
    void stop();
    void regenerate();
    void editLastTurn(); // puts the last user line back in the input, to be answered again
    void editTurn(int turn); // the same for any user line
    void focusColumn(int step); // next (+1) or previous (-1) column's model list
    void reload(); // loads the columns' models again (picks up a training run's newer checkpoints)
    // What Open… does after its dialog: the engine reads the transcript and loads its models.
    void openTranscript(const QString &file);
    void onOpened(const chatbench::ui::ChatModelSpecs &specs);
    void onModelsLoaded(const chatbench::ui::LoadedModels &models);
    void onModelsRefused(const QVector<int> &columns, const QStringList &reasons);
    void onConversation(int from, const chatbench::ui::ChatTurns &turns);
    void onReplying(int turn, const QString &user, const QVector<int> &models);
    void onToken(int turn, int model, const QString &textSoFar);
    void onGenerated(int turn);
    void onError();

Q_SIGNALS:
    // keep[i]: the model whose replies column i keeps (its index at the last load), or -1.
    void loadRequested(const chatbench::ui::ChatModelSpecs &specs, const QVector<int> &keep);
    void sendRequested(const QString &text);
    void regenerateRequested();
    void editRequested(int turn, const QString &text);
    void versionRequested(int turn, int model, int version);
    void clearRequested();
    void stopRequested();
    void saveRequested(const QString &file, chatbench::TranscriptFormat format);
    void openRequested(const QString &file);
    void hubModelRequested(chatbench::ui::ChatColumn *column);
    // Add model: the window answers with addRuns() for the runs selected in its run list, or
    // addColumn() when none is.
    void addModelRequested();
    void turnFinished(int turn);

protected:
    void changeEvent(QEvent *event) override;

private:
    void removeColumn(ChatColumn *column);
    // A run's column (name, folder): the weights it trains with now, the shared settings.
    ChatModelSpec runSpec(const QPair<QString, QString> &run) const;
    void setBusy(bool busy);
    void retranslate();
    void requestLoad(); // soon: several changes in a row load once
    void stopEditing();
    QString saveFilter(chatbench::TranscriptFormat format) const;

    QHBoxLayout *m_columnsLayout = nullptr;
    QVector<ChatColumn *> m_columns;
    QVector<QPair<QString, QString>> m_sources;
    SamplingFields *m_shared = nullptr;
    ChatModelSpec m_sharedSpec; // what m_shared held before its last change
    QLabel *m_sharedTitle = nullptr, *m_editingNote = nullptr;
    ConversationGrid *m_grid = nullptr;
    QLineEdit *m_input = nullptr;
    QPushButton *m_send = nullptr, *m_stop = nullptr, *m_regenerate = nullptr;
    QPushButton *m_addModel = nullptr, *m_reload = nullptr, *m_open = nullptr;
    QPushButton *m_clear = nullptr, *m_editLast = nullptr;
    QToolButton *m_save = nullptr;
    QVector<QAction *> m_saveFormats; // Json, Markdown, Table, Html
    QTimer *m_loadTimer = nullptr;
    QVector<QPair<QShortcut *, const char *>> m_shortcuts; // with their untranslated purpose
    bool m_dirty = true; // the columns changed since the models were loaded
    bool m_busy = false;
    int m_editing = -1; // the user turn the input line replaces, or -1 for a new turn
    // Per column: its model's index in the engine's session (-1: not loaded yet), and the spec
    // that loaded, which a refused change goes back to.
    QHash<ChatColumn *, int> m_loadedIndex;
    QHash<ChatColumn *, ChatModelSpec> m_loadedSpec;
    QList<QVector<ChatColumn *>> m_inFlight; // per load asked for, its columns in order
};

} // namespace chatbench::ui
