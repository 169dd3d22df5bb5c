// The kiosk's static files (client/web/static), embedded into feedbackd at build time
// (embed_files.cmake), and served by the HTTP door under /kiosk/. Nothing is read from the disk
// at run time, so no request can reach a file that was not there when feedbackd was built.
#ifndef FEEDBACK_SERVICE_HTTP_STATIC_FILES_H_
#define FEEDBACK_SERVICE_HTTP_STATIC_FILES_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"

namespace feedback::http {

// One embedded file, as the generated source lists it.
struct EmbeddedFile {
  std::string_view path;  // relative to client/web/static, with '/' ("index.html", "i18n/en.json")
  std::string_view contents;
};
// Defined by the generated kiosk_files.cc: kEmbeddedFileCount files, then an empty end entry.
extern const EmbeddedFile kEmbeddedFiles[];
extern const size_t kEmbeddedFileCount;

// A file as the door serves it.
struct StaticFile {
  std::string_view contents;
  std::string_view content_type;
  // A strong validator of the contents ("\"<16 hex digits>\""), for If-None-Match.
  std::string etag;
};

// The Content-Type of a file named `path`, by its extension (lower case): html, js/mjs, css,
// json, webmanifest, svg, png, jpg/jpeg, gif, webp, ico, woff/woff2, txt, wav/mp3/ogg; text types
// in UTF-8; anything else application/octet-stream.
std::string_view ContentTypeFor(std::string_view path);

// The embedded files by path. Immutable after construction: thread-safe.
class StaticFiles {
 public:
  // The files of client/web/static as feedbackd was built with them.
  static const StaticFiles& Embedded();

  // `count` files from `files` (borrowed; must outlive this).
  StaticFiles(const EmbeddedFile* files, size_t count);

  // The file at `path` (as in EmbeddedFile::path, no leading '/'); nullptr if there is none.
  // Only exact names match: "../x", "a//b" or "%2e%2e" name no file.
  const StaticFile* Find(std::string_view path) const;

 private:
  absl::flat_hash_map<std::string, StaticFile> files_;
};

}  // namespace feedback::http

#endif  // FEEDBACK_SERVICE_HTTP_STATIC_FILES_H_
