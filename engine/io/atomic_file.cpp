#include "chatbench/atomic_file.h"

#include "chatbench/error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <sstream>
#include <unistd.h>

namespace chatbench {
namespace {

std::string errnoText()
{
    return std::strerror(errno);
}

std::string randomSuffix()
{
    static thread_local std::mt19937_64 rng { std::random_device {}() };
    std::ostringstream s;
    s << std::hex << rng();
    return s.str();
}

void fsyncDirectory(const std::filesystem::path &dir)
{
    int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return; // some file systems refuse to open folders; the rename itself still happened
    ::fsync(fd);
    ::close(fd);
}

} // namespace

AtomicFile::AtomicFile(std::filesystem::path target) : m_target(std::move(target))
{
    m_temp = m_target;
    m_temp += ".tmp-" + randomSuffix();
    m_fd = ::open(m_temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (m_fd < 0)
        throw Error::inFile(
            m_target, "cannot create temporary file " + m_temp.string() + ": " + errnoText());
}

AtomicFile::~AtomicFile()
{
    if (m_fd >= 0) {
        ::close(m_fd);
        ::unlink(m_temp.c_str());
    }
}

void AtomicFile::write(const void *data, std::size_t size)
{
    if (m_fd < 0)
        throw Error::inFile(m_target, "write after commit");
    const char *p = static_cast<const char *>(data);
    while (size > 0) {
        ssize_t n = ::write(m_fd, p, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            throw Error::inFile(m_target, "write failed: " + errnoText());
        p += n;
        size -= static_cast<std::size_t>(n);
    }
}

void AtomicFile::commit()
{
    if (m_fd < 0)
        throw Error::inFile(m_target, "committed twice");
    if (::fsync(m_fd) != 0)
        throw Error::inFile(m_target, "fsync failed: " + errnoText());
    int fd = m_fd;
    m_fd = -1;
    if (::close(fd) != 0) {
        ::unlink(m_temp.c_str());
        throw Error::inFile(m_target, "close failed: " + errnoText());
    }
    if (::rename(m_temp.c_str(), m_target.c_str()) != 0) {
        std::string why = errnoText();
        ::unlink(m_temp.c_str());
        throw Error::inFile(m_target, "rename failed: " + why);
    }
    fsyncDirectory(m_target.parent_path());
}

void writeFileAtomically(const std::filesystem::path &target, std::string_view bytes)
{
    AtomicFile file(target);
    file.write(bytes);
    file.commit();
}

std::string readSmallFile(const std::filesystem::path &file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw Error::inFile(file, std::string("cannot open: ") + errnoText());
    std::ostringstream s;
    s << in.rdbuf();
    if (in.bad())
        throw Error::inFile(file, "read failed");
    return s.str();
}

} // namespace chatbench
