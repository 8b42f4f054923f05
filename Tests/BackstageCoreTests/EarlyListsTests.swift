import Foundation
import GRDB
import Testing
@testable import BackstageCore

/// The console's first frame reads a local file's lists on a connection of its own, before GRDB
/// opens it (`SQLiteStore.earlyLists`, issue 18): the same lists the store gives, or nothing
/// when the file is not one this version reads as it is.
@Suite("Early lists of a local file")
struct EarlyListsTests {
    /// Connections and commands of every shape, saved through the store.
    static func filledStore(_ path: String) async throws -> (SQLiteStore, [OutgoingOAuthConnection], [SlashCommand]) {
        let store = try SQLiteStore(path: path, actor: "ops@example.com")
        var connections: [OutgoingOAuthConnection] = []
        for (index, name) in ["Zeta", "alpha", "Échec", "配置", "Alpha"].enumerated() {
            var draft = OutgoingOAuthConnection(name: name, clientId: "client-\(index)", clientSecret: Secret("s\(index)"),
                                                oauthTokenURL: "https://idp\(index).example.com/token",
                                                audiences: (0...index).map { "https://svc\(index).example.com/p\($0)/*" })
            if index == 3 { draft.audiences.append("https://exact.example.com/only") }
            connections.append(try await store.createConnection(draft))
        }
        try await store.recordValidation(connectionId: connections[1].id, ValidationRecord(at: 1_700_000_000_000, ok: false, message: "invalid_client (401)"))
        try await store.recordValidation(connectionId: connections[2].id, ValidationRecord(at: 1_700_000_000_001, ok: true, message: ""))
        let main = try await store.team(named: Team.defaultName, createIfMissing: true)
        let other = try await store.team(named: "ops", createIfMissing: true)
        var commands: [SlashCommand] = []
        for (index, trigger) in ["deploy", "build", "ship_it", "deploy"].enumerated() {
            var draft = SlashCommand(teamId: index == 3 ? other.id : main.id, trigger: trigger, method: index % 2 == 0 ? .post : .get,
                                     username: index == 1 ? "bot" : "", autoComplete: index == 2, autoCompleteDesc: index == 2 ? "Ships it" : "",
                                     displayName: "Title \(index) 配置", url: "https://svc\(index).example.com/p0/run")
            draft.description = "Described \(index)"
            commands.append(try await store.createCommand(draft))
        }
        return (store, connections, commands)
    }

    @Test func theEarlyListsAreTheStoresLists() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.file("db.sqlite")
        let (store, connections, commands) = try await Self.filledStore(path)
        let early = try #require(SQLiteStore.earlyLists(path: path))
        #expect(early.connections == (try await store.listConnections()))
        #expect(early.commands == (try await store.listCommands(teamId: nil)))
        #expect(early.teams == (try await store.listTeams()))
        // What was saved, not only what the store reads: every field, in the list's order.
        let validated = try await store.connection(id: connections[1].id)
        #expect(validated.lastValidation == ValidationRecord(at: 1_700_000_000_000, ok: false, message: "invalid_client (401)"))
        #expect(early.connections.map(\.name) == ["alpha", "Alpha", "Zeta", "Échec", "配置"]) // the store's order (ASCII letter case folded)
        #expect(Set(early.connections.map(\.id)) == Set(connections.map(\.id)))
        for saved in connections {
            let read = try #require(early.connections.first { $0.id == saved.id })
            #expect(read.audiences == saved.audiences && read.clientId == saved.clientId && read.oauthTokenURL == saved.oauthTokenURL)
            #expect(read.changedBy == "ops@example.com" && read.clientSecret == nil && read.createAt == saved.createAt)
        }
        #expect(early.connections.first { $0.id == connections[2].id }?.lastValidation?.ok == true)
        #expect(early.connections.first { $0.id == connections[0].id }?.lastValidation == nil)
        for saved in commands {
            let read = try #require(early.commands.first { $0.id == saved.id })
            #expect(read == saved, "\(read) != \(saved)")
        }
        #expect(early.commands.map(\.trigger) == ["build", "deploy", "deploy", "ship_it"])
    }

    @Test func nothingIsReadFromAFileThisVersionDoesNotReadAsItIs() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        // No file yet: none is made.
        let absent = folder.file("absent.sqlite")
        #expect(SQLiteStore.earlyLists(path: absent) == nil)
        #expect(!FileManager.default.fileExists(atPath: absent))
        // Someone else's database: not opened at all, so no log or index file appears beside it.
        let foreign = folder.file("foreign.sqlite")
        let queue = try DatabaseQueue(path: foreign)
        try await queue.write { try $0.execute(sql: "CREATE TABLE outgoing_oauth_connections (id TEXT)") }
        try queue.close()
        let before = bytes(foreign)
        #expect(SQLiteStore.earlyLists(path: foreign) == nil)
        #expect(bytes(foreign) == before)
        #expect(!FileManager.default.fileExists(atPath: foreign + "-wal") && !FileManager.default.fileExists(atPath: foreign + "-shm"))
        // An empty file.
        let empty = folder.file("empty.sqlite")
        FileManager.default.createFile(atPath: empty, contents: Data())
        #expect(SQLiteStore.earlyLists(path: empty) == nil)
        // A newer backstage's file: the store refuses it and says why; the early read leaves it to it.
        let newer = folder.file("newer.sqlite")
        let (store, _, _) = try await Self.filledStore(newer)
        try store.close()
        let writer = try DatabaseQueue(path: newer)
        try await writer.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')") }
        try writer.close()
        #expect(SQLiteStore.earlyLists(path: newer) == nil)
        #expect(throws: StoreError.self) { try SQLiteStore(path: newer) }
    }

    /// A file an older version made (before `changed_by`): the early read gives nothing, and the
    /// store's open migrates it and reads the lists as ever.
    /// The early read knows a file's migrations by the identifiers GRDB's migrator records.
    @Test func theEarlyReadKnowsTheMigratorsMigrations() {
        #expect(SQLiteSchema.identifiers == SQLiteSchema.migrator.migrations)
        #expect(SQLiteSchema.identifiers.first == "v1" && SQLiteSchema.identifiers.count == 5)
    }

    @Test func anOlderFileIsLeftToTheStoresMigration() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.file("old.sqlite")
        let queue = try DatabaseQueue(path: path)
        try SQLiteSchema.migrator.migrate(queue, upTo: "v3-audiences-by-position")
        try await queue.write { db in
            try db.execute(sql: "INSERT INTO outgoing_oauth_connections (id, creator_id, create_at, update_at, name, client_id, oauth_token_url, grant_type) VALUES ('c1', 'u', 1, 1, 'Legacy', 'c', 'https://idp.example.com/token', 'client_credentials')")
            try db.execute(sql: "INSERT INTO connection_audiences (connection_id, audience, position) VALUES ('c1', 'https://legacy.example.com/*', 0)")
        }
        try queue.close()
        #expect(SQLiteStore.earlyLists(path: path) == nil)
        let store = try SQLiteStore(path: path)
        #expect(try await store.listConnections().map(\.name) == ["Legacy"])
        #expect(SQLiteStore.earlyLists(path: path)?.connections.map(\.audiences) == [["https://legacy.example.com/*"]])
    }

    /// A file no connection has open is read without a log, an index file or locks: nothing
    /// appears beside it and its bytes stay the same; the lists are the store's.
    @Test func aQuietFileIsReadAsItIsWithNothingBesideIt() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        // Characters a URI would read otherwise, in the folder and the file's name.
        let odd = folder.file("a b?c#d%25e 配置")
        try FileManager.default.createDirectory(atPath: odd, withIntermediateDirectories: true)
        let path = odd + "/db?.sqlite"
        let (store, _, _) = try await Self.filledStore(path)
        let expected = SQLiteStore.Lists(connections: try await store.listConnections(), commands: try await store.listCommands(teamId: nil),
                             teams: try await store.listTeams())
        try store.close()
        #expect(!FileManager.default.fileExists(atPath: path + "-wal") && !FileManager.default.fileExists(atPath: path + "-shm"))
        let header = try #require(DatabaseFile.oursHeader(path))
        #expect(QuietFile(path: path, header: header) != nil)
        let before = bytes(path)
        let early = try #require(SQLiteStore.earlyLists(path: path))
        #expect(early.connections == expected.connections && early.commands == expected.commands && early.teams == expected.teams)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal") && !FileManager.default.fileExists(atPath: path + "-shm"))
        #expect(bytes(path) == before)
    }

    /// A file with a log beside it is in use (or was left by a crash): what the log holds counts,
    /// so it is read with SQLite's locks, as before.
    @Test func aFileWithALogIsNotQuiet() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.file("db.sqlite")
        let (store, _, _) = try await Self.filledStore(path)
        let header = try #require(DatabaseFile.oursHeader(path))
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        #expect(QuietFile(path: path, header: header) == nil)
        // Written after the file was read: in the log only, and in the early lists.
        let added = try await store.createConnection(OutgoingOAuthConnection(name: "Late", clientId: "c", clientSecret: Secret("s"),
                                                                               oauthTokenURL: "https://idp.example.com/token", audiences: ["https://late.example.com/*"]))
        #expect(SQLiteStore.earlyLists(path: path)?.connections.contains { $0.id == added.id } == true)
        // A rollback journal beside it, or a header that is not a log's: not quiet either.
        try store.close()
        let quietHeader = try #require(DatabaseFile.oursHeader(path))
        #expect(QuietFile(path: path, header: quietHeader) != nil)
        FileManager.default.createFile(atPath: path + "-journal", contents: Data())
        #expect(QuietFile(path: path, header: quietHeader) == nil)
        try FileManager.default.removeItem(atPath: path + "-journal")
        var rollback = quietHeader
        rollback[18] = 1
        rollback[19] = 1
        #expect(QuietFile(path: path, header: rollback) == nil)
    }

    /// What was read without locks counts only if nothing opened the file meanwhile: a log that
    /// appeared, or a main file written, replaced or resized, and it is read again with locks.
    @Test func aFileOpenedDuringTheReadIsNoLongerQuiet() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.file("db.sqlite")
        let (store, _, _) = try await Self.filledStore(path)
        try store.close()
        let header = try #require(DatabaseFile.oursHeader(path))
        // A connection that opened the file and is still there.
        var quiet = try #require(QuietFile(path: path, header: header))
        #expect(quiet.isStillQuiet)
        FileManager.default.createFile(atPath: path + "-wal", contents: Data())
        #expect(!quiet.isStillQuiet)
        try FileManager.default.removeItem(atPath: path + "-wal")
        // One that came, wrote and went: its log is in the main file now, and gone.
        quiet = try #require(QuietFile(path: path, header: header))
        let writer = try SQLiteStore(path: path)
        _ = try await writer.createConnection(OutgoingOAuthConnection(name: "Meanwhile", clientId: "c", clientSecret: Secret("s"),
                                                                      oauthTokenURL: "https://idp.example.com/token",
                                                                      audiences: (0..<200).map { "https://svc.example.com/\($0)/*" }))
        try writer.close()
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        #expect(!quiet.isStillQuiet)
        // Replaced by another file of the same size.
        quiet = try #require(QuietFile(path: path, header: header))
        let copy = folder.file("copy.sqlite")
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        #expect(rename(copy, path) == 0)
        #expect(!quiet.isStillQuiet)
        #expect(SQLiteStore.earlyLists(path: path)?.connections.contains { $0.name == "Meanwhile" } == true)
    }

    @Test func aPathBecomesAURIThatNamesTheSameFile() {
        #expect(QuietFile.uri("/tmp/a b/db.sqlite") == "file:///tmp/a%20b/db.sqlite")
        #expect(QuietFile.uri("//srv/x?y#z%") == "file:////srv/x%3Fy%23z%25")
        #expect(QuietFile.uri("relative/配.sqlite") == "file:relative/%E9%85%8D.sqlite")
        #expect(QuietFile.uri("a:b") == "file:a%3Ab")
    }

    /// The console ended while a large file was read: the read stops and gives nothing.
    @Test func anInterruptedReadGivesNothing() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.file("db.sqlite")
        _ = try await Self.filledStore(path)
        let interruption = ReadInterruption()
        interruption.interrupt()
        #expect(SQLiteStore.earlyLists(path: path, interruption: interruption) == nil)
        #expect(SQLiteStore.earlyLists(path: path, interruption: ReadInterruption())?.connections.count == 5)
    }
}
