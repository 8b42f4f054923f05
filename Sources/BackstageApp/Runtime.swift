import BackstageCore
import Dispatch
import Foundation
import Synchronization
import TerminalKit

/// Messages from effects, waiting for the UI loop.
public final class Mailbox: Sendable {
    private let messages = Mutex<[Msg]>([])

    public init() {}

    public func post(_ message: Msg) { messages.withLock { $0.append(message) } }
    public func drain() -> [Msg] { messages.withLock { drained in defer { drained = [] }; return drained } }
}

/// Runs store effects off the UI thread; each answers with a message. Counts the work in
/// flight so tests can wait for idle instead of sleeping.
public final class EffectRunner: Sendable {
    private let store: any Store
    private let tokens: TokenClient
    private let mailbox: Mailbox
    private let wake: @Sendable () -> Void
    private let inFlight = Mutex(0)
    /// Reloads of the lists asked for by the reducer: started so far, and running now. A timed
    /// refresh waits for a running one, and drops its answer when a newer one started meanwhile.
    private let reloads = Mutex((started: 0, running: 0))
    private let validation = Mutex<Task<Void, Never>?>(nil)
    private let banner = Mutex<Task<Void, Never>?>(nil)
    private let validatingAll = Mutex<Task<Void, Never>?>(nil)
    private let timing: ConsoleTiming

    public init(store: any Store, http: OutboundHTTP, mailbox: Mailbox, timing: ConsoleTiming = ConsoleTiming(), wake: @escaping @Sendable () -> Void) {
        self.store = store
        self.timing = timing
        tokens = TokenClient(http: http)
        self.mailbox = mailbox
        self.wake = wake
    }

    public var isIdle: Bool { inFlight.withLock { $0 == 0 } }
    public var reloadCount: (started: Int, running: Int) { reloads.withLock { $0 } }

    public func run(_ effect: Effect) {
        if effect == .cancelValidation {
            validation.withLock { $0?.cancel() }
            return
        }
        if effect == .cancelValidateAll {
            validatingAll.withLock { $0?.cancel() }
            return
        }
        if case .validateAll(let connections, let given) = effect {
            return startValidateAll(connections, given: given)
        }
        inFlight.withLock { $0 += 1 }
        let reloading = effect.reloadsTheLists
        if reloading { reloads.withLock { $0.started += 1; $0.running += 1 } }
        let task = Task.detached { [self] in
            let message = await Self.perform(effect, store: store, tokens: tokens, timing: timing)
            if let message { mailbox.post(message) }
            if reloading { reloads.withLock { $0.running -= 1 } }
            inFlight.withLock { $0 -= 1 }
            wake()
        }
        // Network work is cancellable (Esc); a newer one replaces the older.
        if case .askBanner = effect {
            banner.withLock { running in
                running?.cancel() // superseded by the newer keystroke
                running = task
            }
        }
        if effect.isCancellableNetworkWork {
            validation.withLock { running in
                running?.cancel()
                running = task
            }
        }
    }

    /// `V`: each step posted as it happens; cancelling starts nothing more (what started finishes
    /// and is recorded).
    private func startValidateAll(_ connections: [OutgoingOAuthConnection], given: [String: ConnectionCredentials]) {
        inFlight.withLock { $0 += 1 }
        let validation = ConnectionValidation(store: store, tokens: tokens)
        let task = Task.detached { [self] in
            _ = await ValidateAll(validation: validation, concurrency: 4, timeout: .seconds(30)).run(connections, given: given) { event in
                mailbox.post(.validateAllEvent(event))
                wake()
            }
            inFlight.withLock { $0 -= 1 }
            wake()
        }
        validatingAll.withLock { running in
            running?.cancel()
            running = task
        }
    }

    static func perform(_ effect: Effect, store: any Store, tokens: TokenClient, timing: ConsoleTiming) async -> Msg? {
        switch effect {
        case .checkHealth(let input, let generation):
            return .healthChecked(input.report(), generation: generation)
        case .validate(let job):
            let outcome = await ConnectionValidation(store: store, tokens: tokens).validate(job.draft, storedId: job.storedId, given: job.sessionCredentials)
            return .validationFinished(generation: job.generation, result(outcome))
        case .validateSaved(let id, let generation, let credentials):
            do {
                let (connection, outcome) = try await ConnectionValidation(store: store, tokens: tokens).validateSaved(id: id, given: credentials)
                if Task.isCancelled { return nil }
                if case .needsSecret = outcome {
                    return .secretNeeded(connectionId: id, name: connection.name, needsPassword: connection.grantType == .password,
                                         purpose: .validate(generation: generation))
                }
                return .listValidationFinished(id: id, generation: generation, result(outcome))
            } catch {
                return .listValidationFinished(id: id, generation: generation, .failure(ValidationError("\(error)")))
            }
        case .askBanner(let url, let generation):
            // Debounced: a keystroke within 250 ms cancels this one before it asks.
            do { try await Task.sleep(for: timing.bannerPause) } catch { return nil }
            guard let answer = await store.askAudience(url), !Task.isCancelled else { return nil }
            return .bannerAnswered(generation: generation, answer)
        case .loadTeams:
            do { return .teamsLoaded(.success(try await store.listTeams())) } catch {
                return .teamsLoaded(.failure(ValidationError("\(error)")))
            }
        case .selectTeam(let team):
            store.select(team: team)
            return await load(store: store)
        case .regenerateToken(let id):
            do {
                return .commandSaved(try await store.regenerateCommandToken(id: id), created: true)
            } catch {
                return .failed("\(error)")
            }
        case .testFire(let commandId, let text, let credentials, let skipToken):
            do {
                let command = try await store.command(id: commandId)
                let (connections, unavailable) = try await store.connectionsIfAvailable()
                if store.isServer, credentials == nil, !skipToken, let match = AudienceMatcher(connections: connections).match(command.url),
                   let connection = connections.first(where: { $0.id == match.connection.id }) {
                    return .secretNeeded(connectionId: connection.id, name: connection.name, needsPassword: connection.grantType == .password,
                                         purpose: .testFire(commandId: commandId, trigger: command.trigger, text: text))
                }
                let context = try await store.testContext(for: command)
                let result = try await CommandRunner(tokens: tokens).run(
                    command, text: text, context: context, connections: connections,
                    credentials: { id in try await store.testFireCredentials(connectionId: id, given: credentials) })
                store.activityLog?.testFired(result)
                var lines = result.reportLines.map { StatusLine(text: $0.text, role: role(for: $0.tone)) }
                if let unavailable { lines.insert(StatusLine(text: "No OAuth step: \(unavailable)", role: .muted), at: 0) }
                return .testFired(lines, ok: result.commandSucceeded && !result.oauthFailed)
            } catch HTTPFailure.cancelled {
                return nil
            } catch {
                return .testFired([StatusLine(text: "\(error)", role: .error)], ok: false)
            }
        case .saveConnection(let connection, let basedOn, let record):
            do {
                let saved: OutgoingOAuthConnection
                if let basedOn { saved = try await store.updateConnection(connection, basedOn: basedOn) } else {
                    saved = try await store.createConnection(connection)
                }
                if let record { try await store.recordValidation(connectionId: saved.id, record) }
                return .connectionSaved(saved)
            } catch let failure as ValidationFailure {
                return .saveFailed(failure.errors, message: nil)
            } catch let error where basedOn != nil && isStale(error) {
                switch await storedNow({ try await store.connection(id: connection.id) }) {
                case .success(let stored): return .connectionConflict(stored: stored)
                case .failure(let error): return .saveFailed([], message: "\(error)")
                }
            } catch {
                return .saveFailed([], message: "\(error)")
            }
        case .saveCommand(var command, let basedOn):
            do {
                if let basedOn { return .commandSaved(try await store.updateCommand(command, basedOn: basedOn), created: false) }
                if command.teamId.isEmpty { command.teamId = try await store.team(named: Team.defaultName, createIfMissing: true).id }
                return .commandSaved(try await store.createCommand(command), created: true)
            } catch let failure as ValidationFailure {
                return .saveFailed(failure.errors, message: nil)
            } catch let error where basedOn != nil && isStale(error) {
                switch await storedNow({ try await store.command(id: command.id) }) {
                case .success(let stored): return .commandConflict(stored: stored)
                case .failure(let error): return .saveFailed([], message: "\(error)")
                }
            } catch {
                return .saveFailed([], message: "\(error)")
            }
        default:
            return await performStore(effect, store: store)
        }
    }

    /// An outcome as the form and the list show it.
    static func result(_ outcome: ConnectionValidation.Outcome) -> Result<String, ValidationError> {
        switch outcome {
        case .validated(let validated): return .success(validated.details)
        case .notValidated(let reason, _): return .failure(ValidationError(reason))
        case .needsSecret(let version): return .failure(ValidationError(ConnectionValidation.Outcome.needsSecretReason(version)))
        }
    }

    /// An update refused because the row changed or vanished since it was read.
    static func isStale(_ error: any Error) -> Bool {
        switch error {
        case StoreError.conflict, StoreError.notFound, MattermostError.notFound: return true
        default: return false
        }
    }

    /// What the store holds now after a refused update; nil when the row is gone.
    static func storedNow<Item>(_ fetch: () async throws -> Item) async -> Result<Item?, any Error> {
        do {
            return .success(try await fetch())
        } catch StoreError.notFound, MattermostError.notFound {
            return .success(nil)
        } catch {
            return .failure(error)
        }
    }

    static func role(for tone: ReportLine.Tone) -> Role {
        switch tone {
        case .plain: return .dialog
        case .good: return .success
        case .bad: return .error
        case .warning: return .warning
        case .muted: return .muted
        }
    }

    /// Both lists, each on its own: one that cannot be read (the OAuth feature off, a missing
    /// permission) comes back empty with why, and never hides the other.
    static func load(store: any Store) async -> Msg { .loaded(await snapshot(store: store).snapshot) }

    /// What `load` reads, and the failures behind its problems (a timed refresh backs off on some).
    static func snapshot(store: any Store) async -> (snapshot: StoreSnapshot, failures: [any Error]) {
        async let connections = attempt { try await store.listConnections() }
        async let commands = attempt { try await store.listCommands(teamId: nil) }
        // A server's outgoing webhooks use connections too; one that cannot be read says why.
        async let webhooks = attempt { try await store.outgoingWebhooks() }
        // On a server the commands shown are the selected team's; its other teams are asked for by `T`.
        async let teams = attempt { () async throws -> [Team] in
            if let team = store.currentTeam { return [team] }
            return try await store.listTeams()
        }
        var problems: [Tab: ListProblem] = [:]
        var failures: [any Error] = []
        let loadedConnections: [OutgoingOAuthConnection], loadedCommands: [SlashCommand]
        switch await connections {
        case .success(let list): loadedConnections = list
        case .failure(let error):
            loadedConnections = []
            problems[.connections] = ListProblem.from(error, tab: .connections)
            failures.append(error)
        }
        switch await commands {
        case .success(let list): loadedCommands = list
        case .failure(let error):
            loadedCommands = []
            problems[.commands] = ListProblem.from(error, tab: .commands)
            failures.append(error)
        }
        let loadedTeams = (try? await teams.get()) ?? []
        let loadedWebhooks: WebhookListing
        switch await webhooks {
        case .success(let listing): loadedWebhooks = listing
        case .failure(let error): loadedWebhooks = .notChecked(reason: "\(error)")
        }
        return (StoreSnapshot(connections: loadedConnections, commands: loadedCommands, teams: loadedTeams, problems: problems,
                              webhooks: loadedWebhooks), failures)
    }

    static func attempt<T>(_ body: () async throws -> T) async -> Result<T, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    static func performStore(_ effect: Effect, store: any Store) async -> Msg? {
        do {
            switch effect {
            case .buildMatcher(let connections, let users, let webhooks, let generation):
                let matcher = AudienceMatcher(connections: connections)
                let linkage = Linkage(connections: connections, users: users, webhooks: webhooks, matcher: matcher)
                return .matcherBuilt(matcher, linkage: linkage, generation: generation)
            case .load:
                return await load(store: store)
            case .delete(let target):
                switch target.tab {
                case .connections: try await store.deleteConnection(id: target.id)
                case .commands: try await store.deleteCommand(id: target.id)
                }
                return .deleted(target)
            default:
                return nil
            }
        } catch {
            return .failed("\(error)")
        }
    }
}

/// The clock and the pauses of the console, injected so tests choose them.
public struct ConsoleTiming: Sendable {
    /// The time the reducer is given with each message (it never reads a clock itself).
    public var now: @Sendable () -> Date
    /// Server mode: how long typing must pause before the banner asks the server.
    public var bannerPause: Duration

    public init(now: @escaping @Sendable () -> Date = { Date() }, bannerPause: Duration = .milliseconds(250)) {
        self.now = now
        self.bannerPause = bannerPause
    }
}

/// The UI loop: events and effect results go through the reducer; one frame is drawn per batch.
public enum Console {
    /// - Parameter willWait: told, before each wait for input, whether any effect is still running
    ///   (tests wait for idle with it, instead of sleeping or polling the screen).
    ///   Timed refreshes (`live`) are not counted: a test waits for what they bring.
    ///   - firstLoad: the lists, being read while the terminal started (a local store); nil: the
    ///     console reads them.
    public static func run(screen: ConsoleScreen, store: any Store, state initial: AppState, live: LiveRefresh = .standard, timing: ConsoleTiming = ConsoleTiming(),
                           firstLoad: FirstLoad? = nil, willWait: ((_ idle: Bool) -> Void)? = nil) {
        run(screen: screen, openedStore: { store }, state: initial, live: live, timing: timing, firstLoad: firstLoad, willWait: willWait)
    }

    /// - Parameter openedStore: the store, asked for once the first frame is on screen (a local
    ///   file's first load may be drawn while GRDB still opens it); nil: it could not open, and the
    ///   console ends there.
    public static func run(screen: ConsoleScreen, openedStore: () -> (any Store)?, state initial: AppState, live: LiveRefresh = .standard,
                           timing: ConsoleTiming = ConsoleTiming(), firstLoad: FirstLoad? = nil, willWait: ((_ idle: Bool) -> Void)? = nil) {
        var state = initial
        state.now = timing.now()
        state.width = screen.width
        state.height = screen.height
        state.glyphs = screen.unicode ? .unicode : .ascii
        let mailbox = Mailbox()
        if let warning = screen.applyTheme(state.themeName) {
            _ = Reducer.reduce(&state, .themeRefused(warning, fallback: ThemeCatalog.names[0]))
        }
        screen.setMouse(state.mouse)
        // Work the messages ask for starts once their frame is on screen: it runs off this
        // thread, and would otherwise take a core from drawing (the health check after a load).
        var firstWork: [Effect] = []
        let waker = screen.waker
        if let firstLoad, let load = firstLoad.wait() {
            state.now = timing.now()
            firstWork = Reducer.reduce(&state, load)
        } else if let firstLoad {
            // A large store: its "loading" frame first, its lists when they are read.
            firstLoad.whenRead { load in
                mailbox.post(load)
                waker()
            }
        }
        // Each frame is drawn over the last one, again only where the state it shows changed.
        var frame = PartialRender.frame(state)
        var drawn = state
        screen.present(frame.buffer, cursor: frame.cursor)
        guard let store = openedStore() else { return }
        let http = OutboundHTTP()
        let runner = EffectRunner(store: store, http: http, mailbox: mailbox, timing: timing, wake: waker)
        if firstLoad == nil { runner.run(.load) }
        let watcher = StoreWatcher(store: store, refresh: live, reloads: { runner.reloadCount }) { message in
            mailbox.post(message)
            waker()
        }
        // The watcher starts once the lists are on screen and the work they started is done (at the
        // latest on the loop's next turn): its first question to the store, and the runtime's first
        // timed sleep, would otherwise take a core from the load and the frames the screen waits for.
        var watching = false
        var listsShown = false
        for effect in firstWork where !Self.madeOnScreen(effect, screen, &state) { runner.run(effect) }
        while !state.quit && !screen.stopRequested {
            if !watching && !state.loading && (runner.isIdle || listsShown) {
                watcher.start()
                watching = true
            }
            listsShown = !state.loading
            // While network work runs, wake ten times a second to turn the spinner.
            let busy = state.isBusy
            willWait?(runner.isIdle)
            var messages = screen.events(timeout: busy ? 100 : 1000, altKeys: state.liveAltKeys).map(Msg.input) + mailbox.drain()
            if messages.isEmpty {
                guard busy else { continue }
                messages = [.tick]
            }
            // The screen's own effects now; the rest once this batch's frame is on screen.
            var work: [Effect] = []
            for message in messages {
                state.now = timing.now()
                for effect in Reducer.reduce(&state, message) {
                    if !Self.madeOnScreen(effect, screen, &state) { work.append(effect) }
                }
                if state.quit { break }
            }
            let redrawn = PartialRender.update(state, after: drawn, frame: &frame)
            drawn = state
            screen.present(frame.buffer, cursor: frame.cursor, rows: redrawn)
            for effect in work { runner.run(effect) }
        }
        watcher.stop()
        let shutDown = DispatchSemaphore(value: 0)
        Task.detached {
            await http.shutdown()
            shutDown.signal()
        }
        shutDown.wait()
    }
}

extension Console {
    /// The first frame's work that needs no terminal (issue 18): a built-in theme parsed (the
    /// catalog keeps it) and the list's key hints worked out (kept statically). Asked by both the
    /// thread that read the lists, once they are prepared, and the console's thread, once the
    /// terminal is set up: the first free does the work, the other finds it done (or waits for it).
    public static func prepareFirstFrame(theme: String) {
        _ = ThemeCatalog.builtIn(named: theme)
        _ = KeymapLines.list
    }

    /// Makes an effect on the terminal itself (theme, mouse, suspend, redraw) at once; false for the
    /// rest, which the runner does off the loop once the frame is on screen.
    static func madeOnScreen(_ effect: Effect, _ screen: ConsoleScreen, _ state: inout AppState) -> Bool {
        switch effect {
        case .load, .buildMatcher, .delete, .validate, .cancelValidation, .saveConnection, .saveCommand, .validateSaved, .testFire, .regenerateToken,
             .askBanner, .loadTeams, .selectTeam, .checkHealth, .validateAll, .cancelValidateAll:
            return false
        case .applyTheme(let name):
            if let warning = screen.applyTheme(name) { _ = Reducer.reduce(&state, .themeRefused(warning, fallback: nil)) }
        case .setMouse(let on): screen.setMouse(on)
        case .suspend: screen.suspend()
        case .redraw: screen.forceRedraw()
        }
        return true
    }
}

extension Effect {
    var reloadsTheLists: Bool {
        switch self {
        case .load, .selectTeam: return true
        default: return false
        }
    }

    var isCancellableNetworkWork: Bool {
        switch self {
        case .validate, .validateSaved, .testFire: return true
        default: return false
        }
    }
}
