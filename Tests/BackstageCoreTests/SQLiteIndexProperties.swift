import Foundation
import GRDB
import PropertyBased
import Testing
@testable import BackstageCore
import SeededRandom

/// The local store's indexed one-item answers against the whole-list answers they replace
/// (AudienceMatcher, StoreLookup, Linkage), on random stores saved through the store itself:
/// nested and near-identical audiences, `*` at the end and inside, letter case, query strings,
/// padding, shared creation times, names that differ only in case.
@Suite("SQLite index answers as the in-memory matcher")
struct SQLiteIndexProperties {
    static let schemes = ["https://", "http://", "HTTPS://", "Http://"]
    static let hosts = ["a.com", "A.com", "b.org", "api.a.com", "a.com.evil", "café.org", "CAFÉ.org"]
    static let ports = ["", ":443", ":80", ":8080"]
    static let paths = ["", "/", "/api", "/api/", "/api/v1", "/api/v1/x", "/Api", "/x", "/a*b", "/ü"]
    static let queries = ["", "?a=1", "?a=1&b=2", "?A=1", "?a=1/", "#f"]
    static let urlCount = schemes.count * hosts.count * ports.count * paths.count * queries.count
    static let names = ["Pay", "pay", "PAY", "Ops", "Ünï", "ünï", "Échec", "échec", "x"]

    static func url(_ seed: Int) -> String {
        var rest = seed
        func next(_ parts: [String]) -> String {
            defer { rest /= parts.count }
            return parts[rest % parts.count]
        }
        return next(schemes) + next(hosts) + next(ports) + next(paths) + next(queries)
    }

    /// A `*` at the end (a wildcard), none, or after the host; sometimes padded.
    static func audience(_ seed: Int) -> String {
        let base = url(seed / 5)
        switch seed % 5 {
        case 0, 1: return base + "*"
        case 2: return base
        case 3: return base + " " // a leading space is refused; a trailing one is kept by an import
        default: return Self.origin(of: base) + "*"
        }
    }

    /// Scheme and host (and port): the URL up to its path.
    static func origin(of url: String) -> String {
        guard let separator = url.range(of: "://") else { return url }
        let end = url[separator.upperBound...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? url.endIndex
        return String(url[..<end])
    }

    /// The probes: listed URLs, their prefixes, padded and slashed ones, the audiences themselves
    /// (with the `*` and in other letter case).
    static func probe(_ seed: Int, variant: Int, audiences: [String]) -> String {
        let base = url(seed)
        // An audience's text, to be bent the ways near misses name.
        let text = audiences.isEmpty ? base : {
            let trimmed = audiences[seed % audiences.count].trimmingWhitespace()
            return trimmed.hasSuffix("*") ? String(trimmed.dropLast()) : trimmed
        }()
        let origin = Self.origin(of: text), rest = String(text.dropFirst(origin.count))
        switch variant % 11 {
        case 7: return text.hasSuffix("/") ? String(text.dropLast()) : text + "/"
        case 8: return text.hasPrefix("https://") ? "http://" + text.dropFirst(8) : "https://" + text.drop { $0 != "/" }.dropFirst(2)
        case 9: return origin.uppercased() + rest
        case 10: return origin + (origin.hasPrefix("https") ? ":443" : ":80") + rest
        case 0: return base
        case 1: return "  " + base + "\t"
        case 2: return base + "/"
        case 3: return String(base.prefix(seed % (base.count + 1)))
        case 4: return audiences.isEmpty ? base : audiences[seed % audiences.count].trimmingWhitespace()
        case 5: return audiences.isEmpty ? base : String(audiences[seed % audiences.count].trimmingWhitespace().dropLast())
        default: return audiences.isEmpty ? base.uppercased() : audiences[seed % audiences.count].uppercased()
        }
    }

    struct World {
        let folder: TemporaryFolder
        let store: SQLiteStore
        let connections: [OutgoingOAuthConnection]
        let commands: [SlashCommand]
        let audiences: [String]
    }

    /// Connections of one to three audiences (an audience another connection has is left out, as
    /// the store refuses it; padded it is kept), commands on listed URLs, creation times from a small range so ties
    /// fall to the id.
    static func world(_ seeds: [Int], commandSeeds: [Int]) async throws -> World {
        let folder = TemporaryFolder()
        let store = try SQLiteStore(path: folder.file("index.db"))
        var taken = Set<String>()
        var drafts: [OutgoingOAuthConnection] = []
        for (index, seed) in seeds.enumerated() {
            var audiences: [String] = []
            for offset in 0..<(1 + seed % 3) {
                let audience = Self.audience((seed &* 31 &+ offset &* 977) % (urlCount * 5))
                guard HTTPURL.problem(in: audience) == nil else { continue }
                if audiences.contains(audience) { audiences.append(audience); continue } // twice in one: allowed
                // The store refuses the same text on two connections; the same one padded is kept
                // (an import does not trim), so ties between connections happen.
                guard taken.insert(audience).inserted else { continue }
                audiences.append(audience)
            }
            guard !audiences.isEmpty else { continue }
            drafts.append(OutgoingOAuthConnection(name: names[index % names.count] + (index % 4 == 0 ? "" : "\(index / 4)"), clientId: "c",
                                                  clientSecret: Secret("s"), oauthTokenURL: "https://idp.example.com/t", audiences: audiences))
        }
        let team = try await store.team(named: "main", createIfMissing: true)
        var commands: [SlashCommand] = []
        for (index, seed) in commandSeeds.enumerated() {
            let command = SlashCommand(teamId: team.id, trigger: "t\(index % 7)x\(index)", url: (index % 3 == 0 ? " " : "") + url(seed))
            if (try? command.validate()) != nil { commands.append(command) } // as the import checks it
        }
        try await store.importItems(connections: drafts, commands: commands)
        let path = folder.file("index.db")
        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "UPDATE outgoing_oauth_connections SET create_at = abs(random()) % 3")
        }
        return World(folder: folder, store: store, connections: try await store.listConnections(),
                     commands: try await store.listCommands(teamId: nil), audiences: drafts.flatMap(\.audiences))
    }

    static func outcome<T>(_ body: () async throws -> T, id: (T) -> String) async -> String {
        do { return id(try await body()) } catch { return "\(error)" }
    }

    @Test func matchAndNearMissesAgreeWithTheMatcher() async throws {
        await propertyCheck(count: 60, input: Gen.int(in: 0...100_000).array(of: 0...40), Gen.int(in: 0...100_000).array(of: 1...30)) { seeds, probes in
            let world = try await Self.world(seeds, commandSeeds: [])
            defer { world.folder.cleanup() }
            let matcher = AudienceMatcher(connections: world.connections)
            for (index, seed) in probes.enumerated() {
                let url = Self.probe(seed % Self.urlCount, variant: index, audiences: world.audiences)
                let indexed = try await world.store.resolveAudience(url)
                #expect(indexed.result == matcher.resolve(url), "\(url)")
                #expect(indexed.connection?.id == indexed.result.match?.connection.id)
                #expect(indexed.hasConnections == !world.connections.isEmpty)
            }
        }
    }

    @Test func lookupsByNameOrIdAgreeWithStoreLookup() async throws {
        await propertyCheck(count: 40, input: Gen.int(in: 0...100_000).array(of: 0...30), Gen.int(in: 0...100_000).array(of: 1...20)) { seeds, keys in
            let world = try await Self.world(seeds, commandSeeds: seeds)
            defer { world.folder.cleanup() }
            for seed in keys {
                let name = Self.names[seed % Self.names.count] + (seed % 3 == 0 ? "" : "\(seed % 5)")
                let byId = world.connections.isEmpty ? name : world.connections[seed % world.connections.count].id
                for key in [name, name.lowercased(), name.uppercased(), byId, " " + name] {
                    let indexed = await Self.outcome({ try await world.store.findConnection(key) }, id: \.id)
                    let listed = await Self.outcome({ try StoreLookup.connection(key, in: world.connections) }, id: \.id)
                    #expect(indexed == listed, "\(key)")
                }
                let trigger = world.commands.isEmpty ? "t1" : world.commands[seed % world.commands.count].trigger
                let commandId = world.commands.isEmpty ? "none" : world.commands[seed % world.commands.count].id
                for key in [trigger, "/" + trigger, " /" + trigger.uppercased(), "t\(seed % 7)", commandId] {
                    let indexed = await Self.outcome({ try await world.store.findCommand(key, teamId: nil) }, id: \.id)
                    let listed = await Self.outcome({ try StoreLookup.command(key, in: world.commands) }, id: \.id)
                    #expect(indexed == listed, "\(key)")
                }
            }
        }
    }

    @Test func overlapsAndUsageAgreeWithTheWholeLists() async throws {
        await propertyCheck(count: 40, input: Gen.int(in: 0...100_000).array(of: 1...30), Gen.int(in: 0...100_000).array(of: 0...40)) { seeds, commandSeeds in
            let world = try await Self.world(seeds, commandSeeds: commandSeeds)
            defer { world.folder.cleanup() }
            let whole = try await Inventory.load(from: world.store).linkage
            for connection in world.connections {
                let peers = try await world.store.overlapPeers(of: connection)
                let others = world.connections.filter { $0.id != connection.id }
                #expect(AudienceMatcher(connections: peers).overlaps(for: connection) == AudienceMatcher(connections: others).overlaps(for: connection))
                let usage = try await world.store.usageInventory(of: connection).linkage
                #expect(usage.usedBy(connection.id) == whole.usedBy(connection.id))
                #expect(usage.usageLine(for: connection.id) == whole.usageLine(for: connection.id))
            }
        }
    }

    /// 10,000 connections, 2,000 probes: the same answers at the size the benchmark measures.
    @Test func atScaleTheIndexAnswersAsTheMatcher() async throws {
        var random = SplitMix(seed: 18)
        let seeds = (0..<10_000).map { _ in Int(random.next() % 1_000_000) }
        let world = try await Self.world(seeds, commandSeeds: [])
        defer { world.folder.cleanup() }
        #expect(world.connections.count > 1_000) // enough distinct audiences survive the refusal of taken ones
        let matcher = AudienceMatcher(connections: world.connections)
        var linked = 0, nearMisses = 0
        for index in 0..<2_000 {
            let url = Self.probe(Int(random.next() % UInt64(Self.urlCount)), variant: index, audiences: world.audiences)
            let indexed = try await world.store.resolveAudience(url).result
            #expect(indexed == matcher.resolve(url), "\(url)")
            if indexed.match != nil { linked += 1 }
            if !indexed.nearMisses.isEmpty { nearMisses += 1 }
        }
        // The probes reach every kind of answer.
        #expect(linked > 100)
        #expect(nearMisses > 10)
    }

    /// A database written before v5-lookup-keys gets its keys on opening, from the rows it holds.
    @Test func theMigrationKeysExistingRows() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.file("v4.db")
        let queue = try DatabaseQueue(path: path)
        try SQLiteSchema.migrator.migrate(queue, upTo: "v4-changed-by")
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO outgoing_oauth_connections (id, creator_id, create_at, update_at, name, client_id, oauth_token_url, grant_type)
                VALUES ('c1', 'u', 1, 1, 'Payroll', 'c', 'https://idp/t', 'client_credentials'),
                       ('c2', 'u', 2, 2, 'Broad', 'c', 'https://idp/t', 'client_credentials');
                INSERT INTO connection_secrets (connection_id, client_secret) VALUES ('c1', 's'), ('c2', 's');
                INSERT INTO connection_audiences (connection_id, position, audience) VALUES
                    ('c1', 0, ' https://pay.example.com/run '), ('c2', 0, 'https://pay.example.com/*');
                INSERT INTO teams (id, name, create_at) VALUES ('t', 'main', 1);
                INSERT INTO commands (id, token, create_at, update_at, creator_id, team_id, trigger, method, url)
                VALUES ('k1', 'tok', 1, 1, 'u', 't', 'payslip', 'P', 'https://pay.example.com/run');
                """)
        }
        try queue.close()
        let store = try SQLiteStore(path: path)
        #expect(try await store.resolveAudience("https://pay.example.com/run").result.match?.connection.id == "c1")
        #expect(try await store.resolveAudience("https://pay.example.com/other").result.match?.connection.id == "c2")
        #expect(try await store.resolveAudience("https://PAY.example.com/run").result.nearMisses.map(\.connection.id) == ["c1", "c2"])
        let matcher = AudienceMatcher(connections: try await store.listConnections())
        for url in ["https://pay.example.com/run", " https://pay.example.com/run/", "http://pay.example.com/x", "https://PAY.example.com/run"] {
            #expect(try await store.resolveAudience(url).result == matcher.resolve(url), "\(url)")
        }
        #expect(try await store.findConnection("PAYROLL").id == "c1")
        #expect(try await store.findCommand("/PaySlip", teamId: nil).id == "k1")
        let payroll = try await store.connection(id: "c1")
        #expect(try await store.usageInventory(of: payroll).linkage.usedBy("c1").map(\.id) == ["k1"])
        #expect(try await store.overlapPeers(of: payroll).map(\.id) == ["c2"])
    }
}
