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
    /// Every user whose connection differs once `change` is applied. Resolves each user again
    /// with a matcher for the changed set: one pass, whatever the change.
    public func impact(of change: ConnectionSetChange) -> Impact {
        var changed = connections
        switch change {
        case .save(let connection):
            if let index = changed.firstIndex(where: { $0.id == connection.id && !connection.id.isEmpty }) {
                changed[index] = connection
            } else {
                var new = connection
                if new.id.isEmpty { new.id = "(new connection)" }
                if new.createAt == 0 { new.createAt = Int64.max } // created last: every tie goes to the others
                changed.append(new)
            }
        case .delete(let id):
            changed.removeAll { $0.id == id }
        }
        let after = AudienceMatcher(connections: changed)
        var changes: [LinkageChange] = []
        for (index, user) in users.enumerated() {
            let old = links[index]?.connection
            let new = after.match(user.url)?.connection
            // Same connection, maybe renamed: not a change of linkage.
            if old?.id == new?.id { continue }
            changes.append(LinkageChange(user: user, before: old, after: new, name: impactName(user)))
        }
        return Impact(changes: changes)
    }
}
