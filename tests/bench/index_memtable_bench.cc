// What the time index's memtable costs, inserts and flushes together, for the two layouts tried
// in docs/performance.md: one skip list of every entry with an insert hint per dimension, and a
// hash of one skip list per dimension. RocksDB alone, in this process, no gRPC: the process's
// CPU time (every thread: the writes and RocksDB's flushes) per entry.
//
//   build/tests/bench/feedback_index_memtable_bench [--items 300000] [--group 30] [--rounds 3]
//
// Each round writes --items submissions' time-index entries into a new store under $TMPDIR, as
// feedbackd's writer does: groups of --group submissions, eight entries each (every item, a
// source, a kind, five tags), each group's entries in key order, one unsynced write per group;
// then flushes and waits for the flush. The layouts alternate, round by round.
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "rocksdb/db.h"
#include "rocksdb/memtablerep.h"
#include "rocksdb/options.h"
#include "rocksdb/slice_transform.h"
#include "storage/layout.h"

namespace feedback::bench {
namespace {

namespace layout = storage::layout;

// A time-index key's dimension, as storage/rocksdb_store.cc's TimeIndexDimension.
class Dimension final : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "bench.Dimension"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    return rocksdb::Slice(key.data(), layout::DimensionLength(key.ToStringView()));
  }
  bool InDomain(const rocksdb::Slice& key) const override {
    return layout::DimensionLength(key.ToStringView()) > 0;
  }
};

enum class Layout { kHintedSkipList, kHashPerDimension };

rocksdb::Options OptionsFor(Layout memtable) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.db_write_buffer_size = 64 << 20;  // as feedbackd's budget for all its families
  options.allow_concurrent_memtable_write = false;
  if (memtable == Layout::kHintedSkipList) {
    options.memtable_insert_with_hint_prefix_extractor = std::make_shared<Dimension>();
  } else {
    options.prefix_extractor = std::make_shared<Dimension>();
    options.memtable_factory.reset(rocksdb::NewHashSkipListRepFactory(1024, 12, 4));
  }
  return options;
}

// The eight entries of submission `n` at `micros`, as TimeIndexKeys made them when this bench
// was written (docs/performance.md, fifth pass); it now leaves out two, the entry for every item
// and the kind's tag's, and the bench keeps eight so that its figures stay comparable.
void AddEntries(int64_t n, int64_t micros, std::vector<std::string>& keys) {
  char id[40];
  std::snprintf(id, sizeof id, "%s%016llx%016llx", layout::kRecordIdPrefix.data(),
                static_cast<unsigned long long>(micros), static_cast<unsigned long long>(n));
  const std::string suffix = layout::InvertedTime(micros) + id;
  static const char* kTags[] = {"communication",  "compliment", "listened_to", "support",
                                "views_of_child", "fair_chair", "clear_plan"};
  keys.push_back(layout::DimensionAll() + suffix);
  keys.push_back(layout::DimensionSource(static_cast<int>(1 + n % 3)) + suffix);
  keys.push_back(layout::DimensionKind(static_cast<int>(1 + n % 2)) + suffix);
  for (int t = 0; t < 5; ++t) keys.push_back(layout::DimensionTag(kTags[(n + t) % 7]) + suffix);
}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// CPU µs per entry for one round, or a negative number if the store failed.
double RunRound(Layout memtable, int64_t items, int64_t group, const std::string& dir) {
  std::filesystem::remove_all(dir);
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::Open(OptionsFor(memtable), dir, &raw).ok()) return -1;
  std::unique_ptr<rocksdb::DB> db(raw);
  const double began = CpuSeconds();
  const int64_t start_micros = 1'700'000'000'000'000;
  std::vector<std::string> keys;
  for (int64_t first = 0; first < items; first += group) {
    keys.clear();
    for (int64_t n = first; n < std::min(items, first + group); ++n) {
      AddEntries(n, start_micros + n * 50, keys);
    }
    std::sort(keys.begin(), keys.end());
    rocksdb::WriteBatch batch;
    for (const std::string& key : keys) batch.Put(key, "");
    if (!db->Write(rocksdb::WriteOptions(), &batch).ok()) return -1;
  }
  rocksdb::FlushOptions flush;
  flush.wait = true;
  if (!db->Flush(flush).ok()) return -1;
  const double spent = CpuSeconds() - began;
  db.reset();
  std::filesystem::remove_all(dir);
  return spent * 1e6 / static_cast<double>(items * 8);
}

int Run(int64_t items, int64_t group, int rounds) {
  const char* tmp = std::getenv("TMPDIR");
  const std::string dir =
      std::string(tmp != nullptr ? tmp : "/var/tmp") + "/feedback-index-memtable-bench";
  std::vector<double> hinted;
  std::vector<double> hashed;
  for (int round = 0; round < rounds; ++round) {
    for (Layout memtable : {Layout::kHintedSkipList, Layout::kHashPerDimension}) {
      const double micros = RunRound(memtable, items, group, dir);
      if (micros < 0) {
        std::fprintf(stderr, "index_memtable_bench: the store at %s failed\n", dir.c_str());
        return 1;
      }
      (memtable == Layout::kHintedSkipList ? hinted : hashed).push_back(micros);
    }
  }
  auto median = [](std::vector<double> each) {
    std::sort(each.begin(), each.end());
    return each[each.size() / 2];
  };
  std::printf("%lld submissions, 8 entries each, groups of %lld, %d rounds\n",
              static_cast<long long>(items), static_cast<long long>(group), rounds);
  std::printf("one skip list, hinted:  median %.3f µs CPU per entry\n", median(hinted));
  std::printf("a skip list per dimension: median %.3f µs CPU per entry (%.2f × the first)\n",
              median(hashed), median(hashed) / median(hinted));
  return 0;
}

}  // namespace
}  // namespace feedback::bench

int main(int argc, char** argv) {
  CLI::App app{"The time index's memtable: two layouts, CPU per entry written and flushed"};
  int64_t items = 300'000;
  int64_t group = 30;
  int rounds = 3;
  app.add_option("--items", items, "submissions a round")->check(CLI::Range(1, 100'000'000));
  app.add_option("--group", group, "submissions a group")->check(CLI::Range(1, 10'000));
  app.add_option("--rounds", rounds, "rounds of each layout")->check(CLI::Range(1, 100));
  CLI11_PARSE(app, argc, argv);
  return feedback::bench::Run(items, group, rounds);
}
