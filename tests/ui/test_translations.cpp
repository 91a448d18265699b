// The Traditional Chinese UI is complete: lupdate over ui/ finds no text without a translation,
// each translation keeps its source's placeholders, the embedded .qm files load, and the system
// locale picks the language.

#include "data/script_converter.h"
#include "language.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTranslator>
#include <QXmlStreamReader>
#include <QtTest/QtTest>
#include <set>

namespace {

const QString kTranslations = QStringLiteral(CHATBENCH_SOURCE_DIR "/translations/");

struct Message
{
    QString context, source, location;
    QStringList translations; // one, or one per plural form
    bool unfinished = false;
};

QList<Message> readTs(const QString &file)
{
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(file));
    QList<Message> messages;
    QString context, text;
    Message m;
    bool inTranslation = false;
    QXmlStreamReader xml(&in);
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const QString name = xml.name().toString();
            if (name == "name") {
                context = xml.readElementText();
            } else if (name == "message") {
                m = Message { context, {}, {}, {}, false };
            } else if (name == "location" && m.location.isEmpty()) {
                m.location = xml.attributes().value("filename").toString() + ':'
                    + xml.attributes().value("line").toString();
            } else if (name == "source") {
                m.source = xml.readElementText();
            } else if (name == "translation") {
                m.unfinished = xml.attributes().value("type") == QLatin1String("unfinished");
                inTranslation = true;
                text.clear();
            } else if (name == "numerusform") {
                m.translations << xml.readElementText();
            }
        } else if (xml.isCharacters() && inTranslation) {
            text += xml.text();
        } else if (xml.isEndElement() && xml.name() == QLatin1String("translation")) {
            inTranslation = false;
            if (m.translations.isEmpty()) // not a plural message: the element's own text
                m.translations << text;
        } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
            messages << m;
        }
    }
    if (xml.hasError())
        qFatal("%s: %s", qPrintable(file), qPrintable(xml.errorString()));
    return messages;
}

std::multiset<QString> placeholders(const QString &text)
{
    static const QRegularExpression marker(QStringLiteral("%(\\d+|n)"));
    std::multiset<QString> found;
    for (const auto &match : marker.globalMatch(text))
        found.insert(match.captured(0));
    return found;
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // lupdate over the GUI sources into a copy of the zh_TW file: a tr() text added without a
    // translation shows up unfinished there, with where it is.
    void everyTextIsTranslated()
    {
        QTemporaryDir dir;
        const QString copy = dir.filePath("chatbench_zh_TW.ts");
        QVERIFY(QFile::copy(kTranslations + "chatbench_zh_TW.ts", copy));
        QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
        QProcess lupdate;
        lupdate.setProcessChannelMode(QProcess::MergedChannels);
        lupdate.start(QStringLiteral(CHATBENCH_LUPDATE),
            { "-no-obsolete", "-locations", "absolute", CHATBENCH_SOURCE_DIR "/ui", "-ts", copy });
        QVERIFY2(lupdate.waitForFinished(120000), "lupdate did not finish");
        const QString log = QString::fromUtf8(lupdate.readAll());
        QVERIFY2(lupdate.exitCode() == 0, qPrintable(log));
        // A parse problem means texts were missed: it must not pass silently.
        QVERIFY2(!log.contains("Unbalanced") && !log.contains("error", Qt::CaseInsensitive),
            qPrintable(log));

        QStringList missing;
        int messages = 0;
        for (const Message &m : readTs(copy)) {
            ++messages;
            const bool empty = m.translations.isEmpty()
                || std::any_of(m.translations.begin(), m.translations.end(),
                    [](const QString &t) { return t.trimmed().isEmpty(); });
            if (m.unfinished || empty)
                missing << QStringLiteral("%1: [%2] \"%3\"").arg(m.location, m.context, m.source);
        }
        QVERIFY2(messages > 250, qPrintable(QString("only %1 messages found").arg(messages)));
        QVERIFY2(missing.isEmpty(),
            qPrintable(QStringLiteral("%1 text(s) without a zh_TW translation (add them with "
                                      "`cmake --build --preset dev --target update_translations` "
                                      "and translate them in translations/chatbench_zh_TW.ts):\n")
                           .arg(missing.size())
                + missing.join('\n')));
    }

    void translationsKeepTheirPlaceholders()
    {
        QStringList wrong;
        for (const QString file : { "chatbench_zh_TW.ts", "chatbench_en.ts" })
            for (const Message &m : readTs(kTranslations + file))
                for (const QString &t : m.translations)
                    if (placeholders(t) != placeholders(m.source))
                        wrong << QStringLiteral("%1 [%2] \"%3\" -> \"%4\"")
                                     .arg(file, m.context, m.source, t);
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join('\n')));
    }

    // Traditional characters only, as Taiwan writes them: OpenCC's Simplified-to-Taiwan
    // conversion leaves every translation as it is.
    void noSimplifiedCharacters()
    {
        const chatbench::ScriptConverter toTaiwan("s2tw");
        QStringList wrong;
        for (const Message &m : readTs(kTranslations + "chatbench_zh_TW.ts"))
            for (const QString &t : m.translations) {
                const QString converted = QString::fromStdString(toTaiwan.convert(t.toStdString()));
                if (converted != t)
                    wrong << QStringLiteral("[%1] \"%2\" (Taiwan: \"%3\")")
                                 .arg(m.context, t, converted);
            }
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join('\n')));
    }

    void embeddedTranslationsLoad()
    {
        QTranslator zh, en;
        QVERIFY(zh.load(":/i18n/chatbench_zh_TW"));
        QCOMPARE(zh.translate("chatbench::ui::MainWindow", "&File"), QString::fromUtf8("檔案(&F)"));
        QVERIFY(en.load(":/i18n/chatbench_en"));
        QCOMPARE(en.translate("chatbench::ui::TrainingRuns", "training %n run(s)", nullptr, 1),
            QString("training %n run"));
        QCOMPARE(en.translate("chatbench::ui::TrainingRuns", "training %n run(s)", nullptr, 3),
            QString("training %n runs"));
    }

    void systemLocaleChoosesTheLanguage()
    {
        using chatbench::ui::Language;
        using chatbench::ui::languageOf;
        QCOMPARE(languageOf(QLocale("zh_TW")), Language::TraditionalChinese);
        QCOMPARE(languageOf(QLocale("zh_HK")), Language::TraditionalChinese);
        QCOMPARE(languageOf(QLocale(
                     QLocale::Chinese, QLocale::TraditionalHanScript, QLocale::AnyTerritory)),
            Language::TraditionalChinese);
        QCOMPARE(languageOf(QLocale("zh_CN")), Language::English);
        QCOMPARE(languageOf(QLocale("en_US")), Language::English);
        QCOMPARE(languageOf(QLocale("de_DE")), Language::English);
    }
};

QTEST_MAIN(TestTranslations)
#include "test_translations.moc"
