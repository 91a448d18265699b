#pragma once
// One HTTP request through libcurl, for the Hugging Face Hub client (hub.cpp). Redirects are not
// followed here: the caller follows them, so that it decides per host which headers (a token)
// go along. TLS peers are verified, and the proxies of the usual environment variables
// (https_proxy, http_proxy, no_proxy) are used, as libcurl does by default. Internal.

#include "chatbench/error.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace chatbench {

struct HttpRequest
{
    std::string url;
    bool head = false; // HEAD instead of GET
    std::vector<std::string> headers; // "Name: value"
    int connectTimeoutSeconds = 10;
    // A transfer that moves less than one byte a second for this long is abandoned (a stalled
    // connection, not a slow one).
    int stallSeconds = 30;
    // Called with each piece of a 2xx answer's body; returning false aborts the transfer.
    // Without it, and for any other answer (a redirect's page, an error), the body is kept in
    // HttpResponse::body.
    std::function<bool(const char *data, std::size_t size)> onBody;
    // Called once before the first onBody, with the answer's status and headers (lower-cased
    // names): a resumed download learns whether the server honoured its Range.
    std::function<void(long status, const std::map<std::string, std::string> &headers)> onBodyStart;
    const std::atomic<bool> *cancel = nullptr; // checked while the transfer runs
};

struct HttpResponse
{
    long status = 0;
    std::map<std::string, std::string> headers; // names lower-cased; the last value wins
    std::string body; // when the request had no onBody

    // The header's value, or "" when absent.
    std::string header(const std::string &lowerCaseName) const;
};

// A request that got no HTTP answer (refused or reset connection, timeout, TLS failure, a body
// cut short). transient: worth trying again.
class HttpFailure : public Error
{
public:
    HttpFailure(const std::string &message, bool transient, bool cancelled)
        : Error(message), m_transient(transient), m_cancelled(cancelled)
    { }
    bool transient() const { return m_transient; }
    bool cancelled() const { return m_cancelled; }

private:
    bool m_transient;
    bool m_cancelled;
};

// Performs the request. Any HTTP status is a response (the caller judges it); throws
// HttpFailure when there was none or the transfer broke off.
HttpResponse performHttp(const HttpRequest &request);

// "https", "huggingface.co", 443 from a URL: what decides whether a token may go along.
struct UrlOrigin
{
    std::string scheme, host;
    int port = 0;
    bool operator==(const UrlOrigin &o) const
    {
        return scheme == o.scheme && host == o.host && port == o.port;
    }
};
UrlOrigin urlOrigin(const std::string &url);
// A redirect's Location resolved against the URL that gave it (absolute, or relative to it).
std::string resolveUrl(const std::string &base, const std::string &location);
// Percent-encodes a path segment (a file name may hold spaces or non-ASCII characters).
std::string encodeUrlPath(const std::string &path);

} // namespace chatbench
