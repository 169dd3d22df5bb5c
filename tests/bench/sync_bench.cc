// What one synced write costs on this disk, written the ways docs/performance.md compares
// (twenty-seventh pass): one write of --bytes at a time, each synced before the next, into a new
// file or store under $TMPDIR (default /var/tmp, a real disk):
//
//   rocksdb, default files   a RocksDB write with sync, through RocksDB's own file system, as the
//                            commit ceiling (`feedbackd ceilings`) makes them: its log's room is
//                            reserved ahead without changing the log's size
//   rocksdb, store's files   the same through the store's file system (storage/rocks_support.cc),
//                            whose log's room is reserved with its size
//   file, growing            write(2) + fdatasync(2) at the end of a plain file
//   file, room kept          the same after fallocate(FALLOC_FL_KEEP_SIZE) of its room
//   file, room sized         the same after fallocate(0) of its room: the size does not change
//
// Each round measures every way once, in an order that turns round by round. Printed per way:
// the medians over rounds of the mean, p50 and p90 (µs), and of each round's mean ÷ the default
// RocksDB files' mean in the same round. The mean is what a sync adds to a call on average: in
// a log whose room is sized, a write that starts a new 4 KiB block still costs the file system
// a journal entry (it marks the block written), so its syncs are of two kinds.
//
//   build/tests/bench/feedback_sync_bench [--writes 2000] [--rounds 6] [--bytes 1450]
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "CLI/CLI.hpp"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "storage/rocks_support.h"

namespace feedback::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr off_t kRoom = 64 << 20;  // as much as RocksDB reserves for feedbackd's log

struct Summary {
  double mean_us = 0;  // a sync's share of a call's time: the store's syncs are of two kinds
  double p50_us = 0;
  double p90_us = 0;
};

Summary Summarise(std::vector<double> micros) {
  std::sort(micros.begin(), micros.end());
  double total = 0;
  for (double us : micros) total += us;
  return {total / micros.size(), micros[micros.size() / 2], micros[micros.size() * 9 / 10]};
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// Times `writes` calls of `write_one`; an empty result if one failed.
std::vector<double> TimeWrites(int writes, const std::function<bool()>& write_one) {
  std::vector<double> micros;
  micros.reserve(writes);
  for (int i = 0; i < writes; ++i) {
    const Clock::time_point start = Clock::now();
    if (!write_one()) return {};
    micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  return micros;
}

enum class Room { kNone, kKept, kSized };

std::vector<double> TimePlainFile(const std::string& path, Room room, int writes,
                                  const std::string& payload) {
  const int fd = open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  if (fd < 0) return {};
  if (room != Room::kNone &&
      fallocate(fd, room == Room::kKept ? FALLOC_FL_KEEP_SIZE : 0, 0, kRoom) != 0) {
    close(fd);
    return {};
  }
  std::vector<double> micros = TimeWrites(writes, [&] {
    return write(fd, payload.data(), payload.size()) == static_cast<ssize_t>(payload.size()) &&
           fdatasync(fd) == 0;
  });
  close(fd);
  std::error_code ignored;  // a file left under $TMPDIR is no reason to fail the run
  std::filesystem::remove(path, ignored);
  return micros;
}

std::vector<double> TimeRocksDb(const std::string& dir, rocksdb::Env* env, int writes,
                                const std::string& payload) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.env = env;
  options.db_write_buffer_size = 64 << 20;  // feedbackd's budget, which caps the log's room
  rocksdb::DB* opened = nullptr;
  if (!rocksdb::DB::Open(options, dir, &opened).ok()) return {};
  std::unique_ptr<rocksdb::DB> db(opened);
  rocksdb::WriteOptions synced;
  synced.sync = true;
  int key = 0;
  std::vector<double> micros =
      TimeWrites(writes, [&] { return db->Put(synced, std::to_string(key++), payload).ok(); });
  db.reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return micros;
}

struct Way {
  const char* name;
  std::function<std::vector<double>(const std::string& path)> run;
};

struct Measured {
  std::vector<double> means, p50s, p90s, to_default;  // one of each a round
};

int Run(int writes, int rounds, int bytes) {
  const char* tmp = std::getenv("TMPDIR");
  const std::string base = std::string(tmp != nullptr ? tmp : "/var/tmp") +
                           "/feedback-sync-bench-" + std::to_string(getpid());
  std::error_code error;
  std::filesystem::create_directories(base, error);
  if (error) {
    std::fprintf(stderr, "feedback_sync_bench: cannot make %s: %s\n", base.c_str(),
                 error.message().c_str());
    return 1;
  }
  const std::string payload(bytes, 'w');
  std::vector<Way> ways = {
      {"rocksdb, default files",
       [&](const std::string& p) {
         return TimeRocksDb(p, rocksdb::Env::Default(), writes, payload);
       }},
      {"rocksdb, store's files",
       [&](const std::string& p) {
         return TimeRocksDb(p, storage::PrivateEnv(), writes, payload);
       }},
      {"file, growing",
       [&](const std::string& p) { return TimePlainFile(p, Room::kNone, writes, payload); }},
      {"file, room kept",
       [&](const std::string& p) { return TimePlainFile(p, Room::kKept, writes, payload); }},
      {"file, room sized",
       [&](const std::string& p) { return TimePlainFile(p, Room::kSized, writes, payload); }},
  };
  std::vector<Measured> measured(ways.size());
  for (int round = 0; round < rounds; ++round) {
    std::vector<double> means(ways.size());
    for (size_t turn = 0; turn < ways.size(); ++turn) {
      const size_t w = (turn + round) % ways.size();
      const std::vector<double> micros = ways[w].run(base + "/" + std::to_string(w));
      if (micros.empty()) {
        std::fprintf(stderr, "feedback_sync_bench: %s: a write failed under %s\n", ways[w].name,
                     base.c_str());
        std::filesystem::remove_all(base, error);
        return 1;
      }
      const Summary p = Summarise(micros);
      measured[w].means.push_back(p.mean_us);
      measured[w].p50s.push_back(p.p50_us);
      measured[w].p90s.push_back(p.p90_us);
      means[w] = p.mean_us;
    }
    for (size_t w = 0; w < ways.size(); ++w) measured[w].to_default.push_back(means[w] / means[0]);
  }
  std::filesystem::remove_all(base, error);
  std::printf("%d synced writes of %d bytes a way a round, rounds: %d, under %s\n\n", writes, bytes,
              rounds, base.c_str());
  // Written out: printf pads bytes, and µs and ÷ take two each.
  std::printf("  %-24s  mean µs   p50 µs   p90 µs   mean ÷ default's\n", "");
  for (size_t w = 0; w < ways.size(); ++w) {
    std::printf("  %-24s %8.1f %8.1f %8.1f %18.3f\n", ways[w].name, Median(measured[w].means),
                Median(measured[w].p50s), Median(measured[w].p90s), Median(measured[w].to_default));
  }
  return 0;
}

}  // namespace
}  // namespace feedback::bench

int main(int argc, char** argv) {
  CLI::App app(
      "What one synced write costs on this disk, written the ways docs/performance.md "
      "compares (medians over rounds)");
  int writes = 2000;
  int rounds = 6;
  int bytes = 1450;
  app.add_option("--writes", writes, "synced writes per way per round")
      ->check(CLI::Range(10, 1000000));
  app.add_option("--rounds", rounds, "rounds, each way once per round")->check(CLI::Range(1, 1000));
  app.add_option("--bytes", bytes, "bytes per write (1,450: a bench submission's share of the log)")
      ->check(CLI::Range(1, 1 << 20));
  CLI11_PARSE(app, argc, argv);
  return feedback::bench::Run(writes, rounds, bytes);
}
