#pragma once
// New Run: corpus, tokenizer, initialisation (from scratch or a pretrained folder), preset and
// the key hyper-parameters, checked with RunConfig::validate() plus the file checks the user can
// fix here (the corpus is readable, the tokenizer folder loads, the pretrained folder's
// config.json parses; each message names the file), so a bad value is reported in the dialog
// and not as a failed run.

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace chatbench::ui {

class NewRunDialog : public QDialog
{
    Q_OBJECT

public:
    NewRunDialog(const QString &workspace, QWidget *parent = nullptr);

    QString runFolder() const;
    QString runJson() const; // RunConfig as run.json text
    // Empty when the settings make a valid run; else what to fix.
    QString validationError() const;

    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *corpusEdit() const { return m_corpus; }
    QLineEdit *tokenizerEdit() const { return m_tokenizer; }
    QComboBox *initChoice() const { return m_init; } // 0: from scratch, 1: fine-tune
    QLineEdit *initFolderEdit() const { return m_initFolder; }
    // What accept() found wrong, as the dialog shows it (empty once the settings are valid).
    QString shownError() const;

    void accept() override;

private:
    QLineEdit *folderField(const QString &caption, bool file);

    QString m_workspace;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_corpus = nullptr;
    QLineEdit *m_tokenizer = nullptr;
    QComboBox *m_init = nullptr;
    QLineEdit *m_initFolder = nullptr;
    QComboBox *m_preset = nullptr;
    QSpinBox *m_maxLen = nullptr, *m_epochs = nullptr, *m_maxSteps = nullptr;
    QSpinBox *m_batch = nullptr, *m_accum = nullptr, *m_warmup = nullptr;
    QSpinBox *m_valid = nullptr, *m_evalEvery = nullptr, *m_seed = nullptr;
    QDoubleSpinBox *m_lr = nullptr;
    QLabel *m_message = nullptr;
};

} // namespace chatbench::ui
