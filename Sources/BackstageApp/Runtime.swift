import BackstageCore
import Synchronization
import TerminalKit

/// What the console needs from a terminal; the ncurses backend provides it, tests can too.
public protocol ConsoleScreen: AnyObject {
    var width: Int { get }
    var height: Int { get }
    var unicode: Bool { get }
    var stopRequested: Bool { get }
    /// Wakes `events` from any thread.
    var waker: @Sendable () -> Void { get }
    func present(_ frame: Buffer, cursor: (x: Int, y: Int)?)
    func events(timeout: Int32) -> [InputEvent]
    func setMouse(_ on: Bool)
    func suspend()
    func forceRedraw()
    /// Applies a theme by name or path; returns a warning when it had to fall back.
    func applyTheme(_ nameOrPath: String) -> String?
}

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
    private let mailbox: Mailbox
    private let wake: @Sendable () -> Void
    private let inFlight = Mutex(0)

    public init(store: any Store, mailbox: Mailbox, wake: @escaping @Sendable () -> Void) {
        self.store = store
        self.mailbox = mailbox
        self.wake = wake
    }

    public var isIdle: Bool { inFlight.withLock { $0 == 0 } }

    public func run(_ effect: Effect) {
        inFlight.withLock { $0 += 1 }
        Task.detached { [self] in
            let message = await Self.perform(effect, store: store)
            if let message { mailbox.post(message) }
            inFlight.withLock { $0 -= 1 }
            wake()
        }
    }

    static func perform(_ effect: Effect, store: any Store) async -> Msg? {
        do {
            switch effect {
            case .load:
                async let connections = store.listConnections()
                async let commands = store.listCommands(teamId: nil)
                async let teams = store.listTeams()
                return .loaded(StoreSnapshot(connections: try await connections, commands: try await commands, teams: try await teams))
            case .delete(let target):
                switch target.tab {
                case .connections: try await store.deleteConnection(id: target.id)
                case .commands: try await store.deleteCommand(id: target.id)
                }
                return .deleted(target)
            case .applyTheme, .setMouse, .suspend, .redraw:
                return nil
            }
        } catch {
            return .failed("\(error)")
        }
    }
}

/// The UI loop: events and effect results go through the reducer; one frame is drawn per batch.
public enum Console {
    public static func run(screen: ConsoleScreen, store: any Store, state initial: AppState) {
        var state = initial
        state.width = screen.width
        state.height = screen.height
        state.glyphs = screen.unicode ? .unicode : .ascii
        let mailbox = Mailbox()
        let runner = EffectRunner(store: store, mailbox: mailbox, wake: screen.waker)
        if let warning = screen.applyTheme(state.themeName) {
            state.status = StatusLine(text: warning, role: .warning)
            state.themeName = ThemeNames.all[0]
        }
        screen.setMouse(state.mouse)
        runner.run(.load)
        screen.present(Render.screen(state), cursor: Render.cursor(state))
        while !state.quit && !screen.stopRequested {
            let messages = screen.events(timeout: 1000).map(Msg.input) + mailbox.drain()
            if messages.isEmpty { continue }
            for message in messages {
                for effect in Reducer.reduce(&state, message) {
                    switch effect {
                    case .load, .delete: runner.run(effect)
                    case .applyTheme(let name):
                        if let warning = screen.applyTheme(name) { state.status = StatusLine(text: warning, role: .warning) }
                    case .setMouse(let on): screen.setMouse(on)
                    case .suspend: screen.suspend()
                    case .redraw: screen.forceRedraw()
                    }
                }
                if state.quit { break }
            }
            screen.present(Render.screen(state), cursor: Render.cursor(state))
        }
    }
}
