#include "storage/layout.h"

#include <algorithm>

namespace feedback::storage::layout {

std::string DimensionAll() { return std::string(1, kDimensionAll); }

std::string DimensionSource(int source) {
  return std::string{kDimensionSource, static_cast<char>(source)};
}

std::string DimensionKind(int kind) { return std::string{kDimensionKind, static_cast<char>(kind)}; }

std::string DimensionTag(std::string_view tag) {
  std::string dimension(1, kDimensionTag);
  dimension.append(tag);
  dimension.push_back('\0');
  return dimension;
}

std::string EncodeFacets(int source, const std::vector<std::string_view>& tags) {
  size_t size = 1;
  for (const std::string_view tag : tags) size += tag.size() + 1;
  std::string value;
  value.reserve(size);  // sized once: made for every submission
  value.push_back(static_cast<char>(source));
  for (const std::string_view tag : tags) {
    value.append(tag);
    value.push_back('\0');
  }
  return value;
}

std::optional<Facets> DecodeFacets(std::string_view value) {
  if (value.empty() || (value.size() > 1 && value.back() != '\0')) return std::nullopt;
  return Facets{.source = static_cast<unsigned char>(value.front()), .tags = value.substr(1)};
}

namespace {

// Calls `visit` on each tag of `tags` (each followed by a \0) until it returns true.
template <typename Visit>
bool AnyTag(std::string_view tags, Visit visit) {
  for (size_t start = 0; start < tags.size();) {
    const size_t end = tags.find('\0', start);
    if (visit(tags.substr(start, end - start))) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

bool Facets::HasTag(std::string_view tag) const {
  return AnyTag(tags, [tag](std::string_view each) { return each == tag; });
}

std::vector<std::string_view> Facets::TagList() const {
  std::vector<std::string_view> list;
  AnyTag(tags, [&list](std::string_view each) {
    list.push_back(each);
    return false;
  });
  return list;
}

CounterKeyParts SplitCounterKey(std::string_view key) {
  const size_t slash = key.rfind('/');
  const size_t figure_start = slash == std::string_view::npos ? 0 : slash + 1;
  return {.page = key.substr(0, figure_start), .figure = key.substr(figure_start)};
}

size_t DimensionLength(std::string_view time_index_key) {
  if (time_index_key.empty()) return 0;
  switch (time_index_key.front()) {
    case kDimensionAll:
      return 1;
    case kDimensionSource:
    case kDimensionKind:
      return time_index_key.size() >= 2 ? 2 : 0;
    case kDimensionTag: {
      const size_t end = time_index_key.find('\0', 1);
      return end == std::string_view::npos ? 0 : end + 1;
    }
    default:
      return 0;
  }
}

bool IsCursor(std::string_view cursor) {
  if (cursor.size() != kInvertedTimeSize + kRecordIdSize) return false;
  const std::string_view id = cursor.substr(kInvertedTimeSize);
  return id.starts_with(kRecordIdPrefix) &&
         std::all_of(id.begin() + kRecordIdPrefix.size(), id.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string InvertedTime(int64_t unix_micros) {
  const uint64_t inverted = ~static_cast<uint64_t>(unix_micros);
  std::string out(kInvertedTimeSize, '\0');
  for (size_t i = 0; i < kInvertedTimeSize; ++i) {
    out[i] = static_cast<char>((inverted >> (8 * (kInvertedTimeSize - 1 - i))) & 0xff);
  }
  return out;
}

}  // namespace feedback::storage::layout
