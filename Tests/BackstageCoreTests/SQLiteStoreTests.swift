import Foundation
import GRDB
import Testing
@testable import BackstageCore

@Suite("SQLite store")
struct SQLiteStoreTests {
    static func draft(_ name: String = "Payroll", audiences: [String] = ["https://api.example.com/payroll/*"]) -> OutgoingOAuthConnection {
        OutgoingOAuthConnection(name: name, clientId: "client", clientSecret: Secret("s3cret-\(name)"),
                                oauthTokenURL: "https://idp.example.com/token", audiences: audiences)
    }

    /// Every item is created by the file's one local user, whichever way it is saved and after
    /// the file is opened again (the id is read when a save needs it, not when the file opens).
    @Test func everyItemIsCreatedByTheFilesLocalUser() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.file("db.sqlite")
        let first = try await SQLiteStore(path: path).createConnection(Self.draft("One", audiences: ["https://one.example.com/*"]))
        let store = try SQLiteStore(path: path)
        try await store.importItems(connections: [Self.draft("Two", audiences: ["https://two.example.com/*"])], commands: [])
        let local = try await store.reading { db in try String.fetchOne(db, sql: "SELECT value FROM backstage_meta WHERE key = 'local_user_id'") }
        #expect(MattermostID.isValid(first.creatorId))
        #expect(try await store.listConnections().map(\.creatorId) == [first.creatorId, first.creatorId])
        #expect(local == first.creatorId)
    }

    @Test func connectionsRoundTripWithoutSecrets() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let store = try SQLiteStore(path: folder.file("db.sqlite"))
        let saved = try await store.createConnection(Self.draft())
        #expect(MattermostID.isValid(saved.id))
        #expect(MattermostID.isValid(saved.creatorId))
        #expect(saved.createAt > 1_600_000_000_000 && saved.createAt == saved.updateAt)
        #expect(saved.clientSecret == nil)

        let listed = try await store.listConnections()
        #expect(listed == [saved])
        #expect(listed[0].clientSecret == nil && listed[0].credentialsPassword == nil)
        #expect(try await store.connection(id: saved.id) == saved)
        #expect(try await store.credentials(forConnection: saved.id).clientSecret.revealForTransmission() == "s3cret-Payroll")

        // Reopening finds the same data.
        let reopened = try SQLiteStore(path: folder.file("db.sqlite"))
        #expect(try await reopened.listConnections() == [saved])
    }

    @Test func listIsSortedByName() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let store = try SQLiteStore(path: folder.file("db.sqlite"))
        for (index, name) in ["beta", "Alpha", "gamma"].enumerated() {
            _ = try await store.createConnection(Self.draft(name, audiences: ["https://x\(index).example.com/"]))
        }
        #expect(try await store.listConnections().map(\.name) == ["Alpha", "beta", "gamma"])
    }

    @Test func updateKeepsTheSecretUnlessANewOneIsGivenAndDetectsConflicts() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let store = try SQLiteStore(path: folder.file("db.sqlite"))
        let saved = try await store.createConnection(Self.draft())

        var edit = saved
        edit.name = "Payroll v2"
        let first = try await store.updateConnection(edit, basedOn: saved.updateAt)
        #expect(first.updateAt > saved.updateAt)
        #expect(first.createAt == saved.createAt)
        #expect(try await store.credentials(forConnection: saved.id).clientSecret.revealForTransmission() == "s3cret-Payroll")

        // A second admin still holding the old copy is refused, and nothing changes.
        var stale = saved
        stale.name = "Stale"
        await #expect(throws: StoreError.conflict(kind: "outgoing OAuth connection", name: "Payroll v2", expected: saved.updateAt, actual: first.updateAt)) {
            _ = try await store.updateConnection(stale, basedOn: saved.updateAt)
        }
        #expect(try await store.connection(id: saved.id).name == "Payroll v2")

        var rotate = first
        rotate.clientSecret = Secret("rotated")
        let second = try await store.updateConnection(rotate, basedOn: first.updateAt)
        #expect(second.updateAt > first.updateAt)
        #expect(try await store.credentials(forConnection: saved.id).clientSecret.revealForTransmission() == "rotated")
    }

    @Test func passwordGrantKeepsItsPasswordApart() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let store = try SQLiteStore(path: folder.file("db.sqlite"))
        var draft = Self.draft()
        draft.grantType = .password
        draft.credentialsUsername = "svc"
        draft.credentialsPassword = Secret("pw-1")
        let saved = try await store.createConnection(draft)
        #expect(saved.credentialsUsername == "svc")
        #expect(saved.credentialsPassword == nil)
        #expect(try await store.credentials(forConnection: saved.id).password?.revealForTransmission() == "pw-1")
        // Switching to client_credentials forgets the password.
        var switched = saved
        switched.grantType = .clientCredentials
        _ = try await store.updateConnection(switched, basedOn: saved.updateAt)
        #expect(try await store.credentials(forConnection: saved.id).password == nil)
        #expect(try await store.connection(id: saved.id).credentialsUsername == nil)
    }

    @Test func invalidInputAndDuplicateAudiencesWriteNothing() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let store = try SQLiteStore(path: folder.file("db.sqlite"))
        let first = try await store.createConnection(Self.draft("A", audiences: ["https://x.com/*", "https://y.com/hook"]))

        await #expect(throws: ValidationFailure([FieldError("audiences", "There is already an outgoing oauth connection for the provided audience: https://y.com/hook")])) {
            _ = try await store.createConnection(Self.draft("B", audiences: ["https://z.com/", "https://y.com/hook"]))
        }
        await #expect(throws: ValidationFailure.self) { _ = try await store.createConnection(Self.draft("", audiences: [])) }
        #expect(try await store.listConnections().map(\.name) == ["A"])

        // A failed update leaves the row as it was.
        let second = try await store.createConnection(Self.draft("B", audiences: ["https://z.com/"]))
        var clash = second
        clash.audiences = ["https://q.com/", "https://x.com/*"]
        await #expect(throws: ValidationFailure.self) { _ = try await store.updateConnection(clash, basedOn: second.updateAt) }
        #expect(try await store.connection(id: second.id).audiences == ["https://z.com/"])
        // The owner may keep its own audiences when editing.
        var same = first
        same.name = "A2"
        _ = try await store.updateConnection(same, basedOn: first.updateAt)
    }

    @Test func deleteRemovesTheSecretToo() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.file("db.sqlite")
        let store = try SQLiteStore(path: path)
        let saved = try await store.createConnection(Self.draft())
        try await store.deleteConnection(id: saved.id)
        #expect(try await store.listConnections().isEmpty)
        await #expect(throws: StoreError.notFound(kind: "outgoing OAuth connection", key: saved.id)) {
            _ = try await store.credentials(forConnection: saved.id)
        }
        await #expect(throws: StoreError.self) { try await store.deleteConnection(id: saved.id) }
        let queue = try DatabaseQueue(path: path)
        let secrets = try await queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM connection_secrets") }
        #expect(secrets == 0)
        // The audience is free again.
        _ = try await store.createConnection(Self.draft("Again"))
    }

    @Test func commandsAreUniquePerTeamAndKeepTheirToken() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let store = try SQLiteStore(path: folder.file("db.sqlite"))
        let main = try await store.team(named: "main", createIfMissing: true)
        let ops = try await store.team(named: "ops", createIfMissing: true)
        #expect(try await store.team(named: "main", createIfMissing: true) == main)
        await #expect(throws: StoreError.notFound(kind: "team", key: "nope")) { _ = try await store.team(named: "nope", createIfMissing: false) }

        let saved = try await store.createCommand(SlashCommand(teamId: main.id, trigger: " /Weather", url: "https://a/w"))
        #expect(saved.trigger == "weather")
        #expect(saved.token.count == 26 && MattermostID.isValid(saved.token))
        await #expect(throws: ValidationFailure([FieldError("trigger", SlashCommand.triggerInUseMessage)])) {
            _ = try await store.createCommand(SlashCommand(teamId: main.id, trigger: "weather", url: "https://a/other"))
        }
        _ = try await store.createCommand(SlashCommand(teamId: ops.id, trigger: "weather", url: "https://a/w"))
        #expect(try await store.listCommands(teamId: main.id).count == 1)
        #expect(try await store.listCommands(teamId: nil).count == 2)

        var edit = saved
        edit.description = "Forecast"
        edit.token = "forged"
        edit.teamId = ops.id
        let updated = try await store.updateCommand(edit, basedOn: saved.updateAt)
        #expect(updated.token == saved.token) // an edit never changes the token or the team
        #expect(updated.teamId == main.id)
        #expect(updated.description == "Forecast")
        await #expect(throws: StoreError.self) { _ = try await store.updateCommand(edit, basedOn: saved.updateAt) }

        let regenerated = try await store.regenerateCommandToken(id: saved.id)
        #expect(regenerated.token != saved.token)
        #expect(regenerated.updateAt > updated.updateAt)
        #expect(try await store.command(id: saved.id).token == regenerated.token)

        try await store.deleteCommand(id: saved.id)
        #expect(try await store.listCommands(teamId: main.id).isEmpty)
    }

    @Test func lookupByNameIdOrTrigger() throws {
        let connections = [connection("Payroll", [], id: "id1"), connection("payroll", [], id: "id2"), connection("Solo", [], id: "id3")]
        #expect(try StoreLookup.connection("id2", in: connections).name == "payroll")
        #expect(try StoreLookup.connection("Payroll", in: connections).id == "id1")
        #expect(try StoreLookup.connection("solo", in: connections).id == "id3")
        #expect(throws: StoreError.ambiguous(kind: "outgoing OAuth connection", key: "PAYROLL", candidates: ["id1", "id2"])) {
            try StoreLookup.connection("PAYROLL", in: connections)
        }
        let commands = [SlashCommand(id: "c1", trigger: "weather", url: "")]
        #expect(try StoreLookup.command("/weather", in: commands).id == "c1")
        #expect(throws: StoreError.self) { try StoreLookup.command("nope", in: commands) }
    }
}
