import Foundation
import Testing

/// The one-item answers the local store gives from its indexes (`commands match`, `connections
/// show`, `commands show`): the same wording as the whole-list answers, on a real SQLite file.
@Suite("one-item answers from the index")
struct IndexedLookupCLITests {
    /// Broad's wildcard covers Narrow's; /one goes out with Broad, /two with Narrow (the longer
    /// prefix), /three with Hook; /four is http, a near miss of Broad. Two connections are named
    /// alike but for letter case.
    struct Fixture {
        let sandbox: Sandbox
        let broadId: String
        let narrowId: String
        let paysIds: [String]
    }

    static func fixture() async throws -> Fixture {
        let sandbox = try Sandbox()
        let broad = try await sandbox.addConnection("Broad", audiences: ["https://api.example.com/*"])
        let narrow = try await sandbox.addConnection("Narrow", audiences: ["https://api.example.com/v2/*"])
        try await sandbox.addConnection("Hook", audiences: ["https://other.example.com/hook"])
        let pay = try await sandbox.addConnection("pay", audiences: ["https://pay.example.com/a"])
        let payUpper = try await sandbox.addConnection("PAY", audiences: ["https://pay.example.com/b"])
        try await sandbox.addCommand("one", url: "https://api.example.com/v1/run")
        try await sandbox.addCommand("two", url: "https://api.example.com/v2/run")
        try await sandbox.addCommand("three", url: "https://other.example.com/hook")
        try await sandbox.addCommand("four", url: "http://api.example.com/v1/run")
        return Fixture(sandbox: sandbox, broadId: try #require(broad.string("id")), narrowId: try #require(narrow.string("id")),
                       paysIds: [try #require(pay.string("id")), try #require(payUpper.string("id"))])
    }

    @Test func connectionsShowNamesWhatUsesItAndWhatOverlaps() async throws {
        let f = try await Self.fixture()
        let shown = try await f.sandbox.bs(["connections", "show", "broad"]) // by name, in another letter case
        #expect(shown.status == 0, "\(shown)")
        #expect(shown.stdoutLines.first == "Broad  (id \(f.broadId))", "\(shown)")
        // /two is covered by Broad's wildcard too, but Narrow's longer prefix wins it.
        #expect(shown.stdoutLines.contains("  Used by 1 slash command: /one (main)"), "\(shown)")
        #expect(shown.stdoutLines.contains(
            "  Warning: https://api.example.com/* (\"Broad\") also covers https://api.example.com/v2/* (\"Narrow\"); the longer match wins"), "\(shown)")
        #expect(shown.stdoutLines.filter { $0.hasPrefix("  Warning:") }.count == 1, "\(shown)")

        let narrow = try await f.sandbox.bs(["connections", "show", f.narrowId, "--json"])
        #expect(narrow.status == 0, "\(narrow)")
        let json = try JSON.object(narrow.stdout)
        #expect(json.string("name") == "Narrow")
        #expect((json["used_by"] as? [[String: Any]])?.compactMap { $0["trigger"] as? String } == ["two"], "\(json)")
    }

    @Test func connectionsShowRefusesANameTwoConnectionsShareButForCase() async throws {
        let f = try await Self.fixture()
        let exact = try await f.sandbox.bs(["connections", "show", "PAY"])
        #expect(exact.status == 0, "\(exact)")
        #expect(exact.stdoutLines.first == "PAY  (id \(f.paysIds[1]))", "\(exact)")
        let ambiguous = try await f.sandbox.bs(["connections", "show", "Pay"])
        #expect(ambiguous.status != 0, "\(ambiguous)")
        #expect(ambiguous.stderr.contains("\"Pay\" names more than one outgoing OAuth connection; use the id:"), "\(ambiguous)")
        for id in f.paysIds { #expect(ambiguous.stderr.contains(id), "\(ambiguous)") }
        let missing = try await f.sandbox.bs(["connections", "show", "Payroll"])
        #expect(missing.status != 0, "\(missing)")
        #expect(missing.stderr.contains("no outgoing OAuth connection \"Payroll\" found"), "\(missing)")
    }

    @Test func commandsShowGivesItsOwnURLsLinkage() async throws {
        let f = try await Self.fixture()
        let two = try await f.sandbox.bs(["commands", "show", "/TWO"])
        #expect(two.status == 0, "\(two)")
        #expect(two.stdoutLines.first?.hasPrefix("/two  (team main, id ") == true, "\(two)")
        #expect(two.stdoutLines.contains("  OAuth: Connected to \"Narrow\" (audience https://api.example.com/v2/*)"), "\(two)")
        let four = try await f.sandbox.bs(["commands", "show", "four"])
        #expect(four.status == 0, "\(four)")
        #expect(four.stdoutLines.contains("  OAuth: Not linked to an OAuth connection"), "\(four)")
        #expect(four.stdout.contains("Near miss: this URL would match audience https://api.example.com/* of \"Broad\" but for http versus https"), "\(four)")
        let missing = try await f.sandbox.bs(["commands", "show", "five"])
        #expect(missing.status != 0, "\(missing)")
        #expect(missing.stderr.contains("no slash command \"five\" found"), "\(missing)")
    }

    @Test func commandsShowWithoutConnectionsShowsNoLinkage() async throws {
        let sandbox = try Sandbox()
        try await sandbox.addCommand("lonely", url: "https://api.example.com/run")
        let shown = try await sandbox.bs(["commands", "show", "lonely"])
        #expect(shown.status == 0, "\(shown)")
        #expect(!shown.stdout.contains("OAuth:"), "\(shown)") // as in Mattermost: no connection, no linkage line
    }

    @Test func commandsMatchPicksTheLongestPrefixThenTheExactAudience() async throws {
        let f = try await Self.fixture()
        let narrow = try await f.sandbox.bs(["commands", "match", "https://api.example.com/v2/run?x=1"])
        #expect(narrow.stdoutLines == ["https://api.example.com/v2/run?x=1", "Connected to \"Narrow\" (audience https://api.example.com/v2/*)"], "\(narrow)")
        let hook = try await f.sandbox.bs(["commands", "match", "https://other.example.com/hook"])
        #expect(hook.stdoutLines.last == "Connected to \"Hook\" (audience https://other.example.com/hook)", "\(hook)")
        let query = try await f.sandbox.bs(["commands", "match", "https://other.example.com/hook?x=1"])
        #expect(query.stdoutLines.last == "Not linked to an OAuth connection", "\(query)") // an exact audience is the whole URL
    }
}
