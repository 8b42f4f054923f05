import Foundation
import Testing

/// Runs the real `backstage` binary as a subprocess and captures what it prints.
///
/// stdin is always a Pipe (closed after the given text), so the binary never sees a terminal and
/// never prompts. stdout and stderr go to files, so neither can fill up and block the child while
/// the other is being read.
enum CLI {
    /// The directory holding the test bundle holds the `backstage` executable too (the test target
    /// depends on it in Package.swift).
    static let executable: URL? = {
        var directories: [URL] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            directories.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            directories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        directories.append(Bundle.main.bundleURL)
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        if let first = CommandLine.arguments.first {
            let url = URL(fileURLWithPath: first).resolvingSymlinksInPath()
            directories.append(url.deletingLastPathComponent())
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

    struct HarnessError: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `backstage arguments…` (or another `executable`). The child gets this process's environment without
    /// BACKSTAGE_DB and XDG_DATA_HOME (so no test can reach a real database by accident), then
    /// `environment` on top.
    static func run(
        _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], currentDirectory: URL? = nil,
        timeout: TimeInterval = 120, executable: URL? = CLI.executable
    ) async throws -> CLIResult {
        guard let executable else {
            throw HarnessError(description: "cannot find the backstage executable next to the test bundle (\(CommandLine.arguments.first ?? "?"))")
        }
        let io = FileManager.default.temporaryDirectory.appendingPathComponent("backstage-cli-io-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: io, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: io) }
        let outURL = io.appendingPathComponent("stdout")
        let errURL = io.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }

        // Written before launch, well under a pipe's capacity, then closed: the child reads the
        // text and then end-of-file, and the write can neither block nor hit a closed pipe.
        let input = Pipe()
        let bytes = Data((stdin ?? "").utf8)
        guard bytes.count < 32_768 else { throw HarnessError(description: "stdin too large for the harness") }
        try input.fileHandleForWriting.write(contentsOf: bytes)
        try input.fileHandleForWriting.close()

        var childEnvironment = ProcessInfo.processInfo.environment
        childEnvironment["BACKSTAGE_DB"] = nil
        childEnvironment["XDG_DATA_HOME"] = nil
        childEnvironment["BACKSTAGE_PROFILE"] = nil // a developer's default profile would point tests at a real server
        childEnvironment["XDG_CONFIG_HOME"] = nil
        for (key, value) in environment { childEnvironment[key] = value }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = childEnvironment
        process.standardInput = input
        process.standardOutput = outHandle
        process.standardError = errHandle
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let watched = Watched(process)

        let (status, signalled): (Int32, Bool) = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in
                continuation.resume(returning: (finished.terminationStatus, finished.terminationReason == .uncaughtSignal))
            }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
                return
            }
            // A hung child fails its test instead of hanging the whole run.
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { watched.terminateIfRunning() }
        }
        try? input.fileHandleForReading.close()
        return CLIResult(
            arguments: arguments,
            status: status,
            crashed: signalled,
            stdoutData: (try? Data(contentsOf: outURL)) ?? Data(),
            stderrData: (try? Data(contentsOf: errURL)) ?? Data())
    }

    /// Lets the watchdog reach the process from another thread.
    private final class Watched: @unchecked Sendable {
        private let process: Process
        init(_ process: Process) { self.process = process }
        func terminateIfRunning() { if process.isRunning { process.terminate() } }
    }
}

struct CLIResult: Sendable, CustomStringConvertible {
    let arguments: [String]
    let status: Int32
    /// Ended by a signal (a crash, or the watchdog).
    let crashed: Bool
    let stdoutData: Data
    let stderrData: Data

    var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    var stderr: String { String(decoding: stderrData, as: UTF8.self) }
    var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLastIfEmpty() }
    var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLastIfEmpty() }
    /// Everything the command printed, both streams.
    var allOutput: String { stdout + "\n" + stderr }
    var allBytes: Data { stdoutData + stderrData }

    var description: String {
        "backstage \(arguments.joined(separator: " ")) → status \(status)\(crashed ? " (signal)" : "")\n--- stdout:\n\(stdout)--- stderr:\n\(stderr)"
    }
}

extension Array where Element == String {
    fileprivate func dropLastIfEmpty() -> [String] { last == "" ? Array(dropLast()) : self }
}

/// A fresh temporary directory per test, with its own database path and HOME; removed when the
/// test lets go of it.
final class Sandbox: Sendable {
    let root: URL
    /// The database every `bs` call uses.
    let db: String
    let home: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("backstage-cli-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        db = root.appendingPathComponent("x.sqlite").path
        home = root.appendingPathComponent("home").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// `backstage arguments…` in the sandbox (its working directory, HOME set to it), with no
    /// `--db` added.
    func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) async throws -> CLIResult {
        var environment = environment
        if environment["HOME"] == nil { environment["HOME"] = home }
        return try await CLI.run(arguments, stdin: stdin, environment: environment, currentDirectory: root)
    }

    /// `backstage arguments… --db <sandbox db>`.
    func bs(_ arguments: [String], stdin: String? = nil) async throws -> CLIResult {
        try await run(arguments + ["--db", db], stdin: stdin)
    }

    // MARK: Fixtures

    /// Adds a client-credentials connection and returns its JSON.
    @discardableResult
    func addConnection(
        _ name: String, audiences: [String], clientId: String = "client-id",
        tokenURL: String = "https://idp.example.com/oauth/token", secret: String = "fixture-secret",
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String: Any] {
        let result = try await bs(
            ["connections", "add", "--name", name, "--client-id", clientId, "--token-url", tokenURL, "--client-secret-stdin", "--json"]
                + audiences.flatMap { ["--audience", $0] },
            stdin: secret + "\n")
        try #require(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        return try JSON.object(result.stdout, sourceLocation: sourceLocation)
    }

    /// Adds a slash command and returns its JSON.
    @discardableResult
    func addCommand(
        _ trigger: String, url: String, _ extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String: Any] {
        let result = try await bs(["commands", "add", "--trigger", trigger, "--url", url, "--json"] + extra)
        try #require(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        return try JSON.object(result.stdout, sourceLocation: sourceLocation)
    }

    /// `connections list --json` and `commands list --json`, to check that nothing was written.
    func snapshot(sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let connections = try await bs(["connections", "list", "--json"])
        let commands = try await bs(["commands", "list", "--json"])
        try #require(connections.status == 0, "\(connections)", sourceLocation: sourceLocation)
        try #require(commands.status == 0, "\(commands)", sourceLocation: sourceLocation)
        return connections.stdout + commands.stdout
    }
}

enum JSON {
    static func parse(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Any {
        do {
            return try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            Issue.record("not JSON: \(text)", sourceLocation: sourceLocation)
            throw error
        }
    }

    static func object(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        try #require(try parse(text, sourceLocation: sourceLocation) as? [String: Any], "not a JSON object: \(text)", sourceLocation: sourceLocation)
    }

    static func array(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        try #require(try parse(text, sourceLocation: sourceLocation) as? [[String: Any]], "not a JSON array of objects: \(text)", sourceLocation: sourceLocation)
    }
}

extension Dictionary where Key == String, Value == Any {
    func string(_ key: String) -> String? { self[key] as? String }
    func int(_ key: String) -> Int64? { (self[key] as? NSNumber)?.int64Value }
    func object(_ key: String) -> [String: Any]? { self[key] as? [String: Any] }
    func strings(_ key: String) -> [String]? { self[key] as? [String] }

    /// Equal as JSON values, ignoring the given keys (compared through their canonical
    /// serialisation, which also keeps booleans and numbers apart).
    func sameJSON(as other: [String: Any], ignoring ignored: Set<String> = []) -> Bool {
        func canonical(_ object: [String: Any]) -> Data? {
            try? JSONSerialization.data(withJSONObject: object.filter { !ignored.contains($0.key) }, options: [.sortedKeys])
        }
        guard let mine = canonical(self), let theirs = canonical(other) else { return false }
        return mine == theirs
    }
}

/// The checks every failing command shares: the status, one line on stderr starting with
/// `prefix` (and holding `fragment`), nothing on stdout, no crash.
func expectFailure(
    _ result: CLIResult, status: Int32, prefix: String, containing fragment: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(result.status == status, "\(result)", sourceLocation: sourceLocation)
    #expect(!result.crashed, "\(result)", sourceLocation: sourceLocation)
    #expect(result.stderrLines.count == 1, "expected one line on stderr: \(result)", sourceLocation: sourceLocation)
    #expect(result.stderr.hasPrefix(prefix), "\(result)", sourceLocation: sourceLocation)
    if let fragment {
        #expect(result.stderr.contains(fragment), "expected \"\(fragment)\" in: \(result)", sourceLocation: sourceLocation)
    }
    #expect(result.stdout.isEmpty, "expected nothing on stdout: \(result)", sourceLocation: sourceLocation)
}

/// Mattermost's `NewId` shape: 26 lowercase letters and digits.
func isMattermostID(_ text: String?) -> Bool {
    guard let text else { return false }
    return text.count == 26 && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
}

enum Exit {
    static let success: Int32 = 0
    static let invalidInput: Int32 = 2
    static let notFound: Int32 = 3
    static let conflict: Int32 = 4
    static let unusableDatabase: Int32 = 5
    static let remoteFailure: Int32 = 6
    static let commandFailed: Int32 = 7
    static let notAllowed: Int32 = 8
    static let notAvailable: Int32 = 9
    static let usage: Int32 = 64
    static let temporaryFailure: Int32 = 75
}
