import Foundation
import GRDB
import Testing
@testable import BackstageCore

/// When a commit reaches the disk (`SQLiteStore.Durability`): the console syncs each one; a
/// one-shot CLI command leaves them in the log and syncs once, on close.
@Suite("Store durability")
struct StoreDurabilityTests {
    private static func synchronous(_ store: SQLiteStore) async throws -> Int? {
        try await store.reading { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
    }

    @Test func eachCommitIsSyncedUnlessTheStoreSyncsWhenClosed() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.file("db.sqlite")
        // SQLite's FULL (2) syncs the log at every commit; NORMAL (1) in WAL mode only at checkpoints.
        #expect(try await Self.synchronous(SQLiteStore(path: path)) == 2)
        #expect(try await Self.synchronous(SQLiteStore(path: path, durability: .eachCommit)) == 2)
        #expect(try await Self.synchronous(SQLiteStore(path: path, durability: .whenClosed)) == 1)
    }

    @Test func closingAStoreThatSyncsWhenClosedLeavesEverythingInTheFile() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.file("db.sqlite")
        do {
            let store = try SQLiteStore(path: path, durability: .whenClosed)
            _ = try await store.createConnection(SQLiteStoreTests.draft("Kept"))
        } // released as a CLI command releases it, without `close()`
        // Checkpointed into the database file itself: the log is gone or empty, so a copy of the
        // file alone holds the connection.
        let log = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        #expect(log == 0)
        let copy = folder.file("copy.sqlite")
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        let reopened = try SQLiteStore(path: copy)
        #expect(try await reopened.listConnections().map(\.name) == ["Kept"])
    }
}
