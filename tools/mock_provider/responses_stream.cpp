#include "tools/mock_provider/responses_stream.hpp"

#include "tools/mock_provider/answer.hpp"

#include <algorithm>
#include <memory>
#include <utility>

namespace chatd::mock {

namespace {

using clock = std::chrono::steady_clock;

// How often a stream stalled for good checks whether its client is still there.
constexpr auto stall_probe_period = std::chrono::milliseconds(250);

class responses_stream : public std::enable_shared_from_this<responses_stream> {
public:
  responses_stream(restinio::asio_ns::io_context& io, sse_writer writer, stream_plan plan)
      : timer_(io), writer_(std::move(writer)), plan_(std::move(plan)), fault_(plan_.fault) {
    if (plan_.rate > 0)
      period_ = std::chrono::duration_cast<clock::duration>(
          std::chrono::duration<double>(1.0 / plan_.rate));
  }

  void begin() {
    const auto& m = plan_.meta;
    std::string bytes =
        event("response.created", {{"response", response_object(m, "in_progress", nullptr)}});
    bytes +=
        event("response.in_progress", {{"response", response_object(m, "in_progress", nullptr)}});
    bytes += event("response.output_item.added",
                   {{"output_index", 0}, {"item", message_item(m, "in_progress", nullptr)}});
    bytes += event("response.content_part.added", {{"item_id", m.item_id},
                                                   {"output_index", 0},
                                                   {"content_index", 0},
                                                   {"part", text_part("")}});
    emit(std::move(bytes), [this] {
      start_ = clock::now();
      next_delta();
    });
  }

private:
  // -- the sequence ---------------------------------------------------------------------------

  void next_delta() {
    if (fault_ != fault_kind::none && sent_ == plan_.fault_after)
      return mid_stream_fault();
    if (sent_ == plan_.pieces.size())
      return complete();
    if (period_ > clock::duration::zero()) {
      // Slots are fixed from the start, so waiting never accumulates drift.
      const auto due = start_ + period_ * static_cast<long>(sent_);
      if (due > clock::now()) {
        timer_.expires_at(due);
        timer_.async_wait([self = shared_from_this()](const std::error_code& ec) {
          if (!ec)
            self->send_delta();
        });
        return;
      }
    }
    send_delta();
  }

  void send_delta() {
    // The stamp is taken here, as late as possible before the bytes are handed to the socket.
    std::string delta = plan_.stamp ? stamped_delta(monotonic_ns(), sent_,
                                                    sent_ == 0 ? plan_.received_ns : std::nullopt)
                                    : plan_.pieces[sent_];
    ++sent_;
    text_ += delta;
    emit(delta_event(delta), [this] { next_delta(); });
  }

  void complete() {
    if (plan_.on_produced)
      plan_.on_produced(text_);
    std::string bytes = closing_events("completed");
    bytes += event("response.completed",
                   {{"response", response_object(plan_.meta, "completed", &text_)}});
    emit(std::move(bytes), [this] { writer_.finish(); });
  }

  void mid_stream_fault() {
    const auto kind = std::exchange(fault_, fault_kind::none);
    switch (kind) {
    case fault_kind::cut:
      writer_.cut();
      return;
    case fault_kind::response_failed: {
      const ojson error = {{"code", "server_error"},
                           {"message", "The mock provider failed this response on purpose "
                                       "(fail=response_failed)."}};
      auto bytes = event("response.failed",
                         {{"response", response_object(plan_.meta, "failed", &text_, error)}});
      return emit(std::move(bytes), [this] { writer_.finish(); });
    }
    case fault_kind::incomplete: {
      if (plan_.on_produced)
        plan_.on_produced(text_);
      std::string bytes = closing_events("incomplete");
      bytes += event("response.incomplete",
                     {{"response", response_object(plan_.meta, "incomplete", &text_)}});
      return emit(std::move(bytes), [this] { writer_.finish(); });
    }
    case fault_kind::error_event: {
      auto bytes = event("error", {{"code", "server_error"},
                                   {"message", "The mock provider sent an error event on purpose "
                                               "(fail=error_event)."},
                                   {"param", nullptr}});
      return emit(std::move(bytes), [this] { writer_.finish(); });
    }
    case fault_kind::stall:
      return stall();
    default:
      return next_delta(); // HTTP faults never reach a stream
    }
  }

  void stall() {
    if (!plan_.stall_for)
      return probe_until_gone();
    timer_.expires_after(*plan_.stall_for);
    timer_.async_wait([self = shared_from_this()](const std::error_code& ec) {
      if (ec)
        return;
      // Resume as if the schedule had started later: the remaining deltas keep their pace.
      self->start_ = clock::now() - self->period_ * static_cast<long>(self->sent_);
      self->next_delta();
    });
  }

  // Holding the writer keeps the connection open; the probe lets the stream end (and free the
  // connection) once the client has gone.
  void probe_until_gone() {
    timer_.expires_after(stall_probe_period);
    timer_.async_wait([self = shared_from_this()](const std::error_code& ec) {
      if (ec)
        return;
      self->writer_.probe([self](const std::error_code& write_ec) {
        if (!write_ec)
          self->probe_until_gone();
      });
    });
  }

  // -- writing --------------------------------------------------------------------------------

  /// Writes `bytes` (in `chop`-sized chunks, each waiting for the previous one), then runs
  /// `then`. A write error means the client is gone: the stream just stops, and with it the
  /// last reference to this object.
  void emit(std::string bytes, std::function<void()> then) {
    out_ = std::move(bytes);
    out_pos_ = 0;
    then_ = std::move(then);
    write_next_piece();
  }

  void write_next_piece() {
    const auto size =
        plan_.chop > 0 ? std::min(plan_.chop, out_.size() - out_pos_) : out_.size() - out_pos_;
    auto piece = out_.substr(out_pos_, size);
    out_pos_ += size;
    writer_.write_chunk(std::move(piece), [self = shared_from_this()](const std::error_code& ec) {
      if (ec)
        return;
      if (self->out_pos_ < self->out_.size())
        return self->write_next_piece();
      std::exchange(self->then_, nullptr)();
    });
  }

  // -- events ---------------------------------------------------------------------------------

  /// `event: <type>\ndata: {"type":...,"sequence_number":n,<fields>}\n\n`
  std::string event(std::string_view type, const ojson& fields) {
    ojson e = {{"type", type}, {"sequence_number", sequence_++}};
    for (const auto& [key, value] : fields.items())
      e[key] = value;
    std::string s = "event: ";
    s.append(type).append("\ndata: ").append(e.dump()).append("\n\n");
    return s;
  }

  // The hot path of the benchmark: built by hand rather than through a JSON object.
  std::string delta_event(const std::string& delta) {
    std::string s;
    s.reserve(delta.size() + plan_.meta.item_id.size() + 200);
    s.append("event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\","
             "\"sequence_number\":");
    s.append(std::to_string(sequence_++));
    s.append(",\"item_id\":\"").append(plan_.meta.item_id);
    s.append("\",\"output_index\":0,\"content_index\":0,\"delta\":");
    s.append(ojson(delta).dump());
    s.append(",\"logprobs\":[]}\n\n");
    return s;
  }

  /// output_text.done, content_part.done, output_item.done for the text so far.
  std::string closing_events(std::string_view status) {
    const auto& m = plan_.meta;
    std::string bytes = event("response.output_text.done", {{"item_id", m.item_id},
                                                            {"output_index", 0},
                                                            {"content_index", 0},
                                                            {"text", text_},
                                                            {"logprobs", ojson::array()}});
    bytes += event("response.content_part.done", {{"item_id", m.item_id},
                                                  {"output_index", 0},
                                                  {"content_index", 0},
                                                  {"part", text_part(text_)}});
    bytes += event("response.output_item.done",
                   {{"output_index", 0}, {"item", message_item(m, status, &text_)}});
    return bytes;
  }

  static ojson text_part(const std::string& text) {
    return {{"type", "output_text"}, {"annotations", ojson::array()}, {"text", text}};
  }

  // -- member variables -----------------------------------------------------------------------

  restinio::asio_ns::steady_timer timer_; ///< The stream's one timer: pacing and stalls.
  sse_writer writer_;
  stream_plan plan_;
  fault_kind fault_;          ///< The fault still to come (none once it happened).
  clock::duration period_{};  ///< Between two deltas; zero = no pacing.
  clock::time_point start_{}; ///< When delta 0 was due.
  std::size_t sent_ = 0;      ///< Deltas written so far.
  std::size_t sequence_ = 0;  ///< The next event's sequence_number.
  std::string text_;          ///< The answer so far.
  std::string out_;           ///< Bytes being written by `emit`.
  std::size_t out_pos_ = 0;
  std::function<void()> then_; ///< What follows once `out_` is written.
};

} // namespace

void start_responses_stream(restinio::asio_ns::io_context& io, sse_writer writer,
                            stream_plan plan) {
  std::make_shared<responses_stream>(io, std::move(writer), std::move(plan))->begin();
}

} // namespace chatd::mock
