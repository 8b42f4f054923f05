import Foundation
import Testing
import TestSupport
@testable import BackstageCore

/// Outgoing webhooks on a server count as users of a connection (spec A3): read only, paged.
@Suite("outgoing webhooks (server)")
struct OutgoingWebhookTests {
    static func connect(_ fake: FakeMattermost, http: OutboundHTTP) async throws -> MattermostStore {
        try await MattermostStore.connect(server: fake.url, token: Secret(fake.pat), teamName: fake.teamName, http: http)
    }

    @Test func everyPageIsReadAndDeletedHooksAreLeftOut() async throws {
        let fake = try await FakeMattermost()
        for index in 0..<250 { fake.seedWebhook(name: "hook \(index)", callbackURLs: ["https://h\(index).example.com/"]) }
        fake.seedWebhook(name: "gone", callbackURLs: ["https://gone.example.com/"], deleted: true)
        fake.seedWebhook(name: "other team", callbackURLs: ["https://other.example.com/"], team: fake.otherTeamID)
        let http = OutboundHTTP()
        let store = try await Self.connect(fake, http: http)
        let hooks = try await store.listOutgoingWebhooks()
        #expect(hooks.count == 250)
        #expect(!hooks.contains { $0.displayName == "gone" || $0.displayName == "other team" })
        let pages = fake.requests.filter { $0.path == "/api/v4/hooks/outgoing" }
        #expect(pages.map { $0.form["page"] } == ["0", "1"])
        #expect(pages.allSatisfy { $0.form["team_id"] == fake.teamID && $0.form["per_page"] == "200" && $0.method == "GET" })
        await http.shutdown()
        await fake.shutdown()
    }

    @Test func theLinkageOfAServerCountsItsWebhooksAndTheServerIsAsked() async throws {
        let fake = try await FakeMattermost()
        let ops = fake.seedConnection(["name": "Ops IdP", "client_id": "c", "oauth_token_url": "https://idp.example.com/t", "audiences": ["https://ops.example.com/*"]])
        fake.seedCommand(trigger: "deploy", url: "https://ops.example.com/deploy")
        fake.seedWebhook(name: "Alerts", callbackURLs: ["https://ops.example.com/alerts"])
        let http = OutboundHTTP()
        let store = try await Self.connect(fake, http: http)
        let inventory = try await Inventory.load(from: store)
        #expect(inventory.isServer && inventory.linkageSource == "prediction" && inventory.webhooks.isChecked)
        let used = inventory.linkage.usedBy(ops)
        #expect(inventory.linkage.usageLine(for: ops) == "Used by 1 slash command: /deploy (ops); and 1 outgoing webhook: \"Alerts\" (ops)")
        let answers = try #require(await store.confirmLinks(used))
        #expect(answers.map { $0.confirms(ops) } == [true, true])
        #expect(answers[0].line(for: ops) == "/deploy (ops): confirmed by the server")
        // Deleting it on the server would leave both without a token.
        #expect(inventory.linkage.impact(of: .delete(id: ops)).lines == ["/deploy: \"Ops IdP\" → not linked", "webhook \"Alerts\": \"Ops IdP\" → not linked"])
        await http.shutdown()
        await fake.shutdown()
    }

    @Test(arguments: [false, true]) func webhooksOffOrForbiddenAreAReasonNotAFailure(forbidden: Bool) async throws {
        let fake = try await FakeMattermost()
        fake.update { if forbidden { $0.canManageWebhooks = false } else { $0.outgoingWebhooksEnabled = false } }
        let http = OutboundHTTP()
        let store = try await Self.connect(fake, http: http)
        let listing = try await store.outgoingWebhooks()
        #expect(!listing.isChecked)
        let note = try #require(listing.notCheckedNote)
        #expect(note.contains(forbidden ? "manage_outgoing_webhooks" : "Outgoing webhooks have been disabled by the system admin"), "\(note)")
        await http.shutdown()
        await fake.shutdown()
    }

    @Test func theLocalStoreSaysWebhooksWereNotChecked() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let store = try SQLiteStore(path: folder.file("db.sqlite"))
        #expect(try await store.outgoingWebhooks() == .notChecked(reason: WebhookListing.localReason))
        #expect(await store.confirmLinks([]) == nil)
    }
}
