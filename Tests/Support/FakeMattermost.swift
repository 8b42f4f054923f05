import Foundation
import Synchronization

/// A Mattermost server as the spec's tables describe it (REST API v4: outgoing OAuth connections,
/// commands, teams), in memory, on a real port: status codes, JSON names, sanitised secrets, the
/// 501 gate, permissions, paging with from_id/limit.
public final class FakeMattermost: Sendable {
    public struct Settings: Sendable {
        public var featureOn = true
        public var canManageConnections = true
        public var canManageCommands = true
        public var goodSecret = "good-secret"
        public init() {}
    }

    public let pat: String
    public let teamID = "teamid000000000000000000aa"
    public let teamName: String
    let state = Locked(State())
    let settingsBox: Mutex<Settings>
    public let server: ScriptedHTTPServer

    struct State {
        var connections: [String: [String: Any]] = [:]
        var secrets: [String: String] = [:]
        var commands: [String: [String: Any]] = [:]
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

    static func json(_ status: Int, _ object: Any) -> ScriptedHTTPServer.Reply {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return .respond(status: status, headers: [("Content-Type", "application/json")], body: Array(data))
    }

    static func error(_ status: Int, _ message: String, detail: String = "") -> ScriptedHTTPServer.Reply {
        json(status, ["id": "api.error", "message": message, "detailed_error": detail, "status_code": status])
    }

    func handle(_ request: ScriptedHTTPServer.Request) -> ScriptedHTTPServer.Reply {
        guard request.header("Authorization") == "Bearer \(pat)" else { return Self.error(401, "Invalid or expired session, please login again.") }
        let settings = settingsBox.withLock { $0 }
        let parts = request.path.split(separator: "/").map(String.init) // api v4 ...
        guard parts.count >= 3, parts[0] == "api", parts[1] == "v4" else { return Self.error(404, "not found") }
        let rest = Array(parts.dropFirst(2))
        let body = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any]
        switch (request.method, rest.first) {
        case ("GET", "teams") where rest.count == 3 && rest[1] == "name":
            return rest[2] == teamName ? Self.json(200, ["id": teamID, "name": teamName]) : Self.error(404, "Unable to find the existing team.")
        case (_, "oauth"):
            guard settings.canManageConnections else { return Self.error(403, "You do not have the appropriate permissions.") }
            guard settings.featureOn else { return Self.error(501, "Outgoing OAuth connections are not available on this server.") }
            return connections(request, Array(rest.dropFirst(2)), body, settings)
        case (_, "commands"):
            guard settings.canManageCommands else { return Self.error(403, "You do not have the appropriate permissions.") }
            return commands(request, Array(rest.dropFirst()), body)
        default:
            return Self.error(404, "not found")
        }
    }

    private func sanitized(_ connection: [String: Any]) -> [String: Any] {
        var copy = connection
        copy["client_secret"] = nil
        copy["credentials_password"] = nil
        return copy
    }

    private func connections(_ request: ScriptedHTTPServer.Request, _ path: [String], _ body: [String: Any]?, _ settings: Settings) -> ScriptedHTTPServer.Reply {
        let query = request.form
        return state.withLock { state -> ScriptedHTTPServer.Reply in
            switch (request.method, path.first) {
            case ("GET", nil) where query["audience"] != nil:
                let url = query["audience"]!
                let match = state.connections.keys.sorted().compactMap { state.connections[$0] }.first { connection in
                    (connection["audiences"] as? [String] ?? []).contains { $0 == url || ($0.hasSuffix("*") && url.hasPrefix(String($0.dropLast()))) }
                }
                guard let match else { return Self.error(404, "The outgoing oauth connection for the provided audience was not found.") }
                return Self.json(200, [sanitized(match)])
            case ("GET", nil):
                let limit = Int(query["limit"] ?? "10") ?? -1
                guard (1...100).contains(limit) else { return Self.error(400, "Invalid input parameters.") }
                let from = query["from_id"] ?? ""
                let page = state.connections.keys.sorted().filter { $0 > from }.prefix(limit).map { sanitized(state.connections[$0]!) }
                return Self.json(200, Array(page))
            case ("POST", nil):
                guard var connection = body else { return Self.error(400, "Invalid input parameters.") }
                guard let name = connection["name"] as? String, !name.isEmpty, let secret = connection["client_secret"] as? String, !secret.isEmpty else {
                    return Self.error(500, "There was an error while creating the outgoing OAuth connection.", detail: "Invalid name or client secret.")
                }
                state.counter += 1
                let id = String(format: "conn%022d", state.counter)
                connection["id"] = id
                connection["creator_id"] = "user00000000000000000000aa"
                connection["create_at"] = 1_800_000_000_000 + state.counter
                connection["update_at"] = 1_800_000_000_000 + state.counter
                state.secrets[id] = secret
                connection["client_secret"] = nil
                state.connections[id] = connection
                return Self.json(201, sanitized(connection))
            case ("POST", "validate"):
                var secret = body?["client_secret"] as? String ?? ""
                if secret.isEmpty, let id = body?["id"] as? String { secret = state.secrets[id] ?? "" }
                return secret == settings.goodSecret ? Self.json(200, ["status": "OK"])
                    : Self.error(400, "There was an error while validating the outgoing OAuth connection credentials.")
            case (let method, let id?):
                guard var connection = state.connections[id] else {
                    return Self.error(500, "There was an error while retrieving the outgoing OAuth connection.", detail: "not found")
                }
                switch method {
                case "GET": return Self.json(200, sanitized(connection))
                case "DELETE":
                    state.connections[id] = nil
                    state.secrets[id] = nil
                    return Self.json(200, ["status": "OK"])
                case "PUT":
                    guard let patch = body, patch["id"] as? String == id else { return Self.error(400, "Invalid or missing id parameter in request URL.") }
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
                default: return Self.error(405, "method not allowed")
                }
            default:
                return Self.error(404, "not found")
            }
        }
    }

    private func commands(_ request: ScriptedHTTPServer.Request, _ path: [String], _ body: [String: Any]?) -> ScriptedHTTPServer.Reply {
        state.withLock { state -> ScriptedHTTPServer.Reply in
            switch (request.method, path.count) {
            case ("GET", 0):
                let team = request.form["team_id"] ?? ""
                return Self.json(200, state.commands.values.filter { $0["team_id"] as? String == team }.sorted { ($0["id"] as! String) < ($1["id"] as! String) })
            case ("POST", 0):
                guard var command = body, let trigger = command["trigger"] as? String, !trigger.isEmpty else { return Self.error(400, "Invalid trigger.") }
                if state.commands.values.contains(where: { $0["trigger"] as? String == trigger && $0["team_id"] as? String == command["team_id"] as? String }) {
                    return Self.error(400, "This trigger word is already in use. Please choose another word.")
                }
                state.counter += 1
                let id = String(format: "cmd%023d", state.counter)
                command["id"] = id
                command["token"] = String(format: "tok%023d", state.counter)
                command["create_at"] = 1_800_000_000_000 + state.counter
                command["update_at"] = 1_800_000_000_000 + state.counter
                command["creator_id"] = "user00000000000000000000aa"
                state.commands[id] = command
                return Self.json(201, command)
            case (let method, _):
                let id = path[0]
                guard var command = state.commands[id] else { return Self.error(404, "Unable to get the command.") }
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
                case "PUT":
                    guard let update = body else { return Self.error(400, "Invalid input parameters.") }
                    for (key, value) in update where !["id", "token", "create_at", "creator_id", "team_id"].contains(key) { command[key] = value }
                    state.counter += 1
                    command["update_at"] = 1_800_000_000_000 + state.counter
                    state.commands[id] = command
                    return Self.json(200, command)
                default: return Self.error(405, "method not allowed")
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
