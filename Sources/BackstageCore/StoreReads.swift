/// What one request URL resolves to, with the matched connection in full (a test-fire's token
/// step needs its token URL and client id).
public struct AudienceResolution: Sendable, Equatable {
    public let result: MatchResult
    public let connection: OutgoingOAuthConnection?
    /// Whether the store has any connection: linkage is shown only when one exists, as in Mattermost.
    public let hasConnections: Bool

    public init(result: MatchResult, connection: OutgoingOAuthConnection?, hasConnections: Bool) {
        self.result = result
        self.connection = connection
        self.hasConnections = hasConnections
    }

    /// Over a list already loaded.
    public init(_ url: String, among connections: [OutgoingOAuthConnection]) {
        let result = AudienceMatcher(connections: connections).resolve(url)
        self.init(result: result, connection: result.match.flatMap { match in connections.first { $0.id == match.connection.id } },
                  hasConnections: !connections.isEmpty)
    }
}

/// The whole-list answers: what any store can give, and the reference the indexed ones equal.
extension Store {
    public func resolveAudience(_ url: String) async throws -> AudienceResolution {
        AudienceResolution(url, among: try await listConnections())
    }

    public func findConnection(_ key: String) async throws -> OutgoingOAuthConnection {
        try StoreLookup.connection(key, in: try await listConnections())
    }

    public func findCommand(_ key: String, teamId: String?) async throws -> SlashCommand {
        try StoreLookup.command(key, in: try await listCommands(teamId: teamId))
    }

    public func overlapPeers(of connection: OutgoingOAuthConnection) async throws -> [OutgoingOAuthConnection] {
        try await listConnections().filter { $0.id != connection.id }
    }

    public func usageInventory(of connection: OutgoingOAuthConnection) async throws -> Inventory {
        try await Inventory.load(from: self)
    }
}

extension Store {
    /// `resolveAudience`, or nil and the reason when this server does not offer its connections to
    /// this token (as `connectionsIfAvailable`); a bad token still stops everything.
    public func resolveAudienceIfAvailable(_ url: String) async throws -> (resolution: AudienceResolution?, unavailable: MattermostError?) {
        do {
            return (try await resolveAudience(url), nil)
        } catch let error as MattermostError where error.kind == .notAvailable || error.kind == .notAllowed {
            if case .unauthorized = error { throw error }
            return (nil, error)
        }
    }
}
