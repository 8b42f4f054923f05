import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// End-to-end harness: the real `backstage` binary in a real terminal (a tmux pane).
///
/// Every test gets its own temporary directory (database, HOME, tmux config, wrapper script,
/// byte log) and its own tmux server on a private socket in that directory, which the test
/// kills when it is done (`withConsole` defers it). The console runs under a small shell
/// wrapper that, once the app has exited, prints the exit status and the terminal modes
/// (`stty -a`), so a test can check the terminal was given back; the wrapper then stays, so
/// tmux can still be asked about the pane's modes. Waiting is always polling against a
/// deadline, failing with the last screen.
enum E2E {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The `backstage` executable sits beside the test bundle (the test target depends on it).
    static let executable: URL? = {
        var directories: [URL] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            directories.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            directories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        if let first = CommandLine.arguments.first {
            directories.append(URL(fileURLWithPath: first).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        for directory in directories {
            let candidate = directory.appendingPathComponent("backstage")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        return nil
    }()

    static func backstage() throws -> URL {
        guard let executable else {
            throw Failure(description: "cannot find the backstage executable next to the test bundle (\(CommandLine.arguments.first ?? "?"))")
        }
        return executable
    }

    static let tmuxPath: String = {
        for candidate in ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return "/usr/bin/tmux"
    }()

    /// How long any wait may take before the test fails; generous, for a loaded 2-core machine.
    static let deadline: TimeInterval = 15

    /// Single-quotes a word for `sh`.
    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// What a finished subprocess left behind.
struct ProcessResult: Sendable, CustomStringConvertible {
    let arguments: [String]
    let status: Int32
    /// Ended by a signal (a crash, or the watchdog).
    let signalled: Bool
    let stdout: String
    let stderr: String

    var description: String {
        "\(arguments.joined(separator: " ")) → status \(status)\(signalled ? " (signal)" : "")\n--- stdout:\n\(stdout)--- stderr:\n\(stderr)"
    }
}

/// Runs a subprocess to completion without blocking a Swift concurrency thread.
///
/// Not Foundation's `Process`: its children inherit the socket it watches for their exit, so
/// when the child is a tmux client that starts a server, the server keeps that socket open and
/// the client's exit is never reported (the test hangs). Its children also inherit this
/// thread's blocked-signal mask, and a tmux server with SIGCHLD, SIGTERM and SIGHUP blocked
/// passes that mask on to the console, so signals never arrive. This runner uses posix_spawn
/// with every descriptor above 2 closed, the signal mask cleared and all signals at their
/// defaults, and reaps the child on a thread of its own.
///
/// stdout and stderr go to files (neither can fill up and stall the child); stdin is a file
/// holding `stdin`, or /dev/null.
enum Subprocess {
    static func run(
        _ executable: String, _ arguments: [String], stdin: String? = nil, environment: [String: String]? = nil,
        currentDirectory: URL? = nil, timeout: TimeInterval = 60
    ) async throws -> ProcessResult {
        let io = FileManager.default.temporaryDirectory.appendingPathComponent("backstage-e2e-io-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: io, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: io) }
        let outPath = io.appendingPathComponent("stdout").path
        let errPath = io.appendingPathComponent("stderr").path
        var inPath = "/dev/null"
        if let stdin {
            inPath = io.appendingPathComponent("stdin").path
            try stdin.write(toFile: inPath, atomically: false, encoding: .utf8)
        }
        var argv = [executable] + arguments
        if let currentDirectory {
            // posix_spawn has no portable chdir: let sh change directory, then become the program.
            argv = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", currentDirectory.path] + argv
        }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let pid = try spawn(argv, environment: env, stdin: inPath, stdout: outPath, stderr: errPath)
        let (status, signalled) = await wait(for: pid, timeout: timeout)
        return ProcessResult(
            arguments: [executable] + arguments, status: status, signalled: signalled,
            stdout: String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data(), as: UTF8.self),
            stderr: String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data(), as: UTF8.self))
    }

    /// For `defer`: runs a short command and waits for it on the calling thread.
    static func runBlocking(_ executable: String, _ arguments: [String], environment: [String: String]) {
        let env = environment.map { "\($0.key)=\($0.value)" }
        guard let pid = try? spawn([executable] + arguments, environment: env, stdin: "/dev/null", stdout: "/dev/null", stderr: "/dev/null")
        else { return }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32

    /// glibc 2.34+ has it, but Swift's Glibc module does not show it.
    nonisolated(unsafe) private static let closeFrom: CloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: CloseFrom.self)
    }()

    private static func spawn(_ argv: [String], environment: [String], stdin: String, stdout: String, stderr: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let closeFrom {
            _ = closeFrom(&actions, 3)
        } else if let open = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
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

        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in cArguments { free(pointer) }
            for pointer in cEnvironment { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment)
        guard result == 0 else {
            throw E2E.Failure(description: "posix_spawn \(argv.joined(separator: " ")) failed: \(String(cString: strerror(result)))")
        }
        return pid
    }

    /// Reaps `pid` on its own thread; a child still running after `timeout` is killed.
    private static func wait(for pid: pid_t, timeout: TimeInterval) async -> (Int32, Bool) {
        let reaped = Reaped()
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
            if !reaped.isDone { kill(pid, SIGKILL) }
        }
        return await withCheckedContinuation { continuation in
            let thread = Thread {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                reaped.markDone()
                let signal = status & 0x7F
                if signal == 0 {
                    continuation.resume(returning: ((status >> 8) & 0xFF, false))
                } else {
                    continuation.resume(returning: (128 + signal, true))
                }
            }
            thread.start()
        }
    }

    private final class Reaped: @unchecked Sendable {
        private let lock = NSLock()
        private var done = false
        var isDone: Bool { lock.withLock { done } }
        func markDone() { lock.withLock { done = true } }
    }
}

/// A temporary directory with a database, HOME and the CLI to fill the database.
final class Workspace: Sendable {
    let root: URL
    let db: String
    let home: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("backstage-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        db = root.appendingPathComponent("store.sqlite").path
        home = root.appendingPathComponent("home").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// The environment every child gets: this process's, without anything that could point the
    /// binary at a real database or change its colours, with HOME in the workspace.
    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for key in ["BACKSTAGE_DB", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "BACKSTAGE_PROFILE", "NO_COLOR", "LC_ALL", "TMUX", "TMUX_PANE"] { environment[key] = nil }
        environment["HOME"] = home
        environment["LANG"] = "C.UTF-8"
        return environment
    }

    /// `backstage --db <db> arguments…` as a plain subprocess (no terminal).
    func cli(_ arguments: [String], stdin: String? = nil, environment extra: [String: String] = [:]) async throws -> ProcessResult {
        try await Subprocess.run(try E2E.backstage().path, ["--db", db] + arguments, stdin: stdin,
                                 environment: environment.merging(extra) { _, added in added }, currentDirectory: root)
    }

    func addConnection(_ name: String, clientId: String, audience: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let result = try await cli(["connections", "add", "--name", name, "--client-id", clientId,
                                    "--token-url", "https://idp.example.com/t", "--audience", audience, "--client-secret-stdin"],
                                   stdin: "secret\n")
        try #require(result.status == 0, "\(result)", sourceLocation: sourceLocation)
    }

    func addCommand(_ trigger: String, url: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let result = try await cli(["commands", "add", "--trigger", trigger, "--url", url])
        try #require(result.status == 0, "\(result)", sourceLocation: sourceLocation)
    }

    /// Connection names as the CLI lists them (JSON).
    func connectionNames(sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String] {
        let result = try await cli(["connections", "list", "--json"])
        try #require(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        let rows = try #require(parsed as? [[String: Any]], "not a JSON array: \(result.stdout)", sourceLocation: sourceLocation)
        return rows.compactMap { $0["name"] as? String }
    }
}

/// The standard fixture: three connections (one with a CJK name, added out of order) and two
/// commands, one whose URL is covered by a connection's audience and one that is not.
enum Fixture {
    static let connections: [(name: String, clientId: String, audience: String)] = [
        ("Zeta Analytics", "cid-zeta", "https://zeta.example.com/*"),
        ("給与システム", "cid-kyuyo", "https://kyuyo.example.com/*"),
        ("alpha HR", "cid-alpha", "https://alpha.example.com/*"),
    ]
    /// Sorted as the console sorts them (by lower-cased name).
    static let sortedNames = ["alpha HR", "Zeta Analytics", "給与システム"]
    static let linkedTrigger = "deploy"
    static let linkedURL = "https://alpha.example.com/hooks/deploy"
    static let linkedTo = "alpha HR"
    static let unlinkedTrigger = "weather"
    static let unlinkedURL = "https://weather.example.org/hook"

    static func seed(_ workspace: Workspace) async throws {
        for connection in connections {
            try await workspace.addConnection(connection.name, clientId: connection.clientId, audience: connection.audience)
        }
        try await workspace.addCommand(unlinkedTrigger, url: unlinkedURL)
        try await workspace.addCommand(linkedTrigger, url: linkedURL)
    }
}

/// One console in one tmux pane on a private tmux server.
final class ConsoleSession: Sendable {
    let workspace: Workspace
    /// The private server's socket, inside the workspace (`tmux -S`), so nothing is left in
    /// /tmp/tmux-UID when the workspace goes. A long temporary path falls back to `-L name`.
    let server: [String]
    let target = "e2e"
    /// Where pipe-pane records the pane's output bytes.
    let log: String

    /// How the pane's environment differs from the workspace's.
    enum TerminalType: Sendable {
        case term(String)
        case unset
    }

    /// Starts `backstage --db <db> extraArguments…` in a `width`x`height` pane with `TERM`
    /// as given, and the `environment` additions (e.g. NO_COLOR=1). `redirect` is appended to
    /// the command line verbatim (e.g. "> out.txt"). `instance` tells apart several consoles
    /// on one workspace (one database), each with its own tmux server and files.
    init(
        workspace: Workspace, term: TerminalType = .term("xterm-256color"), environment extra: [String: String] = [:],
        extraArguments: [String] = [], redirect: String = "", width: Int = 100, height: Int = 30, instance: String = ""
    ) async throws {
        self.workspace = workspace
        let socketPath = workspace.path("tmux\(instance).sock")
        server = socketPath.utf8.count < 100 ? ["-S", socketPath] : ["-L", "backstage-e2e-\(UUID().uuidString.prefix(12))"]
        let binary = try E2E.backstage().path

        let config = workspace.path("tmux\(instance).conf")
        try """
            set -g remain-on-exit on
            set -g history-limit 2000
            set -g status off
            set -g default-terminal "screen"
            set -g escape-time 0

            """.write(toFile: config, atomically: true, encoding: .utf8)

        var exports = ["export HOME=\(E2E.shellQuoted(workspace.home))", "export LANG=C.UTF-8",
                       "unset LC_ALL BACKSTAGE_DB XDG_DATA_HOME NO_COLOR TMUX TMUX_PANE"]
        switch term {
        case .term(let name): exports.append("export TERM=\(E2E.shellQuoted(name))")
        case .unset: exports.append("unset TERM")
        }
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) { exports.append("export \(key)=\(E2E.shellQuoted(value))") }
        let command = ([E2E.shellQuoted(binary), "--db", E2E.shellQuoted(workspace.db)] + extraArguments.map(E2E.shellQuoted))
            .joined(separator: " ")
        // The wrapper waits for a line on the terminal before it starts the console, so the
        // byte log (pipe-pane) is recording from the console's first byte. The "$ backstage"
        // line stands for the shell prompt the console leaves behind: it is on the normal
        // screen, so it is visible again once the console gives the screen back. After the
        // console, the wrapper reports and then stays (cat) so the pane's modes can be read.
        let wrapper = """
            cd \(E2E.shellQuoted(workspace.root.path)) || exit 99
            \(exports.joined(separator: "\n"))
            IFS= read -r go
            echo "PROMPT$ backstage --db store.sqlite"
            \(command) \(redirect)
            status=$?
            echo "EXITED:$status"
            echo "STTY:$(stty -a 2>&1 | tr '\\n' ' ')"
            echo "WRAPPER-DONE"
            exec cat >/dev/null

            """
        let script = workspace.path("console\(instance).sh")
        try wrapper.write(toFile: script, atomically: true, encoding: .utf8)
        log = workspace.path("pane-output\(instance).log")

        let started = try await Subprocess.run(
            E2E.tmuxPath,
            server + ["-f", config, "new-session", "-d", "-s", target, "-x", String(width), "-y", String(height),
             "/bin/sh \(E2E.shellQuoted(script))"],
            environment: workspace.environment, timeout: 30)
        guard started.status == 0 else {
            stop()
            throw E2E.Failure(description: "tmux new-session failed: \(started)")
        }
        let piped = try await tmux(["pipe-pane", "-o", "-t", target, "cat >> \(E2E.shellQuoted(log))"])
        guard piped.status == 0 else {
            stop()
            throw E2E.Failure(description: "tmux pipe-pane failed: \(piped)")
        }
        // The log file exists once pipe-pane's cat runs; only then is every byte recorded.
        let deadline = Date().addingTimeInterval(E2E.deadline)
        while !FileManager.default.fileExists(atPath: log) {
            if Date() > deadline {
                stop()
                throw E2E.Failure(description: "pipe-pane never started its logger")
            }
            try await Task.sleep(for: .milliseconds(20)) // poll for the logger until the deadline
        }
        let go = try await tmux(["send-keys", "-t", target, "Enter"])
        guard go.status == 0 else {
            stop()
            throw E2E.Failure(description: "tmux send-keys failed: \(go)")
        }
    }

    /// Every byte the pane's programs wrote, from just before the console started.
    func output() -> String {
        String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: log))) ?? Data(), as: UTF8.self)
    }

    /// Kills the private tmux server (and with it the console, if still running). Synchronous,
    /// so a `defer` can call it; it takes a few milliseconds.
    func stop() {
        Subprocess.runBlocking(E2E.tmuxPath, server + ["kill-server"], environment: workspace.environment)
    }

    @discardableResult
    func tmux(_ arguments: [String]) async throws -> ProcessResult {
        try await Subprocess.run(E2E.tmuxPath, server + arguments, environment: workspace.environment, timeout: 30)
    }

    /// Keys by tmux name: "Tab", "Enter", "Escape", "BTab", "C-c", "Up", "j"…
    func press(_ keys: String...) async throws {
        let result = try await tmux(["send-keys", "-t", target] + keys)
        if result.status != 0 { throw E2E.Failure(description: "send-keys failed: \(result)") }
    }

    /// Text typed as is.
    func type(_ text: String) async throws {
        let result = try await tmux(["send-keys", "-t", target, "-l", text])
        if result.status != 0 { throw E2E.Failure(description: "send-keys -l failed: \(result)") }
    }

    /// The pane as text; wrapped lines joined (-J) so long wrapper lines stay whole. With
    /// `escapes`, the attributes and colours too (-e); with `history`, the lines scrolled off
    /// the top too.
    func capture(escapes: Bool = false, history: Bool = false) async throws -> String {
        let result = try await tmux(["capture-pane", "-p", "-t", target] + (escapes ? ["-e"] : ["-J"]) + (history ? ["-S", "-"] : []))
        if result.status != 0 { throw E2E.Failure(description: "capture-pane failed: \(result)") }
        return result.stdout
    }

    func lines() async throws -> [String] {
        try await capture().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    func resize(width: Int, height: Int) async throws {
        let result = try await tmux(["resize-window", "-t", target, "-x", String(width), "-y", String(height)])
        if result.status != 0 { throw E2E.Failure(description: "resize-window failed: \(result)") }
    }

    /// A tmux format for the pane, e.g. "#{alternate_on}".
    func display(_ format: String) async throws -> String {
        try await tmux(["display-message", "-p", "-t", target, format]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Waits until `condition` holds for the screen text (on two captures in a row, so never
    /// for a half-painted frame), polling; fails with the last screen.
    @discardableResult
    func waitUntil(
        _ what: String, timeout: TimeInterval = E2E.deadline, escapes: Bool = false, history: Bool = false,
        sourceLocation: SourceLocation = #_sourceLocation, _ condition: (String) -> Bool
    ) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        var candidate: String?
        while true {
            screen = try await capture(escapes: escapes, history: history)
            // tmux may show a frame half painted: accept a screen only when the next capture
            // shows it unchanged.
            if condition(screen) {
                if screen == candidate { return screen }
                candidate = screen
            } else {
                candidate = nil
            }
            if Date() > deadline { break }
            try await Task.sleep(for: .milliseconds(candidate == nil ? 50 : 25)) // poll until the deadline
        }
        let message = "timed out after \(Int(timeout)) s waiting for \(what); last screen:\n\(screen)"
        Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
        throw E2E.Failure(description: message)
    }

    /// Waits for every one of `texts` on screen.
    @discardableResult
    func waitFor(_ texts: String..., timeout: TimeInterval = E2E.deadline, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        try await waitUntil(texts.map { "\"\($0)\"" }.joined(separator: " and "), timeout: timeout, sourceLocation: sourceLocation) { screen in
            texts.allSatisfy { screen.contains($0) }
        }
    }

    /// Waits until none of `texts` is on screen.
    @discardableResult
    func waitForAbsence(_ texts: String..., timeout: TimeInterval = E2E.deadline, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        try await waitUntil("no " + texts.map { "\"\($0)\"" }.joined(separator: ", "), timeout: timeout, sourceLocation: sourceLocation) { screen in
            !texts.contains { screen.contains($0) }
        }
    }

    /// The console has loaded the connections list (the title shows the count).
    @discardableResult
    func waitForConnections(_ count: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        try await waitFor(" Outgoing OAuth Connections  (\(count))", sourceLocation: sourceLocation)
    }

    /// The wrapper has printed the exit status and terminal modes: the console has exited.
    /// The pane's history is included, so a small pane loses nothing to scrolling.
    func waitForExit(sourceLocation: SourceLocation = #_sourceLocation) async throws -> ExitReport {
        let screen = try await waitUntil("the console to exit (EXITED: … WRAPPER-DONE)", history: true, sourceLocation: sourceLocation) { screen in
            screen.contains("EXITED:") && screen.contains("WRAPPER-DONE")
        }
        return ExitReport(screen: screen)
    }

    /// The pid of the console process: the wrapper shell's child.
    func consolePID(sourceLocation: SourceLocation = #_sourceLocation) async throws -> Int32 {
        let shell = try await display("#{pane_pid}")
        let deadline = Date().addingTimeInterval(E2E.deadline)
        while Date() < deadline {
            if let children = try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8),
               let first = children.split(separator: " ").first, let pid = Int32(first) {
                return pid
            }
            try await Task.sleep(for: .milliseconds(50)) // poll for the child until the deadline
        }
        throw E2E.Failure(description: "no child process under the pane's shell (pid \(shell))")
    }
}

/// What the wrapper printed after the console exited.
struct ExitReport: CustomStringConvertible {
    let screen: String

    /// The number after "EXITED:" (on a terminal without an alternate screen the line may run
    /// into what the console left on that row).
    var status: Int? {
        guard let line = screen.split(separator: "\n").first(where: { $0.hasPrefix("EXITED:") }) else { return nil }
        return Int(String(line.dropFirst("EXITED:".count).prefix(while: \.isNumber)))
    }

    /// The words of `stty -a`.
    var sttyWords: Set<String> {
        guard let line = screen.split(separator: "\n").first(where: { $0.hasPrefix("STTY:") }) else { return [] }
        return Set(line.dropFirst("STTY:".count).split(whereSeparator: { $0 == " " || $0 == ";" }).map(String.init))
    }

    /// Echo and canonical input are on again (raw mode is over).
    var terminalIsSane: Bool {
        let words = sttyWords
        return words.contains("echo") && words.contains("icanon") && !words.contains("-echo") && !words.contains("-icanon")
            && words.contains("isig") && words.contains("icrnl")
    }

    var description: String { screen }
}

/// Screen text helpers.
enum ScreenText {
    /// Display columns of a string as a terminal shows it (East Asian wide characters take two).
    static func width(_ text: Substring) -> Int {
        text.unicodeScalars.reduce(0) { total, scalar in
            switch scalar.value {
            case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
                 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
                return total + 2
            case 0x300...0x36F, 0x200B...0x200F:
                return total
            default:
                return total + 1
            }
        }
    }

    /// The screen column where `needle` starts in `line`, or nil.
    static func column(of needle: String, in line: String) -> Int? {
        guard let range = line.range(of: needle) else { return nil }
        return width(line[..<range.lowerBound])
    }

    /// The lines of `screen` that contain `needle`.
    static func lines(_ screen: String, containing needle: String) -> [String] {
        screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { $0.contains(needle) }
    }

    /// Row index of the first line containing `needle`.
    static func row(of needle: String, in screen: String) -> Int? {
        screen.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(needle) }
    }

    /// SGR sequences (ESC [ … m) that set a colour: 30–37, 39 excluded; 40–47; 90–97; 100–107; 38/48 extended.
    static func colourSequences(_ screen: String) -> [String] {
        var found: [String] = []
        var rest = screen[...]
        while let start = rest.range(of: "\u{1B}[") {
            let after = rest[start.upperBound...]
            guard let end = after.firstIndex(where: { !($0.isNumber || $0 == ";" || $0 == ":") }) else { break }
            if after[end] == "m" {
                let parameters = after[..<end].split(whereSeparator: { $0 == ";" || $0 == ":" }).compactMap { Int($0) }
                if parameters.contains(where: { (30...37).contains($0) || (40...47).contains($0) || (90...97).contains($0)
                    || (100...107).contains($0) || $0 == 38 || $0 == 48 }) {
                    found.append("ESC[" + after[..<end] + "m")
                }
            }
            rest = after[end...]
        }
        return found
    }
}

/// Runs `body` with a console and always kills its tmux server afterwards.
func withConsole(
    _ workspace: Workspace, term: ConsoleSession.TerminalType = .term("xterm-256color"), environment: [String: String] = [:],
    extraArguments: [String] = [], redirect: String = "", width: Int = 100, height: Int = 30, instance: String = "",
    _ body: (ConsoleSession) async throws -> Void
) async throws {
    let session = try await ConsoleSession(workspace: workspace, term: term, environment: environment, extraArguments: extraArguments,
                                           redirect: redirect, width: width, height: height, instance: instance)
    defer { session.stop() }
    try await body(session)
}
