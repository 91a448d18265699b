#pragma once
// A small HTTP/1.1 server on 127.0.0.1 (an ephemeral port) for tests that must not touch the
// network: each connection is answered by a handler, one request per connection. It records
// every request (method, path, headers) for the test to inspect, answers HEAD without a body,
// and can cut a response off after a number of body bytes (a dropped connection). Started by
// the test, stopped by its destructor.

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <netinet/in.h>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace chatbench::test {

struct HttpStandInRequest
{
    std::string method, path;
    std::map<std::string, std::string> headers; // names lower-cased

    std::string header(const std::string &name) const
    {
        const auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

struct HttpStandInResponse
{
    int status = 200;
    std::map<std::string, std::string> headers;
    std::string body;
    // Close the connection after this many body bytes (npos: send it all).
    std::size_t cutAfter = std::string::npos;
    // Pace the body to about this rate (0: as fast as the socket takes it), so a test sees a
    // download in progress.
    std::size_t bytesPerSecond = 0;
};

class HttpStandIn
{
public:
    using Handler = std::function<HttpStandInResponse(const HttpStandInRequest &)>;

    explicit HttpStandIn(Handler handler) : m_handler(std::move(handler))
    {
        m_socket = ::socket(AF_INET, SOCK_STREAM, 0);
        const int yes = 1;
        ::setsockopt(m_socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (m_socket < 0
            || ::bind(m_socket, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0
            || ::listen(m_socket, 16) != 0
            || ::getsockname(m_socket, reinterpret_cast<sockaddr *>(&address), &length) != 0)
            throw std::runtime_error("HttpStandIn: cannot listen on 127.0.0.1");
        m_port = ntohs(address.sin_port);
        m_thread = std::thread([this] { serve(); });
    }

    ~HttpStandIn()
    {
        m_stopping = true;
        ::shutdown(m_socket, SHUT_RDWR);
        ::close(m_socket);
        m_thread.join();
    }

    int port() const { return m_port; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

    std::vector<HttpStandInRequest> requests() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_requests;
    }
    void clearRequests()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_requests.clear();
    }

private:
    void serve()
    {
        while (!m_stopping) {
            const int client = ::accept(m_socket, nullptr, nullptr);
            if (client < 0)
                continue;
            answer(client);
            ::close(client);
        }
    }

    void answer(int client)
    {
        std::string data;
        char buffer[4096];
        while (data.find("\r\n\r\n") == std::string::npos) {
            const ssize_t n = ::recv(client, buffer, sizeof buffer, 0);
            if (n <= 0)
                return;
            data.append(buffer, std::size_t(n));
        }
        HttpStandInRequest request;
        const std::size_t firstLine = data.find("\r\n");
        const std::string line = data.substr(0, firstLine);
        const std::size_t a = line.find(' '), b = line.find(' ', a + 1);
        request.method = line.substr(0, a);
        request.path = line.substr(a + 1, b - a - 1);
        std::size_t pos = firstLine + 2;
        while (pos < data.size()) {
            const std::size_t end = data.find("\r\n", pos);
            if (end == pos || end == std::string::npos)
                break;
            const std::string header = data.substr(pos, end - pos);
            const std::size_t colon = header.find(':');
            std::string name = header.substr(0, colon);
            for (char &c : name)
                c = char(std::tolower(static_cast<unsigned char>(c)));
            std::string value = header.substr(colon + 1);
            value.erase(0, value.find_first_not_of(' '));
            request.headers[name] = value;
            pos = end + 2;
        }
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_requests.push_back(request);
        }
        const HttpStandInResponse response = m_handler(request);
        std::string head = "HTTP/1.1 " + std::to_string(response.status) + " X\r\n";
        bool hasLength = false;
        for (const auto &[name, value] : response.headers) {
            head += name + ": " + value + "\r\n";
            std::string lower = name;
            for (char &c : lower)
                c = char(std::tolower(static_cast<unsigned char>(c)));
            hasLength = hasLength || lower == "content-length";
        }
        if (!hasLength)
            head += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
        head += "Connection: close\r\n\r\n";
        sendAll(client, head);
        if (request.method == "HEAD")
            return;
        const std::string body = response.body.substr(0, response.cutAfter);
        if (response.bytesPerSecond == 0) {
            sendAll(client, body);
            return;
        }
        const std::size_t chunk = std::max<std::size_t>(1, response.bytesPerSecond / 20);
        for (std::size_t at = 0; at < body.size() && !m_stopping; at += chunk) {
            if (!sendAll(client, body.substr(at, chunk)))
                return; // the client hung up (a cancelled download)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }

    static bool sendAll(int client, const std::string &bytes)
    {
        std::size_t sent = 0;
        while (sent < bytes.size()) {
            const ssize_t n
                = ::send(client, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            sent += std::size_t(n);
        }
        return true;
    }

    Handler m_handler;
    int m_socket = -1;
    int m_port = 0;
    std::atomic<bool> m_stopping { false };
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::vector<HttpStandInRequest> m_requests;
};

} // namespace chatbench::test
