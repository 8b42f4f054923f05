/// What a Mattermost server said, in words an admin can act on.
public enum MattermostError: Error, Sendable, Equatable, CustomStringConvertible {
    case unauthorized(server: String)
    case forbidden(permission: String, serverMessage: String?)
    case notFound(what: String)
    case featureOff(serverMessage: String?)
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
            return "\(server) refused the personal access token (401): it is invalid, expired or revoked; create a new one in Profile › Security › Personal Access Tokens"
        case .forbidden(let permission, let message):
            return "the token's user lacks the \(permission) permission (403)" + (message.map { ": \($0)" } ?? "")
        case .notFound(let what):
            return "\(what) was not found on the server (404)"
        case .featureOff(let message):
            return "Outgoing OAuth connections are not available on this server (501): turn on ServiceSettings.EnableOutgoingOAuthConnections, which needs an Enterprise licence"
                + (message.map { " (\($0))" } ?? "")
        case .server(let status, let message, let detail):
            var text = "the server answered \(status)"
            if let message { text += ": \(message)" }
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
}
