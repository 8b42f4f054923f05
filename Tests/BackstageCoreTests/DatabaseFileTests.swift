import Foundation
import GRDB
import Testing
@testable import BackstageCore

@Suite("Database file")
struct DatabaseFileTests {
    @Test func aNewDatabaseIsPrivate() throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.file("deep/er/backstage.sqlite")
        _ = try SQLiteStore(path: path, createsDirectory: true)
        #expect(permissions(folder.file("deep")) == 0o700)
        #expect(permissions(folder.file("deep/er")) == 0o700)
        #expect(permissions(path) == 0o600)
    }

    /// Only the default location's directory is made; elsewhere a missing one is refused, named.
    @Test func aChosenFileInAMissingDirectoryIsRefused() throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.file("typo/backstage.sqlite")
        #expect(throws: StoreError.unusable(path: path, reason: "the directory \(folder.file("typo")) does not exist; create it, or choose a file in an existing directory (backstage creates only its default data directory)")) {
            _ = try SQLiteStore(path: path)
        }
        #expect(!FileManager.default.fileExists(atPath: folder.file("typo")))
    }

    @Test func onlyTheDataDirectoryDefaultMayCreateItsDirectory() {
        let home = ["HOME": "/home/a"]
        #expect(DatabaseFile.location(option: nil, environment: home) == ("/home/a/.local/share/backstage/backstage.sqlite", true))
        #expect(DatabaseFile.location(option: "/x/y.sqlite", environment: home) == ("/x/y.sqlite", false))
        #expect(DatabaseFile.location(option: nil, environment: home.merging(["BACKSTAGE_DB": "/e.sqlite"]) { $1 }) == ("/e.sqlite", false))
        #expect(DatabaseFile.location(option: nil, environment: home.merging(["BACKSTAGE_DB": ""]) { $1 }).createsDirectory)
    }

    @Test func theDefaultPathFollowsXDG() {
        #expect(DatabaseFile.defaultPath(environment: ["HOME": "/home/a"]) == "/home/a/.local/share/backstage/backstage.sqlite")
        #expect(DatabaseFile.defaultPath(environment: ["HOME": "/home/a", "XDG_DATA_HOME": "/data"]) == "/data/backstage/backstage.sqlite")
        #expect(DatabaseFile.defaultPath(environment: ["HOME": "/home/a", "XDG_DATA_HOME": "relative"]) == "/home/a/.local/share/backstage/backstage.sqlite")
        #expect(DatabaseFile.defaultPath(environment: ["HOME": "/home/a", "BACKSTAGE_DB": "/x.sqlite"]) == "/x.sqlite")
    }

    @Test func aFileThatIsNotOursIsRefusedAndLeftUntouched() throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let text = folder.file("notes.txt")
        try Data("my notes, not a database\n".utf8).write(to: URL(fileURLWithPath: text))
        #expect(throws: StoreError.notABackstageDatabase(path: text, reason: "not an SQLite file")) { _ = try SQLiteStore(path: text) }
        #expect(Bool(bytes(text) == Data("my notes, not a database\n".utf8)), "the text file was modified")

        let other = folder.file("other.sqlite")
        let queue = try DatabaseQueue(path: other)
        try queue.write { db in try db.execute(sql: "CREATE TABLE mine (x); INSERT INTO mine VALUES (1)") }
        try queue.close()
        let before = bytes(other)
        #expect(throws: StoreError.notABackstageDatabase(path: other, reason: "an SQLite database that backstage did not create")) {
            _ = try SQLiteStore(path: other)
        }
        #expect(Bool(bytes(other) == before), "the foreign database was modified")

        #expect(throws: StoreError.unusable(path: folder.path, reason: "it is a directory")) { _ = try SQLiteStore(path: folder.path) }
    }

    @Test func anEmptyFileBecomesADatabase() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.file("empty.sqlite")
        FileManager.default.createFile(atPath: path, contents: Data())
        let store = try SQLiteStore(path: path)
        #expect(try await store.listConnections().isEmpty)
    }

    @Test func aCorruptDatabaseGivesAClearErrorAndStaysAsItWas() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.file("db.sqlite")
        let store = try SQLiteStore(path: path)
        for index in 0..<50 {
            _ = try await store.createConnection(SQLiteStoreTests.draft("c\(index)", audiences: ["https://x\(index).example.com/"]))
        }
        try store.close()
        #expect(bytes(path + "-wal").isEmpty) // everything is in the main file
        // Keep the header (so it still looks like ours) and scramble every page after the first.
        var data = bytes(path)
        #expect(data.count > 8192)
        for index in 4096..<data.count { data[index] = UInt8(truncatingIfNeeded: index &* 31) }
        try data.write(to: URL(fileURLWithPath: path))
        let before = bytes(path)
        var message = ""
        do {
            let store = try SQLiteStore(path: path)
            _ = try await store.listConnections()
        } catch let error as StoreError {
            message = error.description
        }
        #expect(message.contains("corrupt"), "\(message)")
        #expect(Bool(bytes(path) == before), "the corrupt file was modified")
    }

    @Test func aNewerSchemaIsRefused() throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.file("db.sqlite")
        _ = try SQLiteStore(path: path)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v999-from-the-future')") }
        try queue.close()
        #expect(throws: StoreError.newerSchema(path: path)) { _ = try SQLiteStore(path: path) }
    }

    @Test func twoStoresOnOneFileDoNotLockEachOtherOut() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.file("db.sqlite")
        let first = try SQLiteStore(path: path)
        let second = try SQLiteStore(path: path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                let store = index % 2 == 0 ? first : second
                group.addTask {
                    _ = try await store.createConnection(SQLiteStoreTests.draft("c\(index)", audiences: ["https://x\(index).example.com/"]))
                }
            }
            try await group.waitForAll()
        }
        #expect(try await first.listConnections().count == 40)
    }
}
