/// Any store, with every successful write noted in an activity log. Reads pass straight through.
public final class LoggedStore: WrappingStore {
    public let inner: any Store
    public let log: ActivityLog

    public init(_ inner: any Store, log: ActivityLog) {
        self.inner = inner
        self.log = log
    }

    public var activityLog: ActivityLog? { log }

    /// Runs a write on the inner store, then notes the item it saved and the host its URL names.
    private func noting<Item>(_ action: String, _ subject: (Item) -> String, host url: KeyPath<Item, String>, outcome: String = "ok",
                              _ write: () async throws -> Item) async throws -> Item {
        let saved = try await write()
        log.record(action, subject(saved), host: ActivityLog.host(of: saved[keyPath: url]), outcome: outcome)
        return saved
    }

    public func createConnection(_ connection: OutgoingOAuthConnection) async throws -> OutgoingOAuthConnection {
        try await noting("created", ActivityLog.subject, host: \.oauthTokenURL) { try await inner.createConnection(connection) }
    }

    public func updateConnection(_ connection: OutgoingOAuthConnection, basedOn updateAt: Int64) async throws -> OutgoingOAuthConnection {
        let secret = connection.clientSecret != nil || connection.credentialsPassword != nil ? " (new secret)" : ""
        return try await noting("updated", ActivityLog.subject, host: \.oauthTokenURL, outcome: "ok" + secret) {
            try await inner.updateConnection(connection, basedOn: updateAt)
        }
    }

    public func deleteConnection(id: String) async throws {
        let gone = try? await inner.connection(id: id)
        try await inner.deleteConnection(id: id)
        log.record("deleted", gone.map(ActivityLog.subject) ?? "connection (id \(id))", host: gone.map { ActivityLog.host(of: $0.oauthTokenURL) })
    }

    public func recordValidation(connectionId: String, _ record: ValidationRecord) async throws {
        // The Validate itself is logged where it runs (saved or not); this only stores its outcome.
        try await inner.recordValidation(connectionId: connectionId, record)
    }

    public func team(named name: String, createIfMissing: Bool) async throws -> Team {
        try await inner.team(named: name, createIfMissing: createIfMissing)
    }

    public func createCommand(_ command: SlashCommand) async throws -> SlashCommand {
        try await noting("created", ActivityLog.subject, host: \.url) { try await inner.createCommand(command) }
    }

    public func updateCommand(_ command: SlashCommand, basedOn updateAt: Int64) async throws -> SlashCommand {
        try await noting("updated", ActivityLog.subject, host: \.url) { try await inner.updateCommand(command, basedOn: updateAt) }
    }

    public func deleteCommand(id: String) async throws {
        let gone = try? await inner.command(id: id)
        try await inner.deleteCommand(id: id)
        log.record("deleted", gone.map(ActivityLog.subject) ?? "command (id \(id))", host: gone.map { ActivityLog.host(of: $0.url) })
    }

    public func regenerateCommandToken(id: String) async throws -> SlashCommand {
        try await noting("regenerated token of", ActivityLog.subject, host: \.url) { try await inner.regenerateCommandToken(id: id) }
    }

    public func importItems(connections: [OutgoingOAuthConnection], commands: [SlashCommand]) async throws {
        try await inner.importItems(connections: connections, commands: commands)
        for connection in connections {
            log.record("imported", "connection \"\(connection.name)\"", host: ActivityLog.host(of: connection.oauthTokenURL))
        }
        for command in commands { log.record("imported", "command /\(command.trigger)", host: ActivityLog.host(of: command.url)) }
    }
}
