// The two server streams of FeedbackCore, started by ExportFeedback and WatchAlerts once the
// request is valid and a stream slot is held. Internal to service/core.
#ifndef FEEDBACK_SERVICE_CORE_STREAMS_H_
#define FEEDBACK_SERVICE_CORE_STREAMS_H_

#include <string>

#include "service/core/gatekeeper.h"
#include "service/core/stream_sink.h"
#include "service/domain/access.h"
#include "service/ops/alert_hub.h"
#include "service/ops/tokens.h"
#include "storage/feedback_store.h"
#include "storage/group_commit_writer.h"

namespace feedback {

// Streams the items `query` selects to `sink` one page of the time index at a time, so the
// quarter is never held in memory and a slow reader holds back the reads. Each page's ids are
// audited ("feedback.export", detail `quarter`), durably, before the page is sent; a token
// revoked or expired during the export gets no further page. The borrowed parts must outlive
// the stream; `slot` is held until the sink is done.
void StartExport(const storage::FeedbackStore& store, storage::GroupCommitWriter& writer,
                 const TokenRegistry& tokens, storage::ListQuery query, Principal caller,
                 StreamSlot slot, std::string quarter, StreamSink<v1::Feedback>& sink);

// Streams alerts to one watcher: first every unacknowledged one, then each new one `hub`
// publishes, each audited ("alert.read") before it is sent. A token revoked or expired while
// the watch is open gets no more children's words; the hub closing ends the stream
// (UNAVAILABLE). The borrowed parts must outlive the stream.
void StartAlertWatch(AlertHub& hub, const storage::FeedbackStore& store,
                     storage::GroupCommitWriter& writer, const TokenRegistry& tokens,
                     Principal caller, StreamSlot slot, StreamSink<v1::Alert>& sink);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_CORE_STREAMS_H_
