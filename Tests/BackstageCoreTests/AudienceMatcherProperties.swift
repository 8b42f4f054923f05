import PropertyBased
import Testing
@testable import BackstageCore

/// The matcher against a plain linear scan of the rules, on random small worlds where collisions
/// of prefixes, case and slashes are common.
@Suite("Audience matcher properties")
struct AudienceMatcherProperties {
    static let schemes = ["https://", "http://", "HTTPS://"]
    static let hosts = ["a.com", "A.com", "b.org"]
    static let ports = ["", ":443", ":80", ":8080"]
    static let paths = ["", "/", "/api", "/api/", "/api/v1", "/api/v1/x", "/x"]

    static func url(_ seed: Int) -> String {
        schemes[seed % 3] + hosts[(seed / 3) % 3] + ports[(seed / 9) % 4] + paths[(seed / 36) % 7]
    }

    static func world(_ seeds: [Int]) -> [OutgoingOAuthConnection] {
        // Each seed is one audience; seeds are grouped three to a connection.
        var connections: [OutgoingOAuthConnection] = []
        for (index, seed) in seeds.enumerated() {
            let audience = url(seed) + (seed % 2 == 0 ? "*" : "")
            if index % 3 == 0 {
                connections.append(connection("c\(index)", [], createdAt: Int64(seed % 5), id: "id\(index)"))
            }
            connections[connections.count - 1].audiences.append(audience)
        }
        return connections
    }

    /// The rules, said the slow way.
    static func reference(_ connections: [OutgoingOAuthConnection], _ url: String) -> (String, String)? {
        let ordered = connections.sorted { ($0.createAt, $0.id) < ($1.createAt, $1.id) }
        for connection in ordered {
            if let audience = connection.audiences.first(where: { $0 == url }) { return (connection.id, audience) }
        }
        var best: (String, String, Int)?
        for connection in ordered {
            for audience in connection.audiences where audience.hasSuffix("*") {
                let prefix = Array(audience.dropLast().utf8)
                if Array(url.utf8).starts(with: prefix), prefix.count > (best?.2 ?? -1) {
                    best = (connection.id, audience, prefix.count)
                }
            }
        }
        return best.map { ($0.0, $0.1) }
    }

    @Test func matchAgreesWithALinearScan() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...2000).array(of: 0...30), Gen.int(in: 0...2000)) { seeds, urlSeed in
            let connections = Self.world(seeds)
            let url = Self.url(urlSeed)
            let found = AudienceMatcher(connections: connections).match(url)
            let expected = Self.reference(connections, url)
            #expect(found?.connection.id == expected?.0)
            #expect(found?.audience == expected?.1)
        }
    }

    @Test func nearMissesAreRealAndOnlyWhenNothingMatches() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...2000).array(of: 1...30), Gen.int(in: 0...2000)) { seeds, urlSeed in
            let connections = Self.world(seeds)
            let url = Self.url(urlSeed)
            let result = AudienceMatcher(connections: connections).resolve(url)
            if result.match != nil { #expect(result.nearMisses.isEmpty) }
            for miss in result.nearMisses {
                #expect(!miss.reasons.isEmpty)
                // Undoing the named differences makes the URL match that audience.
                let loose = LooseURL(url)!
                let audience = miss.audience.hasSuffix("*") ? String(miss.audience.dropLast()) : miss.audience
                let audienceLoose = LooseURL(audience)!
                if miss.audience.hasSuffix("*") {
                    #expect((loose.keyWithoutTrailingSlash + "/").hasPrefix(audienceLoose.key))
                } else {
                    #expect(loose.keyWithoutTrailingSlash == audienceLoose.keyWithoutTrailingSlash)
                }
            }
        }
    }

    @Test func overlapsAreSymmetricWithAllOverlaps() async {
        await propertyCheck(count: 100, input: Gen.int(in: 0...2000).array(of: 1...24)) { seeds in
            let connections = Self.world(seeds)
            let all = AudienceMatcher(connections: connections).allOverlaps()
            for candidate in connections {
                let others = AudienceMatcher(connections: connections.filter { $0.id != candidate.id })
                let mine = others.overlaps(for: candidate).map { "\($0)" }.sorted()
                let expected = all.filter { $0.wildcardOwner.id == candidate.id || $0.coveredOwner.id == candidate.id }.map { "\($0)" }.sorted()
                #expect(mine == expected)
            }
        }
    }
}
