/// Where connections and commands live: the embedded SQLite file, or (later) a Mattermost
/// server. Reads never return secrets; only `credentials(forConnection:)`, for the token client,
/// does.
public protocol Store: Sendable {
    /// What the header shows: a file path or a server URL.
    var location: String { get }

    func listConnections() async throws -> [OutgoingOAuthConnection]
    func connection(id: String) async throws -> OutgoingOAuthConnection
    /// Validates (rules, duplicate audiences), assigns id, creator and times, and saves.
    func createConnection(_ connection: OutgoingOAuthConnection) async throws -> OutgoingOAuthConnection
    /// Saves `connection` only if the stored row still has `basedOn` as its update_at; otherwise
    /// throws `StoreError.conflict`. A nil secret keeps the stored one.
    func updateConnection(_ connection: OutgoingOAuthConnection, basedOn updateAt: Int64) async throws -> OutgoingOAuthConnection
    func deleteConnection(id: String) async throws
    /// Notes the outcome of a Validate. Not an edit: update_at does not move.
    func recordValidation(connectionId: String, _ record: ValidationRecord) async throws
    /// The stored secrets of one connection; for the token client only.
    func credentials(forConnection id: String) async throws -> ConnectionCredentials

    func listTeams() async throws -> [Team]
    /// The team with this name; created when `createIfMissing` (local store only).
    func team(named name: String, createIfMissing: Bool) async throws -> Team

    func listCommands(teamId: String?) async throws -> [SlashCommand]
    func command(id: String) async throws -> SlashCommand
    func createCommand(_ command: SlashCommand) async throws -> SlashCommand
    func updateCommand(_ command: SlashCommand, basedOn updateAt: Int64) async throws -> SlashCommand
    func deleteCommand(id: String) async throws
    func regenerateCommandToken(id: String) async throws -> SlashCommand

    /// Writes already-planned items (see `ImportPlan`), all or nothing where the store can.
    func importItems(connections: [OutgoingOAuthConnection], commands: [SlashCommand]) async throws

    /// The Mattermost server behind this store, if it is one (also through a `LoggedStore`).
    var mattermostServer: MattermostStore? { get }
    /// The local file behind this store, if it is one (also through a wrapper).
    var localFile: SQLiteStore? { get }
    /// Where actions are logged (`--log`, `BACKSTAGE_LOG`), if anywhere.
    var activityLog: ActivityLog? { get }

    /// A number that moves when someone else (another process, another connection) commits a
    /// change, and not on this store's own reads or writes; nil: this store cannot tell, so a
    /// front end that wants to notice changes reloads now and then (see StoreAbilities).
    func changeStamp() async throws -> Int64?

    // One-item answers (StoreReads.swift): the local store reads them from its indexes; the
    // defaults load the whole lists, as a server's API requires.

    /// What `url` resolves to under the matching rules, as `AudienceMatcher.resolve` says.
    func resolveAudience(_ url: String) async throws -> AudienceResolution
    /// The connection a person means by `key`, as `StoreLookup.connection` finds it.
    func findConnection(_ key: String) async throws -> OutgoingOAuthConnection
    /// The command a person means by `key` (in `teamId`, or any team), as `StoreLookup.command` finds it.
    func findCommand(_ key: String, teamId: String?) async throws -> SlashCommand
    /// The other connections whose audiences overlap `connection`'s: enough for
    /// `AudienceMatcher(connections:).overlaps(for:)` to give what it gives over all of them.
    func overlapPeers(of connection: OutgoingOAuthConnection) async throws -> [OutgoingOAuthConnection]
    /// Enough of the inventory for `linkage.usedBy(connection.id)` to give what the whole one gives.
    func usageInventory(of connection: OutgoingOAuthConnection) async throws -> Inventory
}

extension Store {
    public var mattermostServer: MattermostStore? { self as? MattermostStore }
    public var localFile: SQLiteStore? { self as? SQLiteStore }
    public var activityLog: ActivityLog? { nil }
}

/// The secrets the token request needs.
public struct ConnectionCredentials: Sendable, Equatable {
    public let clientSecret: Secret
    public let password: Secret?

    public init(clientSecret: Secret, password: Secret?) {
        self.clientSecret = clientSecret
        self.password = password
    }
}

public struct Team: Sendable, Equatable, Codable {
    public let id: String
    public let name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }

    public static let defaultName = "main"
}

public enum StoreError: Error, Equatable, CustomStringConvertible {
    case notFound(kind: String, key: String)
    case ambiguous(kind: String, key: String, candidates: [String])
    /// `by`: who saved the stored version, when backstage knows (`--actor`).
    case conflict(kind: String, name: String, expected: Int64, actual: Int64, by: String? = nil)
    case notABackstageDatabase(path: String, reason: String)
    case unusable(path: String, reason: String)
    case newerSchema(path: String)

    public var description: String {
        switch self {
        case .notFound(let kind, let key):
            return "no \(kind) \"\(key)\" found"
        case .ambiguous(let kind, let key, let candidates):
            return "\"\(key)\" names more than one \(kind); use the id: \(candidates.joined(separator: ", "))"
        case .conflict(let kind, let name, let expected, let actual, let changer):
            return "\(kind) \"\(name)\" was changed by \(changer ?? "someone else") since you loaded it (your copy: update_at \(expected), now: \(actual)); reload it and apply your change again"
        case .notABackstageDatabase(let path, let reason):
            return "\(path) is not a backstage database (\(reason)); it was left untouched. Point --db at another file"
        case .unusable(let path, let reason):
            return "cannot use the database \(path): \(reason)"
        case .newerSchema(let path):
            return "\(path) was written by a newer backstage; upgrade backstage to open it (the file was left untouched)"
        }
    }
}

extension Store {
    /// The connections, or none and the reason when this server does not offer them to this token
    /// (the feature off or unlicensed, 501; no permission, 403). Slash commands work regardless.
    public func connectionsIfAvailable() async throws -> (connections: [OutgoingOAuthConnection], unavailable: MattermostError?) {
        do {
            return (try await listConnections(), nil)
        } catch let error as MattermostError where error.kind == .notAvailable || error.kind == .notAllowed {
            if case .unauthorized = error { throw error } // a bad token stops everything
            return ([], error)
        }
    }
}
