/// Any store for a read-only admin (`--readonly`, `BACKSTAGE_ROLE=read`): reads pass through,
/// every change throws `Refusal` before it reaches the store, so the console and the CLI say
/// the same clear thing and nothing is half-saved. Recording a Validate's outcome is not an
/// edit (update_at does not move) and passes.
public final class ReadOnlyStore: WrappingStore {
    public let inner: any Store
    public let actor: String?

    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    public init(_ inner: any Store, actor: String?) {
        self.inner = inner
        self.actor = actor
    }

    private func refuse(_ what: String) -> Refusal {
        Refusal(description: "read-only: \(actor.map { "\($0) may" } ?? "this session may") look but not \(what) (--readonly or BACKSTAGE_ROLE=read); nothing was changed")
    }

    public var activityLog: ActivityLog? { inner.activityLog }

    public func createConnection(_ connection: OutgoingOAuthConnection) async throws -> OutgoingOAuthConnection { throw refuse("create a connection") }
    public func updateConnection(_ connection: OutgoingOAuthConnection, basedOn updateAt: Int64) async throws -> OutgoingOAuthConnection {
        throw refuse("change a connection")
    }
    public func deleteConnection(id: String) async throws { throw refuse("delete a connection") }
    public func recordValidation(connectionId: String, _ record: ValidationRecord) async throws {
        try await inner.recordValidation(connectionId: connectionId, record)
    }

    /// Never creates a team: a missing one that would have been created stands in unsaved (no
    /// id), so the change that wanted it is the one refused, by name.
    public func team(named name: String, createIfMissing: Bool) async throws -> Team {
        do {
            return try await inner.team(named: name, createIfMissing: false)
        } catch StoreError.notFound where createIfMissing {
            return Team(id: "", name: name)
        }
    }

    public func createCommand(_ command: SlashCommand) async throws -> SlashCommand { throw refuse("create a slash command") }
    public func updateCommand(_ command: SlashCommand, basedOn updateAt: Int64) async throws -> SlashCommand { throw refuse("change a slash command") }
    public func deleteCommand(id: String) async throws { throw refuse("delete a slash command") }
    public func regenerateCommandToken(id: String) async throws -> SlashCommand { throw refuse("regenerate a command's token") }
    public func importItems(connections: [OutgoingOAuthConnection], commands: [SlashCommand]) async throws { throw refuse("import") }
}
