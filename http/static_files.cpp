#include "http/static_files.hpp"

#include <filesystem>

namespace chatd::http {

namespace {

std::string content_type_of(const std::filesystem::path& p) {
  auto ext = p.extension().string();
  if (ext == ".html")
    return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs")
    return "text/javascript; charset=utf-8";
  if (ext == ".css")
    return "text/css; charset=utf-8";
  if (ext == ".svg")
    return "image/svg+xml";
  if (ext == ".png")
    return "image/png";
  if (ext == ".ico")
    return "image/x-icon";
  if (ext == ".json" || ext == ".map")
    return "application/json";
  if (ext == ".woff2")
    return "font/woff2";
  if (ext == ".txt")
    return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

bool is_safe_segment(std::string_view seg) {
  return !seg.empty() && seg.front() != '.' && seg.find('\\') == std::string_view::npos &&
         seg.find('\0') == std::string_view::npos;
}

} // namespace

std::optional<static_file> resolve_static(const std::string& root, std::string_view target) {
  if (root.empty())
    return std::nullopt;
  auto path = target.substr(0, target.find_first_of("?#"));
  std::filesystem::path file = root;
  bool looks_like_asset = false;
  while (!path.empty()) {
    while (!path.empty() && path.front() == '/')
      path.remove_prefix(1);
    auto seg = path.substr(0, path.find('/'));
    path.remove_prefix(seg.size());
    if (seg.empty())
      break;
    if (!is_safe_segment(seg))
      return std::nullopt;
    file /= std::string(seg);
    looks_like_asset = seg.find('.') != std::string_view::npos;
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    if (looks_like_asset)
      return std::nullopt; // a missing asset is a 404, not the app page
    file = std::filesystem::path(root) / "index.html";
    if (!std::filesystem::is_regular_file(file, ec))
      return std::nullopt;
  }
  bool immutable = file.parent_path().filename() == "assets";
  return static_file{file.string(), content_type_of(file), immutable};
}

} // namespace chatd::http
