import BackstageCore
import Foundation

/// What a load works out from the lists alone, before it goes into the state: the order, the
/// search keys, and, for lists small enough to match at once, the matcher, the linkage and the
/// health check. The reducer prepares every load itself; the console's first load is prepared on
/// the thread that read the file while the terminal starts (issue 18), and goes in as it is when
/// the state agrees on what it was prepared for (`fits`).
public struct PreparedLoad: Sendable {
    /// The lists as read, terminal-safe.
    let snapshot: StoreSnapshot
    /// The team whose commands are listed (nil: every team's), and the mode the health check assumed.
    let team: String?
    let isServer: Bool
    let connections: [OutgoingOAuthConnection]
    let connectionKeys: [[UInt8]]
    let commands: [SlashCommand]
    /// With each command's linked connection once it is matched.
    let commandKeys: [[UInt8]]
    let teamNames: [String: String]
    /// Every team's commands and the webhooks: the linkage counts them all.
    let linkageUsers: [IntegrationRef]
    /// nil: too many audiences to match here; the runner builds the matcher off the loop.
    let matched: Matched?

    struct Matched: Sendable {
        let matcher: AudienceMatcher
        let linkage: Linkage
        /// nil: not checked here (too many items, or a list could not be read); see `Reducer.checkHealth`.
        let health: HealthReport?
    }

    /// The lists as read from the store. `now`: the health check's clock (a validation's age).
    public init(read: StoreSnapshot, team: String?, isServer: Bool, now: Date) {
        self.init(safe: read.terminalSafe, team: team, isServer: isServer, now: now)
    }

    /// `snapshot`: made terminal-safe already.
    init(safe snapshot: StoreSnapshot, team: String?, isServer: Bool, now: Date) {
        self.snapshot = snapshot
        self.team = team
        self.isServer = isServer
        // Names are lower-cased once, not in each comparison.
        let unordered = snapshot.connections
        let lowered = unordered.map { $0.name.lowercased() }
        let order = unordered.indices.sorted { a, b in
            (lowered[a], unordered[a].createAt, unordered[a].id) < (lowered[b], unordered[b].createAt, unordered[b].id)
        }
        connections = order.map { unordered[$0] }
        connectionKeys = connections.map(Reducer.searchKey)
        commands = snapshot.commands.filter { team == nil || $0.teamId == team }.sorted { ($0.trigger, $0.teamId) < ($1.trigger, $1.teamId) }
        let teamNames = Dictionary(snapshot.teams.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        self.teamNames = teamNames
        linkageUsers = snapshot.commands.map { IntegrationRef.command($0, teamName: teamNames[$0.teamId]) }
            + snapshot.webhooks.webhooks.flatMap { IntegrationRef.webhook($0, teamName: teamNames[$0.teamId]) }
        // The linkage resolves every command's and webhook's URL: with the audiences, what a load costs.
        guard connections.reduce(0, { $0 + $1.audiences.count }) + linkageUsers.count <= Reducer.inlineMatcherAudiences else {
            matched = nil
            commandKeys = commands.map { Reducer.searchKey($0, linkedTo: nil) }
            return
        }
        let matcher = AudienceMatcher(connections: connections)
        let linkage = Linkage(connections: connections, users: linkageUsers, webhooks: snapshot.webhooks, matcher: matcher)
        commandKeys = Reducer.commandKeys(commands, matcher: matcher)
        let checksHere = snapshot.problems.isEmpty && connections.count + commands.count <= Reducer.inlineHealthItems
        let health = checksHere ? HealthInput(linkage: linkage, isServer: isServer, now: Milliseconds.of(now)).report() : nil
        matched = Matched(matcher: matcher, linkage: linkage, health: health)
    }

    /// Whether it was prepared for the lists `state` shows (its team, its mode).
    func fits(_ state: AppState) -> Bool {
        team == state.team?.id && isServer == state.serverMode
    }
}
