/// Something that sends requests through whichever connection's audience covers its URL: a slash
/// command, or one callback URL of an outgoing webhook (spec A3).
public struct IntegrationRef: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable, Hashable {
        case slashCommand = "slash_command"
        case outgoingWebhook = "outgoing_webhook"
    }

    public let kind: Kind
    public let id: String
    /// The command's trigger (without /), or the webhook's label.
    public let name: String
    public let teamId: String
    /// The team's name, or its id when the name is not known.
    public let teamName: String
    /// The URL Mattermost sends to: the command's Request URL, or this callback URL.
    public let url: String
    /// A webhook with several callback URLs is listed once per URL in impact lists.
    public let isOneOfSeveralURLs: Bool

    public init(kind: Kind, id: String, name: String, teamId: String, teamName: String, url: String, isOneOfSeveralURLs: Bool = false) {
        self.kind = kind
        self.id = id
        self.name = name
        self.teamId = teamId
        self.teamName = teamName
        self.url = url
        self.isOneOfSeveralURLs = isOneOfSeveralURLs
    }

    public static func command(_ command: SlashCommand, teamName: String? = nil) -> IntegrationRef {
        IntegrationRef(kind: .slashCommand, id: command.id, name: command.trigger, teamId: command.teamId,
                       teamName: teamName ?? command.teamId, url: command.url)
    }

    /// One entry per callback URL.
    public static func webhook(_ hook: OutgoingWebhook, teamName: String? = nil) -> [IntegrationRef] {
        hook.callbackURLs.map {
            IntegrationRef(kind: .outgoingWebhook, id: hook.id, name: hook.label, teamId: hook.teamId,
                           teamName: teamName ?? hook.teamId, url: $0, isOneOfSeveralURLs: hook.callbackURLs.count > 1)
        }
    }

    /// `/deploy` or `webhook "Alerts"`.
    public var title: String {
        switch kind {
        case .slashCommand: return "/" + name
        case .outgoingWebhook: return "webhook \"\(name)\""
        }
    }

    /// `/deploy (ops)` or `"Alerts" (ops)`: how "Used by" lists it, after naming the kind.
    public var label: String {
        kind == .slashCommand ? "/\(name) (\(teamName))" : "\"\(name)\" (\(teamName))"
    }

    /// `/deploy (ops)` or `webhook "Alerts" (ops)`: on its own line.
    public var fullLabel: String { "\(title) (\(teamName))" }
}

/// Which connection each command and webhook goes out with, and the reverse: which ones use a
/// connection. Computed from what each URL resolves to under the matching rules (exact beats
/// wildcard, longest prefix, oldest: spec 0.2), never from string overlap. Built once per list.
public struct Linkage: Sendable {
    public let connections: [OutgoingOAuthConnection]
    public let matcher: AudienceMatcher
    /// Every command and every webhook callback URL, in the order given.
    public let users: [IntegrationRef]
    public let webhooks: WebhookListing
    /// The connection each user resolves to (index-aligned with `users`).
    public let links: [AudienceMatch?]
    private let usersByConnection: [String: [Int]]
    /// More than one team among the users: lines then name the team.
    let spansTeams: Bool

    public init(connections: [OutgoingOAuthConnection], commands: [SlashCommand],
                webhooks: WebhookListing = .notChecked(reason: WebhookListing.localReason), teamNames: [String: String] = [:]) {
        let users = commands.map { IntegrationRef.command($0, teamName: teamNames[$0.teamId]) }
            + webhooks.webhooks.flatMap { IntegrationRef.webhook($0, teamName: teamNames[$0.teamId]) }
        self.init(connections: connections, users: users, webhooks: webhooks, matcher: AudienceMatcher(connections: connections))
    }

    /// With a matcher already built for `connections` (the console keeps one).
    public init(connections: [OutgoingOAuthConnection], users: [IntegrationRef], webhooks: WebhookListing, matcher: AudienceMatcher) {
        self.connections = connections
        self.matcher = matcher
        self.users = users
        self.webhooks = webhooks
        let links = users.map { matcher.match($0.url) }
        self.links = links
        var byConnection: [String: [Int]] = [:]
        for (index, link) in links.enumerated() {
            if let link { byConnection[link.connection.id, default: []].append(index) }
        }
        usersByConnection = byConnection
        spansTeams = Set(users.map(\.teamId)).count > 1
    }

    /// The connection `user` goes out with, if any.
    public func link(of user: IntegrationRef) -> AudienceMatch? {
        users.firstIndex(of: user).flatMap { links[$0] }
    }

    /// What uses the connection: each command once, each webhook once (whichever of its callback
    /// URLs resolve to it), in the order given.
    public func usedBy(_ connectionId: String) -> [IntegrationRef] {
        var seen = Set<String>()
        return (usersByConnection[connectionId] ?? []).map { users[$0] }.filter { seen.insert($0.kind.rawValue + " " + $0.id).inserted }
    }

    public func isUsed(_ connectionId: String) -> Bool { !(usersByConnection[connectionId]?.isEmpty ?? true) }

    /// "Used by 3 slash commands: /deploy (ops), /status (ops), /pay (finance)" or "Used by no slash
    /// command"; with webhooks checked, they are counted too.
    public func usageLine(for connectionId: String) -> String {
        let used = usedBy(connectionId)
        let commands = used.filter { $0.kind == .slashCommand }
        let hooks = used.filter { $0.kind == .outgoingWebhook }
        // Appended, not `joined`: drawn in the console's first frame, where the first `joined` of a
        // run costs ~0.25 ms of run-time type lookups (see TerminalKit's `concatenated`).
        func part(_ items: [IntegrationRef], _ one: String, _ many: String) -> String {
            guard !items.isEmpty else { return "no \(one)" }
            var text = "\(items.count) \(items.count == 1 ? one : many): "
            for (index, item) in items.enumerated() { text += (index == 0 ? "" : ", ") + item.label }
            return text
        }
        var line = "Used by " + part(commands, "slash command", "slash commands")
        if webhooks.isChecked {
            line += (commands.isEmpty || hooks.isEmpty ? " and " : "; and ") + part(hooks, "outgoing webhook", "outgoing webhooks")
        }
        return line
    }

    /// How a user is named in impact lines: the team only when users span teams.
    func impactName(_ user: IntegrationRef) -> String {
        var name = spansTeams ? user.fullLabel : user.title
        if user.isOneOfSeveralURLs { name += " \(HTTPURL.maskingCredentials(user.url))" }
        return name
    }
}

extension AudienceMatcher {
    /// The connection ref of `connection`, as matches name it.
    public static func ref(_ connection: OutgoingOAuthConnection) -> ConnectionRef {
        ConnectionRef(id: connection.id, name: connection.name)
    }
}

/// The server's own answer about one user's URL (server mode): our linkage is a prediction made
/// with our matching rules, the server's audience query is the word.
public struct ServerConfirmation: Sendable, Equatable {
    public enum Answer: Sendable, Equatable {
        case linked(id: String, name: String)
        case notLinked
        case unreachable(String)
    }

    public let user: IntegrationRef
    public let answer: Answer

    public init(user: IntegrationRef, answer: Answer) {
        self.user = user
        self.answer = answer
    }

    /// Whether the server agrees that `user` goes out with `connectionId` (nil: it could not be asked).
    public func confirms(_ connectionId: String) -> Bool? {
        switch answer {
        case .linked(let id, _): return id == connectionId
        case .notLinked: return false
        case .unreachable: return nil
        }
    }

    /// "/deploy (ops): confirmed by the server", or what the server says instead.
    public func line(for connectionId: String) -> String {
        switch answer {
        case .linked(let id, _) where id == connectionId: return "\(user.fullLabel): confirmed by the server"
        case .linked(_, let name): return "\(user.fullLabel): the server says it goes out with \"\(TerminalText.sanitized(name))\""
        case .notLinked: return "\(user.fullLabel): the server says it is not linked"
        case .unreachable(let reason): return "\(user.fullLabel): the server could not be asked: \(TerminalText.sanitized(reason))"
        }
    }
}

extension Store {
    /// Asks the server, for each user, which connection it would use (its audience query), one
    /// at a time; nil for a store with no server to ask.
    public func confirmLinks(_ users: [IntegrationRef]) async -> [ServerConfirmation]? {
        guard let server = mattermostServer else { return nil }
        var answers: [ServerConfirmation] = []
        for user in users {
            do {
                if let connection = try await server.connectionForAudience(user.url) {
                    answers.append(ServerConfirmation(user: user, answer: .linked(id: connection.id, name: connection.name)))
                } else {
                    answers.append(ServerConfirmation(user: user, answer: .notLinked))
                }
            } catch {
                answers.append(ServerConfirmation(user: user, answer: .unreachable("\(error)")))
            }
        }
        return answers
    }
}
