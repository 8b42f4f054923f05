import GRDB
import GRDBSQLite
import Synchronization

/// How the store's rows become connections, commands and teams: one decoding, on GRDB's connection
/// for every read, and on a connection of its own for the console's first frame (`earlyLists`).
extension SQLiteStore {
    /// The three lists the console shows, read in one snapshot of the file.
    public struct Lists: Sendable {
        public let connections: [OutgoingOAuthConnection]
        public let commands: [SlashCommand]
        public let teams: [Team]
    }

    /// The lists of a file this version can read, on a read-only connection of their own, before
    /// GRDB opens the file (issue 18: the console's first frame need not wait for that). nil when
    /// anything is not as expected (no file yet, not ours, a newer or too old schema, a lock) or the
    /// read is interrupted: the store's own open then says what, and its reads take over. Writes
    /// nothing; a file no connection has open is read as immutable (`QuietFile`), and nothing
    /// appears beside it.
    public static func earlyLists(path: String, interruption: ReadInterruption = ReadInterruption()) -> Lists? {
        earlyRead(path: path, interruption: interruption) { connection in
            Lists(connections: try fetchConnections(connection, ids: nil), commands: try fetchCommands(connection, where: "", []),
                  teams: try fetchTeams(connection))
        }
    }

    /// A saved connection and its secrets, found by id or name as `findConnection` finds it, read
    /// the same way as `earlyLists` (issue 18: `connections validate NAME` requests its token while
    /// GRDB opens the file). nil when that read cannot answer, or the key names none or several.
    public static func earlyConnection(path: String, key: String) -> (connection: OutgoingOAuthConnection, credentials: ConnectionCredentials)? {
        earlyRead(path: path, interruption: ReadInterruption()) { connection in
            // None, several, or no secrets row: nil, and the store's own lookup says why.
            guard let found = try? findConnection(connection, key: key) else { return nil }
            return (found, try credentials(connection, forConnection: found.id))
        }
    }

    /// `read` on a read-only connection of its own, in one snapshot of a file this version reads
    /// as it is; nil when it cannot (see `earlyLists`) or `read` gives nil or throws.
    private static func earlyRead<Answer>(path: String, interruption: ReadInterruption, _ read: (OpaquePointer) throws -> Answer?) -> Answer? {
        guard let header = DatabaseFile.oursHeader(path) else { return nil }
        if let quiet = QuietFile(path: path, header: header) {
            // Without locks: kept only if no connection opened the file meanwhile.
            let answer = earlyRead(quiet.immutableURI, flags: SQLITE_OPEN_URI, interruption: interruption, read)
            if let answer, quiet.isStillQuiet { return answer }
            if interruption.interrupted { return nil }
        }
        return earlyRead(path, flags: 0, interruption: interruption, read)
    }

    private static func earlyRead<Answer>(_ file: String, flags: Int32, interruption: ReadInterruption,
                                          _ read: (OpaquePointer) throws -> Answer?) -> Answer? {
        var opened: OpaquePointer?
        defer { sqlite3_close(opened) }
        // One thread uses it (`sqlite3_interrupt` takes no lock): no mutex on every call.
        guard sqlite3_open_v2(file, &opened, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | flags, nil) == SQLITE_OK, let connection = opened,
              interruption.begin(connection) else { return nil }
        defer { interruption.end() }
        sqlite3_busy_timeout(connection, 100)
        // One snapshot of the file for everything read.
        guard sqlite3_exec(connection, "BEGIN", nil, nil, nil) == SQLITE_OK else { return nil }
        defer { sqlite3_exec(connection, "COMMIT", nil, nil, nil) }
        do {
            // A newer backstage's migrations: the store refuses the file and says why.
            let known = SQLiteSchema.identifiers
            var superseded = false
            try SQLiteRows.each(connection, "SELECT identifier FROM grdb_migrations") { row in
                if !known.contains(row.text(0)) { superseded = true }
            }
            guard !superseded else { return nil }
            return try read(connection)
        } catch {
            return nil
        }
    }

    /// The connections with these ids (every one when nil), in the list's order.
    static func fetchConnections(_ db: Database, ids: [String]?) throws -> [OutgoingOAuthConnection] {
        try fetchConnections(db.sqlite, ids: ids)
    }

    static func fetchConnections(_ connection: OpaquePointer, ids: [String]?) throws -> [OutgoingOAuthConnection] {
        if let ids, ids.isEmpty { return [] }
        if let ids, ids.count > 500 {
            // Past SQLite's limit on parameters, and most of the table anyway: read it all.
            let wanted = Set(ids)
            return try fetchConnections(connection, ids: nil).filter { wanted.contains($0.id) }
        }
        let placeholders = ids.map { Array(repeating: "?", count: $0.count).joined(separator: ", ") } ?? ""
        let arguments = ids ?? []
        var audiences: [String: [String]] = [:]
        let audienceFilter = ids == nil ? "" : "WHERE connection_id IN (\(placeholders))"
        try SQLiteRows.each(connection, "SELECT connection_id, audience FROM connection_audiences \(audienceFilter) ORDER BY connection_id, position",
                            arguments) { row in
            audiences[row.text(0), default: []].append(row.text(1))
        }
        var connections: [OutgoingOAuthConnection] = []
        try SQLiteRows.each(connection, """
            SELECT id, creator_id, create_at, update_at, name, client_id, credentials_username, oauth_token_url, grant_type,
                   last_validated_at, last_validation_ok, last_validation_message, changed_by
            FROM outgoing_oauth_connections \(ids == nil ? "" : "WHERE id IN (\(placeholders))") ORDER BY name COLLATE NOCASE, create_at, id
            """, arguments) { row in
            // By position, in the order selected above.
            let id = row.text(0)
            var connection = OutgoingOAuthConnection(
                id: id, creatorId: row.text(1), createAt: row.int64(2), updateAt: row.int64(3),
                name: row.text(4), clientId: row.text(5), credentialsUsername: row.optionalText(6),
                oauthTokenURL: row.text(7),
                grantType: OutgoingOAuthConnection.GrantType(rawValue: row.text(8)) ?? .clientCredentials,
                audiences: audiences[id] ?? [])
            connection.lastValidation = row.optionalInt64(9).map {
                ValidationRecord(at: $0, ok: row.bool(10), message: row.text(11))
            }
            connection.changedBy = row.optionalText(12)
            connections.append(connection)
        }
        return connections
    }

    /// The commands `filter` (a WHERE clause, or empty: all) selects, in the list's order (trigger, team).
    static func fetchCommands(_ db: Database, where filter: String, _ arguments: [String]) throws -> [SlashCommand] {
        try fetchCommands(db.sqlite, where: filter, arguments)
    }

    private static func fetchCommands(_ connection: OpaquePointer, where filter: String, _ arguments: [String]) throws -> [SlashCommand] {
        var commands: [SlashCommand] = []
        try SQLiteRows.each(connection, """
            SELECT id, token, create_at, update_at, delete_at, creator_id, team_id, trigger, method, username, icon_url,
                   auto_complete, auto_complete_desc, auto_complete_hint, display_name, description, url, plugin_id, changed_by
            FROM commands \(filter) ORDER BY trigger, team_id
            """, arguments) { row in
            var command = SlashCommand(
                id: row.text(0), token: row.text(1), createAt: row.int64(2), updateAt: row.int64(3), deleteAt: row.int64(4),
                creatorId: row.text(5), teamId: row.text(6), trigger: row.text(7),
                method: SlashCommand.Method(rawValue: row.text(8)) ?? .post, username: row.text(9), iconURL: row.text(10),
                autoComplete: row.bool(11), autoCompleteDesc: row.text(12), autoCompleteHint: row.text(13),
                displayName: row.text(14), description: row.text(15), url: row.text(16), pluginId: row.text(17))
            command.changedBy = row.optionalText(18)
            commands.append(command)
        }
        return commands
    }

    /// Every team of the file, by name.
    static func fetchTeams(_ connection: OpaquePointer) throws -> [Team] {
        var teams: [Team] = []
        try SQLiteRows.each(connection, "SELECT id, name FROM teams ORDER BY name") { row in
            teams.append(Team(id: row.text(0), name: row.text(1)))
        }
        return teams
    }
}

/// Stops an early read from another thread (the console ended while a large file was read).
public final class ReadInterruption: Sendable {
    private struct State {
        /// The open connection's address (a pointer is not Sendable).
        var connection: Int?
        var interrupted = false
    }

    private let state = Mutex(State())

    public init() {}

    public var interrupted: Bool { state.withLock { $0.interrupted } }

    public func interrupt() {
        state.withLock { state in
            state.interrupted = true
            // SQLite allows it from any thread while the connection is open; `end` clears it first.
            if let connection = state.connection.flatMap(OpaquePointer.init(bitPattern:)) { sqlite3_interrupt(connection) }
        }
    }

    /// False if already interrupted.
    fileprivate func begin(_ connection: OpaquePointer) -> Bool {
        state.withLock { state in
            guard !state.interrupted else { return false }
            state.connection = Int(bitPattern: connection)
            return true
        }
    }

    fileprivate func end() {
        state.withLock { $0.connection = nil }
    }
}

extension Database {
    /// SQLite's handle of this open connection (GRDB hands out a `Database` only while it is open).
    var sqlite: OpaquePointer {
        get throws {
            guard let connection = sqliteConnection else {
                throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the database is closed")
            }
            return connection
        }
    }
}
