#include "io/sha256.h"

#include "chatbench/error.h"

#include <cstdio>
#include <memory>
#include <openssl/evp.h>
#include <vector>

namespace chatbench {

namespace {

class Digest
{
public:
    Digest() : m_context(EVP_MD_CTX_new(), EVP_MD_CTX_free)
    {
        if (!m_context || EVP_DigestInit_ex(m_context.get(), EVP_sha256(), nullptr) != 1)
            throw Error("SHA-256 is not available (OpenSSL)");
    }
    void update(const void *data, std::size_t size)
    {
        EVP_DigestUpdate(m_context.get(), data, size);
    }
    std::string hex()
    {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int length = 0;
        EVP_DigestFinal_ex(m_context.get(), digest, &length);
        static const char digits[] = "0123456789abcdef";
        std::string out;
        for (unsigned int i = 0; i < length; ++i) {
            out += digits[digest[i] >> 4];
            out += digits[digest[i] & 15];
        }
        return out;
    }

private:
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX *)> m_context;
};

} // namespace

std::string sha256OfBytes(std::string_view bytes)
{
    Digest d;
    d.update(bytes.data(), bytes.size());
    return d.hex();
}

std::string sha256OfFile(const std::filesystem::path &file)
{
    std::unique_ptr<std::FILE, int (*)(std::FILE *)> in(
        std::fopen(file.c_str(), "rb"), std::fclose);
    if (!in)
        throw Error::inFile(file, "cannot be read to check its SHA-256");
    Digest d;
    std::vector<char> buffer(1 << 20);
    for (std::size_t n; (n = std::fread(buffer.data(), 1, buffer.size(), in.get())) > 0;)
        d.update(buffer.data(), n);
    if (std::ferror(in.get()))
        throw Error::inFile(file, "read error while checking its SHA-256");
    return d.hex();
}

} // namespace chatbench
