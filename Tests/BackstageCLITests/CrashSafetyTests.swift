import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// kill -9 in the middle of a run of saves loses no save that returned, tears none, and leaves a
/// database that opens and passes SQLite's integrity check.
@Suite("crash safety")
struct CrashSafetyTests {
    /// `backstage-bench` is built beside `backstage` (the test target depends on both).
    static var bench: URL? {
        guard let backstage = CLI.executable else { return nil }
        let url = backstage.deletingLastPathComponent().appendingPathComponent("backstage-bench")
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
    }

    /// `sqlite3 db sql`, one output line per row.
    static func sqlite(_ db: String, _ sql: String) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [db, sql]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test func killNineDuringOneThousandSavesLosesNothingThatReturned() async throws {
        let bench = try #require(Self.bench, "backstage-bench not found beside \(CLI.executable?.path ?? "?")")
        let sandbox = try Sandbox()
        let printedPath = sandbox.path("printed-ids")
        _ = FileManager.default.createFile(atPath: printedPath, contents: nil)
        let printed = try FileHandle(forWritingTo: URL(fileURLWithPath: printedPath))
        defer { try? printed.close() }

        // Kill as soon as at least 50 saves have returned: mid-run, mid-transaction most likely.
        // Watched from a thread of its own, so a busy test pool cannot delay the kill.
        @Sendable func returnedIDs() -> [String] {
            let text = (try? String(contentsOfFile: printedPath, encoding: .utf8)) ?? ""
            // Only whole lines: a line is written after its save returned.
            return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        }
        let process = Process()
        process.executableURL = bench
        process.arguments = ["saves", "--db", sandbox.db, "--count", "1000"]
        process.standardOutput = printed
        process.standardError = FileHandle.nullDevice
        let killed: Bool = try await withCheckedThrowingContinuation { continuation in
            let watcher = Thread {
                do { try process.run() } catch { return continuation.resume(throwing: error) }
                let deadline = Date().addingTimeInterval(60)
                while returnedIDs().count < 50 && process.isRunning && Date() < deadline {
                    usleep(500) // poll the printed ids until the deadline
                }
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                continuation.resume(returning: process.terminationReason == .uncaughtSignal)
            }
            watcher.start()
        }
        try #require(killed, "the saves finished (status \(process.terminationStatus)) before the kill; nothing was proven")
        let ids = returnedIDs()
        try #require(ids.count >= 50 && ids.count < 1000, "kill landed after \(ids.count) saves")
        #expect(ids.allSatisfy(isMattermostID), "\(ids.prefix(3))")

        // The real CLI opens the killed database and lists every save that returned.
        let list = try await sandbox.bs(["connections", "list", "--json"])
        try #require(list.status == 0, "\(list)")
        let stored = Set(try JSON.array(list.stdout).compactMap { $0.string("id") })
        let lost = ids.filter { !stored.contains($0) }
        #expect(lost.isEmpty, "\(lost.count) of \(ids.count) returned saves are gone: \(lost.prefix(5))")
        // At most the one save that committed before it could print its id is extra.
        #expect(stored.count - ids.count <= 1, "stored \(stored.count), returned \(ids.count)")

        #expect(try Self.sqlite(sandbox.db, "PRAGMA integrity_check") == ["ok"])
        // No torn save: every connection has its audience and its secret row.
        #expect(try Self.sqlite(sandbox.db, """
            SELECT count(*) FROM outgoing_oauth_connections c
            WHERE NOT EXISTS (SELECT 1 FROM connection_audiences a WHERE a.connection_id = c.id)
               OR NOT EXISTS (SELECT 1 FROM connection_secrets s WHERE s.connection_id = c.id)
            """) == ["0"])
        // And it still takes writes.
        try await sandbox.addConnection("after the crash", audiences: ["https://after.example.com/*"])
    }
}
