import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// `backstage serve` on 127.0.0.1 (any free port) for the SSH tests, with throwaway ed25519
/// keys made by ssh-keygen and the real OpenSSH client.
final class ServeFixture: @unchecked Sendable {
    let workspace: Workspace
    let keysFile: String
    let knownHosts: String
    private(set) var port = 0
    private(set) var pid: pid_t = 0
    private(set) var fingerprint = ""
    private(set) var knownHostsLine = ""
    private var generation = 0

    var outPath: String { workspace.path("serve\(generation).out") }
    var errPath: String { workspace.path("serve\(generation).err") }

    init(workspace: Workspace) throws {
        self.workspace = workspace
        keysFile = workspace.path("authorized_keys")
        knownHosts = workspace.path("known_hosts")
        _ = FileManager.default.createFile(atPath: keysFile, contents: Data(), attributes: [.posixPermissions: 0o600])
        _ = FileManager.default.createFile(atPath: knownHosts, contents: Data(), attributes: [.posixPermissions: 0o600])
    }

    /// A new ed25519 key pair in the workspace; returns the private key's path.
    func makeKey(_ name: String) async throws -> String {
        let path = workspace.path("id_\(name)")
        let made = try await Subprocess.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "\(name)@test", "-f", path],
                                            environment: workspace.environment)
        try #require(made.status == 0, "\(made)")
        return path
    }

    /// Appends `options` and the public key of `key` to the authorized keys.
    func authorize(_ key: String, options: String = "") throws {
        let line = try String(contentsOfFile: key + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: keysFile))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(((options.isEmpty ? "" : options + " ") + line + "\n").utf8))
        try handle.close()
    }

    /// Starts the server and waits for its three lines; `port` 0 picks a free port.
    /// `store`: the store options (default: the workspace's database); `environment`: added to the workspace's.
    func start(port requested: Int = 0, extra: [String] = [], store: [String]? = nil, environment: [String: String] = [:]) async throws {
        generation += 1
        let arguments = (store ?? ["--db", workspace.db]) + ["--log", workspace.path("activity.log"), "serve", "--listen", "127.0.0.1:\(requested)",
                         "--authorized-keys", keysFile] + extra
        pid = try Spawn.background(try E2E.backstage().path, arguments, environment: workspace.environment.merging(environment) { _, added in added },
                                   stdout: outPath, stderr: errPath)
        let deadline = Date().addingTimeInterval(E2E.deadline)
        while true {
            let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
            if let known = out.split(separator: "\n").first(where: { $0.hasPrefix("known_hosts: ") }) {
                knownHostsLine = String(known.dropFirst("known_hosts: ".count))
                let listening = out.split(separator: "\n").first { $0.contains("listening on 127.0.0.1:") } ?? ""
                port = Int(listening.split(separator: ":").last ?? "") ?? 0
                fingerprint = String(out.split(separator: "\n").first { $0.hasPrefix("host key: ") }?.split(separator: " ").last ?? "")
                break
            }
            if Date() > deadline || Spawn.hasExited(pid) {
                throw E2E.Failure(description: "serve did not start:\n\(out)\n\(serverLog())")
            }
            try await Task.sleep(for: .milliseconds(20)) // poll for the start-up lines until the deadline
        }
        try (knownHostsLine + "\n").write(toFile: knownHosts, atomically: true, encoding: .utf8)
    }

    /// SIGTERM, then the exit status.
    @discardableResult
    func stop() async -> Int32 {
        guard pid > 0 else { return 0 }
        kill(pid, SIGTERM)
        let status = await Spawn.wait(pid, timeout: 15)
        pid = 0
        return status
    }

    deinit { if pid > 0 { kill(pid, SIGKILL) } }

    func serverLog() -> String {
        (0...generation).map { (try? String(contentsOfFile: workspace.path("serve\($0).err"), encoding: .utf8)) ?? "" }.joined()
    }

    /// The OpenSSH client's arguments: only this key, only this known_hosts, strict checking.
    /// `options` come first (e.g. `-A`, `-o SetEnv=…`), so an `-o` there wins over these (ssh
    /// keeps the first value it gets).
    func sshArguments(key: String, terminal: Bool = false, options: [String] = []) -> [String] {
        options + ["-F", "/dev/null", "-o", "IdentitiesOnly=yes", "-o", "IdentityFile=\(key)", "-o", "UserKnownHostsFile=\(knownHosts)",
         "-o", "GlobalKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
         "-p", String(port)] + (terminal ? ["-tt"] : ["-T"]) + ["backstage@127.0.0.1"]
    }

    /// The client's environment: the workspace's, without an agent unless `extra` gives one.
    func sshEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = workspace.environment
        environment["SSH_AUTH_SOCK"] = nil
        return environment.merging(extra) { _, added in added }
    }

    /// `ssh … command` without a terminal; with `terminal`, one is asked for (-tt).
    func exec(key: String, _ command: String, stdin: String? = nil, terminal: Bool = false, options: [String] = [],
              environment: [String: String] = [:]) async throws -> ProcessResult {
        let words = command.isEmpty ? [] : [command]
        return try await Subprocess.run("/usr/bin/ssh", sshArguments(key: key, terminal: terminal, options: options) + words, stdin: stdin,
                                        environment: sshEnvironment(environment), timeout: 30)
    }

    /// Waits for a log line containing `text` and returns it (the last such line).
    func waitForLine(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        _ = try await waitForLog(text, sourceLocation: sourceLocation)
        return logLines(containing: text).last ?? ""
    }

    /// The lines of the server's log that contain `text`.
    func logLines(containing text: String) -> [String] {
        serverLog().split(separator: "\n").map(String.init).filter { $0.contains(text) }
    }

    /// The pid in a "… (pid N)" log line, e.g. "console started (pid ".
    func childPID(after text: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> pid_t {
        let log = try await waitForLog(text, sourceLocation: sourceLocation)
        let digits = log.components(separatedBy: text).last?.prefix { $0.isNumber } ?? ""
        return try #require(pid_t(digits), sourceLocation: sourceLocation)
    }

    /// Waits for `text` in the server's log.
    func waitForLog(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let deadline = Date().addingTimeInterval(E2E.deadline)
        while true {
            let log = serverLog()
            if log.contains(text) { return log }
            if Date() > deadline {
                Issue.record("no \"\(text)\" in the server's log:\n\(log)", sourceLocation: sourceLocation)
                throw E2E.Failure(description: "no \(text) in the log")
            }
            try await Task.sleep(for: .milliseconds(20)) // poll the log until the deadline
        }
    }
}

/// The OpenSSH client in a tmux pane, for the console over SSH.
final class SSHPane: Sendable {
    let workspace: Workspace
    let server: [String]
    let target = "ssh"

    init(_ fixture: ServeFixture, key: String, width: Int = 100, height: Int = 30, instance: String = "") async throws {
        workspace = fixture.workspace
        server = ["-S", workspace.path("tmux-ssh\(instance).sock")]
        let config = workspace.path("tmux-ssh\(instance).conf")
        try "set -g remain-on-exit on\nset -g status off\nset -g default-terminal \"screen\"\nset -g escape-time 0\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let command = (["exec", "env", "-u", "SSH_AUTH_SOCK", "TERM=xterm-256color", "/usr/bin/ssh"] + fixture.sshArguments(key: key, terminal: true))
            .map(E2E.shellQuoted).joined(separator: " ")
        let started = try await Subprocess.run(
            E2E.tmuxPath, server + ["-f", config, "new-session", "-d", "-s", target, "-x", String(width), "-y", String(height), command],
            environment: workspace.environment, timeout: 30)
        guard started.status == 0 else { throw E2E.Failure(description: "tmux new-session failed: \(started)") }
    }

    func stop() { Subprocess.runBlocking(E2E.tmuxPath, server + ["kill-server"], environment: workspace.environment) }

    func tmux(_ arguments: [String]) async throws -> ProcessResult {
        try await Subprocess.run(E2E.tmuxPath, server + arguments, environment: workspace.environment, timeout: 30)
    }

    func press(_ keys: String...) async throws { _ = try await tmux(["send-keys", "-t", target] + keys) }
    func type(_ text: String) async throws { _ = try await tmux(["send-keys", "-t", target, "-l", text]) }
    func resize(width: Int, height: Int) async throws {
        _ = try await tmux(["resize-window", "-t", target, "-x", String(width), "-y", String(height)])
    }
    func capture() async throws -> String { try await tmux(["capture-pane", "-p", "-J", "-t", target]).stdout }
    /// A tmux format for the pane, e.g. `#{alternate_on}`.
    func display(_ format: String) async throws -> String {
        try await tmux(["display-message", "-p", "-t", target, format]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Waits until every one of `texts` is on screen (two captures alike), polling.
    @discardableResult
    func waitFor(_ texts: String..., sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        try await waitUntil("\(texts)", sourceLocation: sourceLocation) { screen in texts.allSatisfy { screen.contains($0) } }
    }

    @discardableResult
    func waitUntil(_ what: String, sourceLocation: SourceLocation = #_sourceLocation, _ condition: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(E2E.deadline)
        var screen = ""
        var candidate: String?
        while true {
            screen = try await capture()
            if condition(screen) {
                if screen == candidate { return screen }
                candidate = screen
            } else {
                candidate = nil
            }
            if Date() > deadline { break }
            try await Task.sleep(for: .milliseconds(40)) // poll the pane until the deadline
        }
        Issue.record("timed out waiting for \(what); last screen:\n\(screen)", sourceLocation: sourceLocation)
        throw E2E.Failure(description: "timed out waiting for \(what)")
    }
}

/// A process left running (the server), with no descriptor but its output files.
enum Spawn {
    static func background(_ executable: String, _ arguments: [String], environment: [String: String], stdout: String, stderr: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if let open = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            for fd in open.compactMap(Int32.init) where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = [executable] + arguments
        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in cArguments { free(pointer) }
            for pointer in cEnvironment { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, cArguments, cEnvironment)
        guard result == 0 else { throw E2E.Failure(description: "posix_spawn \(executable): \(String(cString: strerror(result)))") }
        return pid
    }

    /// Whether `pid` (our child) has exited; reaps it if so.
    static func hasExited(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == pid
    }

    /// The exit status (128 + signal when killed); SIGKILL after `timeout`.
    static func wait(_ pid: pid_t, timeout: TimeInterval) async -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                let signal = status & 0x7F
                return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
            }
            if Date() > deadline { kill(pid, SIGKILL) }
            try? await Task.sleep(for: .milliseconds(20)) // poll for the exit until the deadline
        }
    }

    /// Whether any process has this id (not a zombie).
    static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        let state = stat.split(separator: ")").last?.split(separator: " ").first
        return state != "Z"
    }
}

/// A plain TCP connection to the server, to see what happens to one that never logs in.
struct RawConnection {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw E2E.Failure(description: "cannot connect to 127.0.0.1:\(port)") }
    }

    /// This end's port, as the server's log shows it.
    var localPort: Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Glibc.close(fd) }

    /// Everything the server sends until it closes (or `timeout` passes); closes this end.
    func readUntilClosed(timeout: TimeInterval) -> String {
        defer { close() }
        var received: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let count = read(fd, &buffer, buffer.count)
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }
}
