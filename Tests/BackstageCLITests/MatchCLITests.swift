import Foundation
import Testing

/// `backstage commands match URL`: which connection's audience a request URL falls under.
@Suite("commands match")
struct MatchCLITests {
    struct Fixture {
        let sandbox: Sandbox
        let exactId: String
        let broadId: String
        let narrowId: String
    }

    /// "Exact" has one exact audience; "Broad" and "Narrow" have nested wildcards (Broad created
    /// first, so the longer prefix must win on length, not on age).
    static func fixture() async throws -> Fixture {
        let sandbox = try Sandbox()
        let exact = try await sandbox.addConnection("Exact", audiences: ["https://exact.example.com/hook"])
        let broad = try await sandbox.addConnection("Broad", audiences: ["https://api.example.com/*"])
        let narrow = try await sandbox.addConnection("Narrow", audiences: ["https://api.example.com/v2/*"])
        return Fixture(sandbox: sandbox, exactId: try #require(exact.string("id")), broadId: try #require(broad.string("id")),
                       narrowId: try #require(narrow.string("id")))
    }

    /// Checks the exact shape of `match --json` and returns it.
    static func matchJSON(_ sandbox: Sandbox, _ url: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        let result = try await sandbox.bs(["commands", "match", url, "--json"])
        #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.isEmpty, "\(result)", sourceLocation: sourceLocation)
        let json = try JSON.object(result.stdout, sourceLocation: sourceLocation)
        #expect(Set(json.keys) == ["url", "connection", "audience", "near_misses"], "\(json)", sourceLocation: sourceLocation)
        #expect(json["near_misses"] is [Any], "\(json)", sourceLocation: sourceLocation)
        return json
    }

    static func expectMatch(
        _ json: [String: Any], id: String, name: String, audience: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let connection = json.object("connection")
        #expect(connection.map { Set($0.keys) } == ["id", "name"], "\(json)", sourceLocation: sourceLocation)
        #expect(connection?.string("id") == id, "\(json)", sourceLocation: sourceLocation)
        #expect(connection?.string("name") == name, "\(json)", sourceLocation: sourceLocation)
        #expect(json.string("audience") == audience, "\(json)", sourceLocation: sourceLocation)
        #expect((json["near_misses"] as? [Any])?.isEmpty == true, "\(json)", sourceLocation: sourceLocation)
    }

    @Test func exactAudience() async throws {
        let f = try await Self.fixture()
        let text = try await f.sandbox.bs(["commands", "match", "https://exact.example.com/hook"])
        #expect(text.status == 0, "\(text)")
        #expect(text.stdoutLines == ["https://exact.example.com/hook", "Connected to \"Exact\" (audience https://exact.example.com/hook)"])
        let json = try await Self.matchJSON(f.sandbox, "https://exact.example.com/hook")
        #expect(json.string("url") == "https://exact.example.com/hook")
        Self.expectMatch(json, id: f.exactId, name: "Exact", audience: "https://exact.example.com/hook")
    }

    @Test func surroundingWhitespaceIsTrimmed() async throws {
        let f = try await Self.fixture()
        let json = try await Self.matchJSON(f.sandbox, "  https://exact.example.com/hook \t")
        #expect(json.string("url") == "https://exact.example.com/hook")
        Self.expectMatch(json, id: f.exactId, name: "Exact", audience: "https://exact.example.com/hook")
    }

    /// A text that is not a URL has no linkage: exit 2 with the reason, not "Not linked".
    @Test(arguments: [
        ("not a url", "It must start with http:// or https://."),
        ("HTTPS://exact.example.com/hook", "Write its scheme in lower case (http:// or https://)."),
        ("https:///hook", "It has no host name."),
        ("https://exact.example.com:8x/hook", "Its port \"8x\" is not a number."),
    ])
    func aTextThatIsNotAURLIsRefused(url: String, reason: String) async throws {
        let f = try await Self.fixture()
        for arguments in [["commands", "match", url], ["commands", "match", url, "--json"]] {
            let result = try await f.sandbox.bs(arguments)
            expectFailure(result, status: Exit.invalidInput, prefix: "backstage: \"\(url)\" is not a URL Mattermost accepts: \(reason)")
            #expect(!result.stderr.contains("Not linked"), "\(result)")
        }
    }

    @Test func wildcardAudience() async throws {
        let f = try await Self.fixture()
        let text = try await f.sandbox.bs(["commands", "match", "https://api.example.com/v1/users?page=2"])
        #expect(text.stdoutLines == ["https://api.example.com/v1/users?page=2", "Connected to \"Broad\" (audience https://api.example.com/*)"])
        Self.expectMatch(try await Self.matchJSON(f.sandbox, "https://api.example.com/v1/users"),
                         id: f.broadId, name: "Broad", audience: "https://api.example.com/*")
        // A wildcard covers its own prefix exactly.
        Self.expectMatch(try await Self.matchJSON(f.sandbox, "https://api.example.com/"),
                         id: f.broadId, name: "Broad", audience: "https://api.example.com/*")
    }

    @Test func longestPrefixWins() async throws {
        let f = try await Self.fixture()
        let text = try await f.sandbox.bs(["commands", "match", "https://api.example.com/v2/orders"])
        #expect(text.stdoutLines.last == "Connected to \"Narrow\" (audience https://api.example.com/v2/*)", "\(text)")
        Self.expectMatch(try await Self.matchJSON(f.sandbox, "https://api.example.com/v2/orders"),
                         id: f.narrowId, name: "Narrow", audience: "https://api.example.com/v2/*")
        // Just outside the longer prefix.
        Self.expectMatch(try await Self.matchJSON(f.sandbox, "https://api.example.com/v2"),
                         id: f.broadId, name: "Broad", audience: "https://api.example.com/*")
    }

    @Test func exactBeatsWildcard() async throws {
        let f = try await Self.fixture()
        let pinned = try await f.sandbox.addConnection("Pinned", audiences: ["https://api.example.com/v2/special"])
        Self.expectMatch(try await Self.matchJSON(f.sandbox, "https://api.example.com/v2/special"),
                         id: try #require(pinned.string("id")), name: "Pinned", audience: "https://api.example.com/v2/special")
        Self.expectMatch(try await Self.matchJSON(f.sandbox, "https://api.example.com/v2/special/more"),
                         id: f.narrowId, name: "Narrow", audience: "https://api.example.com/v2/*")
    }

    @Test func noMatch() async throws {
        let f = try await Self.fixture()
        let text = try await f.sandbox.bs(["commands", "match", "https://unknown.example.org/x"])
        #expect(text.status == 0, "\(text)")
        #expect(text.stdoutLines == ["https://unknown.example.org/x", "Not linked to an OAuth connection"])
        let json = try await Self.matchJSON(f.sandbox, "https://unknown.example.org/x")
        #expect(json.string("url") == "https://unknown.example.org/x")
        #expect(json["connection"] is NSNull, "connection must be a literal null: \(json)")
        #expect(json["audience"] is NSNull, "audience must be a literal null: \(json)")
        #expect((json["near_misses"] as? [Any])?.isEmpty == true)
    }

    @Test func noConnectionsAtAll() async throws {
        let sandbox = try Sandbox()
        let text = try await sandbox.bs(["commands", "match", "https://api.example.com/"])
        #expect(text.status == 0, "\(text)")
        #expect(text.stdoutLines.last == "Not linked to an OAuth connection")
        let json = try await Self.matchJSON(sandbox, "https://api.example.com/")
        #expect(json["connection"] is NSNull && json["audience"] is NSNull)
    }

    struct NearMissCase: Sendable, CustomTestStringConvertible {
        let url: String
        let audience: String
        let connection: String
        let reason: String
        let phrase: String
        var testDescription: String { "\(reason): \(url)" }
    }

    static let nearMisses: [NearMissCase] = [
        NearMissCase(url: "https://exact.example.com/hook/", audience: "https://exact.example.com/hook", connection: "Exact",
                     reason: "trailing_slash", phrase: "a trailing slash"),
        NearMissCase(url: "https://EXACT.Example.com/hook", audience: "https://exact.example.com/hook", connection: "Exact",
                     reason: "letter_case", phrase: "the letter case of the scheme or host"),
        NearMissCase(url: "https://exact.example.com:443/hook", audience: "https://exact.example.com/hook", connection: "Exact",
                     reason: "default_port", phrase: "an explicit default port"),
        NearMissCase(url: "http://exact.example.com/hook", audience: "https://exact.example.com/hook", connection: "Exact",
                     reason: "scheme", phrase: "http versus https"),
        NearMissCase(url: "https://API.example.com/v1/users", audience: "https://api.example.com/*", connection: "Broad",
                     reason: "letter_case", phrase: "the letter case of the scheme or host"),
    ]

    @Test(arguments: nearMisses)
    func nearMiss(_ miss: NearMissCase) async throws {
        let f = try await Self.fixture()
        let id = miss.connection == "Exact" ? f.exactId : f.broadId
        let text = try await f.sandbox.bs(["commands", "match", miss.url])
        #expect(text.status == 0, "\(text)")
        #expect(text.stdoutLines == [
            miss.url,
            "Not linked to an OAuth connection",
            "Near miss: this URL would match audience \(miss.audience) of \"\(miss.connection)\" but for \(miss.phrase)",
        ], "\(text)")

        let json = try await Self.matchJSON(f.sandbox, miss.url)
        #expect(json.string("url") == miss.url)
        #expect(json["connection"] is NSNull, "\(json)")
        #expect(json["audience"] is NSNull, "\(json)")
        let misses = try #require(json["near_misses"] as? [[String: Any]])
        try #require(misses.count == 1, "\(json)")
        let first = misses[0]
        #expect(first.object("connection")?.string("id") == id)
        #expect(first.object("connection")?.string("name") == miss.connection)
        #expect(first.string("audience") == miss.audience)
        #expect(first.strings("reasons") == [miss.reason])
        #expect(first.string("hint") == "would match audience \(miss.audience) of \"\(miss.connection)\" but for \(miss.phrase)")
    }

    @Test func matchFollowsEditsAndDeletes() async throws {
        let f = try await Self.fixture()
        let edit = try await f.sandbox.bs(["connections", "edit", "Exact", "--audience", "https://exact.example.com/hook/"])
        #expect(edit.status == 0, "\(edit)")
        Self.expectMatch(try await Self.matchJSON(f.sandbox, "https://exact.example.com/hook/"),
                         id: f.exactId, name: "Exact", audience: "https://exact.example.com/hook/")
        let delete = try await f.sandbox.bs(["connections", "delete", "Narrow"])
        #expect(delete.status == 0, "\(delete)")
        Self.expectMatch(try await Self.matchJSON(f.sandbox, "https://api.example.com/v2/orders"),
                         id: f.broadId, name: "Broad", audience: "https://api.example.com/*")
    }
}
