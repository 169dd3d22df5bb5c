#include "service/http/static_files.h"

#include <cstdint>
#include <cstdio>

#include "absl/strings/ascii.h"

namespace feedback::http {
namespace {

// FNV-1a, 64 bits: enough to tell two versions of a file apart; not a security boundary.
std::string EtagOf(std::string_view contents) {
  uint64_t hash = 14695981039346656037ull;
  for (const char c : contents) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  char etag[24];
  std::snprintf(etag, sizeof etag, "\"%016llx\"", static_cast<unsigned long long>(hash));
  return etag;
}

}  // namespace

std::string_view ContentTypeFor(std::string_view path) {
  const size_t dot = path.rfind('.');
  const size_t slash = path.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) {
    return "application/octet-stream";
  }
  const std::string extension = absl::AsciiStrToLower(std::string(path.substr(dot + 1)));
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {"html", "text/html; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"json", "application/json"},
      {"webmanifest", "application/manifest+json"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"ico", "image/x-icon"},
      {"woff", "font/woff"},
      {"woff2", "font/woff2"},
      {"txt", "text/plain; charset=utf-8"},
      {"wav", "audio/wav"},
      {"mp3", "audio/mpeg"},
      {"ogg", "audio/ogg"},
  };
  for (const auto& [known, type] : kTypes) {
    if (extension == known) return type;
  }
  return "application/octet-stream";
}

const StaticFiles& StaticFiles::Embedded() {
  static const auto* const files = new StaticFiles(kEmbeddedFiles, kEmbeddedFileCount);
  return *files;
}

StaticFiles::StaticFiles(const EmbeddedFile* files, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    files_.emplace(std::string(files[i].path),
                   StaticFile{.contents = files[i].contents,
                              .content_type = ContentTypeFor(files[i].path),
                              .etag = EtagOf(files[i].contents)});
  }
}

const StaticFile* StaticFiles::Find(std::string_view path) const {
  auto it = files_.find(std::string(path));
  return it == files_.end() ? nullptr : &it->second;
}

}  // namespace feedback::http
