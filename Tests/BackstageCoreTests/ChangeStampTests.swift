import Foundation
import GRDB
import Testing
@testable import BackstageCore

/// The console's cheap "did anyone else change the file?" question (PRAGMA data_version).
@Suite("Change stamp")
struct ChangeStampTests {
    @Test func movesWhenAnotherConnectionCommitsAndNotOnOurOwnWork() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.file("db.sqlite")
        let console = try SQLiteStore(path: path)
        let opened = try #require(try await console.changeStamp())

        // The console's own reads and writes leave it where it was: its own saves reload anyway.
        let mine = try await console.createConnection(SQLiteStoreTests.draft("Mine"))
        _ = try await console.listConnections()
        _ = try await console.connection(id: mine.id)
        _ = try await console.listCommands(teamId: nil)
        var renamed = mine
        renamed.name = "Mine v2"
        _ = try await console.updateConnection(renamed, basedOn: mine.updateAt)
        try await console.recordValidation(connectionId: mine.id, .validatedNow())
        #expect(try await console.changeStamp() == opened)

        // Another store on the same file (the CLI is one) commits: the stamp moves, once.
        let cli = try SQLiteStore(path: path)
        let cliOpened = try await cli.changeStamp()
        _ = try await cli.createConnection(SQLiteStoreTests.draft("From the CLI", audiences: ["https://cli.example.com/"]))
        let afterAdd = try #require(try await console.changeStamp())
        #expect(afterAdd != opened)
        #expect(try await console.changeStamp() == afterAdd)
        #expect(try await cli.changeStamp() == cliOpened) // the writer's own stamp stays

        // Reads by the other connection change nothing; its delete does.
        _ = try await cli.listConnections()
        #expect(try await console.changeStamp() == afterAdd)
        try await cli.deleteConnection(id: mine.id)
        let afterDelete = try #require(try await console.changeStamp())
        #expect(afterDelete != afterAdd)

        // Any writer counts, not only backstage: a plain SQLite connection, as another process has.
        let raw = try DatabaseQueue(path: path)
        try await raw.write { db in try db.execute(sql: "UPDATE outgoing_oauth_connections SET name = 'raw'") }
        #expect(try await console.changeStamp() != afterDelete)
        try raw.close()
    }

    @Test func aLoggedStoreAsksTheStoreItWrapsAndAServerCannotTell() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let store = try SQLiteStore(path: folder.file("db.sqlite"))
        let logged = LoggedStore(store, log: try ActivityLog(path: folder.file("activity.log")))
        let before = try #require(try await logged.changeStamp())
        _ = try await SQLiteStore(path: folder.file("db.sqlite")).createConnection(SQLiteStoreTests.draft())
        #expect(try await logged.changeStamp() != before)
        // A read-only admin's console sees the change too.
        let readOnly = ReadOnlyStore(logged, actor: "bob")
        let seen = try #require(try await readOnly.changeStamp())
        _ = try await SQLiteStore(path: folder.file("db.sqlite")).createConnection(SQLiteStoreTests.draft("Second", audiences: ["https://second.example.com/"]))
        #expect(try await readOnly.changeStamp() != seen)

        let http = OutboundHTTP()
        let server = MattermostStore(server: "http://127.0.0.1:9", token: Secret("pat"), team: Team(id: "t", name: "ops"), http: http)
        #expect(try await server.changeStamp() == nil) // the console reloads a server now and then instead
        await http.shutdown()
    }
}

/// Who saved an item last, as the conflict dialog names them (`--actor`, `backstage serve`).
@Suite("Changed by")
struct ChangedByTests {
    @Test func eachSaveRecordsItsActorAndAnUnnamedSaveClearsIt() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.file("db.sqlite")
        let alice = try SQLiteStore(path: path, actor: "alice")
        let bob = try SQLiteStore(path: path, actor: "bob")
        let nobody = try SQLiteStore(path: path)
        let created = try await alice.createConnection(SQLiteStoreTests.draft())
        #expect(try await nobody.connection(id: created.id).changedBy == "alice")
        var edited = try await bob.connection(id: created.id)
        edited.name = "Payroll (bob)"
        let saved = try await bob.updateConnection(edited, basedOn: edited.updateAt)
        #expect(try await alice.listConnections().first?.changedBy == "bob")
        var again = saved
        again.name = "Payroll"
        _ = try await nobody.updateConnection(again, basedOn: saved.updateAt)
        #expect(try await alice.connection(id: created.id).changedBy == nil, "an unnamed save is not someone else's")

        let team = try await alice.team(named: "main", createIfMissing: true)
        let command = try await alice.createCommand(SlashCommand(teamId: team.id, trigger: "pay", url: "https://api.example.com/pay"))
        #expect(try await bob.command(id: command.id).changedBy == "alice")
        _ = try await bob.regenerateCommandToken(id: command.id)
        #expect(try await nobody.listCommands(teamId: nil).first?.changedBy == "bob")
        // Never in Mattermost's JSON.
        let json = String(decoding: try JSONEncoder().encode(try await nobody.command(id: command.id)), as: UTF8.self)
        #expect(!json.contains("bob") && !json.contains("changed"))
    }
}

extension ChangedByTests {
    @Test func aRefusedUpdateNamesWhoSavedTheStoredVersion() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.file("db.sqlite")
        let alice = try SQLiteStore(path: path, actor: "alice")
        let bob = try SQLiteStore(path: path, actor: "bob")
        let created = try await bob.createConnection(SQLiteStoreTests.draft())
        var mine = created
        mine.name = "Payroll (bob)"
        var theirs = created
        theirs.name = "Payroll (alice)"
        let saved = try await alice.updateConnection(theirs, basedOn: created.updateAt)
        await #expect(throws: StoreError.conflict(kind: "outgoing OAuth connection", name: "Payroll (alice)", expected: created.updateAt,
                                                  actual: saved.updateAt, by: "alice")) {
            _ = try await bob.updateConnection(mine, basedOn: created.updateAt)
        }
        let error = StoreError.conflict(kind: "outgoing OAuth connection", name: "Payroll", expected: 1, actual: 2, by: "alice")
        #expect(error.description.contains("was changed by alice since you loaded it"))
    }
}
