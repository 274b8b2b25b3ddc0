#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace chatd::actors {

using header_list = std::vector<std::pair<std::string, std::string>>;

/// One open HTTP request as actors see it: they answer it once with JSON, or turn it into an
/// event stream. http/ implements it over RESTinio, so actors never see the HTTP library.
/// Calls come from one actor at a time; they never block (writes are queued to the I/O loop).
class response_channel {
public:
  virtual ~response_channel() = default;

  /// Answers with a JSON body; ends the exchange.
  virtual void send_json(int status, std::string body, header_list headers = {}) = 0;

  /// Sends the event-stream headers; called once, before the first write.
  virtual void start_stream() = 0;

  /// Writes bytes to the stream and flushes them to the socket; `last` ends the response.
  virtual void write(std::shared_ptr<const std::string> bytes, bool last) = 0;

  /// Called (from any thread) when a write fails, typically because the client went away.
  virtual void on_write_failure(std::function<void()> callback) = 0;

  /// Writes handed over but not yet on the wire; a client that reads too slowly piles them up.
  virtual std::size_t writes_in_flight() const = 0;

  /// Sets what is called (from any thread) when the writes in flight have all gone out, after
  /// `await_drained` asked for it.
  virtual void on_drained(std::function<void()> callback) = 0;

  /// Asks for one `on_drained` call once no write is in flight. Returns false, and asks for
  /// nothing, when none is in flight already.
  virtual bool await_drained() = 0;

  /// The request's id (the client's `X-Request-Id` when sane, else a new one): it follows the
  /// request through the logs, the actors and the provider call.
  virtual const std::string& request_id() const = 0;
};

using response_channel_ptr = std::shared_ptr<response_channel>;

} // namespace chatd::actors
