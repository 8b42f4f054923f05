/// A proposed change to the set of connections, before it is saved.
public enum ConnectionSetChange: Sendable, Equatable {
    /// A connection as it would be saved: an edit (its id is in the set) or a new one.
    case save(OutgoingOAuthConnection)
    case delete(id: String)
}

/// One command (or webhook URL) whose connection would change: `/deploy: "Ops IdP" → not linked`.
public struct LinkageChange: Sendable, Equatable {
    public let user: IntegrationRef
    public let before: AudienceMatcher.ConnectionRef?
    public let after: AudienceMatcher.ConnectionRef?
    /// The user as the line names it (`/deploy`, or `/deploy (ops)` when several teams are listed).
    public let name: String

    public init(user: IntegrationRef, before: AudienceMatcher.ConnectionRef?, after: AudienceMatcher.ConnectionRef?, name: String? = nil) {
        self.user = user
        self.before = before
        self.after = after
        self.name = name ?? user.title
    }

    public var text: String { "\(name): \(Self.describe(before)) → \(Self.describe(after))" }

    static func describe(_ connection: AudienceMatcher.ConnectionRef?) -> String {
        connection.map { "\"\($0.name)\"" } ?? "not linked"
    }
}

/// What a change would do to the linkage: every command and webhook URL whose connection changes
/// (a wildcard elsewhere may take over, a new audience may take one from another connection).
public struct Impact: Sendable, Equatable {
    public let changes: [LinkageChange]

    public init(changes: [LinkageChange]) { self.changes = changes }

    public static let nothingChanges = "Nothing else changes"

    public var isEmpty: Bool { changes.isEmpty }

    /// The lines a dialog or the CLI shows: one per change, or "Nothing else changes".
    public var lines: [String] { changes.isEmpty ? [Self.nothingChanges] : changes.map(\.text) }

    /// A slash command form whose Request URL goes from `oldURL` (nil: a new command) to `newURL`:
    /// the change of connection, if the URL moves it from one to another.
    public static func ofURLChange(_ command: SlashCommand, from oldURL: String?, to newURL: String, matcher: AudienceMatcher) -> Impact {
        let before = oldURL.flatMap { matcher.match($0)?.connection }
        let after = matcher.match(newURL)?.connection
        guard before?.id != after?.id else { return Impact(changes: []) }
        var moved = command
        moved.url = newURL
        return Impact(changes: [LinkageChange(user: .command(moved), before: before, after: after)])
    }
}

extension Linkage {
    /// Every user whose connection differs once `change` is applied. Only one connection changes,
    /// so each URL is asked what the others give it and what the changed connection would give it
    /// (a matcher of one), and the better of the two wins by the same rules (spec 0.2): no matcher
    /// is rebuilt for the whole set.
    public func impact(of change: ConnectionSetChange) -> Impact {
        let changedId: String
        var proposed: OutgoingOAuthConnection?
        switch change {
        case .save(let connection):
            var connection = connection
            if connection.id.isEmpty { connection.id = "(new connection)" }
            if !connections.contains(where: { $0.id == connection.id }) && connection.createAt == 0 {
                connection.createAt = Int64.max // created last: every tie goes to the others
            }
            changedId = connection.id
            proposed = connection
        case .delete(let id):
            changedId = id
        }
        let own = proposed.map { AudienceMatcher(connections: [$0]) }
        let age = Dictionary(connections.map { ($0.id, ($0.createAt, $0.id)) }, uniquingKeysWith: { first, _ in first })
        var changes: [LinkageChange] = []
        for (index, user) in users.enumerated() {
            let old = links[index]
            let mine = own?.match(user.url)
            // Untouched unless it was the changed connection's or would become it.
            if old?.connection.id != changedId && mine == nil { continue }
            let others = old?.connection.id == changedId ? matcher.match(user.url, excluding: changedId) : old
            let new = Self.better(others, mine, age: age, proposed: proposed)
            if old?.connection.id == new?.connection.id { continue } // same connection, maybe renamed
            changes.append(LinkageChange(user: user, before: old?.connection, after: new?.connection, name: impactName(user)))
        }
        return Impact(changes: changes)
    }

    /// The match that wins between two connections' matches: exact beats wildcard, the longer
    /// prefix wins, then the connection created first.
    static func better(_ a: AudienceMatch?, _ b: AudienceMatch?, age: [String: (Int64, String)], proposed: OutgoingOAuthConnection?) -> AudienceMatch? {
        guard let a else { return b }
        guard let b else { return a }
        if a.isWildcard != b.isWildcard { return a.isWildcard ? b : a }
        if a.isWildcard && a.audience.utf8.count != b.audience.utf8.count { return a.audience.utf8.count > b.audience.utf8.count ? a : b }
        func created(_ match: AudienceMatch) -> (Int64, String) {
            if let proposed, match.connection.id == proposed.id { return (proposed.createAt, proposed.id) }
            return age[match.connection.id] ?? (Int64.max, match.connection.id)
        }
        return created(a) <= created(b) ? a : b
    }
}
