/// What a Mattermost server said, in words an admin can act on. Classified by HTTP status and
/// Mattermost's error `id`, never by message text (a default server leaves `detailed_error` empty,
/// and messages are translated).
public enum MattermostError: Error, Sendable, Equatable, CustomStringConvertible {
    case unauthorized(server: String)
    case forbidden(ServerPermission, serverMessage: String?)
    case notFound(what: String)
    case unavailable(ServerUnavailability)
    case server(status: Int, message: String?, detail: String?)
    case badReply(String)
    case transport(HTTPFailure)
    case missingToken
    case tokenFileReadableByOthers(path: String)
    case unreadableTokenFile(path: String)
    case secretsStayOnTheServer

    public var description: String {
        switch self {
        case .unauthorized(let server):
            return "\(server) refused the personal access token (401): it is invalid, expired or revoked; create a new one in Profile > Security > Personal Access Tokens"
        case .forbidden(let permission, _):
            return "the token's user lacks the \(permission.name) permission (403): \(permission.remedy)"
        case .notFound(let what):
            return "\(what) was not found on the server (404)"
        case .unavailable(let reason):
            return reason.description
        case .server(let status, let message, let detail):
            var text = "the server answered \(status)"
            if let message, !message.isEmpty { text += ": \(message)" }
            if let detail, !detail.isEmpty { text += " (\(detail))" }
            return text
        case .badReply(let what):
            return "the server's reply could not be read: \(what)"
        case .transport(let failure):
            return failure.description
        case .missingToken:
            return "server mode needs a personal access token: set MM_ACCESS_TOKEN or pass --token-file PATH (never the token itself as an argument)"
        case .tokenFileReadableByOthers(let path):
            return "\(path) can be read by other users; chmod 600 it before using it as a token file"
        case .unreadableTokenFile(let path):
            return "cannot read the token file \(path)"
        case .secretsStayOnTheServer:
            return "a Mattermost server never returns a connection's secrets; validate through the server (connections validate NAME), or give the secret again"
        }
    }

    var isUnauthorized: Bool {
        if case .unauthorized = self { return true }
        return false
    }

    var isTransport: Bool {
        if case .transport = self { return true }
        return false
    }

    /// The kind of failure, which decides the CLI's exit status and what the console advises.
    public var kind: ServerFailureKind {
        switch self {
        case .unauthorized, .forbidden: return .notAllowed
        case .unavailable: return .notAvailable
        case .notFound: return .notFound
        case .server(let status, _, _): return status >= 500 || status == 429 ? .temporary : .other
        case .transport(let failure): return failure.isWorthRetrying ? .temporary : .other
        default: return .other
        }
    }
}

public enum ServerFailureKind: Sendable, Equatable {
    /// 401, 403: the token or its user's permissions.
    case notAllowed
    /// 501: the feature is off, unlicensed, or disabled on this server.
    case notAvailable
    /// Connection refused, time-out, 5xx, 429: worth retrying later.
    case temporary
    case notFound
    case other
}

/// A permission a route needs, as Mattermost's System Console names it.
public struct ServerPermission: Sendable, Equatable {
    public let name: String
    public let remedy: String

    public static let manageConnections = ServerPermission(
        name: "manage_outgoing_oauth_connections",
        remedy: "a system admin can grant it in System Console > User Management > System Roles, or use the token of a user who has it")
    /// Reading connections also works with team rights on slash commands or outgoing webhooks.
    public static func readConnections(team: String) -> ServerPermission {
        ServerPermission(name: "manage_outgoing_oauth_connections (or manage_slash_commands / manage_outgoing_webhooks on team \(team))",
                         remedy: "a system admin can grant it in System Console > User Management > System Roles, or use the token of a user who has it")
    }
    public static func manageCommands(team: String) -> ServerPermission {
        ServerPermission(name: "manage_own_slash_commands on team \(team) (manage_slash_commands on older servers)",
                         remedy: "a team or system admin can grant it in System Console > User Management > Permissions, or use the token of a user who has it")
    }
    public static func manageOutgoingWebhooks(team: String) -> ServerPermission {
        ServerPermission(name: "manage_outgoing_webhooks on team \(team)",
                         remedy: "a team or system admin can grant it in System Console › User Management › Permissions, or use the token of a user who has it")
    }
    public static func viewTeam(_ team: String) -> ServerPermission {
        ServerPermission(name: "view_team on team \(team)", remedy: "the token's user must be a member of the team")
    }
}

/// Why a route answered 501 Not Implemented, from Mattermost's error id.
public enum ServerUnavailability: Sendable, Equatable, CustomStringConvertible {
    /// `ServiceSettings.EnableOutgoingOAuthConnections` is off.
    case oauthConnectionsOff
    /// No Enterprise licence (`api.license.upgrade_needed.app_error`).
    case oauthConnectionsUnlicensed
    /// `ServiceSettings.EnableCommands` is off (`api.command.disabled.app_error`).
    case slashCommandsDisabled
    /// Another 501 on a route of this feature.
    case other(feature: String, message: String?)

    static func classify(id: String?, message: String?, feature: ServerFeature) -> ServerUnavailability {
        switch id ?? "" {
        case let id where id.hasPrefix("api.context.outgoing_oauth_connection.not_available"): return .oauthConnectionsOff
        case "api.license.upgrade_needed.app_error": return feature == .outgoingOAuthConnections ? .oauthConnectionsUnlicensed : .other(feature: feature.title, message: message)
        case "api.command.disabled.app_error": return .slashCommandsDisabled
        default: return .other(feature: feature.title, message: message)
        }
    }

    public var description: String {
        switch self {
        case .oauthConnectionsOff:
            return "Outgoing OAuth connections are not available on this server: the feature is off (ServiceSettings.EnableOutgoingOAuthConnections)"
        case .oauthConnectionsUnlicensed:
            return "Outgoing OAuth connections are not available on this server: needs an Enterprise licence"
        case .slashCommandsDisabled:
            return "Slash commands are disabled on this server (ServiceSettings.EnableCommands)"
        case .other(let feature, let message):
            return "\(feature) are not available on this server (501)" + (message.map { ": \($0)" } ?? "")
        }
    }
}

/// The REST features backstage drives; a failure names which one it concerns.
public enum ServerFeature: Sendable, Equatable {
    case outgoingOAuthConnections, slashCommands, teams, outgoingWebhooks

    var title: String {
        switch self {
        case .outgoingOAuthConnections: return "Outgoing OAuth connections"
        case .slashCommands: return "Slash commands"
        case .teams: return "Teams"
        case .outgoingWebhooks: return "Outgoing webhooks"
        }
    }
}

extension HTTPFailure {
    /// A failure that may pass by itself: nothing listening yet, a time-out, a dropped link.
    public var isWorthRetrying: Bool {
        switch self {
        case .refused, .connectTimeout, .timeout, .closedEarly: return true
        default: return false
        }
    }
}
