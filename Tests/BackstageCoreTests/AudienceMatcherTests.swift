import Testing
@testable import BackstageCore

func connection(_ name: String, _ audiences: [String], createdAt: Int64 = 1, id: String? = nil) -> OutgoingOAuthConnection {
    OutgoingOAuthConnection(id: id ?? name, createAt: createdAt, name: name, clientId: "c", oauthTokenURL: "https://idp/t", audiences: audiences)
}

@Suite("Audience matcher")
struct AudienceMatcherTests {
    @Test func exactAudienceMatchesOnlyTheSameURL() {
        let matcher = AudienceMatcher(connections: [connection("A", ["https://aud.com/api"])])
        #expect(matcher.match("https://aud.com/api")?.connection.name == "A")
        #expect(matcher.match("  https://aud.com/api ")?.connection.name == "A") // trimmed
        #expect(matcher.match("https://aud.com/api/no_match") == nil)
        #expect(matcher.match("https://aud.com/ap") == nil)
        #expect(matcher.match("https://aud.com/API") == nil) // nothing else is normalised
    }

    @Test func wildcardMatchesEveryURLWithThePrefix() {
        let matcher = AudienceMatcher(connections: [connection("A", ["https://aud.com/api/*"])])
        #expect(matcher.match("https://aud.com/api/it_matches")?.audience == "https://aud.com/api/*")
        #expect(matcher.match("https://aud.com/api/")?.isWildcard == true)
        #expect(matcher.match("https://aud.com/api") == nil)
        #expect(matcher.match("https://aud.com/apix") == nil)
    }

    @Test func exactBeatsWildcardAndTheLongestPrefixWins() {
        let matcher = AudienceMatcher(connections: [
            connection("Broad", ["https://x.com/*"], createdAt: 1),
            connection("Narrow", ["https://x.com/api/*"], createdAt: 2),
            connection("Exact", ["https://x.com/api/hook"], createdAt: 3),
        ])
        #expect(matcher.match("https://x.com/api/hook")?.connection.name == "Exact")
        #expect(matcher.match("https://x.com/api/other")?.connection.name == "Narrow")
        #expect(matcher.match("https://x.com/web")?.connection.name == "Broad")
        #expect(matcher.match("https://y.com/") == nil)
    }

    @Test func aTieGoesToTheConnectionCreatedFirst() {
        // The same audience on two connections is refused on save, but a server may still hold it.
        let matcher = AudienceMatcher(connections: [
            connection("Younger", ["https://x.com/*"], createdAt: 20),
            connection("Older", ["https://x.com/*"], createdAt: 10),
        ])
        #expect(matcher.match("https://x.com/a")?.connection.name == "Older")
    }

    @Test func nearMissesNameTheAudienceAndTheReason() {
        let matcher = AudienceMatcher(connections: [connection("Payroll", ["https://api.example.com/pay", "https://hooks.example.com/v1/*"])])
        func reasons(_ url: String) -> [NearMiss.Reason] { matcher.resolve(url).nearMisses.first?.reasons ?? [] }
        #expect(reasons("https://api.example.com/pay/") == [.trailingSlash])
        #expect(reasons("https://API.example.com/pay") == [.letterCase])
        #expect(reasons("HTTPS://api.example.com/pay") == [.letterCase])
        #expect(reasons("https://api.example.com:443/pay") == [.defaultPort])
        #expect(reasons("http://api.example.com/pay") == [.scheme])
        #expect(reasons("http://api.example.com:80/pay/") == [.trailingSlash, .defaultPort, .scheme])
        #expect(reasons("https://hooks.example.com/v1") == [.trailingSlash])
        #expect(reasons("https://Hooks.example.com/v1/run") == [.letterCase])
        #expect(matcher.resolve("https://api.example.com/PAY").nearMisses.isEmpty) // path case is not a near miss
        #expect(matcher.resolve("https://api.example.com:8443/pay").nearMisses.isEmpty)
        #expect(matcher.resolve("https://hooks.example.com/v10").nearMisses.isEmpty)
        let miss = matcher.resolve("https://api.example.com/pay/")
        #expect(miss.match == nil)
        #expect(Banner(miss).lines.map(\.text) == ["Not linked to an OAuth connection",
                                                    "Near miss: this URL would match audience https://api.example.com/pay of \"Payroll\" but for a trailing slash"])
        #expect(Banner.short(miss) == Banner.Line("Not linked (near miss: \"Payroll\")", .nearMiss))
        #expect(miss.nearMisses.first?.hint == "would match audience https://api.example.com/pay of \"Payroll\" but for a trailing slash")
        #expect(Banner(matcher.resolve("https://api.example.com/pay")).lines.map(\.text) == ["Connected to \"Payroll\" (audience https://api.example.com/pay)"])
        #expect(Banner(matcher.resolve("https://api.example.com/pay"), server: .answered(nil)).lines.map(\.text) == ["Not linked to an OAuth connection (the server says)"])
        #expect(matcher.resolve("https://api.example.com/pay").nearMisses.isEmpty)
    }

    @Test func duplicatesAcrossConnectionsAreRefusedWithMattermostsMessage() {
        let matcher = AudienceMatcher(connections: [connection("A", ["https://x.com/*", "https://y.com/hook"], id: "a")])
        var candidate = connection("B", ["https://y.com/hook", "https://x.com/*", "https://x.com/api/*"], id: "b")
        #expect(matcher.duplicateAudienceErrors(for: candidate).map(\.message) == [
            "There is already an outgoing oauth connection for the provided audience: https://y.com/hook",
            "There is already an outgoing oauth connection for the provided audience: https://x.com/*",
        ])
        candidate.id = "a" // editing the owner itself is no duplicate
        #expect(matcher.duplicateAudienceErrors(for: candidate).isEmpty)
    }

    @Test func overlapsAreReportedBothWays() {
        let matcher = AudienceMatcher(connections: [
            connection("Broad", ["https://x.com/*"], id: "broad"),
            connection("Hook", ["https://x.com/api/hook", "https://z.com/"], id: "hook"),
        ])
        let narrow = connection("Narrow", ["https://x.com/api/*"], id: "narrow")
        let overlaps = matcher.overlaps(for: narrow)
        #expect(overlaps.count == 2)
        #expect(overlaps.contains { $0.wildcardOwner.id == "broad" && $0.covered == "https://x.com/api/*" })
        #expect(overlaps.contains { $0.wildcardOwner.id == "narrow" && $0.covered == "https://x.com/api/hook" })
        #expect(matcher.overlaps(for: connection("Else", ["https://q.com/*"], id: "else")).isEmpty)
        let all = AudienceMatcher(connections: [
            connection("Broad", ["https://x.com/*"], id: "broad"), narrow,
            connection("Hook", ["https://x.com/api/hook"], id: "hook"),
        ]).allOverlaps()
        #expect(all.count == 3) // broad⊃narrow, broad⊃hook, narrow⊃hook
    }

    @Test func scalesToTenThousandConnections() {
        var connections: [OutgoingOAuthConnection] = []
        for index in 0..<10_000 {
            connections.append(connection("c\(index)", (0..<10).map { "https://svc\(index).example.com/api/v\($0)/*" }, createdAt: Int64(index)))
        }
        let matcher = AudienceMatcher(connections: connections)
        #expect(matcher.audienceCount == 100_000)
        #expect(matcher.match("https://svc9876.example.com/api/v3/run")?.connection.name == "c9876")
        #expect(matcher.match("https://svc9876.example.com/api/v33/run") == nil)
    }
}

/// A password written into an audience never shows in a near-miss hint or an overlap warning.
@Suite("Masked audiences in hints")
struct MaskedAudienceHintTests {
    @Test func nearMissesAndOverlapsMaskAPasswordInAURL() {
        let secret = "hunter2pass"
        let wildcard = OutgoingOAuthConnection(id: "c1", createAt: 1, name: "Wide", clientId: "c", oauthTokenURL: "https://idp.example.com/t",
                                               audiences: ["https://svc:\(secret)@api.example.com/*"])
        let narrow = OutgoingOAuthConnection(id: "c2", createAt: 2, name: "Narrow", clientId: "c", oauthTokenURL: "https://idp.example.com/t",
                                             audiences: ["https://svc:\(secret)@api.example.com/pay/hook"])
        let matcher = AudienceMatcher(connections: [wildcard, narrow])
        let overlaps = matcher.overlaps(for: narrow).map(\.description)
        #expect(!overlaps.isEmpty)
        #expect(overlaps.allSatisfy { !$0.contains(secret) }, "\(overlaps)")
        // A trailing slash away from the exact audience: a near miss that names the audience.
        let misses = AudienceMatcher(connections: [narrow]).resolve("https://svc:\(secret)@api.example.com/pay/hook/").nearMisses.map(\.hint)
        #expect(!misses.isEmpty)
        #expect(misses.allSatisfy { !$0.contains(secret) }, "\(misses)")
    }
}
