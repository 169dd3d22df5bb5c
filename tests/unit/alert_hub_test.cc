// AlertHub under concurrent publishers, subscribers and a close: what each watcher receives.
// Part of the concurrency suite that deploy/test-sanitizers runs under ThreadSanitizer.
#include "service/ops/alert_hub.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "feedback/v1/feedback.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace feedback {
namespace {
namespace alert_hub_test {

using ::testing::UnorderedElementsAreArray;

v1::Alert AlertFor(const std::string& id) {
  v1::Alert alert;
  alert.set_id(id);
  return alert;
}

// What one watcher was sent, and whether it was told the hub closed.
class Inbox {
 public:
  AlertHub::Listener Listener() {
    return [this](const v1::Alert& alert) {
      absl::MutexLock lock(&mutex_);
      ids_.push_back(alert.id());
    };
  }
  AlertHub::OnClose OnClose() {
    return [this] {
      absl::MutexLock lock(&mutex_);
      ++closes_;
    };
  }
  std::vector<std::string> ids() const {
    absl::MutexLock lock(&mutex_);
    return ids_;
  }
  int closes() const {
    absl::MutexLock lock(&mutex_);
    return closes_;
  }

 private:
  mutable absl::Mutex mutex_;
  std::vector<std::string> ids_;
  int closes_ = 0;
};

TEST(AlertHub, EveryWatcherGetsEveryAlertPublishedFromManyThreadsOnce) {
  constexpr int kWatchers = 4;
  constexpr int kPublishers = 4;
  constexpr int kPerPublisher = 50;
  AlertHub hub;
  std::vector<Inbox> inboxes(kWatchers);
  for (Inbox& inbox : inboxes) EXPECT_GT(hub.Subscribe(inbox.Listener(), inbox.OnClose()), 0);

  std::vector<std::string> published;
  std::vector<std::thread> publishers;
  for (int p = 0; p < kPublishers; ++p) {
    for (int i = 0; i < kPerPublisher; ++i) published.push_back(absl::StrCat("fb-", p, "-", i));
    publishers.emplace_back([&hub, p] {
      for (int i = 0; i < kPerPublisher; ++i) hub.Publish(AlertFor(absl::StrCat("fb-", p, "-", i)));
    });
  }
  for (std::thread& publisher : publishers) publisher.join();

  for (const Inbox& inbox : inboxes) {
    EXPECT_THAT(inbox.ids(), UnorderedElementsAreArray(published));
    EXPECT_EQ(inbox.closes(), 0);
  }
}

TEST(AlertHub, WatchersComingAndGoingWhilePublishingGetOnlyWhatCameWhileSubscribed) {
  AlertHub hub;
  Inbox steady;
  hub.Subscribe(steady.Listener(), steady.OnClose());

  std::atomic<bool> stop = false;
  // A watcher that subscribes and leaves over and over, as short-lived streams do.
  std::thread churn([&hub, &stop] {
    while (!stop.load()) {
      Inbox passing;
      const int handle = hub.Subscribe(passing.Listener(), passing.OnClose());
      hub.Unsubscribe(handle);
      // Unsubscribed: nothing more reaches it, so it may be destroyed now.
    }
  });
  std::vector<std::string> published;
  for (int i = 0; i < 200; ++i) {
    published.push_back(absl::StrCat("fb-", i));
    hub.Publish(AlertFor(published.back()));
  }
  stop = true;
  churn.join();

  EXPECT_EQ(steady.ids(), published);  // one publisher: in order
}

TEST(AlertHub, CloseTellsEveryWatcherOnceAndRefusesLaterSubscriptions) {
  AlertHub hub;
  std::vector<Inbox> inboxes(3);
  for (Inbox& inbox : inboxes) hub.Subscribe(inbox.Listener(), inbox.OnClose());

  absl::Notification publishing;
  std::thread publisher([&hub, &publishing] {
    publishing.Notify();
    for (int i = 0; i < 100; ++i) hub.Publish(AlertFor(absl::StrCat("fb-", i)));
  });
  publishing.WaitForNotification();
  hub.Close();
  publisher.join();

  for (const Inbox& inbox : inboxes) EXPECT_EQ(inbox.closes(), 1);
  Inbox late;
  EXPECT_EQ(hub.Subscribe(late.Listener(), late.OnClose()), 0);
  EXPECT_EQ(late.closes(), 1);  // told at once, on the caller's thread
  hub.Publish(AlertFor("fb-after"));
  EXPECT_TRUE(late.ids().empty());
}

}  // namespace alert_hub_test
}  // namespace
}  // namespace feedback
