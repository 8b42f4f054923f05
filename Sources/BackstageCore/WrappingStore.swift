/// A store around another one (the activity log's, the read-only admin's): every read it does not
/// change goes straight to `inner`, written once here. Writes, and what each wrapper adds, stay
/// in the wrapper.
public protocol WrappingStore: Store {
    var inner: any Store { get }
}

extension WrappingStore {
    public var location: String { inner.location }
    public var mattermostServer: MattermostStore? { inner.mattermostServer }
    public var localFile: SQLiteStore? { inner.localFile }
    /// Changes made elsewhere are seen through any wrapper (a read-only console too).
    public func changeStamp() async throws -> Int64? { try await inner.changeStamp() }
    public func resolveAudience(_ url: String) async throws -> AudienceResolution { try await inner.resolveAudience(url) }
    public func findConnection(_ key: String) async throws -> OutgoingOAuthConnection { try await inner.findConnection(key) }
    public func findCommand(_ key: String, teamId: String?) async throws -> SlashCommand { try await inner.findCommand(key, teamId: teamId) }
    public func overlapPeers(of connection: OutgoingOAuthConnection) async throws -> [OutgoingOAuthConnection] {
        try await inner.overlapPeers(of: connection)
    }
    public func usageInventory(of connection: OutgoingOAuthConnection) async throws -> Inventory { try await inner.usageInventory(of: connection) }
    public func listConnections() async throws -> [OutgoingOAuthConnection] { try await inner.listConnections() }
    public func connection(id: String) async throws -> OutgoingOAuthConnection { try await inner.connection(id: id) }
    public func credentials(forConnection id: String) async throws -> ConnectionCredentials { try await inner.credentials(forConnection: id) }
    public func listTeams() async throws -> [Team] { try await inner.listTeams() }
    public func listCommands(teamId: String?) async throws -> [SlashCommand] { try await inner.listCommands(teamId: teamId) }
    public func command(id: String) async throws -> SlashCommand { try await inner.command(id: id) }
}
