#pragma once
// New Experiment: the runs of one comparison (from scratch, fine-tuned from a pretrained model,
// GPT-2 + Transformer, ...) over one corpus, sharing the tokenizer, the data settings and the
// hyper-parameters, each run with its own overrides. Everything is checked before anything is
// created, with the engine's own set-up checks (chatbench/run_check.h: the corpus, the tokenizer,
// the pretrained model, max_len against its positions, the vocabulary against the tokenizer),
// each problem shown under its field. The corpus is read in the background for its format and
// statistics. The runs that share a tokenizer share one prepared data cache, so the corpus is
// prepared once. The last values are remembered; Clone Run fills the dialog from a run instead.

#include "chatbench/hub.h"
#include "chatbench/run_config.h"

#include <QDialog>
#include <QMap>
#include <QVector>
#include <atomic>
#include <memory>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QSpinBox;
class QTableWidget;
class QThread;
class QTimer;

namespace chatbench::ui {

class TrainingSettingsForm;

class ExperimentDialog : public QDialog
{
    Q_OBJECT

public:
    ExperimentDialog(
        const QString &workspace, chatbench::HubSettings hub, QWidget *parent = nullptr);
    ~ExperimentDialog() override;

    // Clone Run: every field from the run's settings, one run row named NAME-2 (or -3, ...).
    void cloneFrom(const chatbench::RunConfig &run);

    // A row of the runs table.
    enum class Start { Scratch, Pretrained };
    void addRun(const QString &name, chatbench::ModelKind kind, Start start);
    int runCount() const;

    struct PlannedRun
    {
        QString dir;
        chatbench::RunConfig config;
    };
    // The checked runs as they would be created (repo ids as typed).
    QVector<PlannedRun> plannedRuns() const;
    // Checks everything and shows each problem under its field; true when nothing is wrong.
    bool check();
    // The problem shown under a field ("corpus", "tokenizer", "pretrained", "max_len", "runs",
    // "training"); empty when none.
    QString problemAt(const QString &field) const;
    // The corpus's format and statistics once read (empty before).
    QString corpusSummary() const;

    QLineEdit *corpusEdit() const { return m_corpus; }
    QLineEdit *tokenizerEdit() const { return m_tokenizer; }
    QLineEdit *pretrainedEdit() const { return m_pretrained; }
    QComboBox *scratchSizeChoice() const { return m_scratchSize; } // 0: the pretrained's size
    QSpinBox *maxLenBox() const;
    QSpinBox *validBox() const;
    QDoubleSpinBox *lrBox() const;
    QSpinBox *maxStepsBox() const;
    QTableWidget *runTable() const { return m_runs; }
    QPlainTextEdit *probesEdit() const { return m_probes; }

    void accept() override;

protected:
    void changeEvent(QEvent *event) override;

private:
    QWidget *createDataGroup();
    QWidget *createTrainingGroup();
    QWidget *createRunsGroup();
    QLineEdit *pathField(QWidget *parent, bool file, QWidget **host);
    QLabel *problemLabel();
    void retranslate();
    void scanCorpus(); // in the background: format and statistics
    void stopScan();
    chatbench::RunConfig sharedConfig() const;
    void remember() const;
    void restore();
    QString uniqueName(const QString &base) const;

    QString m_workspace;
    chatbench::HubSettings m_hub;
    QLineEdit *m_corpus = nullptr, *m_tokenizer = nullptr, *m_pretrained = nullptr;
    QLabel *m_corpusStats = nullptr;
    QProgressBar *m_scanProgress = nullptr;
    QComboBox *m_scratchSize = nullptr;
    TrainingSettingsForm *m_training = nullptr;
    QPlainTextEdit *m_probes = nullptr;
    QTableWidget *m_runs = nullptr;
    QMap<QString, QLabel *> m_problems; // by field
    QTimer *m_scanDelay = nullptr;
    QThread *m_scan = nullptr;
    std::shared_ptr<std::atomic<bool>> m_scanCancel;
    QString m_scannedCorpus;
    QString m_corpusSummary;
    quint64 m_corpusDialogues = 0; // from the background read; 0 before it ends
    bool m_checkedOnce = false; // after the first check, edits check again
};

} // namespace chatbench::ui
