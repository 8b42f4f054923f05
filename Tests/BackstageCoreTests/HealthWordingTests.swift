import Foundation
import Testing
@testable import BackstageCore

/// Every finding's message and fix, word for word, as `h` and `doctor` show them and as
/// `doctor --json` writes them (they are written from the facts only when read).
@Suite("health finding wording")
struct HealthWordingTests {
    static let day: Int64 = 86_400_000
    /// Thursday, November 14, 2023 22:13 UTC.
    static let then: Int64 = 1_700_000_000_000

    static func connection(_ id: String, _ name: String, _ audiences: [String], _ record: ValidationRecord?) -> OutgoingOAuthConnection {
        var connection = OutgoingOAuthConnection(id: id, createAt: 1, name: name, clientId: "c", oauthTokenURL: "https://idp.example.com/t", audiences: audiences)
        connection.lastValidation = record
        return connection
    }

    static func report() -> HealthReport {
        let failed = ValidationRecord(at: then, ok: false, message: "401 invalid_client")
        let fresh = ValidationRecord(at: then + 9 * day, ok: true, message: "Validated connection")
        let connections = [
            // Used, so its failure is its command's error, not a warning of its own.
            connection("c1", "Ops IdP", ["https://ops.example.com/*"], ValidationRecord(at: then + 9 * day, ok: false, message: "401 invalid_client")),
            connection("c2", "Ops Deploy", ["https://ops.example.com/deploy"], fresh),
            connection("c3", "Good", ["https://good.example.com/hook"], fresh),
            connection("c4", "Stale", ["https://stale.example.com/x"], ValidationRecord(at: then, ok: true, message: "Validated connection")),
            connection("c5", "Never", ["https://never.example.com/x"], nil),
            connection("c6", "Dead IdP", ["https://dead.example.com/x"], failed),
            connection("c7", "Bad port", ["https://port.example.com:70000/*"], fresh),
            connection("c8", "it's", ["https://skip.example.com/x"], nil),
        ]
        let commands = [("uptime", "https://ops.example.com/status"), ("deploy", "https://ops.example.com/deploy"), ("good", "https://good.example.com/hook"),
                        ("typo", "https://GOOD.example.com/hook"), ("stale", "https://stale.example.com/x"), ("never", "https://never.example.com/x"),
                        ("skip", "https://skip.example.com/x")]
            .enumerated().map { SlashCommand(id: "s\($0.offset)", teamId: "t1", trigger: $0.element.0, url: $0.element.1) }
        let hook = OutgoingWebhook(id: "w1", teamId: "t1", displayName: "Alerts", callbackURLs: ["https://Good.example.com/hook"])
        let linkage = Linkage(connections: connections, commands: commands, webhooks: .listed([hook]), teamNames: ["t1": "ops"])
        return Doctor.check(linkage, connections: connections, isServer: false, now: then + 10 * day, skipped: ["c8": "the server needs its secret"])
    }

    @Test func everyFindingSaysWhatAndHowToFixIt() throws {
        let words = Self.report().findings.map { "\($0.severity.rawValue) \($0.code.rawValue) \($0.item.label)\n  \($0.message)\n  fix: \($0.fix)" }
        #expect(words == [
            """
            error linked_to_failing_connection /uptime (ops)
              /uptime (ops) goes out with connection "Ops IdP", whose last Validate got no token (Thursday, November 23, 2023 22:13 UTC: 401 invalid_client)
              fix: fix the connection's credentials or Token URL, then validate it again (backstage connections validate 'Ops IdP')
            """,
            """
            error near_miss /typo (ops)
              /typo (ops) is not linked: its URL https://GOOD.example.com/hook would match audience https://good.example.com/hook of "Good" but for the letter case of the scheme or host
              fix: make the URL and the audience agree: change the URL (backstage commands edit typo --url URL) or the audiences of "Good"
            """,
            """
            error near_miss webhook "Alerts" (ops)
              webhook "Alerts" (ops) is not linked: its URL https://Good.example.com/hook would match audience https://good.example.com/hook of "Good" but for the letter case of the scheme or host
              fix: make the URL and the audience agree: change the URL (the webhook's callback URL) or the audiences of "Good"
            """,
            """
            error audience_never_matches connection "Bad port"
              connection "Bad port": audience https://port.example.com:70000/* can never match: its port 70000 is not between 1 and 65535, so no request can go to a URL it covers
              fix: correct or remove the audience (backstage connections edit 'Bad port' --audience URL …)
            """,
            """
            warning stale_validation connection "Stale"
              connection "Stale" was last validated 10 days ago (Tuesday, November 14, 2023 22:13 UTC), more than 7 days
              fix: validate it again (backstage connections validate Stale, or backstage connections validate --all)
            """,
            """
            warning never_validated connection "Never"
              connection "Never" has never been validated
              fix: validate it (backstage connections validate Never, or backstage connections validate --all)
            """,
            """
            warning validation_failed connection "Dead IdP"
              connection "Dead IdP": the last Validate got no token (Tuesday, November 14, 2023 22:13 UTC: 401 invalid_client)
              fix: fix its credentials or Token URL and validate it again (backstage connections validate 'Dead IdP'), or delete it if nothing needs it
            """,
            """
            warning unused_connection connection "Dead IdP"
              connection "Dead IdP" is used by no slash command or outgoing webhook
              fix: point a command at one of its audiences, or delete it if nothing needs it (backstage connections delete 'Dead IdP' --dry-run shows what would change)
            """,
            """
            warning unused_connection connection "Bad port"
              connection "Bad port" is used by no slash command or outgoing webhook
              fix: point a command at one of its audiences, or delete it if nothing needs it (backstage connections delete 'Bad port' --dry-run shows what would change)
            """,
            """
            warning validation_skipped connection "it's"
              connection "it's" was not validated: the server needs its secret
              fix: validate it with its secret: backstage connections validate 'it'\\''s' --client-secret-stdin
            """,
            """
            warning wildcard_overlap connection "Ops Deploy"
              https://ops.example.com/* ("Ops IdP") also covers https://ops.example.com/deploy ("Ops Deploy"); the longer match wins
              fix: make the audiences disjoint, unless the longer match winning is what you want
            """,
        ])
    }

    /// `doctor --json` writes each finding's words beside its facts, in this order.
    @Test func theJSONCarriesTheWords() throws {
        let finding = try #require(Self.report().findings.first { $0.code == .neverValidated })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(finding), as: UTF8.self)
        #expect(json == #"{"code":"never_validated","fix":"validate it (backstage connections validate Never, or backstage connections validate --all)","# +
            #""item":{"id":"c5","kind":"connection","name":"Never"},"message":"connection \"Never\" has never been validated","severity":"warning"}"#)
    }

    /// The header's counts do not need the words; findings with the same facts are equal.
    @Test func findingsCompareByTheirFacts() {
        #expect(Self.report() == Self.report())
        #expect(Self.report().summary == "4 errors · 7 warnings")
        let item = HealthFinding.Item(kind: .connection, id: "c", name: "C")
        #expect(HealthFinding(.warning, .neverValidated, item, .neverValidated) != HealthFinding(.warning, .neverValidated, item, .unusedConnection(webhooksChecked: true)))
    }
}
