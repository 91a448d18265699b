#include "experiment_dialog.h"

#include "chatbench/corpus_reader.h"
#include "chatbench/prompt_set.h"
#include "chatbench/run_check.h"
#include "training_settings_form.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTableWidget>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>
#include <cmath>
#include <set>

namespace chatbench::ui {

namespace {

// The runs table's columns.
enum Column { Create, Name, Kind, StartFrom, Lr, Epochs, ColumnCount };

const char *const kPresets[] = { "tiny", "small", "base" };

// What the background read of a corpus found.
struct CorpusStats
{
    QString format;
    quint64 dialogues = 0, utterances = 0, characters = 0, over = 0;
    QString error;
};

// The field a run.json key belongs to in this dialog.
QString fieldOf(const std::string &key)
{
    if (key == "data.corpus")
        return "corpus";
    if (key == "tokenizer.path")
        return "tokenizer";
    if (key == "model.init")
        return "pretrained";
    if (key == "data.max_len")
        return "max_len";
    return "training";
}

QString settingsKey(const char *name)
{
    return QStringLiteral("experiment/") + name;
}

} // namespace

ExperimentDialog::ExperimentDialog(const QString &workspace, HubSettings hub, QWidget *parent)
    : QDialog(parent), m_workspace(workspace), m_hub(std::move(hub)), m_scanDelay(new QTimer(this))
{
    auto *layout = new QVBoxLayout(this);
    auto *columns = new QHBoxLayout;
    columns->addWidget(createDataGroup(), 1);
    columns->addWidget(createTrainingGroup(), 1);
    layout->addLayout(columns);
    layout->addWidget(createRunsGroup(), 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &ExperimentDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ExperimentDialog::reject);

    m_scanDelay->setSingleShot(true);
    m_scanDelay->setInterval(400); // typing a path: read it once the typing stops
    connect(m_scanDelay, &QTimer::timeout, this, &ExperimentDialog::scanCorpus);
    connect(m_corpus, &QLineEdit::textChanged, m_scanDelay, qOverload<>(&QTimer::start));
    // Once the user has seen the problems, they follow the edits.
    const auto recheck = [this] {
        if (m_checkedOnce)
            check();
    };
    for (QLineEdit *e : { m_corpus, m_tokenizer, m_pretrained })
        connect(e, &QLineEdit::editingFinished, this, recheck);
    connect(maxLenBox(), &QSpinBox::editingFinished, this, recheck);
    connect(m_scratchSize, qOverload<int>(&QComboBox::currentIndexChanged), this, recheck);

    retranslate();
    restore();
    addRun(QStringLiteral("scratch"), ModelKind::Gpt2, Start::Scratch);
    addRun(QStringLiteral("fine-tuned"), ModelKind::Gpt2, Start::Pretrained);
    resize(1100, 760);
}

ExperimentDialog::~ExperimentDialog()
{
    stopScan();
    // The children outlive this destructor's body: a line edit losing focus as it goes would
    // otherwise call check() on members already destroyed.
    for (QObject *field : std::initializer_list<QObject *> {
             m_corpus, m_tokenizer, m_pretrained, maxLenBox(), m_scratchSize })
        field->disconnect(this);
}

QLineEdit *ExperimentDialog::pathField(QWidget *parent, bool file, QWidget **host)
{
    *host = new QWidget(parent);
    auto *row = new QHBoxLayout(*host);
    row->setContentsMargins(0, 0, 0, 0);
    auto *edit = new QLineEdit(*host);
    auto *browse = new QPushButton(tr("Browse…"), *host);
    row->addWidget(edit, 1);
    row->addWidget(browse);
    connect(browse, &QPushButton::clicked, this, [this, edit, file] {
        const QString chosen = file ? QFileDialog::getOpenFileName(this, tr("Corpus file"))
                                    : QFileDialog::getExistingDirectory(this, tr("Folder"));
        if (!chosen.isEmpty()) {
            edit->setText(chosen);
            Q_EMIT edit->editingFinished();
        }
    });
    return edit;
}

QLabel *ExperimentDialog::problemLabel()
{
    auto *label = new QLabel(this);
    label->setWordWrap(true);
    label->setStyleSheet("color: #b00020");
    label->hide();
    return label;
}

QWidget *ExperimentDialog::createDataGroup()
{
    auto *group = new QGroupBox(this);
    group->setObjectName("data");
    auto *form = new QFormLayout(group);
    QWidget *host = nullptr;
    m_corpus = pathField(group, true, &host);
    form->addRow(tr("Corpus"), host);
    m_scanProgress = new QProgressBar(group);
    m_scanProgress->setRange(0, 100);
    m_scanProgress->hide();
    m_corpusStats = new QLabel(group);
    m_corpusStats->setWordWrap(true);
    form->addRow(QString(), m_scanProgress);
    form->addRow(QString(), m_corpusStats);
    form->addRow(QString(), m_problems["corpus"] = problemLabel());
    m_tokenizer = pathField(group, false, &host);
    form->addRow(tr("Tokenizer"), host);
    form->addRow(QString(), m_problems["tokenizer"] = problemLabel());
    m_pretrained = pathField(group, false, &host);
    form->addRow(tr("Pretrained model"), host);
    form->addRow(QString(), m_problems["pretrained"] = problemLabel());
    m_scratchSize = new QComboBox(group);
    m_scratchSize->addItems({ QString(), "tiny", "small", "base" });
    form->addRow(tr("Scratch model size"), m_scratchSize);
    return group;
}

QWidget *ExperimentDialog::createTrainingGroup()
{
    auto *group = new QGroupBox(this);
    group->setObjectName("training");
    auto *column = new QVBoxLayout(group);
    m_training = new TrainingSettingsForm(group);
    column->addWidget(m_training);
    QFormLayout *form = m_training->form();
    // Each problem under its field: max length is the form's second row, the held-out
    // dialogues its third (the first problem label shifts it down by one).
    form->insertRow(2, QString(), m_problems["max_len"] = problemLabel());
    form->insertRow(4, QString(), m_problems["valid"] = problemLabel());
    m_probes = new QPlainTextEdit(group);
    m_probes->setTabChangesFocus(true);
    m_probes->setMaximumHeight(90);
    form->addRow(tr("Probe prompts"), m_probes);
    form->addRow(QString(), m_problems["training"] = problemLabel());
    return group;
}

QWidget *ExperimentDialog::createRunsGroup()
{
    auto *group = new QGroupBox(this);
    group->setObjectName("runs");
    auto *column = new QVBoxLayout(group);
    m_runs = new QTableWidget(0, ColumnCount, group);
    m_runs->verticalHeader()->setVisible(false);
    m_runs->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_runs->horizontalHeader()->setSectionResizeMode(Create, QHeaderView::ResizeToContents);
    auto *row = new QHBoxLayout;
    auto *add = new QPushButton(group);
    auto *remove = new QPushButton(group);
    add->setObjectName("addRun");
    remove->setObjectName("removeRun");
    row->addWidget(add);
    row->addWidget(remove);
    row->addStretch(1);
    column->addWidget(m_runs, 1);
    column->addLayout(row);
    column->addWidget(m_problems["runs"] = problemLabel());
    connect(add, &QPushButton::clicked, this,
        [this] { addRun(uniqueName(QStringLiteral("run")), ModelKind::Gpt2, Start::Pretrained); });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_runs->currentRow() >= 0)
            m_runs->removeRow(m_runs->currentRow());
    });
    return group;
}

void ExperimentDialog::addRun(const QString &name, ModelKind kind, Start start)
{
    const int row = m_runs->rowCount();
    m_runs->insertRow(row);
    auto *create = new QTableWidgetItem;
    create->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled);
    create->setCheckState(Qt::Checked);
    m_runs->setItem(row, Create, create);
    m_runs->setItem(row, Name, new QTableWidgetItem(uniqueName(name)));
    auto *kindChoice = new QComboBox(m_runs);
    kindChoice->addItems({ tr("GPT-2"), tr("GPT-2 + Transformer") });
    kindChoice->setCurrentIndex(kind == ModelKind::Gpt2Transformer ? 1 : 0);
    m_runs->setCellWidget(row, Kind, kindChoice);
    auto *startChoice = new QComboBox(m_runs);
    startChoice->addItems({ tr("From scratch"), tr("The pretrained model") });
    startChoice->setCurrentIndex(start == Start::Pretrained ? 1 : 0);
    m_runs->setCellWidget(row, StartFrom, startChoice);
    m_runs->setItem(row, Lr, new QTableWidgetItem);
    m_runs->setItem(row, Epochs, new QTableWidgetItem);
}

int ExperimentDialog::runCount() const
{
    return m_runs->rowCount();
}

QString ExperimentDialog::uniqueName(const QString &base) const
{
    std::set<QString> taken;
    for (int r = 0; r < m_runs->rowCount(); ++r)
        if (const QTableWidgetItem *item = m_runs->item(r, Name))
            taken.insert(item->text().trimmed());
    const QDir workspace(m_workspace.isEmpty() ? QDir::currentPath() : m_workspace);
    const auto free
        = [&](const QString &name) { return !taken.count(name) && !workspace.exists(name); };
    if (free(base))
        return base;
    for (int i = 2;; ++i)
        if (free(QStringLiteral("%1-%2").arg(base).arg(i)))
            return QStringLiteral("%1-%2").arg(base).arg(i);
}

RunConfig ExperimentDialog::sharedConfig() const
{
    RunConfig c;
    const std::filesystem::path here = QDir::currentPath().toStdString();
    const QString corpus = m_corpus->text().trimmed();
    c.corpus
        = corpus.isEmpty() ? std::string() : QFileInfo(corpus).absoluteFilePath().toStdString();
    c.tokenizer = normalizeModelLocation(m_tokenizer->text().trimmed().toStdString(), here);
    m_training->applyTo(c);
    for (const QString &line : m_probes->toPlainText().split('\n', Qt::SkipEmptyParts))
        if (!line.trimmed().isEmpty())
            c.probes.push_back({ line.trimmed().toStdString() });
    return c;
}

QVector<ExperimentDialog::PlannedRun> ExperimentDialog::plannedRuns() const
{
    const RunConfig shared = sharedConfig();
    const std::filesystem::path here = QDir::currentPath().toStdString();
    const std::string pretrained
        = normalizeModelLocation(m_pretrained->text().trimmed().toStdString(), here);
    const QDir workspace(m_workspace.isEmpty() ? QDir::currentPath() : m_workspace);
    QVector<PlannedRun> out;
    for (int r = 0; r < m_runs->rowCount(); ++r) {
        if (m_runs->item(r, Create)->checkState() != Qt::Checked)
            continue;
        RunConfig c = shared;
        c.name = m_runs->item(r, Name)->text().trimmed().toStdString();
        const auto *kind = static_cast<QComboBox *>(m_runs->cellWidget(r, Kind));
        const auto *start = static_cast<QComboBox *>(m_runs->cellWidget(r, StartFrom));
        c.kind = kind->currentIndex() == 1 ? ModelKind::Gpt2Transformer : ModelKind::Gpt2;
        if (c.kind == ModelKind::Gpt2Transformer) { // its encoder takes the history
            c.layout = DialogueLayout::Kind::Chitchat;
            c.loss = LossScope::All;
        }
        if (start->currentIndex() == 1) {
            c.init = pretrained;
        } else if (m_scratchSize->currentIndex() == 0) {
            // The pretrained model's architecture and vocabulary, with fresh weights: the
            // comparison then isolates what pretraining brings.
            if (const auto shape = pretrainedShape(pretrained, m_hub)) {
                c.nLayer = shape->nLayer;
                c.nHead = shape->nHead;
                c.nEmbd = shape->nEmbd;
                c.nPositions = shape->nPositions;
            }
            if (c.tokenizer.empty())
                c.tokenizer = pretrained;
        } else {
            c.preset = kPresets[m_scratchSize->currentIndex() - 1];
        }
        bool ok = false;
        const double lr = m_runs->item(r, Lr)->text().trimmed().toDouble(&ok);
        if (ok)
            c.lr = lr;
        const int epochs = m_runs->item(r, Epochs)->text().trimmed().toInt(&ok);
        if (ok)
            c.epochs = epochs;
        // Runs with the same tokenizer and data settings prepare the corpus once, into a
        // folder of the workspace named by what the preparation depends on.
        const std::string tokenizer = !c.tokenizer.empty() ? c.tokenizer
            : c.init != "scratch"                          ? c.init
                                                           : std::string();
        if (!tokenizer.empty() && !c.corpus.empty()) {
            const QByteArray key = QByteArray::fromStdString(c.corpus + "\n" + tokenizer + "\n"
                + std::to_string(c.maxLen) + "\n" + std::to_string(c.validCount) + "\n"
                + DialogueLayout::kindName(c.layout));
            const QString hash
                = QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex().left(12);
            c.cacheDir = workspace.absoluteFilePath("data/" + hash).toStdString();
        }
        out.append({ workspace.absoluteFilePath(QString::fromStdString(c.name)), c });
    }
    return out;
}

bool ExperimentDialog::check()
{
    m_checkedOnce = true;
    QMap<QString, QStringList> found;
    const QString corpus = m_corpus->text().trimmed();
    if (corpus.isEmpty())
        found["corpus"] << tr("Choose a corpus file (chitchat text, LCCC JSON or JSONL).");
    const QVector<PlannedRun> runs = plannedRuns();
    const bool anyPretrained = std::any_of(
        runs.begin(), runs.end(), [](const PlannedRun &r) { return r.config.init != "scratch"; });
    const bool sameSize = m_scratchSize->currentIndex() == 0
        && std::any_of(runs.begin(), runs.end(),
            [](const PlannedRun &r) { return r.config.init == "scratch"; });
    if ((anyPretrained || sameSize) && m_pretrained->text().trimmed().isEmpty())
        found["pretrained"] << (anyPretrained
                ? tr("Give the pretrained model the fine-tuned runs start from (a folder or a "
                     "repo id such as ckiplab/gpt2-base-chinese).")
                : tr("\"Same size as the pretrained model\" needs a pretrained model."));
    for (QLineEdit *edit : { m_tokenizer, m_pretrained }) {
        const QString text = edit->text().trimmed();
        const auto repo = RepoId::parse(text.toStdString());
        if (repo && !QFileInfo::exists(text) && !cachedSnapshot(m_hub, *repo))
            found[edit == m_tokenizer ? "tokenizer" : "pretrained"]
                << tr("%1 is not in the Hugging Face cache (%2): download it with File → "
                      "Download Model.")
                       .arg(text, QString::fromStdString(m_hub.cacheDir.string()));
    }
    // Known once the background read is done; otherwise preparation says it, as the run fails.
    const int held = validBox()->value();
    if (m_corpusDialogues > 0 && quint64(held) >= m_corpusDialogues)
        found["valid"] << tr("%1 held-out dialogues leave nothing to train on: the corpus has %2.")
                              .arg(held)
                              .arg(m_corpusDialogues);
    if (runs.isEmpty())
        found["runs"] << tr("Check at least one run to create.");
    std::set<QString> names;
    for (const PlannedRun &run : runs) {
        const QString name = QString::fromStdString(run.config.name);
        if (name.isEmpty() || name.contains('/') || name.startsWith('.'))
            found["runs"]
                << tr("Run \"%1\": give it a name without '/' (it becomes its folder).").arg(name);
        else if (!names.insert(name).second)
            found["runs"] << tr("Two runs are named \"%1\".").arg(name);
        else if (QFileInfo::exists(run.dir))
            found["runs"] << tr("Run \"%1\": %2 already exists.").arg(name, run.dir);
    }
    // The engine's set-up checks for each run (the cached repo ids as their folders); a problem
    // of a shared field is said once, under the field.
    if (found.isEmpty())
        for (const PlannedRun &run : runs)
            for (const RunProblem &p : checkRunConfig(run.config, m_hub)) {
                const QString field = fieldOf(p.field);
                QString message = QString::fromStdString(p.message);
                if (field == "max_len" || field == "tokenizer" || field == "training")
                    message = tr("%1 (run \"%2\")")
                                  .arg(message, QString::fromStdString(run.config.name));
                if (!found[field].contains(message))
                    found[field] << message;
            }
    for (auto it = m_problems.begin(); it != m_problems.end(); ++it) {
        const QStringList messages = found.value(it.key());
        it.value()->setText(messages.join('\n'));
        it.value()->setVisible(!messages.isEmpty());
    }
    return found.isEmpty();
}

QString ExperimentDialog::problemAt(const QString &field) const
{
    const QLabel *label = m_problems.value(field);
    return label ? label->text() : QString();
}

QSpinBox *ExperimentDialog::maxLenBox() const
{
    return m_training->maxLenBox();
}

QSpinBox *ExperimentDialog::validBox() const
{
    return m_training->validBox();
}

QDoubleSpinBox *ExperimentDialog::lrBox() const
{
    return m_training->lrBox();
}

QSpinBox *ExperimentDialog::maxStepsBox() const
{
    return m_training->maxStepsBox();
}

QString ExperimentDialog::corpusSummary() const
{
    return m_corpusSummary;
}

void ExperimentDialog::accept()
{
    if (!check())
        return;
    remember();
    QDialog::accept();
}

void ExperimentDialog::scanCorpus()
{
    const QString corpus = m_corpus->text().trimmed();
    if (corpus == m_scannedCorpus)
        return;
    stopScan();
    m_scannedCorpus = corpus;
    m_corpusSummary.clear();
    m_corpusDialogues = 0;
    m_corpusStats->clear();
    if (corpus.isEmpty() || !QFileInfo(corpus).isFile())
        return;
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_scanCancel = cancel;
    const qint64 bytes = std::max<qint64>(1, QFileInfo(corpus).size());
    const int maxLen = maxLenBox()->value();
    m_scanProgress->setValue(0);
    m_scanProgress->show();
    // Reading a big corpus takes seconds: off the GUI thread, cancelled when the path changes
    // or the dialog closes (the destructor waits for it, so `this` outlives the thread).
    m_scan = QThread::create([this, corpus, cancel, bytes, maxLen] {
        CorpusStats stats;
        std::uint64_t seen = 0;
        int lastPercent = 0;
        try {
            const CorpusReadSummary summary
                = readCorpus(corpus.toStdString(), {}, [&](Dialogue &&d) {
                      if (cancel->load())
                          throw std::runtime_error("cancelled");
                      ++stats.dialogues;
                      std::uint64_t length = 0;
                      for (const std::string &u : d.utterances) {
                          seen += u.size() + 1;
                          length += QString::fromStdString(u).size() + 1;
                      }
                      stats.utterances += d.utterances.size();
                      stats.characters += length;
                      stats.over += length + 1 > std::uint64_t(maxLen);
                      const int percent = int(std::min<qint64>(99, qint64(seen) * 100 / bytes));
                      if (percent != lastPercent) {
                          lastPercent = percent;
                          QMetaObject::invokeMethod(m_scanProgress,
                              [this, percent] { m_scanProgress->setValue(percent); });
                      }
                  });
            stats.format = QString::fromUtf8(corpusFormatName(summary.format));
        } catch (const std::exception &e) {
            if (cancel->load())
                return;
            stats.error = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(this, [this, stats, cancel] {
            if (cancel->load())
                return;
            m_scanProgress->hide();
            if (!stats.error.isEmpty()) {
                m_corpusSummary = stats.error;
                m_corpusStats->setText(stats.error);
                return;
            }
            m_corpusDialogues = stats.dialogues;
            const double perUtterance
                = stats.utterances ? double(stats.characters) / double(stats.utterances) - 1 : 0;
            m_corpusSummary
                = tr("%1 format: %2 dialogues, %3 utterances, %4 characters per utterance on "
                     "average; %5% of the dialogues are longer than max_len (cut when prepared)")
                      .arg(stats.format)
                      .arg(stats.dialogues)
                      .arg(stats.utterances)
                      .arg(perUtterance, 0, 'f', 1)
                      .arg(stats.dialogues ? 100.0 * double(stats.over) / double(stats.dialogues)
                                           : 0.0,
                          0, 'f', 1);
            m_corpusStats->setText(m_corpusSummary);
        });
    });
    m_scan->start();
}

void ExperimentDialog::stopScan()
{
    if (!m_scan)
        return;
    m_scanCancel->store(true);
    m_scan->wait();
    delete m_scan;
    m_scan = nullptr;
    m_scanProgress->hide();
}

void ExperimentDialog::cloneFrom(const RunConfig &run)
{
    m_corpus->setText(QString::fromStdString(run.corpus));
    m_tokenizer->setText(QString::fromStdString(run.tokenizer));
    m_pretrained->setText(run.init == "scratch" ? QString() : QString::fromStdString(run.init));
    m_training->setFrom(run);
    QStringList probes;
    for (const auto &context : run.probes)
        probes << QString::fromStdString(context.back());
    m_probes->setPlainText(probes.join('\n'));
    const bool sized = run.nLayer || run.nHead || run.nEmbd || run.nPositions;
    for (int i = 0; i < 3; ++i)
        if (run.preset == kPresets[i] && !sized)
            m_scratchSize->setCurrentIndex(i + 1);
    m_runs->setRowCount(0);
    addRun(QString::fromStdString(run.name), run.kind,
        run.init == "scratch" ? Start::Scratch : Start::Pretrained);
}

void ExperimentDialog::remember() const
{
    QSettings s;
    s.setValue(settingsKey("corpus"), m_corpus->text());
    s.setValue(settingsKey("tokenizer"), m_tokenizer->text());
    s.setValue(settingsKey("pretrained"), m_pretrained->text());
    s.setValue(settingsKey("scratchSize"), m_scratchSize->currentIndex());
    s.setValue(settingsKey("probes"), m_probes->toPlainText());
    m_training->remember("experiment");
}

void ExperimentDialog::restore()
{
    QSettings s;
    m_corpus->setText(s.value(settingsKey("corpus")).toString());
    m_tokenizer->setText(s.value(settingsKey("tokenizer")).toString());
    m_pretrained->setText(s.value(settingsKey("pretrained")).toString());
    m_scratchSize->setCurrentIndex(s.value(settingsKey("scratchSize"), 0).toInt());
    m_probes->setPlainText(s.value(settingsKey("probes")).toString());
    m_training->restore("experiment");
}

void ExperimentDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

void ExperimentDialog::retranslate()
{
    setWindowTitle(tr("New Experiment"));
    findChild<QGroupBox *>("data")->setTitle(tr("Data (shared)"));
    findChild<QGroupBox *>("training")->setTitle(tr("Training (shared; a run may override)"));
    findChild<QGroupBox *>("runs")->setTitle(tr("Runs"));
    findChild<QPushButton *>("addRun")->setText(tr("Add Run"));
    findChild<QPushButton *>("removeRun")->setText(tr("Remove Run"));
    m_tokenizer->setPlaceholderText(
        tr("folder or repo id; empty: the pretrained model's, or one built from the corpus"));
    m_pretrained->setPlaceholderText(tr("folder or repo id, e.g. ckiplab/gpt2-base-chinese"));
    m_scratchSize->setItemText(0, tr("Same size as the pretrained model"));
    m_probes->setPlaceholderText(
        tr("one prompt per line, answered at every evaluation; empty: 3 held-out dialogues"));
    m_runs->setHorizontalHeaderLabels({ tr("Create"), tr("Name"), tr("Model"), tr("Start from"),
        tr("Learning rate (empty: shared)"), tr("Epochs (empty: shared)") });
    for (int r = 0; r < m_runs->rowCount(); ++r) {
        auto *kind = static_cast<QComboBox *>(m_runs->cellWidget(r, Kind));
        auto *start = static_cast<QComboBox *>(m_runs->cellWidget(r, StartFrom));
        kind->setItemText(0, tr("GPT-2"));
        kind->setItemText(1, tr("GPT-2 + Transformer"));
        start->setItemText(0, tr("From scratch"));
        start->setItemText(1, tr("The pretrained model"));
    }
    if (auto *buttons = findChild<QDialogButtonBox *>())
        buttons->button(QDialogButtonBox::Ok)->setText(tr("Create and Start"));
}

} // namespace chatbench::ui
