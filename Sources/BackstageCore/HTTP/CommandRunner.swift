import Foundation

/// Who "runs" a test-fired command: Mattermost would take these from the session and channel.
public struct TestContext: Sendable, Equatable {
    public var teamId: String
    public var teamDomain: String
    public var channelId: String
    public var channelName: String
    public var userId: String
    public var userName: String
    /// Mattermost's SiteURL; `response_url` points under it.
    public var siteURL: String

    public init(team: Team, channelName: String = "town-square", userName: String? = nil,
                siteURL: String = "http://localhost:8065", environment: [String: String] = ProcessEnvironment.current) {
        let user = userName ?? environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "admin"
        teamId = team.id
        teamDomain = team.name
        self.channelName = channelName
        channelId = MattermostID.stable("channel:\(team.id):\(channelName)")
        self.userName = user
        userId = MattermostID.stable("user:\(user)")
        self.siteURL = siteURL.hasSuffix("/") ? String(siteURL.dropLast()) : siteURL
    }
}

/// The OAuth step of a test-fire.
public enum OAuthStep: Sendable {
    /// No connection's audience covers the command URL: Mattermost sends the command token.
    case notLinked(nearMisses: [NearMiss])
    case obtained(connection: AudienceMatcher.ConnectionRef, audience: String, tokenType: String, expiresIn: Int?, scope: String?, elapsed: Duration)
    /// Mattermost logs this and sends the command token instead; we say it loudly.
    case failed(connection: AudienceMatcher.ConnectionRef, audience: String, reason: String)
    /// No secret to ask for a token with (a server never returns one): the command token is sent.
    case skipped(connection: AudienceMatcher.ConnectionRef, audience: String, reason: String)
}

/// Thrown by a test-fire's credentials source when it has no secret for the connection: the token
/// step is skipped, said so, and the command still goes out as Mattermost sends it without one.
public struct SecretNotGiven: Error, Sendable {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
}

/// Mattermost's `CommandResponse`, the parts a person reads.
public struct CommandResponse: Sendable, Equatable, Decodable {
    public struct Attachment: Sendable, Equatable, Decodable {
        public var fallback: String?
        public var pretext: String?
        public var title: String?
        public var text: String?
    }

    public var responseType: String?
    public var text: String?
    public var username: String?
    public var channelId: String?
    public var iconURL: String?
    public var type: String?
    public var gotoLocation: String?
    public var skipSlackParsing: Bool?
    public var attachments: [Attachment]?
    public var extraResponses: [CommandResponse]?

    enum CodingKeys: String, CodingKey {
        case text, username, type, attachments
        case responseType = "response_type"
        case channelId = "channel_id"
        case iconURL = "icon_url"
        case gotoLocation = "goto_location"
        case skipSlackParsing = "skip_slack_parsing"
        case extraResponses = "extra_responses"
    }
}

public struct TestFireResult: Sendable {
    public let command: SlashCommand
    public let oauth: OAuthStep
    /// `Bearer` (or the provider's type) when a token was used, else `Token`.
    public let authorizationScheme: String
    public let method: String
    public let url: String
    /// The form fields sent, in the order they were encoded; the command token's value is masked.
    public let fields: [(String, String)]
    public let outcome: Outcome

    public enum Outcome: Sendable {
        case answered(status: Int, reason: String, elapsed: Duration, contentType: String?, response: CommandResponse)
        /// Mattermost's words for a failed command, and the cause.
        case failed(message: String, cause: String)
    }

    /// The reply went on past 1 MiB and was cut there, as Mattermost cuts it.
    public var replyCut = false
    /// What the receiver sent back, whatever its status; nil when no reply came.
    public var reply: CommandReply?

    public var commandSucceeded: Bool {
        if case .answered(let status, _, _, _, _) = outcome { return status == 200 }
        return false
    }

    public var oauthFailed: Bool {
        if case .failed = oauth { return true }
        return false
    }
}

/// Test-fires a slash command as Mattermost's DoCommandRequest sends it (spec B2).
public struct CommandRunner: Sendable {
    public let tokens: TokenClient

    public init(tokens: TokenClient) { self.tokens = tokens }

    /// - Parameters:
    ///   - credentials: loads the stored secrets of the matched connection.
    public func run(
        _ command: SlashCommand, text: String, context: TestContext, connections: [OutgoingOAuthConnection],
        credentials: @Sendable (String) async throws -> ConnectionCredentials
    ) async throws(HTTPFailure) -> TestFireResult {
        try await run(command, text: text, context: context, linkage: AudienceResolution(command.url, among: connections), credentials: credentials)
    }

    /// With the command URL's linkage already resolved (by a store's index).
    public func run(
        _ command: SlashCommand, text: String, context: TestContext, linkage: AudienceResolution,
        credentials: @Sendable (String) async throws -> ConnectionCredentials
    ) async throws(HTTPFailure) -> TestFireResult {
        let trigger = "/" + command.trigger
        let resolution = linkage.result
        var authorization = command.token.isEmpty ? nil : Secret("Token \(command.token)")
        var scheme = "Token"
        let oauth: OAuthStep
        if let match = resolution.match, let connection = linkage.connection {
            do {
                let stored = try await credentials(connection.id)
                let token = try await tokens.fetchToken(TokenRequest(connection: connection, credentials: stored))
                authorization = token.authorizationHeader
                scheme = token.tokenType
                oauth = .obtained(connection: match.connection, audience: match.audience, tokenType: token.tokenType,
                                  expiresIn: token.expiresIn, scope: token.scope, elapsed: token.elapsed)
            } catch TokenError.transport(.cancelled) {
                throw .cancelled
            } catch is CancellationError {
                throw .cancelled
            } catch let missing as SecretNotGiven {
                oauth = .skipped(connection: match.connection, audience: match.audience, reason: missing.reason)
            } catch {
                oauth = .failed(connection: match.connection, audience: match.audience, reason: TerminalText.sanitized("\(error)"))
            }
        } else {
            oauth = .notLinked(nearMisses: resolution.nearMisses)
        }

        let fields = Self.payload(command: command, trigger: trigger, text: text, context: context)
        let encoded = FormEncoding.encode(fields)
        var headers = [("Accept", "application/json")]
        if let authorization { headers.append(("Authorization", authorization.revealForTransmission())) }
        var url = command.url
        var body: [UInt8]?
        if command.method == .get {
            url += (url.contains("?") ? "&" : "?") + encoded
        } else {
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
            body = Array(encoded.utf8)
        }
        let masked = fields.map { $0.0 == "token" ? ($0.0, "********") : $0 }
        let outcome: TestFireResult.Outcome
        var cut = false
        var reply: CommandReply?
        do {
            // Mattermost reads the reply through a 1 MiB LimitReader: a longer one is cut, not refused.
            let response = try await tokens.http.send(OutboundRequest(method: command.method.httpName, url: url, headers: headers, body: body,
                                                                      cutsReplyAtLimit: true))
            cut = response.cut
            reply = CommandReply(response)
            outcome = Self.read(response, trigger: command.trigger)
        } catch .cancelled {
            throw .cancelled
        } catch {
            outcome = .failed(message: "Command with a trigger of '\(command.trigger)' failed.", cause: error.description)
        }
        var result = TestFireResult(command: command, oauth: oauth, authorizationScheme: authorization == nil ? "none" : scheme,
                                    method: command.method.httpName, url: command.url, fields: masked, outcome: outcome)
        result.replyCut = cut
        result.reply = reply
        return result
    }

    /// Mattermost's form fields. Go's url.Values.Encode sorts by key, so the wire order is sorted.
    static func payload(command: SlashCommand, trigger: String, text: String, context: TestContext) -> [(String, String)] {
        let fields: [(String, String)] = [
            ("token", command.token),
            ("team_id", context.teamId),
            ("team_domain", context.teamDomain),
            ("channel_id", context.channelId),
            ("channel_name", context.channelName),
            ("user_id", context.userId),
            ("user_name", context.userName),
            ("command", trigger),
            ("text", text),
            ("trigger_id", MattermostID.make()),
            ("root_id", ""),
            ("response_url", context.siteURL + "/hooks/commands/" + MattermostID.make()),
        ]
        return fields.sorted { $0.0 < $1.0 }
    }

    /// How Mattermost reads the reply (app/command.go DoCommandRequest): non-200 is an error worded
    /// with Go's resp.Status; JSON is a CommandResponse; any other content type becomes the text.
    /// `trigger` without its slash, as Mattermost's messages have it. The body of a failure is the
    /// result's `reply`; the cause says its status and size.
    static func read(_ response: OutboundResponse, trigger: String) -> TestFireResult.Outcome {
        let contentType = response.header("Content-Type").map(TerminalText.sanitized)
        guard response.status == 200 else {
            let reply = CommandReply(response)
            return .failed(message: "Command with a trigger of '\(trigger)' returned response \(reply.statusText).", cause: reply.headline)
        }
        let mediaType = contentType?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if mediaType == "application/json" {
            guard let parsed = try? JSONDecoder().decode(CommandResponse.self, from: Data(response.body)) else {
                let cause = response.cut ? "the JSON reply is larger than 1 MiB; cut there, as Mattermost cuts it, it no longer parses"
                    : "the reply says application/json but is not a valid command response"
                return .failed(message: "Command with a trigger of '\(trigger)' failed.", cause: cause)
            }
            return .answered(status: response.status, reason: response.reason, elapsed: response.elapsed, contentType: contentType, response: parsed)
        }
        let text = String(decoding: response.body, as: UTF8.self)
        return .answered(status: response.status, reason: response.reason, elapsed: response.elapsed, contentType: contentType,
                         response: CommandResponse(responseType: "ephemeral", text: text))
    }
}
