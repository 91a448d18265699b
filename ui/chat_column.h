#pragma once
// The head of one model's column in the Chat pane: which model (a workspace run with its
// checkpoint — latest, best or a step — any Hugging Face folder, or a repo id from the Hugging
// Face cache), its sampling settings (the pane's shared ones unless set here), and what the
// engine loaded: run, step and settings, or why it refused the model. A column only describes;
// the ChatPane sends the specs to the engine and shows the conversation below the columns.

#include "engine_types.h"

#include <QFrame>

class QComboBox;
class QLabel;
class QLineEdit;
class QToolButton;

namespace chatbench::ui {

class SamplingFields;

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
    // The engine could not open the model chosen: the reason, shown until the next load.
    void setRefused(const QString &reason);
    QString identity() const; // the line naming run, step and sampling
    QString refusal() const;
    // The pane's shared sampling settings, followed where this column has none of its own.
    void setShared(const ChatModelSpec &before, const ChatModelSpec &after);
    // Focus moves here (next/previous column): the model list.
    void focusModel();

Q_SIGNALS:
    // A setting that decodes differently (sampling, name): the models load again before the
    // next reply.
    void changed();
    // The model or checkpoint: loaded at once, so a folder that is no model is refused at once.
    void modelChanged();
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
    void showIdentity();

    QLineEdit *m_name = nullptr;
    QComboBox *m_source = nullptr;
    QComboBox *m_checkpoint = nullptr;
    QLabel *m_loaded = nullptr, *m_refused = nullptr;
    SamplingFields *m_sampling = nullptr;
    QToolButton *m_remove = nullptr, *m_settings = nullptr;
    QLabel *m_modelTitle = nullptr, *m_checkpointTitle = nullptr;
    LoadedModel m_loadedModel; // what setLoaded() said, said again in a new language
    ChatModelSpec m_shared; // the pane's shared settings
    QString m_lastSource; // the model chosen before a picker
};

} // namespace chatbench::ui
