// AddressSanitizer builds only (deploy/test-sanitizers asan): linked into feedbackctl and nothing
// else (root CMakeLists.txt).
//
// When feedbackctl's TLS handshake fails (a plain-text server, or a server that wants a client
// certificate it was not given), gRPC 1.51 can still hold the failed handshake's OpenSSL objects
// when the process exits, and LeakSanitizer reports them, so the command exits 1 instead of the
// exit code the test checks. The report's stack stops inside libcrypto (Debian builds it without
// frame pointers), so there is no gRPC frame to name. The suppression is safe only here:
// feedbackctl makes no OpenSSL call of its own (the client links no OpenSSL target), so any
// libcrypto allocation in it is gRPC's. The server, which does call OpenSSL (token hashes, the
// HTTP door's TLS), gets no such suppression.
extern "C" const char* __lsan_default_suppressions() { return "leak:libcrypto.so\n"; }
