#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace chatd::http {

/// A file of the browser UI, ready to send.
struct static_file {
  std::string path;
  std::string content_type;
  bool immutable = false; ///< a content-hashed asset: cache it for long
};

/// Maps a request path to a file under `root`: `/` and unknown non-asset paths give
/// `index.html` (the UI routes in the browser); `..` and hidden files never resolve.
std::optional<static_file> resolve_static(const std::string& root, std::string_view target);

} // namespace chatd::http
