import BackstageCore
import TerminalKit

/// Issue 16 in the console: the health check of what is loaded (the header's summary, `h`) and
/// `V`, validating every connection in the background while the lists keep working.
extension Reducer {
    /// Up to this many connections and commands, a load's health check is made with the load
    /// (`PreparedLoad`), so that the frame showing the lists has the header's summary (no second
    /// frame a moment later, issue 18); ~5 µs an item (`doctor` at 10,000 + 10,000: 114 ms), so at
    /// most ~1 ms. A larger load is checked off the loop.
    static let inlineHealthItems = 200

    /// The health check of the current load (offline: what is stored, no network), or the effect
    /// that runs it. `linkage`: the one just worked out for the current lists and matcher.
    static func checkHealth(_ state: inout AppState, linkage: Linkage) -> [Effect] {
        guard state.healthUnchecked == nil else { return [] }
        let input = HealthInput(linkage: linkage, isServer: state.serverMode, now: Milliseconds.of(state.now))
        guard state.connections.count + state.commands.count > inlineHealthItems else {
            state.health = input.report()
            return []
        }
        return [.checkHealth(input, generation: state.loadGeneration)]
    }

    static func validateAll(_ state: inout AppState) -> [Effect] {
        state.validatingAll = ValidateAll.Progress(results: [])
        state.validatingIds = []
        return [.validateAll(state.connections, given: state.sessionSecrets)]
    }

    /// A step of `V`: the row's spinner, its outcome in place, the progress line; at the end the
    /// summary and a reload (the health check runs again with the new outcomes).
    static func validateAllEvent(_ state: inout AppState, _ event: ValidateAll.Event) -> [Effect] {
        guard state.validatingAll != nil else { return [] } // cancelled: late answers only reload
        switch event {
        case .started(let connection, let progress):
            state.validatingIds.insert(connection.id)
            state.validatingAll = progress
            return []
        case .finished(let result, let progress):
            state.validatingIds.remove(result.connection.id)
            if let record = result.record, let index = state.connections.firstIndex(where: { $0.id == result.connection.id }) {
                state.connections[index].lastValidation = record
            }
            if result.didFail { state.status = StatusLine(text: result.line, role: .error) }
            guard progress.isDone else {
                state.validatingAll = progress
                return []
            }
            state.validatingAll = nil
            state.status = StatusLine(text: progress.summary, role: progress.failed > 0 ? .warning : .success)
            return [.load]
        }
    }
}

extension AppState {
    /// Whether the server offers outgoing OAuth connections (a local store always does).
    var offersOAuth: Bool { problems[.connections]?.oauthUnavailable != true }

    /// Why the health check cannot speak for everything: a list that could not be read (a server
    /// with the OAuth feature off, a missing permission), as `backstage doctor` says "could not
    /// check". nil: both lists are loaded.
    public var healthUnchecked: String? {
        unreadList.map { $0.tab.title + " could not be read: " + $0.problem.text }
    }

    /// The first list that could not be read, and why.
    var unreadList: (tab: Tab, problem: ListProblem)? {
        guard !problems.isEmpty else { return nil }
        for tab in [Tab.connections, .commands] {
            if let problem = problems[tab] { return (tab, problem) }
        }
        return nil
    }
}

/// The impact lines under a dialog's own text: what each listed command changes to.
enum ImpactLines {
    static func of(_ impact: [String]) -> [(String, Role)] {
        guard !impact.isEmpty else { return [] }
        if impact == [Impact.nothingChanges] { return [("No slash command changes its connection.", .muted)] }
        return [("These change their connection:", .dialog)] + impact.map { ("  " + $0, .warning) }
    }
}
