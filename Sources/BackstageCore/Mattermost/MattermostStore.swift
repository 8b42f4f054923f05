import Foundation

/// The `Store` over Mattermost's REST API v4: the server's own connections and one team's
/// commands. Every request carries `Authorization: Bearer <PAT>` and `X-Requested-With`.
public final class MattermostStore: Store {
    public let location: String
    public let team: Team
    private let server: String
    private let token: Secret
    private let http: OutboundHTTP
    static let pageSize = 100

    /// Resolves the team by name and returns a store on it.
    public static func connect(server: String, token: Secret, teamName: String, http: OutboundHTTP) async throws -> MattermostStore {
        let base = server.hasSuffix("/") ? String(server.dropLast()) : server
        let probe = MattermostStore(server: base, token: token, team: Team(id: "", name: teamName), http: http)
        let json = try await probe.request("GET", "/api/v4/teams/name/\(Self.escapePath(teamName))", what: "team \"\(teamName)\"")
        guard let object = json as? [String: Any], let id = object["id"] as? String else { throw MattermostError.badReply("no team id") }
        return MattermostStore(server: base, token: token, team: Team(id: id, name: object["name"] as? String ?? teamName), http: http)
    }

    init(server: String, token: Secret, team: Team, http: OutboundHTTP) {
        self.server = server
        self.token = token
        self.team = team
        self.http = http
        location = server
    }

    // MARK: HTTP

    static func escapePath(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? text
    }

    /// One API call: JSON in, JSON out, Mattermost's errors typed.
    @discardableResult
    func request(_ method: String, _ path: String, body: Data? = nil, what: String,
                 permission: String = "manage_outgoing_oauth_connections") async throws -> Any? {
        var headers = [("Authorization", "Bearer \(token.revealForTransmission())"), ("X-Requested-With", "XMLHttpRequest"),
                       ("Accept", "application/json")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        let response: OutboundResponse
        do {
            response = try await http.send(OutboundRequest(method: method, url: server + path, headers: headers, body: body.map(Array.init)))
        } catch {
            throw MattermostError.transport(error)
        }
        let json = response.body.isEmpty ? nil : try? JSONSerialization.jsonObject(with: Data(response.body))
        guard (200..<300).contains(response.status) else {
            let object = json as? [String: Any]
            let message = (object?["message"] as? String).map(TerminalText.sanitized)
            let detail = (object?["detailed_error"] as? String).map(TerminalText.sanitized)
            switch response.status {
            case 401: throw MattermostError.unauthorized(server: server)
            case 403: throw MattermostError.forbidden(permission: permission, serverMessage: message)
            case 404: throw MattermostError.notFound(what: what)
            case 501: throw MattermostError.featureOff(serverMessage: message)
            default: throw MattermostError.server(status: response.status, message: message, detail: detail)
            }
        }
        return json
    }

    private static func encode<T: Encodable>(_ value: T, secrets: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        if secrets { encoder.userInfo[.includeSecrets] = true }
        return try encoder.encode(value)
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ json: Any?) throws -> T {
        guard let json else { throw MattermostError.badReply("empty reply") }
        do {
            return try JSONDecoder().decode(T.self, from: JSONSerialization.data(withJSONObject: json))
        } catch {
            throw MattermostError.badReply("\(error)")
        }
    }

    // MARK: Connections

    private var teamQuery: String { "team_id=\(team.id)" }

    public func listConnections() async throws -> [OutgoingOAuthConnection] {
        var all: [OutgoingOAuthConnection] = []
        var fromID = ""
        while true {
            let json = try await request("GET", "/api/v4/oauth/outgoing_connections?\(teamQuery)&limit=\(Self.pageSize)"
                                         + (fromID.isEmpty ? "" : "&from_id=\(fromID)"), what: "the outgoing OAuth connections")
            let page = try Self.decode([OutgoingOAuthConnection].self, json ?? [])
            all += page.map(\.sanitized)
            guard page.count == Self.pageSize, let last = page.last?.id else { break }
            fromID = last
        }
        return all.sorted { ($0.name.lowercased(), $0.id) < ($1.name.lowercased(), $1.id) }
    }

    public func connection(id: String) async throws -> OutgoingOAuthConnection {
        let json = try await request("GET", "/api/v4/oauth/outgoing_connections/\(Self.escapePath(id))?\(teamQuery)",
                                     what: "outgoing OAuth connection \(id)")
        return try Self.decode(OutgoingOAuthConnection.self, json).sanitized
    }

    public func createConnection(_ connection: OutgoingOAuthConnection) async throws -> OutgoingOAuthConnection {
        let draft = connection.normalizedForSave()
        try draft.validate()
        let json = try await request("POST", "/api/v4/oauth/outgoing_connections?\(teamQuery)", body: try Self.encode(draft, secrets: true),
                                     what: "the outgoing OAuth connections")
        return try Self.decode(OutgoingOAuthConnection.self, json).sanitized
    }

    public func updateConnection(_ connection: OutgoingOAuthConnection, basedOn expected: Int64) async throws -> OutgoingOAuthConnection {
        let draft = connection.normalizedForSave()
        try draft.validate(hasStoredSecret: true, hasStoredPassword: true)
        // The server has no conditional update: compare first, so someone else's change is never overwritten.
        let current = try await self.connection(id: draft.id)
        guard current.updateAt == expected else {
            throw StoreError.conflict(kind: "outgoing OAuth connection", name: current.name, expected: expected, actual: current.updateAt)
        }
        var body = draft
        if body.clientSecret == nil { body.clientSecret = Secret("") } // empty keeps the stored secret (Patch)
        let json = try await request("PUT", "/api/v4/oauth/outgoing_connections/\(Self.escapePath(draft.id))?\(teamQuery)",
                                     body: try Self.encodeKeepingEmptySecret(body), what: "outgoing OAuth connection \(draft.name)")
        return try Self.decode(OutgoingOAuthConnection.self, json).sanitized
    }

    /// A PUT body: the secret field present but empty when it is not being changed.
    private static func encodeKeepingEmptySecret(_ connection: OutgoingOAuthConnection) throws -> Data {
        let data = try encode(connection, secrets: true)
        guard var object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { return data }
        if object["client_secret"] == nil { object["client_secret"] = "" }
        return try JSONSerialization.data(withJSONObject: object)
    }

    public func deleteConnection(id: String) async throws {
        try await request("DELETE", "/api/v4/oauth/outgoing_connections/\(Self.escapePath(id))?\(teamQuery)", what: "outgoing OAuth connection \(id)")
    }

    /// The connection the server itself would use for `url` (its own matcher), or nil.
    public func connectionForAudience(_ url: String) async throws -> OutgoingOAuthConnection? {
        let audience = url.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+?#"))) ?? url
        do {
            let json = try await request("GET", "/api/v4/oauth/outgoing_connections?\(teamQuery)&audience=\(audience)", what: "a connection for \(url)",
                                         permission: "manage_slash_commands")
            return try Self.decode([OutgoingOAuthConnection].self, json ?? []).first?.sanitized
        } catch MattermostError.notFound {
            return nil
        } catch MattermostError.server(_, let message?, _) where message.lowercased().contains("not found") {
            return nil
        }
    }

    /// The server keeps its own validation results to itself; nothing to record here.
    public func recordValidation(connectionId: String, _ record: ValidationRecord) async throws {}

    public func credentials(forConnection id: String) async throws -> ConnectionCredentials {
        throw MattermostError.secretsStayOnTheServer
    }

    /// Validate through the server, which fetches the token itself, as it will in production.
    /// An empty secret with an id makes the server use the stored one.
    public func validateOnServer(_ connection: OutgoingOAuthConnection) async throws {
        try await request("POST", "/api/v4/oauth/outgoing_connections/validate?\(teamQuery)",
                          body: try Self.encodeKeepingEmptySecret(connection), what: "the validate endpoint")
    }

    // MARK: Teams

    public func listTeams() async throws -> [Team] { [team] }

    public func team(named name: String, createIfMissing: Bool) async throws -> Team {
        if name == team.name { return team }
        throw StoreError.notFound(kind: "team", key: name)
    }

    // MARK: Commands

    public func listCommands(teamId: String?) async throws -> [SlashCommand] {
        let json = try await request("GET", "/api/v4/commands?team_id=\(team.id)&custom_only=true", what: "the slash commands",
                                     permission: "manage_slash_commands")
        return try Self.decode([SlashCommand].self, json ?? []).filter { $0.deleteAt == 0 }.sorted { $0.trigger < $1.trigger }
    }

    public func command(id: String) async throws -> SlashCommand {
        let json = try await request("GET", "/api/v4/commands/\(Self.escapePath(id))", what: "slash command \(id)", permission: "manage_slash_commands")
        return try Self.decode(SlashCommand.self, json)
    }

    public func createCommand(_ command: SlashCommand) async throws -> SlashCommand {
        var draft = command.normalizedForSave()
        try draft.validate()
        draft.teamId = team.id
        let json = try await request("POST", "/api/v4/commands", body: try Self.encode(draft), what: "the slash commands",
                                     permission: "manage_slash_commands")
        return try Self.decode(SlashCommand.self, json)
    }

    public func updateCommand(_ command: SlashCommand, basedOn expected: Int64) async throws -> SlashCommand {
        let draft = command.normalizedForSave()
        try draft.validate()
        let current = try await self.command(id: draft.id)
        guard current.updateAt == expected else {
            throw StoreError.conflict(kind: "slash command", name: "/" + current.trigger, expected: expected, actual: current.updateAt)
        }
        let json = try await request("PUT", "/api/v4/commands/\(Self.escapePath(draft.id))", body: try Self.encode(draft),
                                     what: "slash command /\(draft.trigger)", permission: "manage_slash_commands")
        return try Self.decode(SlashCommand.self, json)
    }

    public func deleteCommand(id: String) async throws {
        try await request("DELETE", "/api/v4/commands/\(Self.escapePath(id))", what: "slash command \(id)", permission: "manage_slash_commands")
    }

    public func regenerateCommandToken(id: String) async throws -> SlashCommand {
        try await request("PUT", "/api/v4/commands/\(Self.escapePath(id))/regen_token", what: "slash command \(id)",
                          permission: "manage_slash_commands")
        return try await command(id: id)
    }
}
