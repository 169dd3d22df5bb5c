// The gRPC door's transport limit that its clients plan around: feedbackd sets it, and
// `feedbackctl bench` spreads its calls so that it never holds one back.
#ifndef FEEDBACK_PROTO_VOCABULARY_TRANSPORT_H_
#define FEEDBACK_PROTO_VOCABULARY_TRANSPORT_H_

namespace feedback {

// HTTP/2 streams one connection to feedbackd may have open at once: the least RFC 9113 (section
// 6.5.2) recommends. A client's call beyond it waits in the client until a stream closes. At 64,
// a client keeping 64 calls in flight sat at the limit: a call sent before its transport had
// counted the last one's stream closed waited in the client. With a higher limit the bench's
// C = 64 gained a median 6% of calls/s in twelve alternated rounds of one harness, and nothing
// visible in four of the other (docs/performance.md, ninth pass).
inline constexpr int kMaxStreamsPerConnection = 100;

}  // namespace feedback

#endif  // FEEDBACK_PROTO_VOCABULARY_TRANSPORT_H_
