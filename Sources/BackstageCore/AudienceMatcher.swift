/// Which connection's audience a request URL falls under (our decisions 0.1–0.3 in the spec):
/// an exact audience equals the trimmed URL byte for byte; an audience ending in `*` covers every
/// URL that starts with the text before the `*`. Exact beats wildcard, the longest wildcard prefix
/// wins, then the connection created first.
///
/// Built once per list of connections; a lookup hashes every prefix of the URL in one pass and
/// probes one table per distinct wildcard length, so it costs O(URL length + distinct lengths),
/// whatever the number of audiences.
public struct AudienceMatcher: Sendable {
    public struct ConnectionRef: Sendable, Hashable {
        public let id: String
        public let name: String
    }

    struct Entry: Sendable {
        let connection: Int32
        let audience: String
        /// The whole audience (exact) or the text before the `*` (wildcard), as UTF-8.
        let text: [UInt8]
        let isWildcard: Bool
    }

    let connections: [ConnectionRef]
    /// Position of each connection in creation order: the tie-break.
    let rank: [Int32]
    let entries: [Entry]
    let exactTable: [UInt64: [Int32]]
    let wildcardTable: [UInt64: [Int32]]
    /// Distinct wildcard prefix lengths, longest first.
    let wildcardLengths: [Int]
    /// Entries sorted by text, to find every audience a new wildcard would cover.
    let sortedByText: [Int32]
    let nearMissIndex: NearMissIndex

    public init(connections list: [OutgoingOAuthConnection]) {
        connections = list.map { ConnectionRef(id: $0.id, name: $0.name) }
        let order = list.indices.sorted { a, b in
            (list[a].createAt, list[a].id) < (list[b].createAt, list[b].id)
        }
        var rank = [Int32](repeating: 0, count: list.count)
        for (position, index) in order.enumerated() { rank[index] = Int32(position) }
        self.rank = rank

        var entries: [Entry] = []
        var exact: [UInt64: [Int32]] = [:]
        var wildcard: [UInt64: [Int32]] = [:]
        var lengths = Set<Int>()
        for (connectionIndex, connection) in list.enumerated() {
            for raw in connection.audiences {
                let audience = raw.trimmingWhitespace()
                guard !audience.isEmpty else { continue }
                let isWildcard = audience.hasSuffix("*")
                let text = Array((isWildcard ? String(audience.dropLast()) : audience).utf8)
                let entryIndex = Int32(entries.count)
                entries.append(Entry(connection: Int32(connectionIndex), audience: audience, text: text, isWildcard: isWildcard))
                let key = PrefixHash.whole(text)
                if isWildcard {
                    wildcard[key, default: []].append(entryIndex)
                    lengths.insert(text.count)
                } else {
                    exact[key, default: []].append(entryIndex)
                }
            }
        }
        self.entries = entries
        exactTable = exact
        wildcardTable = wildcard
        wildcardLengths = lengths.sorted(by: >)
        sortedByText = entries.indices.map(Int32.init).sorted { entries[Int($0)].text.lexicographicallyPrecedes(entries[Int($1)].text) }
        nearMissIndex = NearMissIndex(entries: entries)
    }

    public var isEmpty: Bool { connections.isEmpty }
    public var audienceCount: Int { entries.count }

    // MARK: Lookup

    /// The audience that applies to `url`, or nil.
    public func match(_ url: String) -> AudienceMatch? {
        let bytes = Array(url.trimmingWhitespace().utf8)
        return PrefixHash.withPrefixHashes(of: bytes) { hashes in bestMatch(bytes, hashes) }
    }

    /// The match, or when there is none, the audiences it would match but for letter case,
    /// a trailing slash, a default port or http/https.
    /// Why `url`, trimmed as `resolve` trims it, has no linkage at all: it is not a URL Mattermost
    /// accepts (a command could not have it).
    public static func problem(in url: String) -> HTTPURL.Problem? {
        HTTPURL.problem(in: url.trimmingWhitespace())
    }

    public func resolve(_ url: String) -> MatchResult {
        let trimmed = url.trimmingWhitespace()
        if let match = match(trimmed) { return MatchResult(url: trimmed, match: match, nearMisses: []) }
        // Oldest connection first, then by audience; ranks come from the index, never a scan.
        let misses = nearMissIndex.nearMisses(for: trimmed)
            .sorted { a, b in
                let (ea, eb) = (entries[Int(a.0)], entries[Int(b.0)])
                return (rank[Int(ea.connection)], ea.audience) < (rank[Int(eb.connection)], eb.audience)
            }
            .map { entryIndex, reasons in
                let entry = entries[Int(entryIndex)]
                return NearMiss(connection: connections[Int(entry.connection)], audience: entry.audience, reasons: reasons)
            }
        return MatchResult(url: trimmed, match: nil, nearMisses: misses)
    }

    /// The audience that would apply to `url` were the connection `excluded` not there (the
    /// impact of editing or deleting it), without building a matcher for the rest.
    public func match(_ url: String, excluding excluded: String) -> AudienceMatch? {
        guard let index = connections.firstIndex(where: { $0.id == excluded }) else { return match(url) }
        let bytes = Array(url.trimmingWhitespace().utf8)
        return PrefixHash.withPrefixHashes(of: bytes) { hashes in bestMatch(bytes, hashes, excluding: Int32(index)) }
    }

    private func bestMatch(_ bytes: [UInt8], _ hashes: UnsafeBufferPointer<UInt64>, excluding excluded: Int32 = -1) -> AudienceMatch? {
        if let winner = best(in: exactTable[hashes[bytes.count]], where: { $0.connection != excluded && !$0.isWildcard && $0.text == bytes }) {
            return makeMatch(winner)
        }
        for length in wildcardLengths where length <= bytes.count {
            if let winner = best(in: wildcardTable[hashes[length]], where: {
                $0.connection != excluded && $0.text.count == length && bytes.starts(with: $0.text)
            }) {
                return makeMatch(winner)
            }
        }
        return nil
    }

    private func best(in candidates: [Int32]?, where accept: (Entry) -> Bool) -> Int32? {
        guard let candidates else { return nil }
        var winner: Int32?
        for candidate in candidates where accept(entries[Int(candidate)]) {
            if let current = winner, rank[Int(entries[Int(current)].connection)] <= rank[Int(entries[Int(candidate)].connection)] { continue }
            winner = candidate
        }
        return winner
    }

    private func makeMatch(_ entryIndex: Int32) -> AudienceMatch {
        let entry = entries[Int(entryIndex)]
        return AudienceMatch(connection: connections[Int(entry.connection)], audience: entry.audience, isWildcard: entry.isWildcard)
    }

    // MARK: Checks on save

    /// Audiences of `candidate` that another connection already has, with Mattermost's message.
    public func duplicateAudienceErrors(for candidate: OutgoingOAuthConnection) -> [FieldError] {
        var errors: [FieldError] = []
        for raw in candidate.audiences {
            let audience = raw.trimmingWhitespace()
            let isWildcard = audience.hasSuffix("*")
            let text = Array((isWildcard ? String(audience.dropLast()) : audience).utf8)
            let table = isWildcard ? wildcardTable : exactTable
            let taken = table[PrefixHash.whole(text)]?.contains { index in
                let entry = entries[Int(index)]
                return entry.isWildcard == isWildcard && entry.text == text && connections[Int(entry.connection)].id != candidate.id
            } ?? false
            if taken {
                errors.append(AudienceRules.alreadyTaken(audience))
            }
        }
        return errors
    }

    /// Where `candidate`'s audiences and other connections' audiences cover each other through a
    /// wildcard: allowed, but worth a warning, since the longer prefix silently wins.
    public func overlaps(for candidate: OutgoingOAuthConnection) -> [AudienceOverlap] {
        let me = ConnectionRef(id: candidate.id, name: candidate.name)
        var found: [AudienceOverlap] = []
        for raw in candidate.audiences {
            let audience = raw.trimmingWhitespace()
            guard !audience.isEmpty else { continue }
            let isWildcard = audience.hasSuffix("*")
            let text = Array((isWildcard ? String(audience.dropLast()) : audience).utf8)
            // Other connections' wildcards that cover this audience.
            PrefixHash.withPrefixHashes(of: text) { hashes in
                for length in wildcardLengths where length <= text.count {
                    for index in wildcardTable[hashes[length]] ?? [] {
                        let entry = entries[Int(index)]
                        let other = connections[Int(entry.connection)]
                        guard other.id != candidate.id, entry.text.count == length, text.starts(with: entry.text) else { continue }
                        if isWildcard && length == text.count { continue } // same string: a duplicate, not an overlap
                        found.append(AudienceOverlap(wildcard: entry.audience, wildcardOwner: other, covered: audience, coveredOwner: me))
                    }
                }
            }
            // Other connections' audiences that this wildcard covers.
            if isWildcard {
                for index in entriesWithPrefix(text) {
                    let entry = entries[Int(index)]
                    let other = connections[Int(entry.connection)]
                    guard other.id != candidate.id, !(entry.isWildcard && entry.text.count == text.count) else { continue }
                    found.append(AudienceOverlap(wildcard: audience, wildcardOwner: me, covered: entry.audience, coveredOwner: other))
                }
            }
        }
        return found
    }

    /// Every overlap between the indexed connections, each pair once.
    public func allOverlaps() -> [AudienceOverlap] {
        var found: [AudienceOverlap] = []
        for entry in entries {
            PrefixHash.withPrefixHashes(of: entry.text) { hashes in
                for length in wildcardLengths where length <= entry.text.count {
                    for index in wildcardTable[hashes[length]] ?? [] {
                        let wildcard = entries[Int(index)]
                        guard wildcard.connection != entry.connection, wildcard.text.count == length,
                              entry.text.starts(with: wildcard.text),
                              !(entry.isWildcard && length == entry.text.count) else { continue }
                        found.append(AudienceOverlap(
                            wildcard: wildcard.audience, wildcardOwner: connections[Int(wildcard.connection)],
                            covered: entry.audience, coveredOwner: connections[Int(entry.connection)]))
                    }
                }
            }
        }
        return found
    }

    private func entriesWithPrefix(_ prefix: [UInt8]) -> ArraySlice<Int32> {
        var low = 0, high = sortedByText.count
        while low < high {
            let mid = (low + high) / 2
            if entries[Int(sortedByText[mid])].text.lexicographicallyPrecedes(prefix) { low = mid + 1 } else { high = mid }
        }
        var end = low
        while end < sortedByText.count, entries[Int(sortedByText[end])].text.starts(with: prefix) { end += 1 }
        return sortedByText[low..<end]
    }
}

public struct AudienceMatch: Sendable, Equatable {
    public let connection: AudienceMatcher.ConnectionRef
    public let audience: String
    public let isWildcard: Bool
}

public struct MatchResult: Sendable, Equatable {
    public let url: String
    public let match: AudienceMatch?
    public let nearMisses: [NearMiss]

}

public struct AudienceOverlap: Sendable, Equatable, CustomStringConvertible {
    public let wildcard: String
    public let wildcardOwner: AudienceMatcher.ConnectionRef
    public let covered: String
    public let coveredOwner: AudienceMatcher.ConnectionRef

    public var description: String {
        // Shown in forms, details and the CLI: a password written into a URL stays masked.
        "\(HTTPURL.maskingCredentials(wildcard)) (\"\(wildcardOwner.name)\") also covers \(HTTPURL.maskingCredentials(covered)) (\"\(coveredOwner.name)\"); the longer match wins"
    }
}

/// Polynomial hashes of every prefix of a byte string, so that the hash of any prefix of a URL is
/// one array read. The length is mixed in; candidates are always verified byte for byte.
enum PrefixHash {
    private static let base: UInt64 = 0x100000001B3

    static func whole(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0
        for byte in bytes { hash = hash &* base &+ UInt64(byte) &+ 1 }
        return finish(hash, bytes.count)
    }

    static func withPrefixHashes<R>(of bytes: [UInt8], _ body: (UnsafeBufferPointer<UInt64>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: bytes.count + 1) { buffer in
            var hash: UInt64 = 0
            buffer[0] = finish(0, 0)
            for (index, byte) in bytes.enumerated() {
                hash = hash &* base &+ UInt64(byte) &+ 1
                buffer[index + 1] = finish(hash, index + 1)
            }
            return body(UnsafeBufferPointer(buffer))
        }
    }

    private static func finish(_ hash: UInt64, _ length: Int) -> UInt64 {
        var mixed = hash ^ (UInt64(length) &* 0x9E3779B97F4A7C15)
        mixed ^= mixed >> 33
        mixed = mixed &* 0xFF51AFD7ED558CCD
        mixed ^= mixed >> 33
        return mixed
    }
}
