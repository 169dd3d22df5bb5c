#include "proto/vocabulary/token_issue.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/roles.h"

namespace feedback {
namespace {

using google::protobuf::util::TimeUtil;

// The file of --out, created new (never overwritten, never through a symbolic link) with mode
// 0600. Returns its descriptor.
absl::StatusOr<int> CreateTokenFile(const std::string& path) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return absl::AlreadyExistsError(
          absl::StrCat("--out: ", path,
                       " already exists; a token file is never overwritten (remove it or "
                       "choose another name)"));
    }
    return absl::InvalidArgumentError(
        absl::StrCat("--out: cannot create ", path, ": ", std::strerror(errno)));
  }
  // 0600 exactly, whatever the umask (it can only have taken bits away).
  if (fchmod(fd, S_IRUSR | S_IWUSR) != 0) {
    const int error = errno;
    close(fd);
    unlink(path.c_str());
    return absl::InternalError(
        absl::StrCat("--out: cannot set mode 600 on ", path, ": ", std::strerror(error)));
  }
  return fd;
}

// Writes `secret` and a newline to the file of CreateTokenFile, syncs and closes it.
absl::Status WriteTokenFile(int fd, const std::string& path, const std::string& secret) {
  const std::string line = secret + "\n";
  size_t written = 0;
  int error = 0;
  while (written < line.size() && error == 0) {
    const ssize_t n = write(fd, line.data() + written, line.size() - written);
    if (n >= 0) {
      written += static_cast<size_t>(n);
    } else if (errno != EINTR) {
      error = errno;
    }
  }
  if (error == 0 && fsync(fd) != 0) error = errno;
  if (close(fd) != 0 && error == 0) error = errno;
  if (error != 0) {
    return absl::InternalError(
        absl::StrCat("--out: cannot write ", path, ": ", std::strerror(error)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::IssueTokenRequest> TokenIssueRequest(const TokenIssueFlags& flags,
                                                        absl::Time now) {
  v1::IssueTokenRequest request;
  absl::StatusOr<v1::Role> role = ParseRole(flags.role, "--role");
  if (!role.ok()) return role.status();
  request.set_role(*role);
  request.set_device_name(flags.device);
  if (flags.expires_in_days <= 0) {
    return absl::InvalidArgumentError("--expires-in-days: must be at least 1");
  }
  *request.mutable_expires_at() = TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(now + absl::Hours(24) * flags.expires_in_days));
  return request;
}

absl::StatusOr<IssuedToken> IssueWithOut(const std::string& out_path,
                                         absl::FunctionRef<absl::StatusOr<IssuedToken>()> issue) {
  if (out_path.empty()) return issue();
  absl::StatusOr<int> out_fd = CreateTokenFile(out_path);
  if (!out_fd.ok()) return out_fd.status();
  absl::StatusOr<IssuedToken> issued = issue();
  if (!issued.ok()) {
    close(*out_fd);
    unlink(out_path.c_str());
    return issued.status();
  }
  if (absl::Status written = WriteTokenFile(*out_fd, out_path, issued->secret); !written.ok()) {
    unlink(out_path.c_str());
    // The token exists but nobody holds its secret: say which, so that it can be revoked.
    return absl::Status(written.code(), absl::StrCat(written.message(), "; revoke token ",
                                                     issued->token.id(), ", whose secret is lost"));
  }
  return issued;
}

std::string FormatTokenTime(const google::protobuf::Timestamp& at, absl::TimeZone zone) {
  if (at.seconds() == 0 && at.nanos() == 0) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M %Z",
                          absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(at)), zone);
}

std::string FormatTokenLine(const v1::Token& token, absl::TimeZone zone) {
  std::string line = absl::StrCat(token.id(), "  ", RoleName(token.role()));
  if (!token.device_name().empty()) absl::StrAppend(&line, "  device=", token.device_name());
  absl::StrAppend(&line, "  expires ", FormatTokenTime(token.expires_at(), zone));
  if (token.has_revoked_at()) {
    absl::StrAppend(&line, "  REVOKED ", FormatTokenTime(token.revoked_at(), zone));
  }
  return line + "\n";
}

std::string FormatIssued(const IssuedToken& issued, const std::string& out_path,
                         absl::TimeZone zone) {
  const std::string line = absl::StrCat("issued ", FormatTokenLine(issued.token, zone));
  if (!out_path.empty()) {
    return absl::StrCat(line, "token written to ", out_path, " (mode 600)\n");
  }
  return absl::StrCat(line, issued.secret, "\n");
}

absl::TimeZone DisplayZone() {
  absl::TimeZone london;
  return absl::LoadTimeZone("Europe/London", &london) ? london : absl::UTCTimeZone();
}

}  // namespace feedback
