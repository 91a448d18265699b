#include "report_files.h"

#include "chatbench/atomic_file.h"
#include "chatbench/error.h"
#include "report_plots.h"

#include <string_view>
#include <system_error>

namespace fs = std::filesystem;

namespace chatbench::report {

ReportFiles writeReportFiles(const AssembledReport &assembled, const fs::path &dir)
{
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throw Error::inFile(dir, "cannot create the report folder: " + ec.message());
    if (!fs::is_directory(dir))
        throw Error::inFile(dir, "not a folder");
    ProgressReport report = assembled.report;
    report.lossPlot = "loss.png";
    report.accuracyPlot = "accuracy.png";
    ReportFiles files;
    files.lossPlot = dir / report.lossPlot;
    files.accuracyPlot = dir / report.accuracyPlot;
    for (const auto &[metric, file] : { std::pair { PlotMetric::Loss, files.lossPlot },
             std::pair { PlotMetric::Accuracy, files.accuracyPlot } }) {
        const QByteArray png = plotPng(assembled.curves, metric);
        if (png.isEmpty())
            throw Error::inFile(file, "the plot could not be encoded as PNG");
        writeFileAtomically(file, std::string_view(png.constData(), std::size_t(png.size())));
    }
    files.markdown = writeReport(report, dir);
    files.html = dir / "report.html";
    return files;
}

} // namespace chatbench::report
