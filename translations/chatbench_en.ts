<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>chatbench::ui::ConversationGrid</name>
    <message numerus="yes">
        <location filename="../ui/conversation_grid.cpp" line="+221"/>
        <source>Show earlier turns (%n hidden)</source>
        <translation>
            <numerusform>Show earlier turns (%n hidden)</numerusform>
            <numerusform>Show earlier turns (%n hidden)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+99"/>
        <source>%n token(s)</source>
        <translation>
            <numerusform>%n token</numerusform>
            <numerusform>%n tokens</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>chatbench::ui::DownloadDialog</name>
    <message numerus="yes">
        <location filename="../ui/download_dialog.cpp" line="+193"/>
        <source>Downloading %n file(s) of %1…</source>
        <translation>
            <numerusform>Downloading %n file of %1…</numerusform>
            <numerusform>Downloading %n files of %1…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+47"/>
        <source>%1 at commit %2: %n file(s); those a model needs are checked.</source>
        <translation>
            <numerusform>%1 at commit %2: %n file; those a model needs are checked.</numerusform>
            <numerusform>%1 at commit %2: %n files; those a model needs are checked.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+91"/>
        <source>%n file(s) checked, %1</source>
        <translation>
            <numerusform>%n file checked, %1</numerusform>
            <numerusform>%n files checked, %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source> + %n of a size the Hub tells when it is fetched</source>
        <translation>
            <numerusform> + %n of a size the Hub tells when it is fetched</numerusform>
            <numerusform> + %n of a size the Hub tells when they are fetched</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>chatbench::ui::MainWindow</name>
    <message numerus="yes">
        <location filename="../ui/main_window.cpp" line="+477"/>
        <source>Creating and starting %n run(s)</source>
        <translation>
            <numerusform>Creating and starting %n run</numerusform>
            <numerusform>Creating and starting %n runs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+87"/>
        <source>Assembling the report of %n run(s)…</source>
        <translation>
            <numerusform>Assembling the report of %n run…</numerusform>
            <numerusform>Assembling the report of %n runs…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>chatbench::ui::ModelComparison</name>
    <message numerus="yes">
        <location filename="../ui/model_comparison.cpp" line="+548"/>
        <source>&lt;h3&gt;The reveal: %n vote(s)&lt;/h3&gt;</source>
        <translation>
            <numerusform>&lt;h3&gt;The reveal: %n vote&lt;/h3&gt;</numerusform>
            <numerusform>&lt;h3&gt;The reveal: %n votes&lt;/h3&gt;</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>chatbench::ui::TrainingRuns</name>
    <message numerus="yes">
        <location filename="../ui/training_runs.cpp" line="+146"/>
        <source>%n malformed line(s) left out, the last: %1</source>
        <translation>
            <numerusform>%n malformed line left out, the last: %1</numerusform>
            <numerusform>%n malformed lines left out, the last: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+20"/>
        <source>%n malformed line(s) left out of the curves, the last: %1</source>
        <translation>
            <numerusform>%n malformed line left out of the curves: %1</numerusform>
            <numerusform>%n malformed lines left out of the curves, the last: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+138"/>
        <source>training %n run(s)</source>
        <translation>
            <numerusform>training %n run</numerusform>
            <numerusform>training %n runs</numerusform>
        </translation>
    </message>
</context>
</TS>
