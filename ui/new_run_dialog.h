#pragma once
// New Run: corpus, tokenizer, initialisation (from scratch or a pretrained model), preset and
// the key hyper-parameters, checked with RunConfig::validate() plus the file checks the user can
// fix here (the corpus is readable, the tokenizer loads, the pretrained model's config.json
// parses; each message names the file), so a bad value is reported in the dialog and not as a
// failed run. The tokenizer and the pretrained model are folders or repo ids (org/name[@rev])
// from the Hugging Face cache; OK on a repo id the cache lacks offers the download dialog.

#include "chatbench/hub.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace chatbench::ui {

class TrainingSettingsForm;

class NewRunDialog : public QDialog
{
    Q_OBJECT

public:
    // hub: where repo ids are looked up, and downloaded to.
    NewRunDialog(const QString &workspace, chatbench::HubSettings hub, QWidget *parent = nullptr);

    QString runFolder() const;
    QString runJson() const; // RunConfig as run.json text
    // Empty when the settings make a valid run; else what to fix.
    QString validationError() const;
    // The first repo id among the tokenizer and the pretrained model that names no folder and
    // is not in the Hugging Face cache; empty when none.
    QString missingRepo() const;

    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *corpusEdit() const { return m_corpus; }
    QLineEdit *tokenizerEdit() const { return m_tokenizer; }
    QComboBox *initChoice() const { return m_init; } // 0: from scratch, 1: fine-tune
    QLineEdit *initFolderEdit() const { return m_initFolder; }
    QComboBox *kindChoice() const { return m_kind; } // 0: GPT-2, 1: GPT-2 + Transformer
    QComboBox *layoutChoice() const; // 0: chitchat, 1: cdial
    QSpinBox *maxLenBox() const;
    // What accept() found wrong, as the dialog shows it (empty once the settings are valid).
    QString shownError() const;

    void accept() override;

private:
    QLineEdit *folderField(const QString &caption, bool file);

    QString m_workspace;
    chatbench::HubSettings m_hub;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_corpus = nullptr;
    QLineEdit *m_tokenizer = nullptr;
    QComboBox *m_init = nullptr;
    QLineEdit *m_initFolder = nullptr;
    QComboBox *m_preset = nullptr;
    QComboBox *m_kind = nullptr; // 0: GPT-2, 1: GPT-2 + Transformer
    TrainingSettingsForm *m_training = nullptr;
    QLabel *m_message = nullptr;
};

} // namespace chatbench::ui
