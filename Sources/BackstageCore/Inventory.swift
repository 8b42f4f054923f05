/// Everything linkage, impact and the health check read from a store, loaded once: connections,
/// commands (a server's team, or every team of the local store), team names and, on a server,
/// the outgoing webhooks.
public struct Inventory: Sendable {
    public let connections: [OutgoingOAuthConnection]
    public let commands: [SlashCommand]
    public let webhooks: WebhookListing
    public let teamNames: [String: String]
    /// A server's lists: our linkage is then a prediction (its matcher is not public).
    public let isServer: Bool

    public init(connections: [OutgoingOAuthConnection], commands: [SlashCommand], webhooks: WebhookListing,
                teamNames: [String: String], isServer: Bool = false) {
        self.connections = connections
        self.commands = commands
        self.webhooks = webhooks
        self.teamNames = teamNames
        self.isServer = isServer
    }

    /// Throws what stops the lists being read (a server without the OAuth feature, a bad token, an
    /// unreachable server); webhooks that cannot be read only become a reason.
    public static func load(from store: any Store) async throws -> Inventory {
        let connections = try await store.listConnections()
        let teamNames: [String: String]
        let commands: [SlashCommand]
        if let team = store.currentTeam {
            teamNames = [team.id: team.name]
            commands = try await store.listCommands(teamId: team.id)
        } else {
            teamNames = Dictionary(try await store.listTeams().map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
            commands = try await store.listCommands(teamId: nil)
        }
        let webhooks = try await store.outgoingWebhooks()
        return Inventory(connections: connections, commands: commands, webhooks: webhooks, teamNames: teamNames, isServer: store.isServer)
    }

    public var linkage: Linkage {
        Linkage(connections: connections, commands: commands, webhooks: webhooks, teamNames: teamNames)
    }

    /// "prediction" on a server (our matching rules, spec 0.2), else "local".
    public var linkageSource: String { isServer ? "prediction" : "local" }
}
