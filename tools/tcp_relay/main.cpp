// chatd-tcp-relay: the cheapest relay there can be, to measure what any relay pays here.
//
// It accepts TCP connections and pumps their bytes to and from a new connection to the
// upstream address: one thread, epoll, no parsing; bytes are copied only when a socket cannot
// take them at once. Put in front of the mock provider, it is a relay that does nothing but
// move each chunk: one `recv` from the provider's socket and one `send` to the client's, as
// chatd must. Its CPU per chunk in the benchmark is the floor under any relay's on this
// machine (bench/README.md).
//
//   chatd-tcp-relay --upstream 127.0.0.1:<mock port> [--listen 127.0.0.1:0]
//
// Prints `listening on http://<address>:<port>` once it accepts connections; stops on SIGTERM
// or SIGINT.

#include <arpa/inet.h>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace {

// Past this many unsent bytes towards one side, the other side is not read until they drain.
constexpr std::size_t backlog_limit = 1 << 20;

struct pair;

struct endpoint {
  int fd = -1;
  pair* owner = nullptr;
  endpoint* peer = nullptr;
  std::string out;         ///< Bytes from the peer not yet accepted by this socket.
  bool connecting = false; ///< An upstream socket whose connect has not completed.
  bool reading = true;     ///< False while the peer's backlog is full.
  bool closed = false;
};

struct pair {
  endpoint client;
  endpoint upstream;
};

int epoll_fd = -1;
std::vector<std::unique_ptr<pair>> pairs_to_free; // freed after the event batch that closed them

// The listening socket, told apart from endpoints in epoll by its mark's address. It is not
// watched while the process is out of file descriptors (else a pending connection that cannot
// be accepted wakes the loop again at once), and watched again once a pair has closed.
int listener_fd = -1;
endpoint listener_mark;
bool accepting = true;

void watch_listener(bool on) {
  accepting = on;
  epoll_event ev{};
  ev.events = on ? EPOLLIN : 0u;
  ev.data.ptr = &listener_mark;
  epoll_ctl(epoll_fd, EPOLL_CTL_MOD, listener_fd, &ev);
}

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "chatd-tcp-relay: %s: %s\n", what, std::strerror(errno));
  std::exit(1);
}

bool parse_address(const std::string& text, sockaddr_in& out) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size())
    return false;
  out = {};
  out.sin_family = AF_INET;
  const auto host = text.substr(0, colon) == "localhost" ? "127.0.0.1" : text.substr(0, colon);
  char* end = nullptr;
  const long port = std::strtol(text.c_str() + colon + 1, &end, 10);
  if (*end != '\0' || port < 0 || port > 65535 ||
      inet_pton(AF_INET, host.c_str(), &out.sin_addr) != 1)
    return false;
  out.sin_port = htons(static_cast<std::uint16_t>(port));
  return true;
}

void watch(endpoint& e, int op) {
  epoll_event ev{};
  ev.events = (e.reading ? EPOLLIN : 0u) | (e.connecting || !e.out.empty() ? EPOLLOUT : 0u);
  ev.data.ptr = &e;
  epoll_ctl(epoll_fd, op, e.fd, &ev);
}

void close_pair(endpoint& e) {
  for (endpoint* side : {&e, e.peer}) {
    if (side->closed)
      continue;
    side->closed = true;
    close(side->fd); // also removes it from the epoll set
  }
  pairs_to_free.emplace_back(e.owner);
  if (!accepting)
    watch_listener(true);
}

/// Sends what the socket takes of `size` bytes now: how many it took (0 when it is full), or
/// -1 when the connection is gone.
long send_now(int fd, const char* data, std::size_t size) {
  const auto n = send(fd, data, size, MSG_NOSIGNAL);
  if (n < 0)
    return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
  return n;
}

/// Sends what `e` holds; false when the connection is gone.
bool flush(endpoint& e) {
  while (!e.out.empty()) {
    const auto n = send_now(e.fd, e.out.data(), e.out.size());
    if (n <= 0)
      return n == 0;
    e.out.erase(0, static_cast<std::size_t>(n));
  }
  return true;
}

void on_readable(endpoint& e) {
  char buffer[65536];
  const auto n = recv(e.fd, buffer, sizeof buffer, 0);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
    return close_pair(e);
  if (n < 0)
    return;
  const auto size = static_cast<std::size_t>(n);
  endpoint& to = *e.peer;
  // Straight from the stack buffer when nothing waits before these bytes (the usual case);
  // only what the socket does not take now is kept.
  std::size_t sent = 0;
  if (to.out.empty() && !to.connecting) {
    const auto n_sent = send_now(to.fd, buffer, size);
    if (n_sent < 0)
      return close_pair(e);
    sent = static_cast<std::size_t>(n_sent);
  }
  if (sent == size)
    return;
  const bool was_empty = to.out.empty();
  to.out.append(buffer + sent, size - sent);
  if (was_empty)
    watch(to, EPOLL_CTL_MOD); // now it waits to be writable
  if (to.out.size() > backlog_limit) {
    e.reading = false;
    watch(e, EPOLL_CTL_MOD);
  }
}

void on_writable(endpoint& e) {
  if (e.connecting) {
    int error = 0;
    socklen_t size = sizeof error;
    getsockopt(e.fd, SOL_SOCKET, SO_ERROR, &error, &size);
    if (error != 0)
      return close_pair(e);
    e.connecting = false;
  }
  if (!flush(e))
    return close_pair(e);
  watch(e, EPOLL_CTL_MOD);
  if (e.out.size() <= backlog_limit && !e.peer->reading) {
    e.peer->reading = true;
    watch(*e.peer, EPOLL_CTL_MOD);
  }
}

void set_options(int fd) {
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

bool out_of_descriptors() {
  return errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM;
}

void accept_all(const sockaddr_in& upstream) {
  while (true) {
    const int fd = accept4(listener_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (out_of_descriptors())
        watch_listener(false);
      return;
    }
    const int up = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (up < 0) {
      close(fd);
      if (out_of_descriptors())
        watch_listener(false);
      return;
    }
    set_options(fd);
    set_options(up);
    const int rc = connect(up, reinterpret_cast<const sockaddr*>(&upstream), sizeof upstream);
    if (rc != 0 && errno != EINPROGRESS) {
      close(fd);
      close(up);
      continue;
    }
    auto* p = new pair;
    p->client.owner = p->upstream.owner = p;
    p->client.fd = fd;
    p->client.peer = &p->upstream;
    p->upstream.fd = up;
    p->upstream.peer = &p->client;
    p->upstream.connecting = rc != 0;
    watch(p->client, EPOLL_CTL_ADD);
    watch(p->upstream, EPOLL_CTL_ADD);
  }
}

} // namespace

int main(int argc, char** argv) {
  std::string listen_at = "127.0.0.1:0";
  std::string upstream_at;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--listen" || arg == "--upstream") && i + 1 < argc)
      (arg == "--listen" ? listen_at : upstream_at) = argv[++i];
    else {
      std::fprintf(stderr, "usage: chatd-tcp-relay --upstream HOST:PORT [--listen HOST:PORT]\n");
      return 2;
    }
  }
  sockaddr_in listen_address{};
  sockaddr_in upstream{};
  if (!parse_address(listen_at, listen_address) || !parse_address(upstream_at, upstream)) {
    std::fprintf(stderr, "chatd-tcp-relay: addresses are IPv4 HOST:PORT (--upstream is needed)\n");
    return 2;
  }

  listener_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  const int one = 1;
  setsockopt(listener_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (listener_fd < 0 ||
      bind(listener_fd, reinterpret_cast<const sockaddr*>(&listen_address),
           sizeof listen_address) != 0 ||
      listen(listener_fd, 4096) != 0)
    fail("cannot listen");
  socklen_t size = sizeof listen_address;
  getsockname(listener_fd, reinterpret_cast<sockaddr*>(&listen_address), &size);

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigprocmask(SIG_BLOCK, &signals, nullptr);
  const int signal_fd = signalfd(-1, &signals, SFD_CLOEXEC);

  epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd < 0 || signal_fd < 0)
    fail("cannot set up epoll");
  // The signal fd is told apart from endpoints by its mark's address, as the listening socket is.
  endpoint signal_mark;
  for (auto [fd, mark] :
       {std::pair{listener_fd, &listener_mark}, std::pair{signal_fd, &signal_mark}}) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = mark;
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev);
  }
  char host[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &listen_address.sin_addr, host, sizeof host);
  std::printf("listening on http://%s:%u\n", host, ntohs(listen_address.sin_port));
  std::fflush(stdout);

  std::vector<epoll_event> events(256);
  while (true) {
    const int n = epoll_wait(epoll_fd, events.data(), static_cast<int>(events.size()), -1);
    if (n < 0 && errno != EINTR)
      fail("epoll_wait");
    for (int i = 0; i < n; ++i) {
      const auto& ev = events[static_cast<std::size_t>(i)];
      auto* e = static_cast<endpoint*>(ev.data.ptr);
      if (e == &signal_mark)
        return 0;
      if (e == &listener_mark) {
        accept_all(upstream);
        continue;
      }
      if (!e->closed && (ev.events & (EPOLLOUT | EPOLLERR)))
        on_writable(*e);
      if (!e->closed && (ev.events & (EPOLLIN | EPOLLHUP)))
        on_readable(*e);
    }
    pairs_to_free.clear();
  }
}
