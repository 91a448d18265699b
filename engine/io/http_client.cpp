#include "io/http_client.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <curl/curl.h>
#include <memory>
#include <mutex>

namespace chatbench {

namespace {

void initCurlOnce()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer
{
    const HttpRequest &request;
    HttpResponse &response;
    long status = 0; // of the answer being received
    bool bodyStarted = false;
    bool bodyRefused = false;
};

std::size_t onHeader(char *data, std::size_t size, std::size_t count, void *user)
{
    auto *t = static_cast<Transfer *>(user);
    const std::string line(data, size * count);
    // A new status line (after "100 Continue", say) starts a new set of headers.
    if (line.rfind("HTTP/", 0) == 0) {
        t->response.headers.clear();
        const auto space = line.find(' ');
        t->status = space == std::string::npos ? 0 : std::atol(line.c_str() + space + 1);
        return size * count;
    }
    const std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(),
            [](unsigned char c) { return char(std::tolower(c)); });
        std::string value = line.substr(colon + 1);
        const auto first = value.find_first_not_of(" \t");
        const auto last = value.find_last_not_of(" \t\r\n");
        value = first == std::string::npos ? std::string() : value.substr(first, last - first + 1);
        t->response.headers[name] = value;
    }
    return size * count;
}

std::size_t onData(char *data, std::size_t size, std::size_t count, void *user)
{
    auto *t = static_cast<Transfer *>(user);
    const std::size_t bytes = size * count;
    if (t->request.onBody && t->status >= 200 && t->status < 300) {
        if (!t->bodyStarted) {
            t->bodyStarted = true;
            if (t->request.onBodyStart)
                t->request.onBodyStart(t->status, t->response.headers);
        }
        if (!t->request.onBody(data, bytes)) {
            t->bodyRefused = true;
            return 0; // libcurl stops with CURLE_WRITE_ERROR
        }
    } else {
        t->response.body.append(data, bytes);
    }
    return bytes;
}

int onProgress(void *user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    const auto *t = static_cast<Transfer *>(user);
    return t->request.cancel && t->request.cancel->load() ? 1 : 0;
}

bool isTransient(CURLcode code)
{
    switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
        return true;
    default:
        return false;
    }
}

struct CurlUrlDeleter
{
    void operator()(CURLU *u) const { curl_url_cleanup(u); }
};
using CurlUrl = std::unique_ptr<CURLU, CurlUrlDeleter>;

std::string urlPart(CURLU *u, CURLUPart part)
{
    char *text = nullptr;
    if (curl_url_get(u, part, &text, part == CURLUPART_PORT ? CURLU_DEFAULT_PORT : 0) != CURLUE_OK)
        return {};
    std::string out = text;
    curl_free(text);
    return out;
}

} // namespace

std::string HttpResponse::header(const std::string &lowerCaseName) const
{
    const auto it = headers.find(lowerCaseName);
    return it == headers.end() ? std::string() : it->second;
}

HttpResponse performHttp(const HttpRequest &request)
{
    initCurlOnce();
    HttpResponse response;
    Transfer transfer { request, response };
    std::unique_ptr<CURL, void (*)(CURL *)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl)
        throw HttpFailure("cannot start an HTTP transfer (libcurl)", false, false);
    CURL *c = curl.get();
    curl_slist *headers = nullptr;
    for (const std::string &h : request.headers)
        headers = curl_slist_append(headers, h.c_str());
    std::unique_ptr<curl_slist, void (*)(curl_slist *)> headerList(headers, curl_slist_free_all);
    curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(c, CURLOPT_NOBODY, request.head ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "chatbench (+libcurl)");
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, long(request.connectTimeoutSeconds));
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, long(request.stallSeconds));
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); // several threads may download at once
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &transfer);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, onData);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, onProgress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &transfer);
    char errorText[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errorText);
    const CURLcode code = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
    if (code == CURLE_OK)
        return response;
    const std::string why = *errorText ? errorText : curl_easy_strerror(code);
    if (code == CURLE_ABORTED_BY_CALLBACK)
        throw HttpFailure("cancelled", false, true);
    if (code == CURLE_WRITE_ERROR && transfer.bodyRefused)
        throw HttpFailure(request.url + ": the download could not be stored", false, false);
    throw HttpFailure(request.url + ": " + why, isTransient(code), false);
}

UrlOrigin urlOrigin(const std::string &url)
{
    CurlUrl u(curl_url());
    UrlOrigin origin;
    if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK)
        return origin;
    origin.scheme = urlPart(u.get(), CURLUPART_SCHEME);
    origin.host = urlPart(u.get(), CURLUPART_HOST);
    std::transform(origin.host.begin(), origin.host.end(), origin.host.begin(),
        [](unsigned char ch) { return char(std::tolower(ch)); });
    origin.port = std::atoi(urlPart(u.get(), CURLUPART_PORT).c_str());
    return origin;
}

std::string resolveUrl(const std::string &base, const std::string &location)
{
    CurlUrl u(curl_url());
    if (!u || curl_url_set(u.get(), CURLUPART_URL, base.c_str(), 0) != CURLUE_OK
        || curl_url_set(u.get(), CURLUPART_URL, location.c_str(), 0) != CURLUE_OK)
        throw Error("cannot follow the redirect from " + base + " to '" + location + "'");
    return urlPart(u.get(), CURLUPART_URL);
}

std::string encodeUrlPath(const std::string &path)
{
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : path) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/')
            out += char(c);
        else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

} // namespace chatbench
