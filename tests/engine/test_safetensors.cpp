// The safetensors reader and writer: the golden fixture, exact F16/BF16 conversions checked
// against independent references, and one row per way a header can be malformed.

#include "chatbench/error.h"
#include "common/fixture.h"
#include "io/safetensors.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QStringList>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

using namespace chatbench;
namespace fs = std::filesystem;

namespace {

std::uint32_t bitsOf(float value)
{
    std::uint32_t bits;
    std::memcpy(&bits, &value, 4);
    return bits;
}

float fromBits(std::uint32_t bits)
{
    float value;
    std::memcpy(&value, &bits, 4);
    return value;
}

QByteArray le64(quint64 value)
{
    QByteArray bytes(8, '\0');
    for (int i = 0; i < 8; ++i)
        bytes[i] = char((value >> (8 * i)) & 0xff);
    return bytes;
}

QByteArray fileBytes(const QByteArray &header, const QByteArray &data = {})
{
    return le64(quint64(header.size())) + header + data;
}

QByteArray floatBytes(std::initializer_list<float> values)
{
    QByteArray bytes;
    for (float v : values) {
        std::uint32_t bits = bitsOf(v);
        for (int i = 0; i < 4; ++i)
            bytes.append(char((bits >> (8 * i)) & 0xff));
    }
    return bytes;
}

QByteArray u16Bytes(const std::vector<std::uint16_t> &values)
{
    QByteArray bytes;
    bytes.reserve(int(values.size() * 2));
    for (std::uint16_t v : values) {
        bytes.append(char(v & 0xff));
        bytes.append(char(v >> 8));
    }
    return bytes;
}

fs::path writeBytes(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
    return fs::path(path.toStdString());
}

QByteArray readAll(const fs::path &path)
{
    QFile file(QString::fromStdString(path.string()));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

// The data section of a file we wrote, as little-endian u16 values.
std::vector<std::uint16_t> dataAsU16(const fs::path &path)
{
    QByteArray bytes = readAll(path);
    quint64 n = 0;
    for (int i = 7; i >= 0; --i)
        n = (n << 8) | quint8(bytes[i]);
    std::vector<std::uint16_t> values;
    for (qsizetype i = qsizetype(8 + n); i + 1 < bytes.size(); i += 2)
        values.push_back(std::uint16_t(quint8(bytes[i]) | (quint8(bytes[i + 1]) << 8)));
    return values;
}

// Independent references: the textbook formulas with ldexp, not bit shuffling.
double referenceHalf(std::uint16_t h)
{
    int exponent = (h >> 10) & 31, mantissa = h & 1023;
    double magnitude = exponent == 0 ? std::ldexp(mantissa, -24)
        : exponent == 31             ? (mantissa ? std::nan("") : INFINITY)
                                     : std::ldexp(1024 + mantissa, exponent - 25);
    return (h & 0x8000) ? -magnitude : magnitude;
}

double referenceBfloat16(std::uint16_t b)
{
    int exponent = (b >> 7) & 255, mantissa = b & 127;
    double magnitude = exponent == 0 ? std::ldexp(mantissa, -133)
        : exponent == 255            ? (mantissa ? std::nan("") : INFINITY)
                                     : std::ldexp(128 + mantissa, exponent - 134);
    return (b & 0x8000) ? -magnitude : magnitude;
}

// Nearest bfloat16 by comparing distances in double (exact for these operands), ties to even.
std::uint16_t referenceToBfloat16(float value)
{
    std::uint32_t bits = bitsOf(value);
    std::uint32_t low = bits & 0xffff0000u;
    if ((bits & 0x7fffffffu) >= 0x7f800000u)
        return std::uint16_t(low >> 16); // inf (NaN is checked separately)
    std::uint32_t high = low + 0x10000u; // next magnitude up, same sign
    double lowValue = fromBits(low);
    double highValue = (high & 0x7fffffffu) == 0x7f800000u
        ? std::copysign(std::ldexp(1.0, 128), double(value)) // where rounding to inf starts
        : double(fromBits(high));
    double toLow = std::fabs(double(value) - lowValue);
    double toHigh = std::fabs(highValue - double(value));
    if (toLow != toHigh)
        return std::uint16_t((toLow < toHigh ? low : high) >> 16);
    return std::uint16_t(((low >> 16) & 1u) ? high >> 16 : low >> 16);
}

#ifdef __FLT16_MAX__
std::uint16_t compilerHalf(float value)
{
    _Float16 h = static_cast<_Float16>(value);
    std::uint16_t bits;
    std::memcpy(&bits, &h, 2);
    return bits;
}
#endif

bool sameFloat(float a, float b)
{
    if (std::isnan(a) || std::isnan(b))
        return std::isnan(a) && std::isnan(b) && std::signbit(a) == std::signbit(b);
    return bitsOf(a) == bitsOf(b);
}

QString errorOf(const fs::path &path)
{
    try {
        SafetensorsFile::open(path);
    } catch (const Error &e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

QByteArray entry(const char *name, const char *dtype, const char *shape, quint64 begin, quint64 end)
{
    return QByteArray("\"") + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape
        + ",\"data_offsets\":[" + QByteArray::number(begin) + "," + QByteArray::number(end) + "]}";
}

} // namespace

class TestSafetensors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fixtureMatchesExpected();
    void roundTripFloat32();
    void roundTripRounding_data();
    void roundTripRounding();
    void decodesEveryHalfPattern();
    void decodesEveryBfloat16Pattern();
    void encodesLikeReferences();
    void readsUnalignedData();
    void acceptsEdgeCases();
    void malformed_data();
    void malformed();
    void everySpecificationDtypeOpens();
    void rejectsForeignTensorInfo();
    void reportsMissingFileAndFolder();
    void movedFileStillReads();
    void writerLayout();
    void writerOmitsEmptyMetadata();
    void writerRejectsBadInput_data();
    void writerRejectsBadInput();
    void failedWriteLeavesNoFile();
    void writerReplacesExistingFile();
};

void TestSafetensors::fixtureMatchesExpected()
{
    const auto &expected = test::tinyGpt2Expected()["checkpoint"];
    SafetensorsFile file = SafetensorsFile::open(test::tinyGpt2Dir() / "model.safetensors");
    QCOMPARE(file.tensors().size(), std::size_t(28));
    QCOMPARE(file.tensors().size(), expected["num_tensors"].get<std::size_t>());
    QCOMPARE(expected["tensors"].size(), file.tensors().size());
    QCOMPARE(file.metadata().at("format"), std::string("pt"));

    for (std::size_t i = 1; i < file.tensors().size(); ++i)
        QVERIFY(file.tensors()[i - 1].dataEnd <= file.tensors()[i].dataBegin);

    for (const auto &[name, want] : expected["tensors"].items()) {
        const TensorInfo *info = file.find(name);
        QVERIFY2(info, name.c_str());
        QCOMPARE(info->dtype, DType::F32);
        QCOMPARE(info->shape, want["shape"].get<std::vector<std::int64_t>>());
        std::vector<float> values = file.readFloat32(name);
        QCOMPARE(std::int64_t(values.size()), info->numel());

        double sum = 0, sumAbs = 0;
        for (float v : values) {
            sum += v;
            sumAbs += std::fabs(v);
        }
        const double wantSum = want["sum"].get<double>();
        const double wantSumAbs = want["sum_abs"].get<double>();
        QVERIFY2(std::fabs(sum - wantSum) <= 1e-4 * std::fabs(wantSum) + 1e-9,
            qPrintable(QString("%1: sum %2 vs %3").arg(name.c_str()).arg(sum).arg(wantSum)));
        QVERIFY2(std::fabs(sumAbs - wantSumAbs) <= 1e-4 * wantSumAbs,
            qPrintable(
                QString("%1: sum_abs %2 vs %3").arg(name.c_str()).arg(sumAbs).arg(wantSumAbs)));
        const auto first = want["first"].get<std::vector<double>>();
        QCOMPARE(first.size(), std::size_t(4));
        for (std::size_t k = 0; k < first.size(); ++k)
            QCOMPARE(values[k], float(first[k])); // float32 values printed as double: exact
        QCOMPARE(values.back(), float(want["last"].get<double>()));
    }
}

void TestSafetensors::roundTripFloat32()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::vector<float> a = { 0.0f, -0.0f, 1.0f, -1.5f, 3.14159274f,
        std::numeric_limits<float>::max(), std::numeric_limits<float>::lowest(),
        std::numeric_limits<float>::min(), std::numeric_limits<float>::denorm_min(), 1e-40f,
        std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
        fromBits(0x7fc01234u), fromBits(0xff800001u) };
    std::vector<float> b(3 * 5);
    for (std::size_t i = 0; i < b.size(); ++i)
        b[i] = float(i) * 0.25f - 1.0f;
    const float scalar = 42.0f;

    const fs::path path = fs::path(dir.path().toStdString()) / "f32.safetensors";
    writeSafetensors(path,
        { { "a", { std::int64_t(a.size()) }, a.data(), DType::F32 },
            { "b.weight", { 3, 5 }, b.data(), DType::F32 }, { "scalar", {}, &scalar, DType::F32 },
            { "empty", { 0, 7 }, nullptr, DType::F32 } },
        { { "format", "pt" }, { "note", "ünïcödé 中文" } });

    SafetensorsFile file = SafetensorsFile::open(path);
    QCOMPARE(file.path(), path);
    QCOMPARE(file.tensors().size(), std::size_t(4));
    QCOMPARE(file.metadata().size(), std::size_t(2));
    QCOMPARE(file.metadata().at("note"), std::string("ünïcödé 中文"));

    std::vector<float> readA = file.readFloat32("a");
    QCOMPARE(readA.size(), a.size());
    QVERIFY(std::memcmp(readA.data(), a.data(), a.size() * 4) == 0); // bit for bit, NaNs too
    QCOMPARE(file.readFloat32("b.weight"), b);
    QCOMPARE(file.find("b.weight")->shape, (std::vector<std::int64_t> { 3, 5 }));
    QCOMPARE(file.readFloat32("scalar"), std::vector<float> { 42.0f });
    QCOMPARE(file.find("scalar")->numel(), std::int64_t(1));
    QCOMPARE(file.find("empty")->numel(), std::int64_t(0));
    QVERIFY(file.readFloat32("empty").empty());
}

void TestSafetensors::roundTripRounding_data()
{
    QTest::addColumn<int>("dtype");
    QTest::addColumn<float>("input");
    QTest::addColumn<quint32>("expectedBits"); // the float32 the stored value decodes to

    const int f16 = int(DType::F16), bf16 = int(DType::BF16);
    const float inf = std::numeric_limits<float>::infinity();
    QTest::newRow("f16 1") << f16 << 1.0f << bitsOf(1.0f);
    QTest::newRow("f16 max 65504") << f16 << 65504.0f << bitsOf(65504.0f);
    QTest::newRow("f16 65519 -> 65504") << f16 << 65519.0f << bitsOf(65504.0f);
    QTest::newRow("f16 65520 tie -> inf") << f16 << 65520.0f << bitsOf(inf);
    QTest::newRow("f16 -65520 -> -inf") << f16 << -65520.0f << bitsOf(-inf);
    QTest::newRow("f16 1e6 -> inf") << f16 << 1e6f << bitsOf(inf);
    QTest::newRow("f16 inf") << f16 << inf << bitsOf(inf);
    QTest::newRow("f16 -inf") << f16 << -inf << bitsOf(-inf);
    QTest::newRow("f16 -0") << f16 << -0.0f << 0x80000000u;
    QTest::newRow("f16 0.1") << f16 << 0.1f << bitsOf(0.0999755859375f);
    QTest::newRow("f16 1e-8 -> 0") << f16 << 1e-8f << 0u;
    QTest::newRow("f16 -1e-8 -> -0") << f16 << -1e-8f << 0x80000000u;
    QTest::newRow("f16 2^-25 tie -> 0") << f16 << 0x1p-25f << 0u;
    QTest::newRow("f16 just above 2^-25") << f16 << fromBits(0x33000001u) << bitsOf(0x1p-24f);
    QTest::newRow("f16 6e-8 -> 2^-24") << f16 << 6e-8f << bitsOf(0x1p-24f);
    QTest::newRow("f16 3*2^-25 tie -> 2^-23") << f16 << 0x3p-25f << bitsOf(0x1p-23f);
    QTest::newRow("f16 subnormal 2^-20") << f16 << 0x1p-20f << bitsOf(0x1p-20f);
    QTest::newRow("f16 largest subnormal") << f16 << 0x3ffp-24f << bitsOf(0x3ffp-24f);
    QTest::newRow("f16 subnormal -> normal") << f16 << 0x7ffp-25f << bitsOf(0x1p-14f);
    QTest::newRow("f16 smallest normal") << f16 << 0x1p-14f << bitsOf(0x1p-14f);
    QTest::newRow("f16 1+2^-11 tie -> 1") << f16 << (1.0f + 0x1p-11f) << bitsOf(1.0f);
    QTest::newRow("f16 1+3*2^-11 tie -> up") << f16 << (1.0f + 0x3p-11f) << bitsOf(1.0f + 0x1p-9f);
    QTest::newRow("f16 2047.5 tie -> 2048") << f16 << 2047.5f << bitsOf(2048.0f);

    QTest::newRow("bf16 1") << bf16 << 1.0f << bitsOf(1.0f);
    QTest::newRow("bf16 pi") << bf16 << 3.14159274f << bitsOf(3.140625f);
    QTest::newRow("bf16 1+2^-8 tie -> 1") << bf16 << (1.0f + 0x1p-8f) << bitsOf(1.0f);
    QTest::newRow("bf16 1+3*2^-8 tie -> up") << bf16 << (1.0f + 0x3p-8f) << bitsOf(1.0f + 0x1p-6f);
    QTest::newRow("bf16 just above tie") << bf16 << fromBits(0x3f808001u) << 0x3f810000u;
    QTest::newRow("bf16 -0") << bf16 << -0.0f << 0x80000000u;
    QTest::newRow("bf16 inf") << bf16 << inf << bitsOf(inf);
    QTest::newRow("bf16 -inf") << bf16 << -inf << bitsOf(-inf);
    QTest::newRow("bf16 FLT_MAX -> inf")
        << bf16 << std::numeric_limits<float>::max() << bitsOf(inf);
    QTest::newRow("bf16 largest finite") << bf16 << fromBits(0x7f7f0000u) << 0x7f7f0000u;
    QTest::newRow("bf16 float subnormal 1e-40") << bf16 << 1e-40f << 0x00010000u;
    QTest::newRow("bf16 65520 stays finite") << bf16 << 65520.0f << bitsOf(65536.0f);
    QTest::newRow("bf16 1e-8") << bf16 << 1e-8f << 0x322c0000u;
}

void TestSafetensors::roundTripRounding()
{
    QFETCH(int, dtype);
    QFETCH(float, input);
    QFETCH(quint32, expectedBits);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const fs::path path = fs::path(dir.path().toStdString()) / "r.safetensors";
    writeSafetensors(path, { { "x", { 1 }, &input, DType(dtype) } });
    SafetensorsFile file = SafetensorsFile::open(path);
    QCOMPARE(file.find("x")->dtype, DType(dtype));
    float got = file.readFloat32("x").at(0);
    QVERIFY2(bitsOf(got) == expectedBits,
        qPrintable(QString("got %1 (0x%2), expected %3 (0x%4)")
                       .arg(double(got), 0, 'g', 9)
                       .arg(bitsOf(got), 8, 16, QChar('0'))
                       .arg(double(fromBits(expectedBits)), 0, 'g', 9)
                       .arg(expectedBits, 8, 16, QChar('0'))));
}

// Every F16 bit pattern, from bytes built here: decoding matches the ldexp formula (and the
// compiler's _Float16 where it has one), and writing the decoded values gives the bits back.
void TestSafetensors::decodesEveryHalfPattern()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    std::vector<std::uint16_t> patterns(65536);
    for (std::size_t i = 0; i < patterns.size(); ++i)
        patterns[i] = std::uint16_t(i);
    QByteArray header = "{" + entry("all", "F16", "[256,256]", 0, 131072) + "}";
    const fs::path raw = writeBytes(dir, "raw.safetensors", fileBytes(header, u16Bytes(patterns)));
    std::vector<float> decoded = SafetensorsFile::open(raw).readFloat32("all");
    QCOMPARE(decoded.size(), patterns.size());
    for (std::size_t i = 0; i < patterns.size(); ++i) {
        const float want = float(referenceHalf(patterns[i]));
        if (!sameFloat(decoded[i], want))
            QFAIL(qPrintable(QString("F16 0x%1 decoded to %2, expected %3")
                                 .arg(patterns[i], 4, 16, QChar('0'))
                                 .arg(double(decoded[i]))
                                 .arg(double(want))));
#ifdef __FLT16_MAX__
        _Float16 h;
        std::memcpy(&h, &patterns[i], 2);
        QVERIFY(sameFloat(decoded[i], float(h)));
#endif
    }
    QCOMPARE(decoded[0x0001], 0x1p-24f); // smallest subnormal
    QCOMPARE(decoded[0x7bff], 65504.0f);
    QVERIFY(std::signbit(decoded[0x8000]) && decoded[0x8000] == 0.0f);

    const fs::path again = fs::path(dir.path().toStdString()) / "again.safetensors";
    writeSafetensors(again, { { "all", { 256, 256 }, decoded.data(), DType::F16 } });
    std::vector<std::uint16_t> written = dataAsU16(again);
    QCOMPARE(written.size(), patterns.size());
    for (std::size_t i = 0; i < patterns.size(); ++i) {
        const bool nan = (patterns[i] & 0x7c00) == 0x7c00 && (patterns[i] & 0x3ff);
        if (nan) {
            QVERIFY((written[i] & 0x7c00) == 0x7c00 && (written[i] & 0x3ff));
            QCOMPARE(written[i] & 0x8000, patterns[i] & 0x8000);
        } else if (written[i] != patterns[i]) {
            QFAIL(qPrintable(QString("F16 0x%1 came back as 0x%2")
                                 .arg(patterns[i], 4, 16, QChar('0'))
                                 .arg(written[i], 4, 16, QChar('0'))));
        }
    }
}

void TestSafetensors::decodesEveryBfloat16Pattern()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    std::vector<std::uint16_t> patterns(65536);
    for (std::size_t i = 0; i < patterns.size(); ++i)
        patterns[i] = std::uint16_t(i);
    QByteArray header = "{" + entry("all", "BF16", "[65536]", 0, 131072) + "}";
    const fs::path raw = writeBytes(dir, "raw.safetensors", fileBytes(header, u16Bytes(patterns)));
    std::vector<float> decoded = SafetensorsFile::open(raw).readFloat32("all");
    QCOMPARE(decoded.size(), patterns.size());
    for (std::size_t i = 0; i < patterns.size(); ++i) {
        if (!sameFloat(decoded[i], float(referenceBfloat16(patterns[i]))))
            QFAIL(qPrintable(QString("BF16 0x%1 decoded wrongly").arg(patterns[i], 4, 16)));
    }

    const fs::path again = fs::path(dir.path().toStdString()) / "again.safetensors";
    writeSafetensors(again, { { "all", { 65536 }, decoded.data(), DType::BF16 } });
    std::vector<std::uint16_t> written = dataAsU16(again);
    QCOMPARE(written.size(), patterns.size());
    for (std::size_t i = 0; i < patterns.size(); ++i) {
        const bool nan = (patterns[i] & 0x7f80) == 0x7f80 && (patterns[i] & 0x7f);
        if (nan)
            QVERIFY((written[i] & 0x7f80) == 0x7f80 && (written[i] & 0x7f));
        else
            QCOMPARE(written[i], patterns[i]);
    }
}

// Many floats, ties included, through the writer: F16 against the compiler's conversion, BF16
// against a distance-comparing reference. More than one conversion chunk (65536) per tensor.
void TestSafetensors::encodesLikeReferences()
{
    std::vector<float> values;
    // Exact midpoints between neighbouring halves, and one float ulp either side.
    for (std::uint32_t h = 0; h < 0x7c00; ++h) {
        float mid
            = float((referenceHalf(std::uint16_t(h)) + referenceHalf(std::uint16_t(h + 1))) / 2);
        for (float v : { mid, std::nextafter(mid, 0.0f), std::nextafter(mid, INFINITY) }) {
            values.push_back(v);
            values.push_back(-v);
        }
    }
    std::mt19937 rng(12345);
    for (int i = 0; i < 100000; ++i) {
        std::uint32_t bits = rng();
        if ((bits & 0x7f800000u) == 0x7f800000u)
            continue; // NaN and inf have their own rows
        values.push_back(fromBits(bits)); // the whole float range: bfloat16's
        // and the range where F16 has something to round: exponents 2^-26 .. 2^17
        values.push_back(fromBits((bits & 0x807fffffu) | ((101u + rng() % 44u) << 23)));
    }
    values.push_back(0x1p-25f);
    values.push_back(65520.0f);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const fs::path path = fs::path(dir.path().toStdString()) / "enc.safetensors";
    const std::int64_t n = std::int64_t(values.size());
    writeSafetensors(path,
        { { "h", { n }, values.data(), DType::F16 }, { "b", { n }, values.data(), DType::BF16 } });
    std::vector<std::uint16_t> written = dataAsU16(path);
    QCOMPARE(written.size(), 2 * values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        const std::uint16_t b = written[values.size() + i];
        if (b != referenceToBfloat16(values[i]))
            QFAIL(qPrintable(QString("BF16 of %1 (0x%2): 0x%3, expected 0x%4")
                                 .arg(double(values[i]), 0, 'g', 9)
                                 .arg(bitsOf(values[i]), 8, 16, QChar('0'))
                                 .arg(b, 4, 16, QChar('0'))
                                 .arg(referenceToBfloat16(values[i]), 4, 16, QChar('0'))));
    }
#ifdef __FLT16_MAX__
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (written[i] != compilerHalf(values[i]))
            QFAIL(qPrintable(QString("F16 of %1 (0x%2): 0x%3, expected 0x%4")
                                 .arg(double(values[i]), 0, 'g', 9)
                                 .arg(bitsOf(values[i]), 8, 16, QChar('0'))
                                 .arg(written[i], 4, 16, QChar('0'))
                                 .arg(compilerHalf(values[i]), 4, 16, QChar('0'))));
    }
#else
    QSKIP("no _Float16 to compare F16 rounding with (BF16 checked)");
#endif
}

// 8 + N is odd here, so no tensor is aligned for its type.
void TestSafetensors::readsUnalignedData()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QByteArray header = "{" + entry("a", "F32", "[3]", 0, 12) + ","
        + entry("h", "F16", "[2]", 12, 16) + "," + entry("b", "F32", "[1]", 16, 20) + "}";
    if (header.size() % 2 == 0)
        header += ' ';
    QByteArray data = floatBytes({ 1.5f, -2.25f, 1e-40f }) + u16Bytes({ 0x3c00, 0xc000 })
        + floatBytes({ 7.0f });
    const fs::path path = writeBytes(dir, "odd.safetensors", fileBytes(header, data));
    SafetensorsFile file = SafetensorsFile::open(path);
    QCOMPARE(file.readFloat32("a"), (std::vector<float> { 1.5f, -2.25f, 1e-40f }));
    QCOMPARE(file.readFloat32("h"), (std::vector<float> { 1.0f, -2.0f }));
    QCOMPARE(file.readFloat32("b"), std::vector<float> { 7.0f });
}

void TestSafetensors::acceptsEdgeCases()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());

    // Nothing at all but an empty header.
    SafetensorsFile empty
        = SafetensorsFile::open(writeBytes(dir, "e.safetensors", fileBytes("{}")));
    QVERIFY(empty.tensors().empty());
    QVERIFY(empty.metadata().empty());
    QVERIFY(!empty.find("x"));

    // Space padding, tensors listed out of offset order, zero-sized and scalar tensors,
    // metadata in the middle, whitespace and newlines in the JSON.
    QByteArray header = "{\n  " + entry("second", "F32", "[2]", 4, 12) + ",\n  \"__metadata__\": "
        + "{\"format\": \"pt\", \"k\": \"\"},\n  " + entry("zero", "BF16", "[0, 3]", 12, 12)
        + ",\n  " + entry("first", "F32", "[]", 0, 4) + "\n}";
    header += QByteArray(7, ' ');
    const fs::path path
        = writeBytes(dir, "edge.safetensors", fileBytes(header, floatBytes({ 1.0f, 2.0f, 3.0f })));
    SafetensorsFile file = SafetensorsFile::open(path);
    QCOMPARE(file.tensors().size(), std::size_t(3));
    QCOMPARE(file.tensors()[0].name, std::string("first"));
    QCOMPARE(file.tensors()[1].name, std::string("second"));
    QCOMPARE(file.tensors()[2].name, std::string("zero"));
    QCOMPARE(file.tensors()[2].dtype, DType::BF16);
    QCOMPARE(file.tensors()[1].dataBegin, std::uint64_t(4));
    QCOMPARE(file.tensors()[1].dataEnd, std::uint64_t(12));
    QCOMPARE(file.metadata().at("format"), std::string("pt"));
    QCOMPARE(file.metadata().at("k"), std::string());
    QCOMPARE(file.readFloat32("first"), std::vector<float> { 1.0f });
    QCOMPARE(file.readFloat32("second"), (std::vector<float> { 2.0f, 3.0f }));
    QVERIFY(file.readFloat32("zero").empty());
    QVERIFY(!file.find("third"));
    try {
        file.readFloat32("third");
        QFAIL("no exception for an absent tensor");
    } catch (const Error &e) {
        QVERIFY2(QString(e.what()).contains("no tensor named 'third'"), e.what());
    }

    QCOMPARE(dtypeName(DType::F32), "F32");
    QCOMPARE(dtypeName(DType::F16), "F16");
    QCOMPARE(dtypeName(DType::BF16), "BF16");
    QCOMPARE(dtypeBits(DType::F32), std::size_t(32));
    QCOMPARE(dtypeBits(DType::F16), std::size_t(16));
    QCOMPARE(dtypeBits(DType::BF16), std::size_t(16));
    QCOMPARE(dtypeBits(DType::BOOL), std::size_t(8));
    QCOMPARE(dtypeBits(DType::F4), std::size_t(4));
}

// Every dtype of the specification opens (its header entry checked like any other); F64 reads
// as float32; the others are listed and refused only when read, naming the tensor.
void TestSafetensors::everySpecificationDtypeOpens()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QByteArray f64(16, '\0');
    const double values[] = { 1.5, -2.25 };
    std::memcpy(f64.data(), values, 16);
    const QByteArray data = f64 + QByteArray(8, '\x01') + QByteArray(3, '\0');
    const QByteArray header = "{" + entry("d", "F64", "[2]", 0, 16) + ","
        + entry("mask", "BOOL", "[2,4]", 16, 24) + "," + entry("packed", "F4", "[6]", 24, 27) + "}";
    const fs::path path = writeBytes(dir, "mixed.safetensors", fileBytes(header, data));
    SafetensorsFile file = SafetensorsFile::open(path);
    QCOMPARE(file.tensors().size(), std::size_t(3));
    QCOMPARE(file.find("mask")->dtype, DType::BOOL);
    QCOMPARE(file.readFloat32("d"), (std::vector<float> { 1.5f, -2.25f }));
    try {
        file.readFloat32("mask");
        QFAIL("a BOOL tensor read as float");
    } catch (const Error &e) {
        QVERIFY2(QString(e.what()).contains("unsupported dtype BOOL for tensor 'mask'"), e.what());
    }
    QVERIFY(!readsAsFloat(DType::I64) && readsAsFloat(DType::F64));
}

void TestSafetensors::malformed_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QStringList>("expected"); // substrings of the error message

    auto header
        = [](const QByteArray &json, const QByteArray &data = {}) { return fileBytes(json, data); };
    auto one = [](const QByteArray &body) { return "{\"a\":{" + body + "}}"; };
    const QByteArray f4 = floatBytes({ 1.0f });
    const QByteArray f8 = floatBytes({ 1.0f, 2.0f });
    const QByteArray f12 = floatBytes({ 1.0f, 2.0f, 3.0f });

    QTest::newRow("empty file") << QByteArray() << QStringList { "file is 0 bytes", "too short" };
    QTest::newRow("5-byte file") << QByteArray("\x05\0\0\0\0", 5)
                                 << QStringList { "file is 5 bytes", "too short" };
    QTest::newRow("header length 0") << le64(0) + "{}" << QStringList { "header length is 0" };
    QTest::newRow("header length past the end")
        << le64(1000) + "{}" << QStringList { "header length 1000", "file size 10 bytes" };
    QTest::newRow("header length one past the end")
        << le64(3) + "{}" << QStringList { "8 + 3 = 11 > file size 10 bytes" };
    QTest::newRow("header length huge")
        << le64(quint64(1) << 62) + "{}" << QStringList { "over the 100000000-byte limit" };
    QTest::newRow("header length 2^64-1")
        << le64(~quint64(0)) + "{}" << QStringList { "over the 100000000-byte limit" };
    QTest::newRow("bad JSON") << header("{\"a\":}")
                              << QStringList { "byte 13:", "header byte 5", "not valid JSON" };
    QTest::newRow("truncated JSON")
        << header("{\"a\":{\"dtype\":") << QStringList { "not valid JSON" };
    // Found by fuzz/fuzz_safetensors: nlohmann throws out_of_range, not parse_error, for this.
    QTest::newRow("number overflow")
        << header("{\"a\":1e999}") << QStringList { "not valid JSON", "number overflow" };
    QTest::newRow("trailing garbage")
        << header("{} x") << QStringList { "not valid JSON", "byte 11:" };
    QTest::newRow("NUL padding") << header(QByteArray("{}\0\0", 4))
                                 << QStringList { "not valid JSON", "byte 10:", "NUL" };
    QTest::newRow("tensor hidden after a NUL")
        << header(QByteArray("{}\0", 3) + "{" + entry("a", "F32", "[1]", 0, 4) + "}", f4)
        << QStringList { "byte 10:", "NUL" };
    QTest::newRow("invalid UTF-8")
        << header("{\"a\xff\":{}}") << QStringList { "not valid JSON", "UTF-8" };
    QTest::newRow("top-level array")
        << header("[1, 2]") << QStringList { "top level must be a JSON object", "array" };
    QTest::newRow("top-level string")
        << header("\"x\"") << QStringList { "top level must be a JSON object" };
    QTest::newRow("entry not an object")
        << header("{\"a\":5}") << QStringList { "tensor 'a'", "expected an object", "5" };
    QTest::newRow("missing data_offsets") << header(one("\"dtype\":\"F32\",\"shape\":[1]"),
        f4) << QStringList { "tensor 'a'", "missing key 'data_offsets'" };
    QTest::newRow("missing dtype") << header(one("\"shape\":[1],\"data_offsets\":[0,4]"), f4)
                                   << QStringList { "tensor 'a'", "missing key 'dtype'" };
    QTest::newRow("extra key") << header(
        one("\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"foo\":1"), f4)
                               << QStringList { "tensor 'a'", "unexpected key 'foo'" };
    QTest::newRow("dtype not a string")
        << header(one("\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]"), f4)
        << QStringList { "tensor 'a'", "dtype: expected a string, got number 32" };
    QTest::newRow("unknown dtype F8_Z")
        << header(one("\"dtype\":\"F8_Z\",\"shape\":[1],\"data_offsets\":[0,1]"), "x")
        << QStringList { "tensor 'a'", "unknown dtype 'F8_Z'" };
    QTest::newRow("lower-case dtype")
        << header(one("\"dtype\":\"f32\",\"shape\":[1],\"data_offsets\":[0,4]"), f4)
        << QStringList { "unknown dtype 'f32'" };
    QTest::newRow("I64 with the size of one F32")
        << header(one("\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,4]"), f4)
        << QStringList { "tensor 'a'", "span 4 bytes, expected 8", "of I64" };
    QTest::newRow("BOOL buffer past the data")
        << header(one("\"dtype\":\"BOOL\",\"shape\":[16],\"data_offsets\":[0,16]"), f8)
        << QStringList { "tensor 'a'", "run past the end of the data section" };
    QTest::newRow("F4 of an odd count")
        << header(one("\"dtype\":\"F4\",\"shape\":[3],\"data_offsets\":[0,2]"), "xx")
        << QStringList { "tensor 'a'", "not a whole number of bytes" };
    QTest::newRow("shape with a negative")
        << header(one("\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]"), f4)
        << QStringList { "tensor 'a'", "shape: expected a list of non-negative integers", "[-1]" };
    QTest::newRow("shape with a string")
        << header(one("\"dtype\":\"F32\",\"shape\":[\"1\"],\"data_offsets\":[0,4]"), f4)
        << QStringList { "tensor 'a'", "shape: expected a list of non-negative integers" };
    QTest::newRow("shape with a float")
        << header(one("\"dtype\":\"F32\",\"shape\":[1.0],\"data_offsets\":[0,4]"), f4)
        << QStringList { "shape: expected a list of non-negative integers" };
    QTest::newRow("shape not a list")
        << header(one("\"dtype\":\"F32\",\"shape\":1,\"data_offsets\":[0,4]"), f4)
        << QStringList { "shape: expected a list of non-negative integers, got number 1" };
    QTest::newRow("shape over int64") << header(
        one("\"dtype\":\"F32\",\"shape\":[9223372036854775808],"
            "\"data_offsets\":[0,4]"),
        f4) << QStringList { "shape: expected a list of non-negative integers" };
    QTest::newRow("numel overflow") << header(
        one("\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],"
            "\"data_offsets\":[0,4]"),
        f4) << QStringList { "tensor 'a'", "overflows" };
    QTest::newRow("byte size overflow") << header(
        one("\"dtype\":\"F32\",\"shape\":[4611686018427387904],"
            "\"data_offsets\":[0,4]"),
        f4) << QStringList { "tensor 'a'", "overflows" };
    QTest::newRow("offsets not two")
        << header(one("\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]"), f4)
        << QStringList { "data_offsets: expected two non-negative integers" };
    QTest::newRow("offsets negative")
        << header(one("\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]"), f4)
        << QStringList { "data_offsets: expected two non-negative integers" };
    QTest::newRow("offsets not a list")
        << header(one("\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":\"0-4\""), f4)
        << QStringList { "data_offsets: expected two non-negative integers" };
    QTest::newRow("offsets end < begin")
        << header(one("\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]"), f12)
        << QStringList { "tensor 'a'", "[8, 4]", "begin is after end" };
    QTest::newRow("size mismatch")
        << header(one("\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]"), f4)
        << QStringList { "tensor 'a'", "span 4 bytes, expected 8", "shape [2] of F32" };
    QTest::newRow("size mismatch F16")
        << header(one("\"dtype\":\"F16\",\"shape\":[2,3],\"data_offsets\":[0,8]"), f8)
        << QStringList { "span 8 bytes, expected 12", "shape [2, 3] of F16" };
    QTest::newRow("offsets past the data section")
        << header(one("\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]"), f4)
        << QStringList { "tensor 'a'", "[0, 8] run past the end of the data section", "4 bytes" };
    QTest::newRow("offsets far past the end") << header(
        one("\"dtype\":\"F32\",\"shape\":[1],"
            "\"data_offsets\":[18446744073709551612,18446744073709551615]"),
        f4) << QStringList { "tensor 'a'", "span 3 bytes, expected 4" };
    QTest::newRow("overlapping tensors")
        << header(
               "{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 4, 12) + "}",
               f12)
        << QStringList { "tensors 'a' (data_offsets [0, 8]) and 'b' (data_offsets [4, 12]) "
                         "overlap" };
    QTest::newRow("same range twice") << header(
        "{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "F32", "[1]", 0, 4) + "}", f4)
                                      << QStringList { "'a'", "'b'", "overlap" };
    QTest::newRow("hole between tensors") << header(
        "{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "F32", "[1]", 8, 12) + "}",
        f12) << QStringList { "hole in the data section", "bytes [4, 8)", "between 'a' and 'b'" };
    QTest::newRow("hole before the first tensor")
        << header("{" + entry("a", "F32", "[1]", 4, 8) + "}", f8)
        << QStringList { "hole in the data section", "bytes [0, 4)", "before 'a'" };
    QTest::newRow("trailing bytes") << header("{" + entry("a", "F32", "[1]", 0, 4) + "}", f8)
                                    << QStringList { "4 trailing bytes" };
    QTest::newRow("data without tensors") << header("{}", f4) << QStringList { "4 trailing bytes" };
    QTest::newRow("duplicate tensor name") << header(
        "{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("a", "F32", "[1]", 4, 8) + "}", f8)
                                           << QStringList { "tensor 'a' appears twice" };
    QTest::newRow("duplicate key in an entry") << header(
        one("\"dtype\":\"F32\",\"dtype\":\"F16\",\"shape\":[1],"
            "\"data_offsets\":[0,4]"),
        f4) << QStringList { "tensor 'a': key 'dtype' appears twice" };
    QTest::newRow("__metadata__ with a non-string value")
        << header("{\"__metadata__\":{\"format\":\"pt\",\"k\":1}}")
        << QStringList { "__metadata__: key 'k': expected a string, got number 1" };
    QTest::newRow("__metadata__ not an object") << header(
        "{\"__metadata__\":\"pt\"}") << QStringList { "__metadata__: expected an object" };
    QTest::newRow("__metadata__ twice") << header("{\"__metadata__\":{},\"__metadata__\":{}}")
                                        << QStringList { "__metadata__ appears twice" };
    QTest::newRow("duplicate __metadata__ key")
        << header("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}")
        << QStringList { "__metadata__: key 'k' appears twice" };
}

void TestSafetensors::malformed()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QStringList, expected);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const fs::path path = writeBytes(dir, "bad.safetensors", bytes);
    const QString message = errorOf(path);
    QVERIFY2(!message.isEmpty(), "opened without an error");
    QVERIFY2(message.startsWith(QString::fromStdString(path.string()) + ":"), qPrintable(message));
    for (const QString &part : expected)
        QVERIFY2(message.contains(part), qPrintable(QString("'%1' not in: %2").arg(part, message)));
}

void TestSafetensors::rejectsForeignTensorInfo()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const fs::path path = writeBytes(dir, "a.safetensors",
        fileBytes("{" + entry("a", "F32", "[2]", 0, 8) + "}", floatBytes({ 1.0f, 2.0f })));
    SafetensorsFile file = SafetensorsFile::open(path);
    float out[4] = {};
    file.readFloat32(*file.find("a"), out);
    QCOMPARE(out[1], 2.0f);

    TensorInfo beyond = *file.find("a");
    beyond.shape = { 4 };
    beyond.dataEnd = 16; // consistent with the shape, but past this file's data
    QVERIFY_THROWS_EXCEPTION(Error, file.readFloat32(beyond, out));
    TensorInfo inconsistent = *file.find("a");
    inconsistent.shape = { 4 };
    QVERIFY_THROWS_EXCEPTION(Error, file.readFloat32(inconsistent, out));
    TensorInfo reversed = *file.find("a");
    reversed.dataBegin = 8;
    reversed.dataEnd = 0;
    reversed.shape = { 0 };
    QVERIFY_THROWS_EXCEPTION(Error, file.readFloat32(reversed, out));
    TensorInfo negative = *file.find("a");
    negative.shape = { -2 };
    QVERIFY_THROWS_EXCEPTION(Error, file.readFloat32(negative, out));
}

void TestSafetensors::reportsMissingFileAndFolder()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const fs::path missing = fs::path(dir.path().toStdString()) / "missing.safetensors";
    QString message = errorOf(missing);
    QVERIFY2(message.contains(QString::fromStdString(missing.string()))
            && message.contains("cannot open"),
        qPrintable(message));
    message = errorOf(fs::path(dir.path().toStdString()));
    QVERIFY2(message.contains("not a regular file"), qPrintable(message));
}

void TestSafetensors::movedFileStillReads()
{
    std::vector<SafetensorsFile> files;
    files.push_back(SafetensorsFile::open(test::tinyGpt2Dir() / "model.safetensors"));
    SafetensorsFile moved = std::move(files.front());
    files.clear();
    QCOMPARE(moved.tensors().size(), std::size_t(28));
    QVERIFY(!moved.readFloat32("transformer.wte.weight").empty());
    SafetensorsFile other = SafetensorsFile::open(test::tinyGpt2Dir() / "model.safetensors");
    other = std::move(moved);
    QCOMPARE(other.tensors().size(), std::size_t(28));
}

void TestSafetensors::writerLayout()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const fs::path path = fs::path(dir.path().toStdString()) / "layout.safetensors";
    const std::vector<float> z = { 1, 2, 3 }, a = { 4, 5 }, m = { 6, 7, 8, 9 };
    writeSafetensors(path,
        { { "z", { 3 }, z.data(), DType::F32 }, { "a", { 2 }, a.data(), DType::F16 },
            { "m", { 2, 2 }, m.data(), DType::BF16 } },
        { { "format", "pt" } });

    const QByteArray bytes = readAll(path);
    quint64 n = 0;
    for (int i = 7; i >= 0; --i)
        n = (n << 8) | quint8(bytes[i]);
    QCOMPARE((8 + n) % 8, quint64(0));
    QCOMPARE(quint64(bytes.size()), 8 + n + 12 + 4 + 8);
    const QByteArray headerText = bytes.mid(8, qsizetype(n));
    QVERIFY(headerText.startsWith('{'));
    QVERIFY(headerText.trimmed().endsWith('}'));
    QVERIFY(!headerText.contains('\n'));
    QVERIFY(headerText.size() - headerText.trimmed().size() < 8);

    const auto header = nlohmann::ordered_json::parse(
        headerText.constData(), headerText.constData() + headerText.size());
    std::vector<std::string> keys;
    for (const auto &item : header.items())
        keys.push_back(item.key());
    QCOMPARE(keys, (std::vector<std::string> { "__metadata__", "z", "a", "m" }));
    QCOMPARE(header["__metadata__"]["format"].get<std::string>(), std::string("pt"));
    QCOMPARE(header["z"]["dtype"].get<std::string>(), std::string("F32"));
    QCOMPARE(header["a"]["dtype"].get<std::string>(), std::string("F16"));
    QCOMPARE(header["m"]["dtype"].get<std::string>(), std::string("BF16"));
    QCOMPARE(header["m"]["shape"].get<std::vector<int>>(), (std::vector<int> { 2, 2 }));
    QCOMPARE(header["z"]["data_offsets"].get<std::vector<int>>(), (std::vector<int> { 0, 12 }));
    QCOMPARE(header["a"]["data_offsets"].get<std::vector<int>>(), (std::vector<int> { 12, 16 }));
    QCOMPARE(header["m"]["data_offsets"].get<std::vector<int>>(), (std::vector<int> { 16, 24 }));

    const QByteArray data = bytes.mid(qsizetype(8 + n));
    QCOMPARE(data.left(12), floatBytes({ 1, 2, 3 }));
    QCOMPARE(data.mid(12, 4), u16Bytes({ 0x4400, 0x4500 })); // 4, 5 as F16
    QCOMPARE(data.mid(16), u16Bytes({ 0x40c0, 0x40e0, 0x4100, 0x4110 })); // 6..9 as BF16

    SafetensorsFile file = SafetensorsFile::open(path);
    QCOMPARE(file.readFloat32("a"), a);
    QCOMPARE(file.readFloat32("m"), m);
}

void TestSafetensors::writerOmitsEmptyMetadata()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const fs::path path = fs::path(dir.path().toStdString()) / "nometa.safetensors";
    const float one = 1.0f;
    writeSafetensors(path, { { "x", { 1 }, &one, DType::F32 } });
    QVERIFY(!readAll(path).contains("__metadata__"));
    QVERIFY(SafetensorsFile::open(path).metadata().empty());

    writeSafetensors(path, {});
    SafetensorsFile empty = SafetensorsFile::open(path);
    QVERIFY(empty.tensors().empty());
    QCOMPARE(readAll(path).size(), 16); // length + "{}" padded to 8
}

void TestSafetensors::writerRejectsBadInput_data()
{
    QTest::addColumn<int>("which");
    QTest::addColumn<QString>("expected");
    QTest::newRow("duplicate name") << 0 << "tensor 'w': the name is given twice";
    QTest::newRow("reserved name") << 1 << "__metadata__ is reserved";
    QTest::newRow("negative dimension") << 2 << "negative dimension";
    QTest::newRow("null data") << 3 << "no data";
    QTest::newRow("invalid UTF-8 name") << 4 << "not valid UTF-8";
}

void TestSafetensors::writerRejectsBadInput()
{
    QFETCH(int, which);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const fs::path path = fs::path(dir.path().toStdString()) / "bad.safetensors";
    const float values[2] = { 1, 2 };
    std::vector<TensorToWrite> tensors = { { "w", { 2 }, values, DType::F32 } };
    switch (which) {
    case 0:
        tensors.push_back({ "w", { 1 }, values, DType::F16 });
        break;
    case 1:
        tensors.push_back({ "__metadata__", { 1 }, values, DType::F32 });
        break;
    case 2:
        tensors.push_back({ "n", { 2, -1 }, values, DType::F32 });
        break;
    case 3:
        tensors.push_back({ "n", { 2 }, nullptr, DType::F32 });
        break;
    case 4:
        tensors.push_back({ "bad\xff", { 1 }, values, DType::F32 });
        break;
    }
    try {
        writeSafetensors(path, tensors);
        QFAIL("no exception");
    } catch (const Error &e) {
        QVERIFY2(QString(e.what()).contains(expected), e.what());
    }
    QVERIFY(!fs::exists(path));
    QVERIFY(QDir(dir.path()).isEmpty()); // no temporary left behind either
}

void TestSafetensors::failedWriteLeavesNoFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const fs::path missingFolder = fs::path(dir.path().toStdString()) / "no" / "such";
    const fs::path path = missingFolder / "model.safetensors";
    const float one = 1.0f;
    QVERIFY_THROWS_EXCEPTION(Error, writeSafetensors(path, { { "x", { 1 }, &one, DType::F32 } }));
    QVERIFY(!fs::exists(path));
    QVERIFY(!fs::exists(missingFolder));
    QVERIFY(QDir(dir.path()).isEmpty());
}

void TestSafetensors::writerReplacesExistingFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const fs::path path = fs::path(dir.path().toStdString()) / "model.safetensors";
    const std::vector<float> first = { 1, 2, 3 }, second = { 4, 5 };
    writeSafetensors(path, { { "x", { 3 }, first.data(), DType::F32 } });
    SafetensorsFile old = SafetensorsFile::open(path); // stays mapped across the replacement
    writeSafetensors(path, { { "x", { 2 }, second.data(), DType::F32 } });
    QCOMPARE(SafetensorsFile::open(path).readFloat32("x"), second);
    QCOMPARE(old.readFloat32("x"), first); // the rename left the old inode intact
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList { "model.safetensors" });
}

QTEST_GUILESS_MAIN(TestSafetensors)
#include "test_safetensors.moc"
