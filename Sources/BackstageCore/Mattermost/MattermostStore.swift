import Foundation
import Synchronization

/// The `Store` over Mattermost's REST API v4: the server's own connections and one team's
/// commands (the team can be switched). Every request carries `Authorization: Bearer <PAT>` and
/// `X-Requested-With`, as Mattermost's own clients do.
public final class MattermostStore: Store {
    public let location: String
    private let server: String
    private let token: Secret
    private let http: OutboundHTTP
    private let currentTeam: Mutex<Team>
    private let version = Mutex<ServerVersion??>(nil)
    /// Where Validate outcomes are kept, since the server keeps none (nil: not kept).
    public let validations: ServerValidationCache?
    static let pageSize = 100

    /// Resolves the team by name (as the server does, in any letter case) and returns a store on it.
    public static func connect(server: String, token: Secret, teamName: String, http: OutboundHTTP,
                               validations: ServerValidationCache? = nil) async throws -> MattermostStore {
        let base = server.hasSuffix("/") ? String(server.dropLast()) : server
        let store = MattermostStore(server: base, token: token, team: Team(id: "", name: teamName), http: http, validations: validations)
        store.select(team: try await store.team(named: teamName, createIfMissing: false))
        return store
    }

    init(server: String, token: Secret, team: Team, http: OutboundHTTP, validations: ServerValidationCache? = nil) {
        self.server = server
        self.token = token
        self.http = http
        self.validations = validations
        currentTeam = Mutex(team)
        location = server
    }

    /// The team whose commands are listed and created, and whose rights the connection routes check.
    public var team: Team { currentTeam.withLock { $0 } }
    public func select(team: Team) { currentTeam.withLock { $0 = team } }

    // MARK: HTTP

    static func escapePath(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? text
    }

    static func escapeQuery(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+?#"))) ?? text
    }

    /// What a request is about, so a failure names the right thing, permission and feature.
    struct Route {
        let what: String
        let feature: ServerFeature
        let permission: ServerPermission
    }

    private func connectionsRoute(_ what: String, reading: Bool = false) -> Route {
        Route(what: what, feature: .outgoingOAuthConnections,
              permission: reading ? .readConnections(team: team.name) : .manageConnections)
    }

    private func commandsRoute(_ what: String) -> Route {
        Route(what: what, feature: .slashCommands, permission: .manageCommands(team: team.name))
    }

    private func teamsRoute(_ what: String, team name: String) -> Route {
        Route(what: what, feature: .teams, permission: .viewTeam(name))
    }

    /// One API call: JSON in, JSON out, Mattermost's errors typed by status and error id.
    @discardableResult
    func request(_ method: String, _ path: String, body: Data? = nil, _ route: Route) async throws -> Any? {
        try await exchange(method, path, body: body, route).json
    }

    private func exchange(_ method: String, _ path: String, body: Data? = nil, _ route: Route) async throws -> (json: Any?, response: OutboundResponse) {
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
            throw Self.failure(status: response.status, json: json, route: route, server: server)
        }
        return (json, response)
    }

    /// Mattermost's AppError (`id`, `message`, `detailed_error`) as a typed failure.
    static func failure(status: Int, json: Any?, route: Route, server: String) -> MattermostError {
        let object = json as? [String: Any]
        let id = object?["id"] as? String
        let message = (object?["message"] as? String).map(TerminalText.sanitized)
        let detail = (object?["detailed_error"] as? String).map(TerminalText.sanitized)
        switch status {
        case 401: return .unauthorized(server: server)
        case 403: return .forbidden(route.permission, serverMessage: message)
        case 404: return .notFound(what: route.what)
        case 501: return .unavailable(ServerUnavailability.classify(id: id, message: message, feature: route.feature))
        default: return .server(status: status, message: message, detail: detail)
        }
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

    // MARK: The server itself

    /// The server's version, from the `X-Version-ID` header of the unauthenticated ping (its
    /// body carries none); nil when the server does not say. Asked once.
    public func serverVersion() async -> ServerVersion? {
        if let known = version.withLock({ $0 }) { return known }
        let found: ServerVersion?
        do {
            let (_, response) = try await exchange("GET", "/api/v4/system/ping", Route(what: "the ping", feature: .teams, permission: .manageConnections))
            found = response.header("X-Version-ID").flatMap(ServerVersion.init(header:))
        } catch {
            return nil // not remembered: the next question asks again
        }
        version.withLock { $0 = .some(found) }
        return found
    }

    /// Servers with MM-70208 (mattermost/mattermost#38168) validate only with the secret sent in the
    /// request; older ones fall back to the stored secret. An unknown version is asked too: a
    /// secret given is used by every server.
    public func validationNeedsSecret() async -> Bool {
        guard let version = await serverVersion() else { return true }
        return version >= ServerVersion.secretRequiredForValidate
    }

    /// The token's user (`GET /users/me`): the user a test-fire's payload names.
    public func currentUser() async throws -> (id: String, username: String) {
        let json = try await request("GET", "/api/v4/users/me", Route(what: "the token's user", feature: .teams, permission: .viewTeam(team.name)))
        guard let object = json as? [String: Any], let id = object["id"] as? String else { throw MattermostError.badReply("no user id") }
        return (id, TerminalText.sanitized(object["username"] as? String ?? id))
    }

    /// A channel of a team by name (`GET /teams/{id}/channels/name/{name}`): its id.
    public func channelId(named name: String, teamId: String) async throws -> String {
        let json = try await request("GET", "/api/v4/teams/\(Self.escapePath(teamId))/channels/name/\(Self.escapePath(name))",
                                     teamsRoute("channel \"\(name)\"", team: team.name))
        guard let object = json as? [String: Any], let id = object["id"] as? String else { throw MattermostError.badReply("no channel id") }
        return id
    }

    // MARK: Connections

    private var teamQuery: String { "team_id=\(team.id)" }

    public func listConnections() async throws -> [OutgoingOAuthConnection] {
        var all: [OutgoingOAuthConnection] = []
        var fromID = ""
        while true {
            let json = try await request("GET", "/api/v4/oauth/outgoing_connections?\(teamQuery)&limit=\(Self.pageSize)"
                                         + (fromID.isEmpty ? "" : "&from_id=\(fromID)"), connectionsRoute("the outgoing OAuth connections", reading: true))
            let page = try Self.decode([OutgoingOAuthConnection].self, json ?? [])
            all += page.map(remembered)
            guard page.count == Self.pageSize, let last = page.last?.id else { break }
            fromID = last
        }
        return all.sorted { ($0.name.lowercased(), $0.id) < ($1.name.lowercased(), $1.id) }
    }

    /// The connection as the server returned it, sanitised, with the last Validate kept locally.
    private func remembered(_ connection: OutgoingOAuthConnection) -> OutgoingOAuthConnection {
        var connection = connection.sanitized
        connection.lastValidation = validations?.record(server: server, for: connection)
        return connection
    }

    public func connection(id: String) async throws -> OutgoingOAuthConnection {
        let json = try await request("GET", "/api/v4/oauth/outgoing_connections/\(Self.escapePath(id))?\(teamQuery)",
                                     connectionsRoute("outgoing OAuth connection \(id)"))
        return remembered(try Self.decode(OutgoingOAuthConnection.self, json))
    }

    public func createConnection(_ connection: OutgoingOAuthConnection) async throws -> OutgoingOAuthConnection {
        let draft = connection.normalizedForSave()
        try draft.validate()
        let json = try await request("POST", "/api/v4/oauth/outgoing_connections?\(teamQuery)", body: try Self.encode(draft, secrets: true),
                                     connectionsRoute("the outgoing OAuth connections"))
        return remembered(try Self.decode(OutgoingOAuthConnection.self, json))
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
                                     body: try Self.encodeKeepingEmptySecret(body), connectionsRoute("outgoing OAuth connection \(draft.name)"))
        let saved = try Self.decode(OutgoingOAuthConnection.self, json)
        // A new secret is not what the last Validate proved.
        if !(draft.clientSecret?.isEmpty ?? true) || !(draft.credentialsPassword?.isEmpty ?? true) {
            try? validations?.store(nil, server: server, for: saved)
        }
        return remembered(saved)
    }

    /// A PUT body: the secret field present but empty when it is not being changed.
    private static func encodeKeepingEmptySecret(_ connection: OutgoingOAuthConnection) throws -> Data {
        let data = try encode(connection, secrets: true)
        guard var object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { return data }
        if object["client_secret"] == nil { object["client_secret"] = "" }
        return try JSONSerialization.data(withJSONObject: object)
    }

    public func deleteConnection(id: String) async throws {
        try await request("DELETE", "/api/v4/oauth/outgoing_connections/\(Self.escapePath(id))?\(teamQuery)", connectionsRoute("outgoing OAuth connection \(id)"))
    }

    /// The connection the server itself would use for `url` (its own matcher), or nil. As in
    /// Mattermost's web form, an error answer means "not linked" (the server answers 500 when no
    /// audience matches); only a server that cannot be reached is an error.
    public func connectionForAudience(_ url: String) async throws -> OutgoingOAuthConnection? {
        do {
            let json = try await request("GET", "/api/v4/oauth/outgoing_connections?\(teamQuery)&audience=\(Self.escapeQuery(url))",
                                         connectionsRoute("a connection for \(url)", reading: true))
            return (try? Self.decode([OutgoingOAuthConnection].self, json ?? []))?.first?.sanitized
        } catch let error as MattermostError {
            if case .transport = error { throw error }
            return nil
        }
    }

    public func recordValidation(connectionId: String, _ record: ValidationRecord) async throws {
        guard let validations else { return }
        let connection = try await self.connection(id: connectionId)
        try validations.store(record, server: server, for: connection)
    }

    public func credentials(forConnection id: String) async throws -> ConnectionCredentials {
        throw MattermostError.secretsStayOnTheServer
    }

    /// Validate through the server, which fetches the token itself, as it will in production.
    /// Without a secret older servers use the stored one; current ones need it (see
    /// `validationNeedsSecret`).
    public func validateOnServer(_ connection: OutgoingOAuthConnection) async throws {
        try await request("POST", "/api/v4/oauth/outgoing_connections/validate?\(teamQuery)",
                          body: try Self.encodeKeepingEmptySecret(connection), connectionsRoute("the validate endpoint"))
    }

    // MARK: Teams

    /// The teams the token's user belongs to (`GET /users/me/teams`).
    public func listTeams() async throws -> [Team] {
        let json = try await request("GET", "/api/v4/users/me/teams", teamsRoute("the token's teams", team: team.name))
        let teams = (json as? [[String: Any]] ?? []).compactMap { object -> Team? in
            guard let id = object["id"] as? String, let name = object["name"] as? String else { return nil }
            return Team(id: id, name: TerminalText.sanitized(name))
        }
        return teams.sorted { $0.name < $1.name }
    }

    /// `GET /teams/name/{name}`: the server lower-cases the name, so any letter case finds it.
    public func team(named name: String, createIfMissing: Bool) async throws -> Team {
        if !team.id.isEmpty, name.lowercased() == team.name.lowercased() { return team }
        let json = try await request("GET", "/api/v4/teams/name/\(Self.escapePath(name))", teamsRoute("team \"\(name)\"", team: name))
        guard let object = json as? [String: Any], let id = object["id"] as? String else { throw MattermostError.badReply("no team id") }
        return Team(id: id, name: TerminalText.sanitized(object["name"] as? String ?? name))
    }

    // MARK: Commands

    public func listCommands(teamId: String?) async throws -> [SlashCommand] {
        let json = try await request("GET", "/api/v4/commands?team_id=\(Self.escapeQuery(teamId ?? team.id))&custom_only=true",
                                     commandsRoute("the slash commands"))
        return try Self.decode([SlashCommand].self, json ?? []).filter { $0.deleteAt == 0 }.sorted { $0.trigger < $1.trigger }
    }

    public func command(id: String) async throws -> SlashCommand {
        // Mattermost answers 404 also when the token's user may not manage this command.
        let json = try await request("GET", "/api/v4/commands/\(Self.escapePath(id))", commandsRoute("slash command \(id)"))
        return try Self.decode(SlashCommand.self, json)
    }

    public func createCommand(_ command: SlashCommand) async throws -> SlashCommand {
        var draft = command.normalizedForSave()
        try draft.validate()
        if draft.teamId.isEmpty { draft.teamId = team.id }
        let json = try await request("POST", "/api/v4/commands", body: try Self.newCommandBody(draft), commandsRoute("the slash commands"))
        return try Self.decode(SlashCommand.self, json)
    }

    /// Only what a new command should carry (spec E6): the server keeps a body's `delete_at`,
    /// refuses `plugin_id` and another `creator_id`, and ignores autocomplete data.
    static func newCommandBody(_ command: SlashCommand) throws -> Data {
        var object: [String: Any] = [
            "team_id": command.teamId, "trigger": command.trigger, "method": command.method.rawValue, "url": command.url,
            "display_name": command.displayName, "description": command.description, "username": command.username,
            "icon_url": command.iconURL, "auto_complete": command.autoComplete,
        ]
        if command.autoComplete {
            object["auto_complete_hint"] = command.autoCompleteHint
            object["auto_complete_desc"] = command.autoCompleteDesc
        }
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    public func updateCommand(_ command: SlashCommand, basedOn expected: Int64) async throws -> SlashCommand {
        let draft = command.normalizedForSave()
        try draft.validate()
        let current = try await self.command(id: draft.id)
        guard current.updateAt == expected else {
            throw StoreError.conflict(kind: "slash command", name: "/" + current.trigger, expected: expected, actual: current.updateAt)
        }
        let json = try await request("PUT", "/api/v4/commands/\(Self.escapePath(draft.id))", body: try Self.encode(draft),
                                     commandsRoute("slash command /\(draft.trigger)"))
        return try Self.decode(SlashCommand.self, json)
    }

    public func deleteCommand(id: String) async throws {
        try await request("DELETE", "/api/v4/commands/\(Self.escapePath(id))", commandsRoute("slash command \(id)"))
    }

    public func regenerateCommandToken(id: String) async throws -> SlashCommand {
        try await request("PUT", "/api/v4/commands/\(Self.escapePath(id))/regen_token", commandsRoute("slash command \(id)"))
        return try await command(id: id)
    }

    // MARK: Outgoing webhooks (read only: they count as users of a connection)

    static let webhookPageSize = 200

    /// The team's outgoing webhooks (`GET /hooks/outgoing?team_id=…`, api4/webhook.go
    /// getOutgoingHooks), every page. Deleted ones are left out.
    public func listOutgoingWebhooks(teamId: String? = nil) async throws -> [OutgoingWebhook] {
        let route = Route(what: "the outgoing webhooks", feature: .outgoingWebhooks, permission: .manageOutgoingWebhooks(team: team.name))
        var all: [OutgoingWebhook] = []
        var page = 0
        while true {
            let json = try await request("GET", "/api/v4/hooks/outgoing?team_id=\(Self.escapeQuery(teamId ?? team.id))&page=\(page)&per_page=\(Self.webhookPageSize)", route)
            let hooks = try Self.decode([OutgoingWebhook].self, json ?? [])
            all += hooks.filter { $0.deleteAt == 0 }
            guard hooks.count == Self.webhookPageSize else { break }
            page += 1
        }
        return all
    }
}

/// A Mattermost server's version (`major.minor.patch`).
public struct ServerVersion: Sendable, Equatable, Comparable, CustomStringConvertible {
    public let major: Int, minor: Int, patch: Int

    public init(_ major: Int, _ minor: Int, _ patch: Int) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// `X-Version-ID` is `<version>.<build>.<config hash>.<licensed>`: the first three parts.
    public init?(header: String) {
        let parts = header.split(separator: ".", omittingEmptySubsequences: false).prefix(3).map { Int($0) }
        guard parts.count == 3, let major = parts[0], let minor = parts[1], let patch = parts[2] else { return nil }
        self.init(major, minor, patch)
    }

    /// The first release estimated to carry MM-70208 (merged 2026-08-27; Mattermost ships monthly).
    public static let secretRequiredForValidate = ServerVersion(11, 11, 0)

    public static func < (a: ServerVersion, b: ServerVersion) -> Bool { (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch) }
    public var description: String { "\(major).\(minor).\(patch)" }
}
