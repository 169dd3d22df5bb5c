#include "tests/support/server_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/client_interceptor.h"
#include "gtest/gtest.h"
#include "proto/vocabulary/status_macros.h"
#include "service/domain/access.h"
#include "service/ops/tokens.h"

namespace feedback::testing {
namespace {

constexpr std::string_view kReadyLine = "feedbackd: listening on ";
constexpr std::string_view kHttpLine = "feedbackd: http on ";
constexpr std::string_view kMetricsLine = "feedbackd: metrics on http://";

std::vector<char*> ArgvOf(std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  return argv;
}

// Starts `args` with the given descriptors as its stdin, stdout and stderr (-1: inherited), or
// its stderr appended to `err_path`. posix_spawn, not fork: fork copied the page tables of the
// test process (large under the sanitizers) for each of the hundreds of processes a suite starts,
// only for exec to throw them away.
struct ChildStdio {
  int in = -1;
  int out = -1;
  int err = -1;
  std::string err_path;
};
absl::StatusOr<pid_t> Spawn(std::vector<std::string> args, const ChildStdio& stdio,
                            bool search_path) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (stdio.in >= 0) posix_spawn_file_actions_adddup2(&actions, stdio.in, STDIN_FILENO);
  if (stdio.out >= 0) posix_spawn_file_actions_adddup2(&actions, stdio.out, STDOUT_FILENO);
  if (stdio.err >= 0) posix_spawn_file_actions_adddup2(&actions, stdio.err, STDERR_FILENO);
  if (!stdio.err_path.empty()) {
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stdio.err_path.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0600);
  }
  std::vector<char*> argv = ArgvOf(args);
  pid_t pid = -1;
  const int error = search_path
                        ? posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ)
                        : posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    return absl::InternalError(absl::StrCat("could not start ", args[0], ": ", strerror(error)));
  }
  return pid;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

// Reads `fd` until EOF.
std::string Drain(int fd) {
  std::string out;
  char buffer[4096];
  for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    out.append(buffer, static_cast<size_t>(n));
  }
  return out;
}

// Adds `authorization: Bearer <token>` to every call, the token chosen by the call's method.
class BearerInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit BearerInterceptor(std::string token) : token_(std::move(token)) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      methods->GetSendInitialMetadata()->insert({"authorization", "Bearer " + token_});
    }
    methods->Proceed();
  }

 private:
  const std::string token_;
};

class BearerFactory final : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  // `token_of_method` gives the token for a method's short name ("GetFeedback").
  explicit BearerFactory(std::function<std::string(std::string_view)> token_of_method)
      : token_of_method_(std::move(token_of_method)) {}

  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo* info) override {
    std::string_view method = info->method();
    method.remove_prefix(method.rfind('/') + 1);
    return new BearerInterceptor(token_of_method_(method));
  }

 private:
  std::function<std::string(std::string_view)> token_of_method_;
};

std::shared_ptr<grpc::Channel> InterceptedChannel(
    const std::string& address, std::function<std::string(std::string_view)> token_of_method) {
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> factories;
  factories.push_back(std::make_unique<BearerFactory>(std::move(token_of_method)));
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      address, grpc::InsecureChannelCredentials(), grpc::ChannelArguments(), std::move(factories));
}

// QA staff first: test data of old quarters is a back-fill, which only they (and admin) may make.
v1::Role StaffRoleFor(std::string_view method) {
  for (v1::Role role : {v1::ROLE_QA_MANAGER, v1::ROLE_ADVOCATE, v1::ROLE_ADMIN, v1::ROLE_REPORTER,
                        v1::ROLE_KIOSK}) {
    if (IsAllowed(method, role)) return role;
  }
  return v1::ROLE_KIOSK;
}

v1::Role CommandRoleFor(const std::vector<std::string>& args) {
  const std::set<std::string> global_flags_with_values = {"--server", "--token-file", "--timeout",
                                                          "--outbox", "--tls-ca"};
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (global_flags_with_values.contains(arg)) ++i;
    if (arg.starts_with("-")) continue;
    if (arg == "admin") return v1::ROLE_ADMIN;
    if (arg == "advocacy") return v1::ROLE_ADVOCATE;
    if (arg == "summary" || arg == "report") return v1::ROLE_REPORTER;
    if (arg == "kiosk") return v1::ROLE_KIOSK;
    if (arg == "audit" || arg == "observation") return v1::ROLE_AUDITOR;
    if (arg == "oversight") return v1::ROLE_CHAIR;
    return v1::ROLE_QA_MANAGER;
  }
  return v1::ROLE_QA_MANAGER;
}

absl::Status WriteTokenFile(const std::string& path, const std::string& token) {
  std::ofstream out(path, std::ios::trunc);
  out << token << "\n";
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::map<v1::Role, std::string>> IssueTestTokens(const std::string& data_dir) {
  std::vector<v1::IssueTokenRequest> requests;
  for (v1::Role role : AllRoles()) {
    v1::IssueTokenRequest& request = requests.emplace_back();
    request.set_role(role);
    request.set_device_name(absl::StrCat("test-", RoleName(role)));
  }
  ASSIGN_OR_RETURN(std::vector<IssuedToken> issued, IssueTokensOffline(data_dir, requests));
  std::map<v1::Role, std::string> tokens;
  for (IssuedToken& token : issued) {
    const v1::Role role = token.token.role();
    RETURN_IF_ERROR(WriteTokenFile(TestTokenFile(data_dir, role), token.secret));
    tokens[role] = std::move(token.secret);
  }
  return tokens;
}

std::string TestTokenFile(const std::string& data_dir, v1::Role role) {
  return absl::StrCat(data_dir, ".", RoleName(role), ".token");
}

std::shared_ptr<grpc::Channel> ChannelWithToken(const std::string& address,
                                                const std::string& token) {
  return InterceptedChannel(address, [token](std::string_view) { return token; });
}

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Start(
    const std::string& data_dir, const std::vector<std::string>& extra_args) {
  absl::StatusOr<std::map<v1::Role, std::string>> tokens = IssueTestTokens(data_dir);
  if (!tokens.ok()) return tokens.status();
  return StartWithTokens(data_dir, *std::move(tokens), extra_args);
}

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::StartWithTokens(
    const std::string& data_dir, std::map<v1::Role, std::string> tokens,
    const std::vector<std::string>& extra_args) {
  std::unique_ptr<ServerProcess> server(new ServerProcess());
  server->stderr_path_ = data_dir + ".stderr";
  server->data_dir_ = data_dir;
  server->tokens_ = std::move(tokens);
  std::vector<std::string> args = {FEEDBACKD_PATH, "--listen", "127.0.0.1:0", "--data-dir",
                                   data_dir};
  for (v1::Role role : AllRoles()) {
    args.insert(args.end(), {"--rate-limit", absl::StrCat(RoleName(role), "=0")});
  }
  args.insert(args.end(), {"--max-streams-per-token", "16"});
  args.insert(args.end(), extra_args.begin(), extra_args.end());

  int out_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return absl::InternalError("pipe failed");
  absl::StatusOr<pid_t> pid =
      Spawn(std::move(args), {.out = out_pipe[1], .err_path = server->stderr_path_}, false);
  close(out_pipe[1]);
  if (!pid.ok()) {
    close(out_pipe[0]);
    return pid.status();
  }
  server->pid_ = *pid;

  // Wait for the ready line; the pipe closes early if the server exits.
  std::string output;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  auto ready = [&output] {
    const size_t at = output.find(kReadyLine);
    return at != std::string::npos && output.find('\n', at) != std::string::npos;
  };
  while (!ready()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd readable{out_pipe[0], POLLIN, 0};
    if (left.count() <= 0 || poll(&readable, 1, static_cast<int>(left.count())) <= 0) {
      close(out_pipe[0]);
      return absl::DeadlineExceededError(
          absl::StrCat("feedbackd not ready in 60 s; stderr: ", server->Stderr()));
    }
    char buffer[512];
    const ssize_t n = read(out_pipe[0], buffer, sizeof buffer);
    if (n <= 0) {
      close(out_pipe[0]);
      int status = 0;
      waitpid(server->pid_, &status, 0);
      server->pid_ = -1;
      return absl::FailedPreconditionError(
          absl::StrCat("feedbackd exited before it was ready: ", server->Stderr()));
    }
    output.append(buffer, static_cast<size_t>(n));
  }
  // Nothing more is needed from stdout, but it is drained so the server never blocks on a full
  // pipe.
  std::thread([fd = out_pipe[0]] {
    Drain(fd);
    close(fd);
  }).detach();

  const size_t start = output.find(kReadyLine) + kReadyLine.size();
  const std::string rest = output.substr(start, output.find_first_of(",\n", start) - start);
  server->address_ = rest;
  if (const size_t http = output.find(kHttpLine); http != std::string::npos) {
    const size_t from = http + kHttpLine.size();
    server->http_address_ = output.substr(from, output.find_first_of(",\n", from) - from);
  }
  if (const size_t metrics = output.find(kMetricsLine); metrics != std::string::npos) {
    const size_t from = metrics + kMetricsLine.size();
    server->metrics_address_ = output.substr(from, output.find('/', from) - from);
  }
  return server;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Kill();
  std::remove(stderr_path_.c_str());
}

std::shared_ptr<grpc::Channel> ServerProcess::NewChannel() const {
  return InterceptedChannel(address_, [tokens = tokens_](std::string_view method) {
    return tokens.at(StaffRoleFor(method));
  });
}

std::unique_ptr<v1::FeedbackService::Stub> ServerProcess::NewStub() const {
  return v1::FeedbackService::NewStub(NewChannel());
}

std::shared_ptr<grpc::Channel> ServerProcess::NewChannel(v1::Role role) const {
  return ChannelWithToken(address_, token(role));
}

std::unique_ptr<v1::FeedbackService::Stub> ServerProcess::NewStub(v1::Role role) const {
  return v1::FeedbackService::NewStub(NewChannel(role));
}

std::string ServerProcess::TokenFile(v1::Role role) const { return TestTokenFile(data_dir_, role); }

std::vector<std::string> ServerProcess::Ctl(const std::vector<std::string>& args) const {
  return Ctl(CommandRoleFor(args), args);
}

std::vector<std::string> ServerProcess::Ctl(v1::Role role,
                                            const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {FEEDBACKCTL_PATH, "--server", address_, "--token-file",
                                   TokenFile(role)};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

int ServerProcess::StopWith(int signal) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  return WaitForExit();
}

int ServerProcess::WaitForExit() {
  if (pid_ <= 0) return -1;
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  return status;
}

int ServerProcess::Kill() { return StopWith(SIGKILL); }

std::string ServerProcess::Stderr() const { return ReadFile(stderr_path_); }

std::vector<v1::Feedback> ListAllFeedback(v1::FeedbackService::Stub& stub,
                                          v1::ListFeedbackRequest request) {
  std::vector<v1::Feedback> all;
  do {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    v1::ListFeedbackResponse page;
    const grpc::Status status = stub.ListFeedback(&context, request, &page);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) break;
    all.insert(all.end(), page.feedback().begin(), page.feedback().end());
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return all;
}

std::vector<v1::Feedback> ListAllFeedback(const ServerProcess& server) {
  return ListAllFeedback(server.address(), server.token(v1::ROLE_QA_MANAGER));
}

std::vector<v1::Feedback> ListAllFeedback(const std::string& address, const std::string& token) {
  auto stub = v1::FeedbackService::NewStub(ChannelWithToken(address, token));
  v1::ListFeedbackRequest request;
  request.set_page_size(500);
  return ListAllFeedback(*stub, request);
}

v1::QuarterSummary QuarterSummaryOf(v1::FeedbackService::Stub& stub, int financial_year,
                                    int quarter) {
  v1::GetQuarterSummaryRequest request;
  request.set_financial_year(financial_year);
  request.set_quarter(quarter);
  v1::QuarterSummary summary;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  const grpc::Status status = stub.GetQuarterSummary(&context, request, &summary);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return summary;
}

void ExpectCountersConsistent(v1::FeedbackService::Stub& stub) {
  v1::VerifyCountersResponse verify;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  const grpc::Status status = stub.VerifyCounters(&context, v1::VerifyCountersRequest(), &verify);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_GT(verify.records_examined(), 0);
  EXPECT_EQ(verify.differences_size(), 0) << verify.DebugString();
}

std::string ClosedPortAddress() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  EXPECT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  close(fd);
  return absl::StrCat("127.0.0.1:", ntohs(address.sin_port));
}

CommandResult RunCommand(const std::vector<std::string>& argv_in, const std::string& stdin_text) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0 ||
      pipe2(err_pipe, O_CLOEXEC) != 0) {
    return CommandResult{};
  }
  absl::StatusOr<pid_t> spawned = Spawn(
      argv_in, {.in = in_pipe[0], .out = out_pipe[1], .err = err_pipe[1], .err_path = ""}, true);
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  // As a shell does: a program that cannot be started exits 127.
  if (!spawned.ok()) {
    for (int fd : {in_pipe[1], out_pipe[0], err_pipe[0]}) close(fd);
    return CommandResult{
        .exit_code = 127, .out = "", .err = std::string(spawned.status().message())};
  }
  const pid_t pid = *spawned;
  std::thread writer([fd = in_pipe[1], &stdin_text] {
    signal(SIGPIPE, SIG_IGN);
    for (size_t done = 0; done < stdin_text.size();) {
      const ssize_t n = write(fd, stdin_text.data() + done, stdin_text.size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    close(fd);
  });
  CommandResult result;
  std::thread err_reader([&] { result.err = Drain(err_pipe[0]); });
  result.out = Drain(out_pipe[0]);
  err_reader.join();
  writer.join();
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace feedback::testing
