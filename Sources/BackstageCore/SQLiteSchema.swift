import GRDB

/// Versioned migrations of the embedded database. Never edit a shipped migration; add one.
enum SQLiteSchema {
    /// Each migration's identifier, in order, and what it does.
    static let migrations: [(identifier: String, migrate: @Sendable (Database) throws -> Void)] = [
        ("v1", { db in
            try db.execute(sql: "PRAGMA application_id = \(DatabaseFile.applicationID)")
            try db.execute(sql: """
                CREATE TABLE backstage_meta (
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                );
                CREATE TABLE teams (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL UNIQUE,
                    create_at INTEGER NOT NULL
                );
                CREATE TABLE outgoing_oauth_connections (
                    id TEXT PRIMARY KEY NOT NULL,
                    creator_id TEXT NOT NULL,
                    create_at INTEGER NOT NULL,
                    update_at INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    client_id TEXT NOT NULL,
                    credentials_username TEXT,
                    oauth_token_url TEXT NOT NULL,
                    grant_type TEXT NOT NULL CHECK (grant_type IN ('client_credentials', 'password'))
                );
                -- One row per audience: the primary key refuses the same audience on two connections.
                CREATE TABLE connection_audiences (
                    audience TEXT PRIMARY KEY NOT NULL,
                    connection_id TEXT NOT NULL REFERENCES outgoing_oauth_connections(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL
                );
                CREATE INDEX connection_audiences_by_connection ON connection_audiences(connection_id, position);
                -- Secrets apart from everything that is ever shown.
                CREATE TABLE connection_secrets (
                    connection_id TEXT PRIMARY KEY NOT NULL REFERENCES outgoing_oauth_connections(id) ON DELETE CASCADE,
                    client_secret TEXT NOT NULL,
                    credentials_password TEXT
                );
                CREATE TABLE commands (
                    id TEXT PRIMARY KEY NOT NULL,
                    token TEXT NOT NULL,
                    create_at INTEGER NOT NULL,
                    update_at INTEGER NOT NULL,
                    delete_at INTEGER NOT NULL DEFAULT 0,
                    creator_id TEXT NOT NULL,
                    team_id TEXT NOT NULL REFERENCES teams(id),
                    trigger TEXT NOT NULL,
                    method TEXT NOT NULL CHECK (method IN ('P', 'G')),
                    username TEXT NOT NULL DEFAULT '',
                    icon_url TEXT NOT NULL DEFAULT '',
                    auto_complete INTEGER NOT NULL DEFAULT 0,
                    auto_complete_desc TEXT NOT NULL DEFAULT '',
                    auto_complete_hint TEXT NOT NULL DEFAULT '',
                    display_name TEXT NOT NULL DEFAULT '',
                    description TEXT NOT NULL DEFAULT '',
                    url TEXT NOT NULL,
                    plugin_id TEXT NOT NULL DEFAULT '',
                    UNIQUE (team_id, trigger)
                );
                """)
            try db.execute(sql: "INSERT INTO backstage_meta (key, value) VALUES ('local_user_id', ?)", arguments: [MattermostID.make()])
        }),
        ("v2-last-validation", { db in
            try db.execute(sql: """
                ALTER TABLE outgoing_oauth_connections ADD COLUMN last_validated_at INTEGER;
                ALTER TABLE outgoing_oauth_connections ADD COLUMN last_validation_ok INTEGER;
                ALTER TABLE outgoing_oauth_connections ADD COLUMN last_validation_message TEXT;
                """)
        }),
        // Mattermost accepts the same audience twice in one connection (spec D7): audiences are
        // keyed by position; another connection's audience is still refused, by the store's check.
        ("v3-audiences-by-position", { db in
            try db.execute(sql: """
                CREATE TABLE connection_audiences_by_position (
                    connection_id TEXT NOT NULL REFERENCES outgoing_oauth_connections(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    audience TEXT NOT NULL,
                    PRIMARY KEY (connection_id, position)
                );
                INSERT INTO connection_audiences_by_position (connection_id, position, audience)
                    SELECT connection_id, position, audience FROM connection_audiences;
                DROP TABLE connection_audiences;
                ALTER TABLE connection_audiences_by_position RENAME TO connection_audiences;
                CREATE INDEX connection_audiences_by_audience ON connection_audiences(audience);
                """)
        }),
        // Who saved each item last, when named (`--actor`, `backstage serve`): attribution for the
        // conflict dialog; not a Mattermost field.
        ("v4-changed-by", { db in
            try db.execute(sql: """
                ALTER TABLE outgoing_oauth_connections ADD COLUMN changed_by TEXT;
                ALTER TABLE commands ADD COLUMN changed_by TEXT;
                """)
        }),
        // Keys that let one-item answers (`commands match`, `show`, one validate) come from
        // indexes instead of a whole load: each audience as the matcher reads it, and the
        // lower-cased names a person may type. Worked out in Swift (SQLiteIndexKeys), so they mean
        // exactly what the in-memory matcher and StoreLookup mean.
        ("v5-lookup-keys", { db in
            try db.execute(sql: """
                ALTER TABLE connection_audiences ADD COLUMN match_text TEXT;
                ALTER TABLE connection_audiences ADD COLUMN is_wildcard INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE connection_audiences ADD COLUMN loose_key TEXT;
                ALTER TABLE outgoing_oauth_connections ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
                ALTER TABLE commands ADD COLUMN trigger_key TEXT NOT NULL DEFAULT '';
                ALTER TABLE commands ADD COLUMN match_url TEXT NOT NULL DEFAULT '';
                """)
            let keyAudience = try db.makeStatement(sql: "UPDATE connection_audiences SET match_text = ?, is_wildcard = ?, loose_key = ? WHERE rowid = ?")
            for row in try Row.fetchAll(db, sql: "SELECT rowid, audience FROM connection_audiences") {
                let keys = AudienceKeys(row[1])
                try keyAudience.execute(arguments: [keys.matchText, keys.isWildcard, keys.looseKey, row[0] as Int64])
            }
            let keyName = try db.makeStatement(sql: "UPDATE outgoing_oauth_connections SET name_key = ? WHERE id = ?")
            for row in try Row.fetchAll(db, sql: "SELECT id, name FROM outgoing_oauth_connections") {
                try keyName.execute(arguments: [LookupKey.folded(row[1]), row[0] as String])
            }
            let keyCommand = try db.makeStatement(sql: "UPDATE commands SET trigger_key = ?, match_url = ? WHERE id = ?")
            for row in try Row.fetchAll(db, sql: "SELECT id, trigger, url FROM commands") {
                try keyCommand.execute(arguments: [LookupKey.folded(row[1]), (row[2] as String).trimmingWhitespace(), row[0] as String])
            }
            try db.execute(sql: """
                CREATE INDEX connection_audiences_for_match ON connection_audiences(is_wildcard, match_text);
                CREATE INDEX connection_audiences_for_near_miss ON connection_audiences(is_wildcard, loose_key);
                CREATE INDEX outgoing_oauth_connections_by_name_key ON outgoing_oauth_connections(name_key);
                CREATE INDEX commands_by_trigger_key ON commands(trigger_key);
                CREATE INDEX commands_by_match_url ON commands(match_url);
                """)
        }),
    ]

    /// The identifiers GRDB records: the console's early read checks a file against them without
    /// building GRDB's migrator (~0.1 ms of the first frame).
    static var identifiers: [String] { migrations.map { $0.identifier } }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in migrations { migrator.registerMigration(migration.identifier, migrate: migration.migrate) }
        return migrator
    }
}
