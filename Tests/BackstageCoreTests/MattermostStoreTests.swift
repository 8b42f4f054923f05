import Foundation
import Testing
import TestSupport
@testable import BackstageCore

/// The Store over REST, against a local server that behaves as the spec's tables describe.
@Suite("Mattermost store (contract)")
struct MattermostStoreTests {
    static func connect(_ fake: FakeMattermost, http: OutboundHTTP) async throws -> MattermostStore {
        try await MattermostStore.connect(server: fake.url, token: Secret(fake.pat), teamName: fake.teamName, http: http)
    }

    static func draft(_ name: String, audience: String, secret: String = "good-secret") -> OutgoingOAuthConnection {
        OutgoingOAuthConnection(name: name, clientId: "cid", clientSecret: Secret(secret), oauthTokenURL: "https://idp.example.com/token", audiences: [audience])
    }

    @Test func connectionsRoundTripAndSecretsStayOnTheServer() async throws {
        let fake = try await FakeMattermost()
        let http = OutboundHTTP()
        let store = try await Self.connect(fake, http: http)
        #expect(store.team.id == fake.teamID)
        let created = try await store.createConnection(Self.draft("Payroll", audience: "https://pay.example.com/*"))
        #expect(created.clientSecret == nil)
        #expect(fake.storedSecrets[created.id] == "good-secret")
        #expect(try await store.listConnections().map(\.name) == ["Payroll"])
        #expect(try await store.connection(id: created.id).audiences == ["https://pay.example.com/*"])

        var edit = created
        edit.name = "Payroll v2"
        let updated = try await store.updateConnection(edit, basedOn: created.updateAt)
        #expect(updated.name == "Payroll v2")
        #expect(fake.storedSecrets[created.id] == "good-secret") // an empty secret keeps the stored one
        // Someone else's change is never overwritten.
        await #expect(throws: StoreError.self) { _ = try await store.updateConnection(edit, basedOn: created.updateAt) }

        var typed = updated
        typed.clientSecret = Secret("good-secret")
        try await store.validateOnServer(typed) // current servers validate with the secret sent (MM-70208)
        await #expect(throws: MattermostError.self) { try await store.validateOnServer(updated) }
        var wrong = updated
        wrong.clientSecret = Secret("wrong")
        await #expect(throws: MattermostError.self) { try await store.validateOnServer(wrong) }
        await #expect(throws: MattermostError.secretsStayOnTheServer) { _ = try await store.credentials(forConnection: created.id) }

        try await store.deleteConnection(id: created.id)
        #expect(try await store.listConnections().isEmpty)
        // Every request carried the PAT and X-Requested-With, as Mattermost's clients send them.
        #expect(fake.requests.allSatisfy { $0.header("Authorization") == "Bearer \(fake.pat)" && $0.header("X-Requested-With") == "XMLHttpRequest" })
        await http.shutdown()
        await fake.shutdown()
    }

    @Test func listingPagesWithFromIDAndLimit() async throws {
        let fake = try await FakeMattermost()
        fake.seedConnections(250)
        let http = OutboundHTTP()
        let store = try await Self.connect(fake, http: http)
        #expect(try await store.listConnections().count == 250)
        let pages = fake.requests.filter { $0.path == "/api/v4/oauth/outgoing_connections" }
        #expect(pages.count == 3)
        #expect(pages.allSatisfy { $0.form["limit"] == "100" && $0.form["team_id"] == fake.teamID })
        #expect(pages.dropFirst().allSatisfy { ($0.form["from_id"] ?? "").hasPrefix("conn") })
        await http.shutdown()
        await fake.shutdown()
    }

    @Test func commandsRoundTrip() async throws {
        let fake = try await FakeMattermost()
        let http = OutboundHTTP()
        let store = try await Self.connect(fake, http: http)
        let created = try await store.createCommand(SlashCommand(trigger: "/Weather", url: "https://w.example.com/slash"))
        #expect(created.trigger == "weather" && created.teamId == fake.teamID && created.token.count == 26)
        #expect(try await store.listCommands(teamId: nil).map(\.trigger) == ["weather"])
        var edit = created
        edit.displayName = "Weather"
        let updated = try await store.updateCommand(edit, basedOn: created.updateAt)
        #expect(updated.displayName == "Weather" && updated.token == created.token)
        let regenerated = try await store.regenerateCommandToken(id: created.id)
        #expect(regenerated.token != created.token)
        try await store.deleteCommand(id: created.id)
        #expect(try await store.listCommands(teamId: nil).isEmpty)
        let listing = fake.requests.first { $0.method == "GET" && $0.path == "/api/v4/commands" }
        #expect(listing?.form["custom_only"] == "true")
        await http.shutdown()
        await fake.shutdown()
    }

}

extension MattermostStoreTests {
    @Test func theServerSaysWhichConnectionCoversAURL() async throws {
        let fake = try await FakeMattermost()
        let http = OutboundHTTP()
        let store = try await Self.connect(fake, http: http)
        _ = try await store.createConnection(Self.draft("Payroll", audience: "https://pay.example.com/*"))
        #expect(try await store.connectionForAudience("https://pay.example.com/slash?x=1&y=2")?.name == "Payroll")
        // No audience matches: the server answers 500 (the list route wraps GetConnectionForAudience's
        // error), and Mattermost's web form reads any error as "not linked".
        #expect(try await store.connectionForAudience("https://other.example.com/") == nil)
        let asked = fake.requests.last { $0.form["audience"] != nil }
        #expect(asked?.form["audience"] == "https://other.example.com/")
        await http.shutdown()
        await fake.shutdown()
    }
}
