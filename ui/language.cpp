#include "language.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QLibraryInfo>
#include <QPointer>
#include <QSettings>
#include <QTranslator>

namespace chatbench::ui {

namespace {

const char kSettingsKey[] = "ui/language";

// The translators this module installed; replaced, never stacked, on each change.
QPointer<QTranslator> &installed(int which)
{
    static QPointer<QTranslator> translators[2];
    return translators[which];
}

void replaceTranslator(int which, QTranslator *next)
{
    if (QTranslator *old = installed(which)) {
        QCoreApplication::removeTranslator(old);
        delete old;
    }
    installed(which) = next;
    if (next)
        QCoreApplication::installTranslator(next);
}

} // namespace

Language languageOf(const QLocale &locale)
{
    // The first of the user's languages that the UI has decides (LANGUAGE=fr:zh_TW gives Chinese).
    for (const QString &name : locale.uiLanguages()) {
        const QLocale l(name);
        if (l.language() == QLocale::Chinese)
            return l.script() == QLocale::TraditionalHanScript ? Language::TraditionalChinese
                                                               : Language::English;
        if (l.language() == QLocale::English)
            return Language::English;
    }
    return Language::English;
}

Language languageChoice()
{
    const QString saved = QSettings().value(kSettingsKey).toString();
    return saved == QLatin1String("zh_TW") ? Language::TraditionalChinese
        : saved == QLatin1String("en")     ? Language::English
                                           : Language::System;
}

void chooseLanguage(Language choice)
{
    QSettings().setValue(kSettingsKey,
        choice == Language::TraditionalChinese ? QStringLiteral("zh_TW")
            : choice == Language::English      ? QStringLiteral("en")
                                               : QStringLiteral("system"));
    applyLanguage(choice);
}

bool applyLanguage(Language choice)
{
    const Language language = choice == Language::System ? languageOf(QLocale::system()) : choice;
    const QString code
        = language == Language::TraditionalChinese ? QStringLiteral("zh_TW") : QStringLiteral("en");
    // The English file holds only the plural forms ("1 run", "2 runs"); the source texts are
    // English already.
    auto *own = new QTranslator(QCoreApplication::instance());
    const bool loaded = own->load(QStringLiteral(":/i18n/chatbench_") + code);
    // Qt's own texts (standard buttons, the file dialog) come from Qt's translations, when the
    // system has them (Debian: qt6-translations-l10n).
    auto *qt = new QTranslator(QCoreApplication::instance());
    if (language == Language::English
        || !qt->load(
            QStringLiteral("qtbase_") + code, QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        delete qt;
        qt = nullptr;
    }
    replaceTranslator(0, qt);
    replaceTranslator(1, loaded ? own : nullptr);
    if (!loaded)
        delete own;
    return loaded;
}

QString languageName(Language language)
{
    switch (language) {
    case Language::English:
        return QStringLiteral("English");
    case Language::TraditionalChinese:
        return QString::fromUtf8("繁體中文");
    case Language::System:
        break;
    }
    return QCoreApplication::translate("Language", "System default");
}

void setItemTexts(QComboBox *box, const QStringList &texts)
{
    for (int i = 0; i < texts.size(); ++i) {
        if (i < box->count())
            box->setItemText(i, texts[i]);
        else
            box->addItem(texts[i]);
    }
}

} // namespace chatbench::ui
