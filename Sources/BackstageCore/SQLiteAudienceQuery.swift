import GRDB

/// The in-memory matcher's answers, read from the audience indexes (v5-lookup-keys): an exact
/// audience is one index probe; wildcards and near misses are probed with every prefix of the URL
/// (O(URL length × log n)), so a lookup costs the same at 5 connections as at 100,000.
enum SQLiteAudienceQuery {
    struct Hit {
        let connectionId: String
        let name: String
        let createAt: Int64
        let matchText: String
        let isWildcard: Bool
        let looseKey: String?

        var audience: String { AudienceKeys.audience(matchText: matchText, isWildcard: isWildcard) }
        var ref: AudienceMatcher.ConnectionRef { AudienceMatcher.ConnectionRef(id: connectionId, name: name) }
        /// The matcher's tie-break: the connection created first, then the smaller id.
        var rank: (Int64, String) { (createAt, connectionId) }
    }

    /// SQLite refuses statements with too many parameters; a URL may be long.
    private static let chunk = 500

    static func resolve(_ db: Database, _ url: String) throws -> MatchResult {
        let trimmed = url.trimmingWhitespace()
        if let match = try match(db, trimmed) { return MatchResult(url: trimmed, match: match, nearMisses: []) }
        return MatchResult(url: trimmed, match: nil, nearMisses: try nearMisses(db, trimmed))
    }

    /// Exact beats wildcard, the longest wildcard prefix wins, then the oldest connection.
    static func match(_ db: Database, _ trimmed: String) throws -> AudienceMatch? {
        let bytes = Array(trimmed.utf8)
        let exact = try hits(db, "a.is_wildcard = 0 AND a.match_text = ?", [trimmed]).filter { $0.matchText.utf8.elementsEqual(bytes) }
        if let winner = oldest(exact) { return AudienceMatch(connection: winner.ref, audience: winner.audience, isWildcard: false) }
        let covering = try wildcards(db, column: "match_text", amongPrefixesOf: trimmed).filter { bytes.starts(with: $0.matchText.utf8) }
        guard let longest = covering.map(\.matchText.utf8.count).max(),
              let winner = oldest(covering.filter { $0.matchText.utf8.count == longest }) else { return nil }
        return AudienceMatch(connection: winner.ref, audience: winner.audience, isWildcard: true)
    }

    /// As NearMissIndex: exact audiences equal but for case, slash, port or scheme, and wildcards
    /// whose loose prefix covers the URL's; oldest connection first, then by audience.
    static func nearMisses(_ db: Database, _ trimmed: String) throws -> [NearMiss] {
        guard let loose = LooseURL(trimmed) else { return [] }
        let bareKey = loose.keyWithoutTrailingSlash
        var found: [(Hit, [NearMiss.Reason])] = []
        for hit in try hits(db, "a.is_wildcard = 0 AND a.loose_key = ?", [LookupKey.canonical(bareKey)]) {
            guard let audience = LooseURL(hit.matchText), audience.keyWithoutTrailingSlash == bareKey else { continue }
            let reasons = NearMissIndex.reasons(url: loose, audience: audience,
                                                slashDiffers: loose.rest.hasSuffix("/") != audience.rest.hasSuffix("/"))
            if !reasons.isEmpty { found.append((hit, reasons)) }
        }
        let probe = bareKey + "/"
        let probeBytes = Array(probe.utf8), strictKey = Array(loose.key.utf8)
        for hit in try wildcards(db, column: "loose_key", amongPrefixesOf: probe) {
            guard let text = hit.looseKey.map({ Array($0.utf8) }), probeBytes.starts(with: text),
                  let audience = LooseURL(hit.matchText) else { continue }
            let reasons = NearMissIndex.reasons(url: loose, audience: audience, slashDiffers: !strictKey.starts(with: text))
            if !reasons.isEmpty { found.append((hit, reasons)) }
        }
        return found
            .sorted { a, b in (a.0.createAt, a.0.connectionId, a.0.audience) < (b.0.createAt, b.0.connectionId, b.0.audience) }
            .map { hit, reasons in NearMiss(connection: hit.ref, audience: hit.audience, reasons: reasons) }
    }

    /// Wildcard audiences whose `column` is one of the prefixes of `text`: one index probe each.
    static func wildcards(_ db: Database, column: String, amongPrefixesOf text: String) throws -> [Hit] {
        let prefixes = LookupKey.prefixes(of: text)
        var found: [Hit] = []
        for start in stride(from: 0, to: prefixes.count, by: chunk) {
            let part = Array(prefixes[start..<min(start + chunk, prefixes.count)])
            let placeholders = Array(repeating: "?", count: part.count).joined(separator: ", ")
            found += try hits(db, "a.is_wildcard = 1 AND a.\(column) IN (\(placeholders))", StatementArguments(part))
        }
        return found
    }

    /// Audiences (exact or wildcard) whose match text starts with `prefix`: one range scan.
    static func audiences(_ db: Database, startingWith prefix: String) throws -> [Hit] {
        let bytes = Array(prefix.utf8)
        let range = LookupKey.upperBound(ofPrefix: prefix).map { ("a.match_text >= ? AND a.match_text < ?", StatementArguments([prefix, $0])) }
            ?? ("a.match_text IS NOT NULL", StatementArguments())
        return try hits(db, "a.is_wildcard IN (0, 1) AND \(range.0)", range.1).filter { $0.matchText.utf8.starts(with: bytes) }
    }

    private static func oldest(_ hits: [Hit]) -> Hit? {
        hits.min { $0.rank < $1.rank }
    }

    private static func hits(_ db: Database, _ condition: String, _ arguments: StatementArguments) throws -> [Hit] {
        try Row.fetchAll(db, sql: """
            SELECT a.connection_id, c.name, c.create_at, a.match_text, a.is_wildcard, a.loose_key
            FROM connection_audiences a JOIN outgoing_oauth_connections c ON c.id = a.connection_id
            WHERE \(condition)
            """, arguments: arguments).map { row in
            Hit(connectionId: row[0], name: row[1], createAt: row[2], matchText: row[3], isWildcard: row[4], looseKey: row[5])
        }
    }
}
