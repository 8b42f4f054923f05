import Foundation
import Testing
import TestSupport
import SeededRandom
@testable import BackstageCore

/// The health check on a real SQLite store: each finding, its severity, the item and the fix.
@Suite("doctor")
struct DoctorTests {
    /// A fix names the item as a shell word that a shell reads back as the name, whatever it holds:
    /// quotes (one carrying a combining mark too, which Foundation's replacingOccurrences left
    /// unescaped), non-ASCII letters, spaces, `$`, backquotes.
    @Test func aNameIsAShellWordTheShellReadsBack() throws {
        let pieces = ["a", "Z", "0", "-", "_", ".", "/", ":", "@", " ", "'", "'\u{301}", "é", "給与", "$HOME", "`id`", "\"", "[", "~", "\\", "\u{7F}", "*"]
        var random = SplitMix(seed: 0x5E11)
        let names = (0..<500).map { _ in (0..<Int.random(in: 0..<8, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined() }
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "printf '%s\\0' " + names.map(Doctor.shellWord).joined(separator: " ")]
        let output = Pipe()
        shell.standardOutput = output
        try shell.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        shell.waitUntilExit()
        let words = String(decoding: printed, as: UTF8.self).split(separator: "\0", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(words.count == names.count)
        for (word, name) in zip(words, names) where Array(word.unicodeScalars) != Array(name.unicodeScalars) {
            Issue.record("\(name.debugDescription) came back as \(word.debugDescription) from \(Doctor.shellWord(name))")
        }
        #expect(Doctor.shellWord("Corp IdP") == "'Corp IdP'")
        #expect(Doctor.shellWord("it's") == "'it'\\''s'")
        #expect(Doctor.shellWord("corp-idp.v2") == "corp-idp.v2")
    }

    static let day: Int64 = 86_400_000

    static func connection(_ store: SQLiteStore, _ name: String, _ audiences: [String], validated: (ok: Bool, daysAgo: Int64)?) async throws -> OutgoingOAuthConnection {
        let saved = try await store.createConnection(OutgoingOAuthConnection(name: name, clientId: "c", clientSecret: Secret("s"),
                                                                             oauthTokenURL: "https://idp.example.com/t", audiences: audiences))
        if let validated {
            try await store.recordValidation(connectionId: saved.id, ValidationRecord(at: Milliseconds.now() - validated.daysAgo * day, ok: validated.ok,
                                                                                    message: validated.ok ? "Validated connection" : "401 invalid_client"))
        }
        return saved
    }

    static func command(_ store: SQLiteStore, _ trigger: String, _ url: String) async throws {
        let team = try await store.team(named: "ops", createIfMissing: true)
        _ = try await store.createCommand(SlashCommand(teamId: team.id, trigger: trigger, url: url))
    }

    @Test func everyKindOfFindingNamesItsItemAndItsFix() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let store = try SQLiteStore(path: folder.file("db.sqlite"))
        _ = try await Self.connection(store, "Ops IdP", ["https://ops.example.com/*"], validated: (false, 0))
        _ = try await Self.connection(store, "Ops Deploy", ["https://ops.example.com/deploy"], validated: (true, 0))
        _ = try await Self.connection(store, "Good", ["https://good.example.com/hook"], validated: (true, 0))
        _ = try await Self.connection(store, "Stale", ["https://stale.example.com/x"], validated: (true, 10))
        _ = try await Self.connection(store, "Never", ["https://never.example.com/x"], validated: nil)
        _ = try await Self.connection(store, "Unused", ["https://unused.example.com/"], validated: (true, 0))
        _ = try await Self.connection(store, "Bad port", ["https://port.example.com:70000/*"], validated: (true, 0))
        for (trigger, url) in [("uptime", "https://ops.example.com/status"), ("deploy", "https://ops.example.com/deploy"),
                               ("good", "https://good.example.com/hook"), ("typo", "https://GOOD.example.com/hook"),
                               ("stale", "https://stale.example.com/x"), ("never", "https://never.example.com/x")] {
            try await Self.command(store, trigger, url)
        }
        let report = Doctor.check(try await Inventory.load(from: store), now: Milliseconds.now())
        func codes(_ name: String) -> [HealthFinding.Code] { report.findings.filter { $0.item.name == name }.map(\.code) }

        #expect(codes("/uptime") == [.linkedToFailingConnection])
        #expect(codes("/typo") == [.nearMiss])
        #expect(codes("Bad port").sorted { $0.rawValue < $1.rawValue } == [.audienceNeverMatches, .unusedConnection])
        #expect(codes("Stale") == [.staleValidation])
        #expect(codes("Never") == [.neverValidated])
        #expect(codes("Unused") == [.unusedConnection])
        #expect(codes("Ops Deploy") == [.wildcardOverlap])
        #expect(codes("Good").isEmpty && codes("/good").isEmpty && codes("/deploy").isEmpty && codes("Ops IdP").isEmpty)
        #expect(report.status == .errors)
        #expect(report.summary == "3 errors · 5 warnings")
        #expect(report.findings.prefix(3).allSatisfy { $0.severity == .error }) // errors first

        let typo = try #require(report.findings.first { $0.code == .nearMiss })
        #expect(typo.item == HealthFinding.Item(kind: .slashCommand, id: typo.item.id, name: "/typo", team: "ops"))
        #expect(typo.message.contains("/typo (ops) is not linked: its URL https://GOOD.example.com/hook would match audience https://good.example.com/hook of \"Good\" but for the letter case"))
        #expect(typo.fix.contains("backstage commands edit typo --url URL"))
        let failing = try #require(report.findings.first { $0.code == .linkedToFailingConnection })
        #expect(failing.message.contains("connection \"Ops IdP\", whose last Validate got no token") && failing.message.contains("401 invalid_client"))
        #expect(failing.fix.contains("backstage connections validate 'Ops IdP'"))
        let port = try #require(report.findings.first { $0.code == .audienceNeverMatches })
        #expect(port.message.contains("port 70000 is not between 1 and 65535"))
        let unused = try #require(report.findings.first { $0.item.name == "Unused" })
        #expect(unused.message == "connection \"Unused\" is used by no slash command (outgoing webhooks were not checked)")
        #expect(report.webhooksNote != nil && !report.linkageIsPrediction)

        // The stale limit is the caller's.
        #expect(Doctor.check(try await Inventory.load(from: store), now: Milliseconds.now(), staleDays: 30).summary == "3 errors · 4 warnings")
    }

    @Test func aWellWiredStoreIsHealthy() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let store = try SQLiteStore(path: folder.file("db.sqlite"))
        #expect(Doctor.check(try await Inventory.load(from: store), now: Milliseconds.now()).summary == "All healthy")
        _ = try await Self.connection(store, "Good", ["https://good.example.com/*"], validated: (true, 1))
        try await Self.command(store, "good", "https://good.example.com/hook")
        let report = Doctor.check(try await Inventory.load(from: store), now: Milliseconds.now())
        #expect(report.findings.isEmpty && report.status == .ok && report.summary == "All healthy")
    }

    @Test func summariesCountInTheSingularToo() {
        let item = HealthFinding.Item(kind: .connection, id: "c", name: "C")
        let error = HealthFinding(.error, .nearMiss, item, message: "m", fix: "f")
        let warning = HealthFinding(.warning, .unusedConnection, item, message: "m", fix: "f")
        #expect(HealthReport(findings: [warning, error], webhooksNote: nil, linkageIsPrediction: false).summary == "1 error · 1 warning")
        #expect(HealthReport(findings: [warning, warning], webhooksNote: nil, linkageIsPrediction: false).summary == "2 warnings")
        #expect(HealthReport(findings: [warning, error], webhooksNote: nil, linkageIsPrediction: false).findings.first == error)
    }

    @Test func audiencesThatCanNeverMatch() {
        #expect(AudienceRules.neverMatches("https://x.example.com:70000/api") != nil)
        #expect(AudienceRules.neverMatches("https://x.example.com:65536/*") != nil)
        #expect(AudienceRules.neverMatches("https://*.example.com/api") != nil)
        #expect(AudienceRules.neverMatches("https://x.example.com:65535/api") == nil)
        #expect(AudienceRules.neverMatches("https://x.example.com/*") == nil)
        #expect(AudienceRules.neverMatches("https://x.example.com*") == nil)
    }

    /// Our linkage is a prediction on a server: a near miss the server's audience query links is dropped.
    @Test func aNearMissTheServerLinksIsNoFinding() async throws {
        let fake = try await FakeMattermost()
        fake.seedConnection(["name": "Upper", "client_id": "c", "oauth_token_url": "https://idp.example.com/t", "audiences": ["https://GOOD.example.com/*"]])
        let http = OutboundHTTP()
        let store = try await MattermostStore.connect(server: fake.url, token: Secret(fake.pat), teamName: fake.teamName, http: http)
        // Our rules see a near miss (a lower-case audience, as if ours were out of date); the server links it.
        let local = OutgoingOAuthConnection(id: "c1", createAt: 1, name: "Lower", clientId: "c", oauthTokenURL: "https://idp/t", audiences: ["https://good.example.com/*"])
        let command = SlashCommand(id: "s1", teamId: fake.teamID, trigger: "typo", url: "https://GOOD.example.com/hook")
        let linkage = Linkage(connections: [local], commands: [command], webhooks: .listed([]), teamNames: [fake.teamID: "ops"])
        let report = Doctor.check(linkage, connections: [local], isServer: true, now: Milliseconds.now())
        #expect(report.findings.contains { $0.code == .nearMiss })
        let confirmed = await report.confirmingNearMisses(with: store, linkage: linkage)
        #expect(!confirmed.findings.contains { $0.code == .nearMiss })
        #expect(confirmed.findings.count == report.findings.count - 1)
        await http.shutdown()
        await fake.shutdown()
    }
}
