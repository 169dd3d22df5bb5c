// ExportFeedback's stream (streams.h).
#include <memory>
#include <utility>

#include "service/core/streams.h"
#include "service/ops/audit.h"

namespace feedback {
namespace {

class ExportStream final : public std::enable_shared_from_this<ExportStream> {
 public:
  ExportStream(const storage::FeedbackStore& store, storage::GroupCommitWriter& writer,
               const TokenRegistry& tokens, storage::ListQuery query, Principal caller,
               StreamSlot slot, std::string quarter, StreamSink<v1::Feedback>& sink)
      : store_(store),
        writer_(writer),
        tokens_(tokens),
        query_(std::move(query)),
        caller_(std::move(caller)),
        slot_(std::move(slot)),
        quarter_(std::move(quarter)),
        sink_(sink) {}

  void Start() {
    // Alive (and holding its slot) until the transport is done with the stream.
    sink_.WhenDone([self = shared_from_this()] {});
    NextPage();
  }

 private:
  static constexpr int kPageSize = 200;

  void NextPage() {
    // A token revoked (or expired) during the export gets no further page.
    if (absl::Status valid = tokens_.CheckStillValid(caller_.token_id, absl::Now()); !valid.ok()) {
      sink_.Finish(valid);
      return;
    }
    query_.limit = kPageSize;
    absl::StatusOr<storage::ListPage> page = store_.List(query_);
    if (!page.ok()) {
      sink_.Finish(page.status());
      return;
    }
    page_ = *std::move(page);
    next_ = 0;
    query_.cursor = page_.next_cursor;
    if (page_.items.empty()) {
      WriteNext();
      return;
    }
    AuditEvent event("feedback.export", {}, quarter_);
    for (const v1::Feedback& item : page_.items) event.ids.push_back(item.id());
    writer_.Submit(AuditOp(caller_, absl::Now(), std::move(event)),
                   [self = shared_from_this()](absl::Status status) {
                     if (status.ok()) {
                       self->WriteNext();
                     } else {
                       self->sink_.Finish(status);
                     }
                   });
  }

  void WriteNext() {
    if (next_ < page_.items.size()) {
      sink_.Send(std::move(page_.items[next_]),
                 [self = shared_from_this()](bool ok) { self->OnSent(ok); });
    } else if (!page_.next_cursor.empty()) {
      NextPage();
    } else {
      sink_.Finish(absl::OkStatus());
    }
  }

  void OnSent(bool ok) {
    if (!ok) {
      sink_.Finish(absl::CancelledError("the reader went away"));
      return;
    }
    ++next_;
    WriteNext();
  }

  const storage::FeedbackStore& store_;
  storage::GroupCommitWriter& writer_;
  const TokenRegistry& tokens_;
  storage::ListQuery query_;
  const Principal caller_;
  StreamSlot slot_;
  const std::string quarter_;
  StreamSink<v1::Feedback>& sink_;  // not used once finished
  storage::ListPage page_;
  size_t next_ = 0;
};

}  // namespace

void StartExport(const storage::FeedbackStore& store, storage::GroupCommitWriter& writer,
                 const TokenRegistry& tokens, storage::ListQuery query, Principal caller,
                 StreamSlot slot, std::string quarter, StreamSink<v1::Feedback>& sink) {
  std::make_shared<ExportStream>(store, writer, tokens, std::move(query), std::move(caller),
                                 std::move(slot), std::move(quarter), sink)
      ->Start();
}

}  // namespace feedback
