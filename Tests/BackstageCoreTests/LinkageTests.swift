import Foundation
import Testing
@testable import BackstageCore
import SeededRandom

/// Reverse linkage and impact, on a real SQLite store: what each URL resolves to under the
/// matching rules (spec 0.2), never string overlap.
@Suite("linkage and impact")
struct LinkageTests {
    static func draft(_ name: String, _ audiences: [String]) -> OutgoingOAuthConnection {
        OutgoingOAuthConnection(name: name, clientId: "client", clientSecret: Secret("secret"),
                                oauthTokenURL: "https://idp.example.com/token", audiences: audiences)
    }

    /// Ops IdP covers ops.example.com by wildcard; Deploy has /deploy exactly; Ops API the longer
    /// prefix /api/; Lookalike has an exact audience that is only a prefix of /deploy's URL.
    struct World {
        let folder: TemporaryFolder
        let store: SQLiteStore
        var connections: [String: OutgoingOAuthConnection] = [:]
        var commands: [String: SlashCommand] = [:]
    }

    static func world(teams: [String: [(String, String)]] = ["ops": [("deploy", "https://ops.example.com/deploy"),
                                                                      ("uptime", "https://ops.example.com/status"),
                                                                      ("api", "https://ops.example.com/api/v1"),
                                                                      ("typo", "https://OPS.example.com/status"),
                                                                      ("pay", "https://pay.example.com/slash")]]) async throws -> World {
        let folder = TemporaryFolder()
        let store = try SQLiteStore(path: folder.file("db.sqlite"))
        var world = World(folder: folder, store: store)
        for (name, audiences) in [("Ops IdP", ["https://ops.example.com/*"]), ("Deploy", ["https://ops.example.com/deploy"]),
                                  ("Ops API", ["https://ops.example.com/api/*"]), ("Lookalike", ["https://ops.example.com/dep"]),
                                  ("Finance IdP", ["https://finance.example.com/*"])] {
            world.connections[name] = try await store.createConnection(draft(name, audiences))
        }
        for (teamName, commands) in teams.sorted(by: { $0.key < $1.key }) {
            let team = try await store.team(named: teamName, createIfMissing: true)
            for (trigger, url) in commands {
                world.commands[trigger] = try await store.createCommand(SlashCommand(teamId: team.id, trigger: trigger, url: url))
            }
        }
        return world
    }

    @Test func usersAreWhatEachURLResolvesTo() async throws {
        let world = try await Self.world()
        defer { world.folder.cleanup() }
        let inventory = try await Inventory.load(from: world.store)
        let linkage = inventory.linkage
        func users(_ name: String) -> [String] { linkage.usedBy(world.connections[name]!.id).map(\.name) }
        #expect(users("Ops IdP") == ["uptime"])   // /deploy goes to the exact audience, /api to the longer prefix
        #expect(users("Deploy") == ["deploy"])     // exact beats wildcard
        #expect(users("Ops API") == ["api"])       // longest prefix
        #expect(users("Lookalike") == [])          // a string overlap is not a match
        #expect(users("Finance IdP") == [])
        #expect(linkage.usageLine(for: world.connections["Deploy"]!.id) == "Used by 1 slash command: /deploy (ops)")
        #expect(linkage.usageLine(for: world.connections["Finance IdP"]!.id) == "Used by no slash command")
        #expect(!inventory.webhooks.isChecked)
        #expect(linkage.webhooks.notCheckedNote == "outgoing webhooks were not checked: \(WebhookListing.localReason)")
        #expect(inventory.linkageSource == "local")
    }

    @Test func severalUsersAreListedWithTheirTeams() async throws {
        let world = try await Self.world(teams: ["ops": [("deploy", "https://ops.example.com/x"), ("uptime", "https://ops.example.com/y")],
                                                 "finance": [("pay", "https://ops.example.com/z")]])
        defer { world.folder.cleanup() }
        let linkage = try await Inventory.load(from: world.store).linkage
        let line = linkage.usageLine(for: world.connections["Ops IdP"]!.id)
        #expect(line.hasPrefix("Used by 3 slash commands: "), "\(line)")
        for label in ["/deploy (ops)", "/uptime (ops)", "/pay (finance)"] { #expect(line.contains(label), "\(line)") }
    }

    @Test func webhookCallbackURLsCountWhenTheyWereRead() {
        let connection = OutgoingOAuthConnection(id: "c1", createAt: 1, name: "Ops IdP", clientId: "c", oauthTokenURL: "https://idp/t",
                                                 audiences: ["https://ops.example.com/*"])
        let hook = OutgoingWebhook(id: "h1", teamId: "t1", displayName: "Alerts", callbackURLs: ["https://elsewhere.example.com/", "https://ops.example.com/hook"])
        let linkage = Linkage(connections: [connection], commands: [SlashCommand(id: "s1", teamId: "t1", trigger: "deploy", url: "https://ops.example.com/d")],
                              webhooks: .listed([hook]), teamNames: ["t1": "ops"])
        #expect(linkage.usedBy("c1").map(\.kind) == [.slashCommand, .outgoingWebhook])
        #expect(linkage.usageLine(for: "c1") == "Used by 1 slash command: /deploy (ops); and 1 outgoing webhook: \"Alerts\" (ops)")
        let unused = Linkage(connections: [connection], commands: [], webhooks: .listed([]), teamNames: [:])
        #expect(unused.usageLine(for: "c1") == "Used by no slash command and no outgoing webhook")
    }

    @Test func impactListsEveryCommandWhoseConnectionChanges() async throws {
        let world = try await Self.world()
        defer { world.folder.cleanup() }
        let linkage = try await Inventory.load(from: world.store).linkage

        // Deleting the exact audience's connection: the wildcard elsewhere takes over.
        let deleted = linkage.impact(of: .delete(id: world.connections["Deploy"]!.id))
        #expect(deleted.lines == ["/deploy: \"Deploy\" → \"Ops IdP\""])

        // Narrowing Ops IdP's audience: /uptime loses it; /deploy and /api never had it, the near miss neither.
        var narrowed = world.connections["Ops IdP"]!
        narrowed.audiences = ["https://ops.example.com/other"]
        #expect(linkage.impact(of: .save(narrowed)).lines == ["/uptime: \"Ops IdP\" → not linked"])

        // Widening Finance IdP: it takes /pay, which was not linked.
        var widened = world.connections["Finance IdP"]!
        widened.audiences = ["https://finance.example.com/*", "https://pay.example.com/*"]
        #expect(linkage.impact(of: .save(widened)).lines == ["/pay: not linked → \"Finance IdP\""])

        // A new, longer wildcard takes /uptime from Ops IdP.
        let new = Self.draft("Status page", ["https://ops.example.com/sta*"])
        #expect(linkage.impact(of: .save(new)).lines == ["/uptime: \"Ops IdP\" → \"Status page\""])

        // A rename is not a change of linkage.
        var renamed = world.connections["Deploy"]!
        renamed.name = "Deploy v2"
        let none = linkage.impact(of: .save(renamed))
        #expect(none.isEmpty && none.lines == ["Nothing else changes"])
    }

    @Test func impactNamesTheTeamWhenCommandsSpanTeams() async throws {
        let world = try await Self.world(teams: ["ops": [("deploy", "https://ops.example.com/deploy")],
                                                 "sales": [("deploy", "https://ops.example.com/deploy/sales")]])
        defer { world.folder.cleanup() }
        let linkage = try await Inventory.load(from: world.store).linkage
        #expect(linkage.impact(of: .delete(id: world.connections["Ops IdP"]!.id)).lines == ["/deploy (sales): \"Ops IdP\" → not linked"])
    }

    @Test func aCommandFormSeesItsURLMoveItBetweenConnections() async throws {
        let world = try await Self.world()
        defer { world.folder.cleanup() }
        let matcher = AudienceMatcher(connections: try await world.store.listConnections())
        let command = world.commands["uptime"]!
        #expect(Impact.ofURLChange(command, from: command.url, to: "https://ops.example.com/deploy", matcher: matcher).lines
                == ["/uptime: \"Ops IdP\" → \"Deploy\""])
        #expect(Impact.ofURLChange(command, from: command.url, to: "https://ops.example.com/other", matcher: matcher).isEmpty)
        #expect(Impact.ofURLChange(command, from: command.url, to: "https://nowhere.example.com/", matcher: matcher).lines
                == ["/uptime: \"Ops IdP\" → not linked"])
        #expect(Impact.ofURLChange(command, from: nil, to: "https://finance.example.com/x", matcher: matcher).lines
                == ["/uptime: not linked → \"Finance IdP\""])
    }

    /// The impact is worked out without rebuilding the matcher; it must agree with rebuilding it
    /// for the changed set and resolving every command again, on many random sets and changes.
    @Test func impactAgreesWithResolvingEverythingAgain() {
        var random = SplitMix(seed: 0x5EED)
        let pieces = ["https://a.example.com", "https://a.example.com/x", "https://a.example.com/x/y", "https://b.example.com", "http://a.example.com"]
        func audience() -> String {
            let base = pieces[Int(random.next() % UInt64(pieces.count))]
            return random.next() % 2 == 0 ? base + "*" : base + (random.next() % 2 == 0 ? "/" : "")
        }
        for round in 0..<300 {
            let connections = (0..<Int(random.next() % 5 + 1)).map { index in
                OutgoingOAuthConnection(id: "c\(index)", createAt: Int64(random.next() % 3), name: "C\(index)", clientId: "c",
                                        oauthTokenURL: "https://idp/t", audiences: (0..<Int(random.next() % 3 + 1)).map { _ in audience() })
            }
            let commands = (0..<8).map { index in
                SlashCommand(id: "s\(index)", teamId: "t", trigger: "cmd\(index)", url: pieces[Int(random.next() % UInt64(pieces.count))] + ["", "/", "/x", "/x/y/z"][index % 4])
            }
            let linkage = Linkage(connections: connections, commands: commands, webhooks: .listed([]), teamNames: ["t": "ops"])
            let target = connections[Int(random.next() % UInt64(connections.count))]
            var edited = target
            edited.audiences = (0..<Int(random.next() % 3)).map { _ in audience() }
            let added = OutgoingOAuthConnection(name: "New", clientId: "c", oauthTokenURL: "https://idp/t", audiences: [audience()])
            for change in [ConnectionSetChange.delete(id: target.id), .save(edited), .save(added)] {
                var after = connections
                switch change {
                case .delete(let id): after.removeAll { $0.id == id }
                case .save(let connection) where connection.id.isEmpty:
                    var new = connection
                    new.id = "(new connection)"
                    new.createAt = Int64.max
                    after.append(new)
                case .save(let connection): after[after.firstIndex { $0.id == connection.id }!] = connection
                }
                let matcher = AudienceMatcher(connections: after)
                let expected = commands.compactMap { command -> String? in
                    let before = linkage.link(of: .command(command, teamName: "ops"))?.connection
                    let now = matcher.match(command.url)?.connection
                    return before?.id == now?.id ? nil : LinkageChange(user: .command(command, teamName: "ops"), before: before, after: now).text
                }
                #expect(linkage.impact(of: change).changes.map(\.text) == expected, "round \(round): \(change) on \(connections.map(\.audiences))")
            }
        }
    }
}
