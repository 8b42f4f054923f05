import Foundation
import Synchronization
import Testing
@testable import BackstageCore

/// The activity log's and the read-only admin's stores pass the indexed reads through to the store
/// they wrap (WrappingStore), instead of falling back to reading whole lists.
@Suite("Wrapping stores")
struct WrappingStoreTests {
    /// Counts the whole-list reads that reach it; everything else goes on to SQLite.
    final class ListCounter: WrappingStore, @unchecked Sendable {
        let inner: any Store
        let wholeLists = Mutex(0)
        init(_ inner: any Store) { self.inner = inner }

        func listConnections() async throws -> [OutgoingOAuthConnection] {
            wholeLists.withLock { $0 += 1 }
            return try await inner.listConnections()
        }
        func listCommands(teamId: String?) async throws -> [SlashCommand] {
            wholeLists.withLock { $0 += 1 }
            return try await inner.listCommands(teamId: teamId)
        }
        func createConnection(_ connection: OutgoingOAuthConnection) async throws -> OutgoingOAuthConnection { try await inner.createConnection(connection) }
        func updateConnection(_ connection: OutgoingOAuthConnection, basedOn updateAt: Int64) async throws -> OutgoingOAuthConnection {
            try await inner.updateConnection(connection, basedOn: updateAt)
        }
        func deleteConnection(id: String) async throws { try await inner.deleteConnection(id: id) }
        func recordValidation(connectionId: String, _ record: ValidationRecord) async throws { try await inner.recordValidation(connectionId: connectionId, record) }
        func team(named name: String, createIfMissing: Bool) async throws -> Team { try await inner.team(named: name, createIfMissing: createIfMissing) }
        func createCommand(_ command: SlashCommand) async throws -> SlashCommand { try await inner.createCommand(command) }
        func updateCommand(_ command: SlashCommand, basedOn updateAt: Int64) async throws -> SlashCommand { try await inner.updateCommand(command, basedOn: updateAt) }
        func deleteCommand(id: String) async throws { try await inner.deleteCommand(id: id) }
        func regenerateCommandToken(id: String) async throws -> SlashCommand { try await inner.regenerateCommandToken(id: id) }
        func importItems(connections: [OutgoingOAuthConnection], commands: [SlashCommand]) async throws {
            try await inner.importItems(connections: connections, commands: commands)
        }
    }

    @Test func indexedReadsGoThroughEveryWrapperWithoutWholeLists() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let sqlite = try SQLiteStore(path: folder.file("db.sqlite"))
        let weather = try await sqlite.createConnection(SQLiteStoreTests.draft("Weather", audiences: ["https://weather.example.com/*"]))
        let counter = ListCounter(sqlite)
        let log = try ActivityLog(path: folder.file("activity.log"), actor: "alice")
        for store: any Store in [ReadOnlyStore(counter, actor: "bob"), LoggedStore(counter, log: log), LoggedStore(ReadOnlyStore(counter, actor: nil), log: log)] {
            let resolution = try await store.resolveAudience("https://weather.example.com/today")
            #expect(resolution.connection?.id == weather.id)
            #expect(try await store.findConnection("weather").id == weather.id)
            _ = try await store.overlapPeers(of: weather)
            _ = try await store.usageInventory(of: weather)
            #expect(try await store.changeStamp() != nil)
            #expect(store.location == sqlite.location)
        }
        #expect(counter.wholeLists.withLock { $0 } == 0)
        // Whole lists still pass through when asked for.
        _ = try await ReadOnlyStore(counter, actor: nil).listConnections()
        #expect(counter.wholeLists.withLock { $0 } == 1)
    }
}
