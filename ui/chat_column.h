#pragma once
// One model of the Chat pane: which model (a workspace run with its checkpoint — latest, best
// or a step — any Hugging Face folder, or a repo id from the Hugging Face cache), its sampling
// settings, and its side of the conversation. A column only describes; the ChatPane sends the
// specs to the engine.

#include "engine_types.h"

#include <QFrame>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTextBrowser;
class QToolButton;

namespace chatbench::ui {

struct ChatLine
{
    QString user;
    QString reply;
    bool streaming = false;

    bool operator==(const ChatLine &o) const
    {
        return user == o.user && reply == o.reply && streaming == o.streaming;
    }
};

class ChatColumn : public QFrame
{
    Q_OBJECT

public:
    explicit ChatColumn(QWidget *parent = nullptr);

    // Model sources offered: (label, folder) pairs; a folder outside them can be added.
    void addSource(const QString &label, const QString &folder);
    ChatModelSpec spec() const;
    // Offers dir (a run or Hugging Face folder, or a repo id) and selects it: what the pickers
    // do after their dialogs. Whether it loads is the engine's to say, when the pane next loads
    // the models.
    void useFolder(const QString &dir);
    // A picker's dialog was cancelled: back to the model chosen before.
    void cancelPick();
    void setSpec(const ChatModelSpec &spec);
    // What the engine opened for this column (an empty folder: nothing).
    void setLoaded(const LoadedModel &model);
    void showConversation(const QVector<ChatLine> &lines);
    QString conversationText() const;

Q_SIGNALS:
    void changed();
    void removeRequested();
    // "Hugging Face model…" was chosen: the window asks for the repo id (download_dialog.h) and
    // answers with useFolder() or cancelPick().
    void hubModelRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void refreshCheckpoints();
    void chooseFolder();
    void retranslate();

    QLineEdit *m_name = nullptr;
    QComboBox *m_source = nullptr;
    QComboBox *m_checkpoint = nullptr;
    QLabel *m_loaded = nullptr;
    QDoubleSpinBox *m_temperature = nullptr;
    QSpinBox *m_topK = nullptr;
    QDoubleSpinBox *m_topP = nullptr;
    QDoubleSpinBox *m_repetition = nullptr;
    QSpinBox *m_maxLength = nullptr;
    QSpinBox *m_history = nullptr;
    QCheckBox *m_bf16 = nullptr;
    QToolButton *m_remove = nullptr;
    QLabel *m_modelTitle = nullptr, *m_checkpointTitle = nullptr, *m_temperatureTitle = nullptr,
           *m_topKTitle = nullptr, *m_topPTitle = nullptr, *m_repetitionTitle = nullptr,
           *m_maxLengthTitle = nullptr, *m_historyTitle = nullptr;
    LoadedModel m_loadedModel; // what setLoaded() said, said again in a new language
    QTextBrowser *m_view = nullptr;
    QVector<ChatLine> m_shown; // what m_view shows: two blocks per line, user then chatbot
    QString m_lastSource; // the model chosen before a picker
};

} // namespace chatbench::ui
