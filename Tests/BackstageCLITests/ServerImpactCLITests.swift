import Foundation
import Testing
import TestSupport

/// Linkage, impact, validate --all and doctor against a Mattermost server: webhooks count, the
/// linkage is labelled a prediction and confirmed by the server's audience query.
@Suite("server mode: impact and health")
struct ServerImpactCLITests {
    static func server(_ fake: FakeMattermost) -> [String] { ["--server", fake.url, "--team", fake.teamName] }
    static func env(_ fake: FakeMattermost) -> [String: String] { ["MM_ACCESS_TOKEN": fake.pat] }

    static func seeded() async throws -> FakeMattermost {
        let fake = try await FakeMattermost()
        fake.seedConnection(["name": "Ops IdP", "client_id": "c", "oauth_token_url": "https://idp.example.com/t", "audiences": ["https://ops.example.com/*"]],
                            secret: "good-secret")
        fake.seedCommand(trigger: "deploy", url: "https://ops.example.com/deploy")
        fake.seedWebhook(name: "Alerts", callbackURLs: ["https://ops.example.com/alerts"])
        return fake
    }

    @Test func webhooksCountAndTheServerConfirms() async throws {
        let fake = try await Self.seeded()
        let sandbox = try Sandbox()
        let shown = try await sandbox.run(["connections", "show", "Ops IdP"] + Self.server(fake), environment: Self.env(fake))
        #expect(shown.status == 0, "\(shown)")
        #expect(shown.stdout.contains("  Used by 1 slash command: /deploy (ops); and 1 outgoing webhook: \"Alerts\" (ops) (predicted with backstage's matching rules)"), "\(shown)")
        #expect(shown.stdout.contains("    /deploy (ops): confirmed by the server"), "\(shown)")
        #expect(shown.stdout.contains("    webhook \"Alerts\" (ops): confirmed by the server"), "\(shown)")
        #expect(fake.requests.contains { $0.path == "/api/v4/hooks/outgoing" && $0.method == "GET" })

        let json = try JSON.object(try await sandbox.run(["connections", "show", "Ops IdP", "--json"] + Self.server(fake), environment: Self.env(fake)).stdout)
        #expect(json.string("linkage") == "prediction" && json["webhooks_checked"] as? Bool == true)
        let usedBy = try #require(json["used_by"] as? [[String: Any]])
        #expect(usedBy.map { $0.string("kind") } == ["slash_command", "outgoing_webhook"])
        #expect(usedBy[1].string("name") == "Alerts" && usedBy[1].string("team") == "ops")
        #expect(usedBy.allSatisfy { $0["server_confirms"] as? Bool == true })

        let delete = try await sandbox.run(["connections", "delete", "Ops IdP", "--dry-run"] + Self.server(fake), environment: Self.env(fake))
        #expect(delete.status == 0, "\(delete)")
        #expect(delete.stderrLines == ["Commands whose connection changes (predicted with backstage's matching rules):",
                                       "  /deploy: \"Ops IdP\" → not linked", "  webhook \"Alerts\": \"Ops IdP\" → not linked",
                                       "Dry run: nothing was saved"], "\(delete)")
        #expect(!fake.requests.contains { $0.method == "DELETE" })
        await fake.shutdown()
    }

    @Test func webhooksOffAreSaidNotChecked() async throws {
        let fake = try await Self.seeded()
        fake.update { $0.outgoingWebhooksEnabled = false }
        let sandbox = try Sandbox()
        let shown = try await sandbox.run(["connections", "show", "Ops IdP"] + Self.server(fake), environment: Self.env(fake))
        #expect(shown.status == 0, "\(shown)")
        #expect(shown.stdout.contains("  Used by 1 slash command: /deploy (ops) (predicted"), "\(shown)")
        #expect(shown.stdout.contains("Note: outgoing webhooks were not checked: Outgoing webhooks are not available on this server (501): Outgoing webhooks have been disabled by the system admin."), "\(shown)")
        await fake.shutdown()
    }

    @Test func validateAllThroughTheServer() async throws {
        let fake = try await Self.seeded()
        let sandbox = try Sandbox()
        // A current server needs each secret sent along; without a terminal to ask, each is skipped and says why.
        let skipped = try await sandbox.run(["connections", "validate", "--all"] + Self.server(fake), environment: Self.env(fake))
        #expect(skipped.status == Exit.remoteFailure, "\(skipped)")
        #expect(skipped.stdout == "\"Ops IdP\": Skipped: this server (11.11.0) validates a saved connection only with its client secret sent along (MM-70208), and none was given\n", "\(skipped)")
        // An older server validates with the secret it holds.
        fake.update { $0.version = "10.11.4" }
        let validated = try await sandbox.run(["connections", "validate", "--all"] + Self.server(fake), environment: Self.env(fake))
        #expect(validated.status == 0, "\(validated)")
        #expect(validated.stdout == "\"Ops IdP\": Validated connection (validated by the server at \(fake.url))\n", "\(validated)")
        #expect(fake.requests.contains { $0.path == "/api/v4/oauth/outgoing_connections/validate" })
        await fake.shutdown()
    }

    @Test func doctorOnAServer() async throws {
        let fake = try await Self.seeded()
        fake.update { $0.version = "10.11.4" }
        let sandbox = try Sandbox()
        let report = try await sandbox.run(["doctor", "--validate"] + Self.server(fake), environment: Self.env(fake))
        #expect(report.status == 0, "\(report)")
        #expect(report.stdout.contains("All healthy"), "\(report)")
        #expect(report.stdout.contains("note: linkage is predicted with backstage's matching rules"), "\(report)")

        // The feature off: nothing can be checked.
        fake.update { $0.featureOn = false }
        let off = try await sandbox.run(["doctor"] + Self.server(fake), environment: Self.env(fake))
        expectFailure(off, status: 3, prefix: "backstage: could not check: Outgoing OAuth connections are not available on this server")

        // The server gone: could not check either.
        await fake.shutdown()
        let gone = try await sandbox.run(["doctor"] + Self.server(fake), environment: Self.env(fake))
        #expect(gone.status == 3, "\(gone)")
        #expect(gone.stderr.hasPrefix("backstage: could not check: "), "\(gone)")
    }
}
