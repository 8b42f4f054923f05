import GRDB

/// One-item answers read from the indexes (v5-lookup-keys): what the whole-list defaults in
/// StoreReads.swift answer, reading only the rows the answer names.
extension SQLiteStore {
    public func resolveAudience(_ url: String) async throws -> AudienceResolution {
        try await reading { db in
            let result = try SQLiteAudienceQuery.resolve(db, url)
            let connection = try result.match.flatMap { try Self.fetchConnections(db, ids: [$0.connection.id]).first }
            let hasConnections = try result.match != nil
                || Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM outgoing_oauth_connections)") == true
            return AudienceResolution(result: result, connection: connection, hasConnections: hasConnections)
        }
    }

    public func findConnection(_ key: String) async throws -> OutgoingOAuthConnection {
        try await reading { db in try Self.findConnection(db.sqlite, key: key) }
    }

    /// On any open connection, also one GRDB did not open (`earlyConnection`).
    static func findConnection(_ connection: OpaquePointer, key: String) throws -> OutgoingOAuthConnection {
        // Every connection StoreLookup could pick: by id, by name, by name in any letter case.
        var ids: [String] = []
        try SQLiteRows.each(connection, "SELECT id FROM outgoing_oauth_connections WHERE id = ? OR name_key = ?", [key, LookupKey.folded(key)]) { row in
            ids.append(row.text(0))
        }
        return try StoreLookup.connection(key, in: fetchConnections(connection, ids: ids))
    }

    public func findCommand(_ key: String, teamId: String?) async throws -> SlashCommand {
        var trigger = key.trimmingWhitespace()
        if trigger.hasPrefix("/") { trigger.removeFirst() }
        let typed = trigger
        return try await reading { db in
            var arguments = [key, typed, LookupKey.folded(typed)]
            var team = ""
            if let teamId {
                team = "AND team_id = ?"
                arguments.append(teamId)
            }
            let candidates = try Self.fetchCommands(db, where: "WHERE (id = ? OR id = ? OR trigger_key = ?) \(team)", arguments)
            return try StoreLookup.command(key, in: candidates)
        }
    }

    public func overlapPeers(of connection: OutgoingOAuthConnection) async throws -> [OutgoingOAuthConnection] {
        try await reading { db in
            var ids = Set<String>()
            for raw in connection.audiences {
                let keys = AudienceKeys(raw)
                guard let text = keys.matchText else { continue }
                // Wildcards that cover this audience, and what this wildcard covers.
                ids.formUnion(try SQLiteAudienceQuery.wildcards(db, column: "match_text", amongPrefixesOf: text).map(\.connectionId))
                if keys.isWildcard {
                    ids.formUnion(try SQLiteAudienceQuery.audiences(db, startingWith: text).map(\.connectionId))
                }
            }
            ids.remove(connection.id)
            return try Self.fetchConnections(db, ids: Array(ids))
        }
    }

    public func usageInventory(of connection: OutgoingOAuthConnection) async throws -> Inventory {
        try await reading { db in
            // Only a command whose URL one of these audiences covers can go out with the connection.
            var commandIDs = Set<String>()
            for raw in connection.audiences {
                let keys = AudienceKeys(raw)
                guard let text = keys.matchText else { continue }
                commandIDs.formUnion(try Self.commandIDs(db, urlsCoveredBy: text, wildcard: keys.isWildcard))
            }
            let commands = try Self.fetchCommands(db, ids: commandIDs)
            // Each one's winner, so that the linkage over these connections is the linkage over all.
            var connectionIDs: Set = [connection.id]
            for command in commands {
                if let winner = try SQLiteAudienceQuery.match(db, command.url.trimmingWhitespace()) { connectionIDs.insert(winner.connection.id) }
            }
            let teams = Dictionary(try Self.fetchTeams(db.sqlite).map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
            return Inventory(connections: try Self.fetchConnections(db, ids: Array(connectionIDs)), commands: commands,
                             webhooks: .notChecked(reason: WebhookListing.localReason), teamNames: teams)
        }
    }

    private static func commandIDs(_ db: Database, urlsCoveredBy text: String, wildcard: Bool) throws -> [String] {
        guard wildcard else { return try String.fetchAll(db, sql: "SELECT id FROM commands WHERE match_url = ?", arguments: [text]) }
        let bytes = Array(text.utf8)
        let range = LookupKey.upperBound(ofPrefix: text).map { ("match_url >= ? AND match_url < ?", StatementArguments([text, $0])) }
            ?? ("1", StatementArguments())
        return try Row.fetchAll(db, sql: "SELECT id, match_url FROM commands WHERE \(range.0)", arguments: range.1)
            .filter { ($0[1] as String).utf8.starts(with: bytes) }.map { $0[0] }
    }

    /// In the list's order (trigger, team).
    private static func fetchCommands(_ db: Database, ids: Set<String>) throws -> [SlashCommand] {
        guard !ids.isEmpty else { return [] }
        if ids.count > 500 {
            return try fetchCommands(db, where: "", []).filter { ids.contains($0.id) }
        }
        let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ", ")
        return try fetchCommands(db, where: "WHERE id IN (\(placeholders))", Array(ids))
    }
}
