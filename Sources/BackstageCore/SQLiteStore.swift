import Foundation
import GRDB
import GRDBSQLite

/// The embedded store: one SQLite file (WAL, busy timeout, 0600), safe for two admins on one box.
/// Calls are serialised on one connection; they run off the caller's thread.
public final class SQLiteStore: Store {
    public let location: String
    private let queue: DatabaseQueue

    /// Opens (creating if needed) the database at `path`. A file that is not a backstage
    /// database, is corrupt or unreadable is refused and left untouched. Its directory must exist
    /// unless `createsDirectory` (the default location, `DatabaseFile.location`).
    /// Who saves through this store (`--actor`), recorded with each item saved; nil: nobody named.
    public let actor: String?

    /// When a commit reaches the disk.
    public enum Durability: Sendable {
        /// Each save is on disk when it returns (the console, open for hours).
        case eachCommit
        /// Commits go to the write-ahead log unsynced and closing the file syncs them once (a
        /// one-shot CLI command, which closes its store before it exits): SQLite's WAL with
        /// `synchronous = NORMAL`. A process that dies in between keeps its commits; only a power
        /// cut can lose them, and the file stays sound either way. Issue 18: two syncs fewer per
        /// `connections validate`.
        case whenClosed
    }

    public init(path: String, createsDirectory: Bool = false, actor: String? = nil, durability: Durability = .eachCommit) throws {
        self.actor = actor
        location = path
        let state = try DatabaseFile.prepare(path, createsDirectory: createsDirectory)
        if state == .sqliteWithLog { try DatabaseFile.requireOursOrEmpty(path) }
        if state != .ours {
            // About to hold secrets: whoever made the (empty) file, only its owner may read it.
            chmod(path, 0o600)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        configuration.label = "backstage"
        if durability == .whenClosed {
            // SQLite's own call: GRDB's execute(sql:) costs ~0.1 ms more the first time (its SQL
            // literal machinery), on every one-shot command's way to its answer (issue 18).
            configuration.prepareDatabase { db in
                let code = sqlite3_exec(db.sqliteConnection, "PRAGMA synchronous = NORMAL", nil, nil, nil)
                // SQLite's own code and words, as GRDB's error would carry them (a damaged file: corrupt).
                guard code == SQLITE_OK else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
            }
        }
        do {
            // A queue, not a pool: GRDB's pool writes a dummy transaction on open, and nothing may
            // be written before the file has been read and found sound.
            queue = try DatabaseQueue(path: path, configuration: configuration)
            let migrator = SQLiteSchema.migrator
            // One read answers the common case, a file this version made: nothing to write before
            // the first frame (issue 18).
            let (superseded, current) = try queue.read { db in
                (try migrator.hasBeenSuperseded(db),
                 try migrator.hasCompletedMigrations(db) && String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
            }
            if superseded { throw StoreError.newerSchema(path: path) }
            if !current || state != .ours {
                try queue.writeWithoutTransaction { db in
                    // WAL: readers never wait for a writer; the busy timeout covers writer against writer.
                    _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                }
                try migrator.migrate(queue)
            }
            if state != .ours {
                // Move the new schema (and our application id) from the log into the file's header.
                try queue.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
            }
        } catch let error as DatabaseError {
            throw Self.translate(error, path: path)
        }
    }

    /// Closes the file now (checkpointing the write-ahead log) rather than when the store is freed.
    public func close() throws {
        do {
            try queue.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
            try queue.close()
        } catch let error as DatabaseError { throw Self.translate(error, path: location) }
    }

    static func translate(_ error: DatabaseError, path: String) -> StoreError {
        switch error.resultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return .unusable(path: path, reason: "the file is corrupt (\(error.message ?? "SQLite error \(error.resultCode.rawValue)")); restore it from a backup")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .unusable(path: path, reason: "another process kept the database locked for over 10 seconds; try again")
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH:
            return .unusable(path: path, reason: "permission denied or read-only (\(error.message ?? "SQLite error \(error.resultCode.rawValue)"))")
        case .SQLITE_FULL:
            return .unusable(path: path, reason: "the disk is full")
        default:
            return .unusable(path: path, reason: error.message ?? "SQLite error \(error.resultCode.rawValue)")
        }
    }

    func reading<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await queue.read(body) } catch let error as DatabaseError { throw Self.translate(error, path: location) }
    }

    private func writing<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await queue.write(body) } catch let error as DatabaseError { throw Self.translate(error, path: location) }
    }

    /// SQLite's `PRAGMA data_version`, asked on the store's one connection: it moves only when
    /// another connection (the CLI, another console) commits, never on this store's own work,
    /// and costs no read of the file's pages.
    public func changeStamp() async throws -> Int64? {
        try await reading { db in try Int64.fetchOne(db, sql: "PRAGMA data_version") }
    }

    /// update_at always moves forward, even for two saves within one millisecond.
    private static func nextUpdateAt(after previous: Int64) -> Int64 { max(Milliseconds.now(), previous + 1) }

    // MARK: Connections

    public func listConnections() async throws -> [OutgoingOAuthConnection] {
        try await reading { db in try Self.fetchConnections(db, id: nil) }
    }

    public func connection(id: String) async throws -> OutgoingOAuthConnection {
        try await reading { db in
            guard let found = try Self.fetchConnections(db, id: id).first else {
                throw StoreError.notFound(kind: "outgoing OAuth connection", key: id)
            }
            return found
        }
    }

    private static func fetchConnections(_ db: Database, id: String?) throws -> [OutgoingOAuthConnection] {
        try fetchConnections(db, ids: id.map { [$0] })
    }

    /// Inserts a checked new item in one transaction, as this store's user.
    private func create<Item: Sendable & Attributed>(_ draft: Item, _ insert: @escaping @Sendable (Item, String, Database) throws -> Item) async throws -> Item {
        let item = draft.attributed(to: actor)
        return try await writing { db in try insert(item, try Self.localUserID(db), db) }
    }

    /// Who creates items in this file (made with its schema), read when a save needs it: opening
    /// the store, on every command's and the console's way to their answer, asks nothing more.
    private static func localUserID(_ db: Database) throws -> String {
        try String.fetchOne(db, sql: "SELECT value FROM backstage_meta WHERE key = 'local_user_id'") ?? ""
    }

    public func createConnection(_ connection: OutgoingOAuthConnection) async throws -> OutgoingOAuthConnection {
        try await create(connection.checkedForSave(), Self.insert)
    }

    private static func insert(_ draft: OutgoingOAuthConnection, creator: String, _ db: Database) throws -> OutgoingOAuthConnection {
        var connection = draft
        connection.id = MattermostID.make()
        connection.creatorId = creator
        connection.createAt = Milliseconds.now()
        connection.updateAt = connection.createAt
        try refuseTakenAudiences(db, connection)
        try db.execute(sql: """
            INSERT INTO outgoing_oauth_connections
            (id, creator_id, create_at, update_at, name, client_id, credentials_username, oauth_token_url, grant_type, changed_by, name_key)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [connection.id, connection.creatorId, connection.createAt, connection.updateAt, connection.name,
                             connection.clientId, connection.credentialsUsername, connection.oauthTokenURL, connection.grantType.rawValue,
                             connection.changedBy, LookupKey.folded(connection.name)])
        try writeAudiences(db, connection)
        try db.execute(sql: "INSERT INTO connection_secrets (connection_id, client_secret, credentials_password) VALUES (?, ?, ?)",
                       arguments: [connection.id, connection.clientSecret?.revealForTransmission(),
                                   connection.credentialsPassword?.revealForTransmission()])
        return connection.sanitized
    }

    /// All or nothing: every item in one transaction.
    public func importItems(connections: [OutgoingOAuthConnection], commands: [SlashCommand]) async throws {
        for connection in connections { try connection.validate() }
        for command in commands { try command.validate() }
        let actor = actor
        try await writing { db in
            let creator = try Self.localUserID(db)
            for var connection in connections {
                connection.changedBy = actor
                _ = try Self.insert(connection, creator: creator, db)
            }
            for var command in commands {
                command.changedBy = actor
                _ = try Self.insert(command, creator: creator, db)
            }
        }
    }

    public func updateConnection(_ connection: OutgoingOAuthConnection, basedOn expected: Int64) async throws -> OutgoingOAuthConnection {
        let draft = connection.normalizedForSave().attributed(to: actor)
        return try await writing { db in
            var connection = draft
            let stored = try Self.fetchConnections(db, id: connection.id).first
            guard let stored else { throw StoreError.notFound(kind: "outgoing OAuth connection", key: connection.id) }
            guard stored.updateAt == expected else {
                throw StoreError.conflict(kind: "outgoing OAuth connection", name: stored.name, expected: expected, actual: stored.updateAt,
                                          by: stored.changedBy)
            }
            let secrets = try Row.fetchOne(db, sql: "SELECT client_secret, credentials_password FROM connection_secrets WHERE connection_id = ?", arguments: [connection.id])
            let storedPassword: String? = secrets?["credentials_password"]
            try connection.validate(hasStoredSecret: secrets != nil, hasStoredPassword: !(storedPassword ?? "").isEmpty)
            connection.creatorId = stored.creatorId
            connection.createAt = stored.createAt
            connection.updateAt = Self.nextUpdateAt(after: stored.updateAt)
            try Self.refuseTakenAudiences(db, connection)
            // A validation proves the credentials it used; other credentials are not validated yet.
            let credentialsChanged = stored.clientId != connection.clientId || stored.oauthTokenURL != connection.oauthTokenURL
                || stored.grantType != connection.grantType || stored.credentialsUsername != connection.credentialsUsername
                || !(connection.clientSecret?.isEmpty ?? true) || !(connection.credentialsPassword?.isEmpty ?? true)
            connection.lastValidation = credentialsChanged ? nil : stored.lastValidation
            try db.execute(sql: """
                UPDATE outgoing_oauth_connections SET update_at = ?, name = ?, client_id = ?, credentials_username = ?,
                oauth_token_url = ?, grant_type = ?, changed_by = ?, name_key = ? WHERE id = ?
                """, arguments: [connection.updateAt, connection.name, connection.clientId, connection.credentialsUsername,
                                 connection.oauthTokenURL, connection.grantType.rawValue, connection.changedBy,
                                 LookupKey.folded(connection.name), connection.id])
            if credentialsChanged {
                try db.execute(sql: """
                    UPDATE outgoing_oauth_connections SET last_validated_at = NULL, last_validation_ok = NULL,
                    last_validation_message = NULL WHERE id = ?
                    """, arguments: [connection.id])
            }
            try db.execute(sql: "DELETE FROM connection_audiences WHERE connection_id = ?", arguments: [connection.id])
            try Self.writeAudiences(db, connection)
            if let secret = connection.clientSecret, !secret.isEmpty {
                try db.execute(sql: "UPDATE connection_secrets SET client_secret = ? WHERE connection_id = ?",
                               arguments: [secret.revealForTransmission(), connection.id])
            }
            if connection.grantType == .clientCredentials {
                try db.execute(sql: "UPDATE connection_secrets SET credentials_password = NULL WHERE connection_id = ?", arguments: [connection.id])
            } else if let password = connection.credentialsPassword, !password.isEmpty {
                try db.execute(sql: "UPDATE connection_secrets SET credentials_password = ? WHERE connection_id = ?",
                               arguments: [password.revealForTransmission(), connection.id])
            }
            return connection.sanitized
        }
    }

    private static func refuseTakenAudiences(_ db: Database, _ connection: OutgoingOAuthConnection) throws {
        let placeholders = Array(repeating: "?", count: connection.audiences.count).joined(separator: ", ")
        let taken = try String.fetchSet(db, sql: "SELECT audience FROM connection_audiences WHERE connection_id != ? AND audience IN (\(placeholders))",
                                        arguments: StatementArguments([connection.id] + connection.audiences))
        let errors = connection.audiences.filter(taken.contains).map(AudienceRules.alreadyTaken)
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }

    private static func writeAudiences(_ db: Database, _ connection: OutgoingOAuthConnection) throws {
        for (position, audience) in connection.audiences.enumerated() {
            let keys = AudienceKeys(audience)
            // Compiled once per connection to the database: an import writes ten per connection.
            try db.cachedStatement(sql: """
                INSERT INTO connection_audiences (audience, connection_id, position, match_text, is_wildcard, loose_key)
                VALUES (?, ?, ?, ?, ?, ?)
                """).execute(arguments: [audience, connection.id, position, keys.matchText, keys.isWildcard, keys.looseKey])
        }
    }

    public func deleteConnection(id: String) async throws {
        try await writing { db in
            try db.execute(sql: "DELETE FROM outgoing_oauth_connections WHERE id = ?", arguments: [id])
            if db.changesCount == 0 { throw StoreError.notFound(kind: "outgoing OAuth connection", key: id) }
        }
    }

    public func recordValidation(connectionId: String, _ record: ValidationRecord) async throws {
        try await writing { db in
            try db.execute(sql: """
                UPDATE outgoing_oauth_connections SET last_validated_at = ?, last_validation_ok = ?, last_validation_message = ?
                WHERE id = ?
                """, arguments: [record.at, record.ok, record.message, connectionId])
            if db.changesCount == 0 { throw StoreError.notFound(kind: "outgoing OAuth connection", key: connectionId) }
        }
    }

    public func credentials(forConnection id: String) async throws -> ConnectionCredentials {
        try await reading { db in try Self.credentials(db.sqlite, forConnection: id) }
    }

    /// On any open connection, also one GRDB did not open (`earlyConnection`).
    static func credentials(_ connection: OpaquePointer, forConnection id: String) throws -> ConnectionCredentials {
        var credentials: ConnectionCredentials?
        try SQLiteRows.each(connection, "SELECT client_secret, credentials_password FROM connection_secrets WHERE connection_id = ?", [id]) { row in
            credentials = ConnectionCredentials(clientSecret: Secret(row.text(0)), password: row.optionalText(1).map(Secret.init))
        }
        guard let credentials else { throw StoreError.notFound(kind: "outgoing OAuth connection", key: id) }
        return credentials
    }

    // MARK: Teams

    public func listTeams() async throws -> [Team] {
        try await reading { db in
            try Self.fetchTeams(db.sqlite)
        }
    }

    public func team(named name: String, createIfMissing: Bool) async throws -> Team {
        let name = name.trimmingWhitespace()
        guard !name.isEmpty else { throw ValidationFailure([FieldError("team", "A team name is required.")]) }
        if let team = try await reading({ db in try Self.fetchTeam(db, name: name) }) { return team }
        guard createIfMissing else { throw StoreError.notFound(kind: "team", key: name) }
        return try await writing { db in
            if let team = try Self.fetchTeam(db, name: name) { return team }
            let team = Team(id: MattermostID.make(), name: name)
            try db.execute(sql: "INSERT INTO teams (id, name, create_at) VALUES (?, ?, ?)", arguments: [team.id, team.name, Milliseconds.now()])
            return team
        }
    }

    private static func fetchTeam(_ db: Database, name: String) throws -> Team? {
        try Row.fetchOne(db, sql: "SELECT id, name FROM teams WHERE name = ?", arguments: [name]).map { Team(id: $0["id"], name: $0["name"]) }
    }

    // MARK: Commands

    public func listCommands(teamId: String?) async throws -> [SlashCommand] {
        try await reading { db in
            try Self.fetchCommands(db, where: teamId == nil ? "" : "WHERE team_id = ?", teamId.map { [$0] } ?? [])
        }
    }

    public func command(id: String) async throws -> SlashCommand {
        try await reading { db in try Self.fetchCommand(db, id: id) }
    }

    private static func fetchCommand(_ db: Database, id: String) throws -> SlashCommand {
        guard let command = try fetchCommands(db, where: "WHERE id = ?", [id]).first else {
            throw StoreError.notFound(kind: "slash command", key: id)
        }
        return command
    }

    public func createCommand(_ command: SlashCommand) async throws -> SlashCommand {
        try await create(command.checkedForSave(), Self.insert)
    }

    private static func insert(_ draft: SlashCommand, creator: String, _ db: Database) throws -> SlashCommand {
        var command = draft
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM teams WHERE id = ?)", arguments: [command.teamId]) == true else {
            throw StoreError.notFound(kind: "team", key: command.teamId)
        }
        try refuseTakenTrigger(db, command)
        command.id = MattermostID.make()
        command.token = MattermostID.make()
        command.creatorId = creator
        command.createAt = Milliseconds.now()
        command.updateAt = command.createAt
        command.deleteAt = 0
        try write(db, command, insert: true)
        return command
    }

    public func updateCommand(_ command: SlashCommand, basedOn expected: Int64) async throws -> SlashCommand {
        let draft = try command.checkedForSave().attributed(to: actor)
        return try await writing { db in
            var command = draft
            let stored = try Self.fetchCommand(db, id: command.id)
            guard stored.updateAt == expected else {
                throw StoreError.conflict(kind: "slash command", name: "/" + stored.trigger, expected: expected, actual: stored.updateAt,
                                          by: stored.changedBy)
            }
            // As Mattermost's UpdateCommand: these never change through an edit.
            command.token = stored.token
            command.creatorId = stored.creatorId
            command.createAt = stored.createAt
            command.deleteAt = stored.deleteAt
            command.teamId = stored.teamId
            command.pluginId = stored.pluginId
            command.updateAt = Self.nextUpdateAt(after: stored.updateAt)
            try Self.refuseTakenTrigger(db, command)
            try Self.write(db, command, insert: false)
            return command
        }
    }

    private static func refuseTakenTrigger(_ db: Database, _ command: SlashCommand) throws {
        let taken = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM commands WHERE team_id = ? AND trigger = ? AND id != ?)",
                                      arguments: [command.teamId, command.trigger, command.id]) ?? false
        if taken { throw ValidationFailure([FieldError("trigger", SlashCommand.triggerInUseMessage)]) }
    }

    private static func write(_ db: Database, _ command: SlashCommand, insert: Bool) throws {
        let arguments: StatementArguments = [
            command.token, command.createAt, command.updateAt, command.deleteAt, command.creatorId, command.teamId,
            command.trigger, command.method.rawValue, command.username, command.iconURL, command.autoComplete,
            command.autoCompleteDesc, command.autoCompleteHint, command.displayName, command.description, command.url,
            command.pluginId, command.changedBy, LookupKey.folded(command.trigger), command.url.trimmingWhitespace(), command.id,
        ]
        if insert {
            try db.execute(sql: """
                INSERT INTO commands (token, create_at, update_at, delete_at, creator_id, team_id, trigger, method, username,
                icon_url, auto_complete, auto_complete_desc, auto_complete_hint, display_name, description, url, plugin_id, changed_by,
                trigger_key, match_url, id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: arguments)
        } else {
            try db.execute(sql: """
                UPDATE commands SET token = ?, create_at = ?, update_at = ?, delete_at = ?, creator_id = ?, team_id = ?,
                trigger = ?, method = ?, username = ?, icon_url = ?, auto_complete = ?, auto_complete_desc = ?,
                auto_complete_hint = ?, display_name = ?, description = ?, url = ?, plugin_id = ?, changed_by = ?,
                trigger_key = ?, match_url = ? WHERE id = ?
                """, arguments: arguments)
        }
    }

    public func deleteCommand(id: String) async throws {
        try await writing { db in
            try db.execute(sql: "DELETE FROM commands WHERE id = ?", arguments: [id])
            if db.changesCount == 0 { throw StoreError.notFound(kind: "slash command", key: id) }
        }
    }

    public func regenerateCommandToken(id: String) async throws -> SlashCommand {
        let actor = actor
        return try await writing { db in
            var command = try Self.fetchCommand(db, id: id)
            command.token = MattermostID.make()
            command.updateAt = Self.nextUpdateAt(after: command.updateAt)
            command.changedBy = actor
            try db.execute(sql: "UPDATE commands SET token = ?, update_at = ?, changed_by = ? WHERE id = ?",
                           arguments: [command.token, command.updateAt, actor, id])
            return command
        }
    }
}

/// An item whose last saver a store records.
protocol Attributed {
    var changedBy: String? { get set }
}

extension Attributed {
    func attributed(to actor: String?) -> Self {
        var copy = self
        copy.changedBy = actor
        return copy
    }
}

extension OutgoingOAuthConnection: Attributed {}
extension SlashCommand: Attributed {}
