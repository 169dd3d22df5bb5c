#include "service/rpc/wire.h"

#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "service/core/request_parse.h"

namespace feedback {
namespace {

std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (!buffer.Dump(&slices).ok()) return bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes;
}

}  // namespace

absl::Status ParseRequest(const grpc::ByteBuffer& buffer, google::protobuf::Message& request) {
  request.Clear();
  if (!buffer.Valid()) {
    return absl::InvalidArgumentError(
        absl::StrCat("request: none was sent; expected a ", request.GetDescriptor()->full_name()));
  }
  // A request small enough to arrive in one frame is one slice: read in place, not copied.
  grpc::Slice single;
  if (buffer.TrySingleSlice(&single).ok()) {
    return ParseRequest(
        std::string_view(reinterpret_cast<const char*>(single.begin()), single.size()), request);
  }
  return ParseRequest(Flatten(buffer), request);
}

}  // namespace feedback
