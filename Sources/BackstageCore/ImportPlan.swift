/// `{"connections": [...], "commands": [...]}` with Mattermost's field names: what export writes
/// (never with secrets) and import reads (a connection may carry its client_secret).
public struct IntegrationsBundle: Codable, Sendable {
    public var connections: [OutgoingOAuthConnection]
    public var commands: [SlashCommand]

    public init(connections: [OutgoingOAuthConnection], commands: [SlashCommand]) {
        self.connections = connections
        self.commands = commands
    }

    public init(from decoder: Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        connections = try values.decodeIfPresent([OutgoingOAuthConnection].self, forKey: .connections) ?? []
        commands = try values.decodeIfPresent([SlashCommand].self, forKey: .commands) ?? []
    }
}

/// What an import will do, decided before anything is written: every item is added, skipped as
/// an exact duplicate of what is stored, or refused with the reason.
public struct ImportPlan: Sendable {
    public struct Refusal: Sendable, Equatable, CustomStringConvertible {
        public let item: String
        public let reason: String
        public var description: String { "\(item): \(reason)" }
    }

    public private(set) var connections: [OutgoingOAuthConnection] = []
    public private(set) var commands: [SlashCommand] = []
    public private(set) var skipped: [String] = []
    public private(set) var refused: [Refusal] = []

    public init(_ bundle: IntegrationsBundle, existingConnections: [OutgoingOAuthConnection], existingCommands: [SlashCommand], teamId: String) {
        var takenAudiences = Dictionary(existingConnections.flatMap { c in c.audiences.map { ($0, c.name) } }, uniquingKeysWith: { first, _ in first })
        for (index, raw) in bundle.connections.enumerated() {
            let connection = raw.normalizedForSave()
            let label = "connection \"\(connection.name.isEmpty ? "#\(index + 1)" : connection.name)\""
            if existingConnections.contains(where: { Self.same($0, connection) }) {
                skipped.append(label)
                continue
            }
            var problems = connection.validationErrors().map(\.description)
            if connection.clientSecret == nil {
                problems = problems.map { $0.hasPrefix("client_secret") ? $0 + " Exports never carry secrets: add \"client_secret\" to the file." : $0 }
            }
            for audience in connection.audiences {
                if let owner = takenAudiences[audience] {
                    problems.append("audiences: There is already an outgoing oauth connection for the provided audience: \(audience) (\"\(owner)\")")
                }
            }
            if !problems.isEmpty {
                refused.append(Refusal(item: label, reason: problems.joined(separator: "; ")))
                continue
            }
            for audience in connection.audiences { takenAudiences[audience] = connection.name }
            connections.append(connection)
        }
        let teamCommands = existingCommands.filter { $0.teamId == teamId }
        var takenTriggers = Set(teamCommands.map(\.trigger))
        for (index, raw) in bundle.commands.enumerated() {
            var command = raw.normalizedForSave()
            command.teamId = teamId
            let label = "command \"/\(command.trigger.isEmpty ? "#\(index + 1)" : command.trigger)\""
            if teamCommands.contains(where: { Self.same($0, command) }) {
                skipped.append(label)
                continue
            }
            var problems = command.validationErrors().map(\.description)
            if takenTriggers.contains(command.trigger) { problems.append("trigger: \(SlashCommand.triggerInUseMessage)") }
            if !problems.isEmpty {
                refused.append(Refusal(item: label, reason: problems.joined(separator: "; ")))
                continue
            }
            takenTriggers.insert(command.trigger)
            commands.append(command)
        }
    }

    /// An exact duplicate: everything a person set is the same (ids, times and secrets aside).
    static func same(_ a: OutgoingOAuthConnection, _ b: OutgoingOAuthConnection) -> Bool {
        a.name == b.name && a.clientId == b.clientId && a.oauthTokenURL == b.oauthTokenURL && a.grantType == b.grantType
            && a.audiences == b.audiences && (a.credentialsUsername ?? "") == (b.credentialsUsername ?? "")
    }

    static func same(_ a: SlashCommand, _ b: SlashCommand) -> Bool {
        a.trigger == b.trigger && a.url == b.url && a.method == b.method && a.displayName == b.displayName
            && a.description == b.description && a.username == b.username && a.iconURL == b.iconURL
            && a.autoComplete == b.autoComplete && a.autoCompleteHint == b.autoCompleteHint && a.autoCompleteDesc == b.autoCompleteDesc
    }
}

extension Store {
    /// Writes a plan's items. Stores that can do it in one transaction override this; the
    /// default (a server) writes them one by one.
    public func importItems(connections: [OutgoingOAuthConnection], commands: [SlashCommand]) async throws {
        for connection in connections { _ = try await createConnection(connection) }
        for command in commands { _ = try await createCommand(command) }
    }
}
