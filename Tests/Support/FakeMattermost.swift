import Foundation
import Synchronization

/// A Mattermost server on a real port, in memory, behaving as Mattermost's handlers do (read route
/// by route; each route below names the handler it follows). By default it is a *default* server:
/// `detailed_error` is empty (ServiceSettings.EnableDeveloper off), errors carry Mattermost's `id`.
public final class FakeMattermost: Sendable {
    public struct Settings: Sendable {
        /// ServiceSettings.EnableOutgoingOAuthConnections.
        public var featureOn = true
        /// An Enterprise licence (the OAuth connections gate checks it after the setting).
        public var licensed = true
        /// ServiceSettings.EnableCommands.
        public var commandsEnabled = true
        /// System permission manage_outgoing_oauth_connections.
        public var canManageConnections = true
        /// manage_own_slash_commands on the team (reading connections also works with it).
        public var canManageCommands = true
        /// ServiceSettings.EnableDeveloper: only then is `detailed_error` filled.
        public var developerMode = false
        /// `X-Version-ID`'s version; from 11.11.0 Validate uses only the secret sent (MM-70208).
        public var version = "11.11.0"
        public var goodSecret = "good-secret"
        /// Listing connections answers this status instead (a busy or failing server: 429, 503).
        public var connectionListStatus: Int?
        /// Listing connections never answers (a stuck server), until the client gives up.
        public var holdConnectionLists = false
        /// ServiceSettings.EnableOutgoingWebhooks.
        public var outgoingWebhooksEnabled = true
        /// manage_outgoing_webhooks on the team.
        public var canManageWebhooks = true
        public init() {}

        var validateUsesStoredSecret: Bool {
            let parts = version.split(separator: ".").compactMap { Int($0) }
            return (parts.first ?? 0, parts.dropFirst().first ?? 0) < (11, 11)
        }
    }

    public let pat: String
    public let userID = "user00000000000000000000aa"
    public let userName = "sysadmin"
    public let teamID = "teamid000000000000000000aa"
    public let teamName: String
    /// A second team the token's user belongs to (the team picker).
    public let otherTeamID = "teamid000000000000000000bb"
    public let otherTeamName = "sales"
    public let channelID = "chan00000000000000000000aa"
    let state = Locked(State())
    let settingsBox: Mutex<Settings>
    let revoked = Mutex(false)
    public let server: ScriptedHTTPServer

    struct State {
        var connections: [String: [String: Any]] = [:]
        var secrets: [String: String] = [:]
        var commands: [String: [String: Any]] = [:]
        var webhooks: [String: [String: Any]] = [:]
        var counter = 0
    }

    public init(pat: String = "pat-0123456789abcdefghijklm", team: String = "ops", settings: Settings = Settings()) async throws {
        self.pat = pat
        teamName = team
        settingsBox = Mutex(settings)
        let box = UncheckedSelf()
        server = try await ScriptedHTTPServer { request in box.value?.handle(request) ?? .hang }
        box.value = self
    }

    public var url: String { server.baseURL }
    public var requests: [ScriptedHTTPServer.Request] { server.requests }
    public func shutdown() async { await server.shutdown() }
    public func update(_ change: (inout Settings) -> Void) { settingsBox.withLock { change(&$0) } }
    public var storedSecrets: [String: String] { state.withLock { $0.secrets } }
    /// The personal access token stops working, as when an admin revokes it.
    public func revokeToken() { revoked.withLock { $0 = true } }
    public var storedCommands: [[String: Any]] { state.withLock { Array($0.commands.values) } }

    /// Adds connections directly (paging tests).
    public func seedConnections(_ count: Int) {
        state.withLock { state in
            for index in 0..<count {
                state.counter += 1
                let id = String(format: "conn%022d", state.counter)
                state.connections[id] = ["id": id, "name": "seeded \(index)", "client_id": "c", "oauth_token_url": "https://idp.example.com/t",
                                         "grant_type": "client_credentials", "audiences": ["https://s\(index).example.com/"],
                                         "create_at": 1_700_000_000_000 + index, "update_at": 1_700_000_000_000 + index, "creator_id": "u"]
                state.secrets[id] = "s"
            }
        }
    }

    /// Adds a connection as given (any value a real server may hold); returns its id.
    @discardableResult
    public func seedConnection(_ fields: [String: Any], secret: String = "s") -> String {
        state.withLock { state in
            state.counter += 1
            let id = String(format: "conn%022d", state.counter)
            var connection: [String: Any] = ["id": id, "creator_id": userID, "create_at": 1_800_000_000_000 + state.counter,
                                             "update_at": 1_800_000_000_000 + state.counter, "grant_type": "client_credentials"]
            for (key, value) in fields { connection[key] = value }
            state.connections[id] = connection
            state.secrets[id] = secret
            return id
        }
    }

    /// Adds a slash command directly (as if made in the web app).
    @discardableResult
    public func seedCommand(trigger: String, url: String, team: String? = nil, _ extra: [String: Any] = [:]) -> String {
        state.withLock { state in
            state.counter += 1
            let id = String(format: "cmd%023d", state.counter)
            var command: [String: Any] = ["id": id, "token": String(format: "tok%023d", state.counter), "trigger": trigger, "url": url, "method": "P",
                                          "team_id": team ?? teamID, "creator_id": userID, "create_at": 1_800_000_000_000 + state.counter,
                                          "update_at": 1_800_000_000_000 + state.counter, "delete_at": 0, "display_name": "", "description": "",
                                          "username": "", "icon_url": "", "auto_complete": false, "auto_complete_desc": "", "auto_complete_hint": ""]
            for (key, value) in extra { command[key] = value }
            state.commands[id] = command
            return id
        }
    }

    /// Adds an outgoing webhook directly (as if made in the web app); returns its id.
    @discardableResult
    public func seedWebhook(name: String, callbackURLs: [String], team: String? = nil, deleted: Bool = false) -> String {
        state.withLock { state in
            state.counter += 1
            let id = String(format: "hook%022d", state.counter)
            state.webhooks[id] = ["id": id, "token": String(format: "htok%022d", state.counter), "team_id": team ?? teamID, "channel_id": channelID,
                                  "creator_id": userID, "display_name": name, "description": "", "trigger_words": ["go"], "trigger_when": 0,
                                  "callback_urls": callbackURLs, "content_type": "application/x-www-form-urlencoded", "username": "", "icon_url": "",
                                  "create_at": 1_800_000_000_000 + state.counter, "update_at": 1_800_000_000_000 + state.counter,
                                  "delete_at": deleted ? 1_800_000_000_000 + state.counter : 0]
            return id
        }
    }

    static func json(_ status: Int, _ object: Any, headers: [(String, String)] = []) -> ScriptedHTTPServer.Reply {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return .respond(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(data))
    }

    /// Mattermost's AppError JSON; `detailed_error` only in developer mode.
    func error(_ status: Int, _ id: String, _ message: String, detail: String = "") -> ScriptedHTTPServer.Reply {
        let developer = settingsBox.withLock { $0.developerMode }
        return Self.json(status, ["id": id, "message": message, "detailed_error": developer ? detail : "", "request_id": "req", "status_code": status])
    }

    func handle(_ request: ScriptedHTTPServer.Request) -> ScriptedHTTPServer.Reply {
        let settings = settingsBox.withLock { $0 }
        let parts = request.path.split(separator: "/").map(String.init)
        guard parts.count >= 3, parts[0] == "api", parts[1] == "v4" else { return notFoundPage() }
        let rest = Array(parts.dropFirst(2))
        // web/handlers.go: every reply carries X-Version-ID; the ping needs no session.
        let version = ("X-Version-ID", "\(settings.version).4242.0123456789abcdef.\(settings.licensed)")
        if request.method == "GET" && rest == ["system", "ping"] {
            return Self.json(200, ["status": "OK", "AndroidLatestVersion": "", "IosLatestVersion": ""], headers: [version])
        }
        guard isKnownRoute(request.method, rest) else { return notFoundPage() } // unknown routes: 404 before the session check
        // A token is everything after "Bearer " (any case); a bad or revoked one is 401.
        let authorization = request.header("Authorization") ?? ""
        let given = authorization.lowercased().hasPrefix("bearer ") ? String(authorization.dropFirst(7)) : ""
        guard given == pat, !revoked.withLock({ $0 }) else {
            return error(401, "api.context.session_expired.app_error", "Invalid or expired session, please login again.")
        }
        let body = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any]
        switch (request.method, rest.first) {
        case ("GET", "users"): return users(rest)
        case ("GET", "teams"): return teams(rest)
        case (_, "oauth"): return connections(request, Array(rest.dropFirst(2)), body, settings)
        case (_, "commands"): return commands(request, Array(rest.dropFirst()), body, settings)
        case ("GET", "hooks"): return outgoingWebhooks(request, settings)
        default: return notFoundPage()
        }
    }

    func notFoundPage() -> ScriptedHTTPServer.Reply {
        error(404, "api.context.404.app_error", "Sorry, we could not find the page.")
    }

    /// The routes backstage uses, with their methods (api4's InitX functions).
    func isKnownRoute(_ method: String, _ path: [String]) -> Bool {
        switch (method, path.first, path.count) {
        case ("GET", "users", 2), ("GET", "users", 3): return path[1] == "me" && (path.count == 2 || path[2] == "teams")
        case ("GET", "teams", 3): return path[1] == "name"
        case ("GET", "teams", 5): return path[2] == "channels" && path[3] == "name"
        case (_, "oauth", _):
            guard path.count >= 2, path[1] == "outgoing_connections" else { return false }
            switch path.count {
            case 2: return method == "GET" || method == "POST"
            case 3: return path[2] == "validate" ? method == "POST" : ["GET", "PUT", "DELETE"].contains(method)
            default: return false
            }
        case (_, "commands", 1): return method == "GET" || method == "POST"
        case (_, "commands", 2): return ["GET", "PUT", "DELETE"].contains(method)
        case ("PUT", "commands", 3): return path[2] == "regen_token"
        case ("GET", "hooks", 2): return path[1] == "outgoing"
        default: return false
        }
    }

    // api4/user.go getUser("me"), getTeamsForUser.
    private func users(_ path: [String]) -> ScriptedHTTPServer.Reply {
        if path.count == 2 { return Self.json(200, ["id": userID, "username": userName, "email": "admin@example.com", "roles": "system_admin system_user"]) }
        return Self.json(200, [["id": teamID, "name": teamName, "display_name": teamName.capitalized, "type": "O", "delete_at": 0],
                               ["id": otherTeamID, "name": otherTeamName, "display_name": "Sales", "type": "O", "delete_at": 0]])
    }

    // api4/team.go getTeamByName (the name is lower-cased), api4/channel.go getChannelByName.
    private func teams(_ path: [String]) -> ScriptedHTTPServer.Reply {
        let known = [teamName: teamID, otherTeamName: otherTeamID]
        if path.count == 3 {
            let name = path[2].lowercased()
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                return error(400, "api.context.invalid_url_param.app_error", "Invalid or missing name parameter in request URL.")
            }
            guard let id = known[name] else { return error(404, "app.team.get_by_name.missing.app_error", "Unable to find the existing team.") }
            return Self.json(200, ["id": id, "name": name, "display_name": name.capitalized, "type": "O"])
        }
        guard known.values.contains(path[1]) else { return error(404, "app.team.get.find.app_error", "Unable to find the existing team.") }
        guard path[4] == "town-square" || path[4] == "payroll" else {
            return error(404, "app.channel.get_by_name.missing.app_error", "Channel does not exist.")
        }
        return Self.json(200, ["id": path[4] == "town-square" ? channelID : "chan00000000000000000000pp", "name": path[4], "team_id": path[1]])
    }

    private func sanitized(_ connection: [String: Any]) -> [String: Any] {
        var copy = connection
        copy["client_secret"] = nil
        copy["credentials_password"] = nil
        return copy
    }

    // api4/outgoing_oauth_connection.go: permission first, then the gate (setting, then licence).
    private func connections(_ request: ScriptedHTTPServer.Request, _ path: [String], _ body: [String: Any]?, _ settings: Settings) -> ScriptedHTTPServer.Reply {
        let query = request.form
        let reading = request.method == "GET" && path.isEmpty
        let allowed = settings.canManageConnections || (reading && settings.canManageCommands && query["team_id"] == teamID)
        guard allowed else {
            return error(403, "api.context.permissions.app_error", "You do not have the appropriate permissions.",
                         detail: "userId=\(userID), permission=manage_outgoing_oauth_connections")
        }
        guard settings.featureOn else {
            return error(501, "api.context.outgoing_oauth_connection.not_available.configuration_disabled", "Outgoing OAuth connections are not available on this server.")
        }
        guard settings.licensed else {
            return error(501, "api.license.upgrade_needed.app_error", "Feature requires an upgrade to Enterprise Edition.")
        }
        return state.withLock { state -> ScriptedHTTPServer.Reply in
            switch (request.method, path.first) {
            case ("GET", nil) where query["audience"] != nil:
                let url = query["audience"]!
                let match = state.connections.keys.sorted().compactMap { state.connections[$0] }.first { connection in
                    (connection["audiences"] as? [String] ?? []).contains { $0 == url || ($0.hasSuffix("*") && url.hasPrefix(String($0.dropLast()))) }
                }
                // GetConnectionForAudience's "not found" comes back as the list route's 500.
                guard let match else {
                    return error(500, "api.context.outgoing_oauth_connection.list_connections.app_error", "There was an error while listing outgoing OAuth connections.",
                                 detail: "The outgoing oauth connection for the provided audience was not found.")
                }
                return Self.json(200, [sanitized(match)])
            case ("GET", nil):
                if settings.holdConnectionLists { return .hang }
                if let status = settings.connectionListStatus {
                    return error(status, "api.context.outgoing_oauth_connection.list_connections.app_error", "The server is busy.")
                }
                let limit = Int(query["limit"] ?? "10") ?? -1
                guard (1...100).contains(limit) else {
                    return error(400, "api.context.outgoing_oauth_connection.list_connections.input_error", "Invalid input parameters.")
                }
                let from = query["from_id"] ?? ""
                let page = state.connections.keys.sorted().filter { $0 > from }.prefix(limit).map { sanitized(state.connections[$0]!) }
                return Self.json(200, Array(page))
            case ("POST", nil):
                guard var connection = body else { return error(400, "api.context.outgoing_oauth_connection.create_connection.input_error", "Invalid input parameters.") }
                guard let name = connection["name"] as? String, !name.isEmpty, let secret = connection["client_secret"] as? String, !secret.isEmpty else {
                    return error(500, "api.context.outgoing_oauth_connection.create_connection.app_error",
                                 "There was an error while creating the outgoing OAuth connection.", detail: "Invalid name or client secret.")
                }
                state.counter += 1
                let id = String(format: "conn%022d", state.counter)
                connection["id"] = id
                connection["creator_id"] = userID
                connection["create_at"] = 1_800_000_000_000 + state.counter
                connection["update_at"] = 1_800_000_000_000 + state.counter
                state.secrets[id] = secret
                connection["client_secret"] = nil
                state.connections[id] = connection
                return Self.json(201, sanitized(connection))
            case ("POST", "validate"):
                var secret = body?["client_secret"] as? String ?? ""
                if secret.isEmpty, settings.validateUsesStoredSecret, let id = body?["id"] as? String { secret = state.secrets[id] ?? "" }
                return secret == settings.goodSecret ? Self.json(200, ["status": "OK"])
                    : error(400, "api.context.outgoing_oauth_connection.validate_connection_credentials.app_error",
                            "There was an error while validating the outgoing OAuth connection credentials.", detail: "invalid_client")
            case (let method, let id?):
                guard var connection = state.connections[id] else {
                    return error(500, "api.context.outgoing_oauth_connection.list_connections.app_error",
                                 "There was an error while retrieving the outgoing OAuth connection.", detail: "not found")
                }
                switch method {
                case "GET": return Self.json(200, sanitized(connection))
                case "DELETE":
                    state.connections[id] = nil
                    state.secrets[id] = nil
                    return Self.json(200, ["status": "OK"])
                default: // PUT
                    guard let patch = body, patch["id"] as? String == id else {
                        return error(400, "api.context.invalid_body_param.app_error", "Invalid or missing id in request body.")
                    }
                    // Mattermost's Patch: only non-empty fields; an empty secret keeps the stored one.
                    for key in ["name", "client_id", "oauth_token_url", "grant_type"] {
                        if let value = patch[key] as? String, !value.isEmpty { connection[key] = value }
                    }
                    if let audiences = patch["audiences"] as? [String], !audiences.isEmpty { connection["audiences"] = audiences }
                    if let secret = patch["client_secret"] as? String, !secret.isEmpty { state.secrets[id] = secret }
                    state.counter += 1
                    connection["update_at"] = 1_800_000_000_000 + state.counter
                    state.connections[id] = connection
                    return Self.json(200, sanitized(connection))
                }
            default:
                return notFoundPage()
            }
        }
    }

    // api4/webhook.go getOutgoingHooks (team_id: manage_outgoing_webhooks on the team), then
    // app/webhook.go GetOutgoingWebhooksForTeamPageByUser (EnableOutgoingWebhooks, 501). Paged by
    // page/per_page (default 60, at most 200); deleted hooks are not listed.
    private func outgoingWebhooks(_ request: ScriptedHTTPServer.Request, _ settings: Settings) -> ScriptedHTTPServer.Reply {
        let query = request.form
        guard let team = query["team_id"], !team.isEmpty else {
            return error(403, "api.context.permissions.app_error", "You do not have the appropriate permissions.") // needs the system-wide permission
        }
        guard settings.canManageWebhooks else {
            return error(403, "api.context.permissions.app_error", "You do not have the appropriate permissions.",
                         detail: "userId=\(userID), permission=manage_outgoing_webhooks")
        }
        guard settings.outgoingWebhooksEnabled else {
            return error(501, "api.outgoing_webhook.disabled.app_error", "Outgoing webhooks have been disabled by the system admin.")
        }
        let page = Int(query["page"] ?? "0") ?? 0
        let perPage = min(Int(query["per_page"] ?? "60") ?? 60, 200)
        return state.withLock { state in
            let hooks = state.webhooks.values.filter { $0["team_id"] as? String == team && ($0["delete_at"] as? Int ?? 0) == 0 }
                .sorted { ($0["id"] as! String) < ($1["id"] as! String) }
            return Self.json(200, Array(hooks.dropFirst(page * perPage).prefix(perPage)))
        }
    }

    // api4/command.go and app/command.go. Commands do not depend on the OAuth gate; they depend on
    // EnableCommands. A command the user may not manage reads as missing (404) on the id routes.
    private func commands(_ request: ScriptedHTTPServer.Request, _ path: [String], _ body: [String: Any]?, _ settings: Settings) -> ScriptedHTTPServer.Reply {
        let denied = error(403, "api.context.permissions.app_error", "You do not have the appropriate permissions.",
                           detail: "userId=\(userID), permission=manage_own_slash_commands")
        let missing = error(404, "store.sql_command.save.get.app_error", "Unable to get the command.")
        let disabled = error(501, "api.command.disabled.app_error", "Commands have been disabled by the system admin.")
        return state.withLock { state -> ScriptedHTTPServer.Reply in
            switch (request.method, path.count) {
            case ("GET", 0):
                guard let team = request.form["team_id"], !team.isEmpty else {
                    return error(400, "api.context.invalid_url_param.app_error", "Invalid or missing team_id parameter in request URL.")
                }
                guard settings.canManageCommands else { return denied }
                guard settings.commandsEnabled else { return disabled }
                return Self.json(200, state.commands.values.filter { $0["team_id"] as? String == team }.sorted { ($0["id"] as! String) < ($1["id"] as! String) })
            case ("POST", 0):
                guard var command = body else { return error(400, "api.context.invalid_body_param.app_error", "Invalid or missing command in request body.") }
                guard let team = command["team_id"] as? String, [teamID, otherTeamID].contains(team), settings.canManageCommands else { return denied }
                if let creator = command["creator_id"] as? String, !creator.isEmpty, creator != userID {
                    return error(404, "app.user.get.app_error", "Unable to find the user.")
                }
                if let plugin = command["plugin_id"] as? String, !plugin.isEmpty {
                    return error(400, "api.command.invalid_plugin_id.app_error", "Invalid plugin_id.")
                }
                guard settings.commandsEnabled else { return disabled }
                guard let trigger = (command["trigger"] as? String)?.lowercased(), !trigger.isEmpty else {
                    return error(400, "model.command.is_valid.trigger.app_error", "Invalid trigger.")
                }
                if state.commands.values.contains(where: { $0["trigger"] as? String == trigger && $0["team_id"] as? String == team && ($0["delete_at"] as? Int ?? 0) == 0 }) {
                    return error(400, "api.command.duplicate_trigger.app_error", "This trigger word is already in use. Please choose another word.")
                }
                state.counter += 1
                let id = String(format: "cmd%023d", state.counter)
                command["id"] = id
                command["trigger"] = trigger
                command["token"] = String(format: "tok%023d", state.counter)
                command["create_at"] = 1_800_000_000_000 + state.counter
                command["update_at"] = 1_800_000_000_000 + state.counter
                command["creator_id"] = userID
                command["delete_at"] = command["delete_at"] ?? 0 // kept as sent (spec E6)
                command["autocomplete_data"] = nil
                command["autocomplete_icon_data"] = nil
                state.commands[id] = command
                return Self.json(201, command)
            case (let method, _):
                let id = path[0]
                guard settings.canManageCommands, settings.commandsEnabled, var command = state.commands[id] else { return missing }
                if path.count == 2 && path[1] == "regen_token" && method == "PUT" {
                    state.counter += 1
                    command["token"] = String(format: "new%023d", state.counter)
                    command["update_at"] = 1_800_000_000_000 + state.counter
                    state.commands[id] = command
                    return Self.json(200, ["token": command["token"]!])
                }
                switch method {
                case "GET": return Self.json(200, command)
                case "DELETE":
                    state.commands[id] = nil
                    return Self.json(200, ["status": "OK"])
                default: // PUT
                    guard let update = body, update["id"] as? String == id else {
                        return error(400, "api.context.invalid_body_param.app_error", "Invalid or missing command in request body.")
                    }
                    for (key, value) in update where !["id", "token", "create_at", "creator_id", "team_id", "delete_at", "plugin_id"].contains(key) {
                        command[key] = value
                    }
                    state.counter += 1
                    command["update_at"] = 1_800_000_000_000 + state.counter
                    state.commands[id] = command
                    return Self.json(200, command)
                }
            }
        }
    }
}

/// Lets the server's script reach the fake after both exist.
final class UncheckedSelf: @unchecked Sendable {
    var value: FakeMattermost?
}

/// JSON dictionaries are not Sendable; an NSLock guards them.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
