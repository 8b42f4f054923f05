import BackstageApp
import BackstageCore
import Foundation
import TerminalCurses
import TerminalKit

/// `backstage` with no subcommand: the console, on its own thread so the blocking key loop never
/// holds up the async work (store, network) it starts.
enum ConsoleLauncher {
    struct Settings: Sendable {
        let store: any Store
        /// The team shown (`--team`; a server's always); nil: every team of the local store.
        let team: Team?
        let theme: String
        let noColor: Bool
        let mouse: Bool
        /// How the console notices changes made elsewhere (`--refresh`).
        var live: LiveRefresh = .standard
    }

    static func run(_ settings: Settings) async throws {
        let failure: Ending? = await withCheckedContinuation { continuation in
            let thread = Thread {
                do {
                    let environment = ProcessEnvironment.current
                    let terminal = try CursesTerminal(options: .init(mouse: settings.mouse), environment: environment)
                    let screen = CursesConsoleScreen(terminal: terminal, noColor: settings.noColor || !(environment["NO_COLOR"] ?? "").isEmpty,
                                                     environment: environment)
                    var state = AppState(width: terminal.width, height: terminal.height, storeLabel: settings.store.location,
                                         themeName: settings.theme)
                    state.mouse = settings.mouse
                    state.team = settings.team
                    state.teamLabel = settings.team?.name
                    state.serverMode = settings.store.isServer
                    if terminal.substitutedTerm != nil, let term = environment["TERM"] {
                        state.status = StatusLine(text: TerminalTypeFallback.note(for: term), role: .muted)
                    }
                    Console.run(screen: screen, store: settings.store, state: state, live: settings.live)
                    terminal.stop()
                    continuation.resume(returning: terminal.stopSignal.map { .signal($0) })
                } catch let error as TerminalError {
                    continuation.resume(returning: .unusable(error))
                } catch {
                    continuation.resume(returning: nil)
                }
            }
            thread.stackSize = 4 << 20
            thread.start()
        }
        switch failure {
        case .unusable(let error)?: throw CLIFailure(message: error.description, status: ExitStatus.failure)
        // Ended by SIGTERM/SIGHUP/SIGINT: the shell's convention, 128 + the signal.
        case .signal(let number)?: throw CLIFailure(message: "", status: 128 + number, alreadyReported: true)
        case nil: return
        }
    }

    enum Ending: Sendable {
        case unusable(TerminalError)
        case signal(Int32)
    }
}

/// The ncurses terminal as the console sees it, with themes turned into terminal styles.
final class CursesConsoleScreen: ConsoleScreen {
    let terminal: CursesTerminal
    let noColor: Bool
    let environment: [String: String]
    let waker: @Sendable () -> Void

    init(terminal: CursesTerminal, noColor: Bool, environment: [String: String]) {
        self.terminal = terminal
        self.noColor = noColor
        self.environment = environment
        let wakeTerminal = UncheckedBox(terminal)
        waker = { wakeTerminal.value.wake() }
    }

    var width: Int { terminal.width }
    var height: Int { terminal.height }
    var unicode: Bool { terminal.unicode }
    var stopRequested: Bool { terminal.stopRequested }
    func present(_ frame: Buffer, cursor: (x: Int, y: Int)?) { terminal.present(frame, cursor: cursor) }
    func events(timeout: Int32, altKeys: Set<Character>) -> [InputEvent] { terminal.events(timeout: timeout, altKeys: altKeys) }
    func setMouse(_ on: Bool) { terminal.setMouse(on) }
    func suspend() {
        // Leading its own session (backstage serve, an sshd forced command), the console has no
        // shell to return to: stopping would only hang it, so Ctrl-Z does nothing.
        guard getsid(0) != getpid() else { return }
        terminal.suspend()
    }
    func forceRedraw() { terminal.forceRedraw() }

    func applyTheme(_ nameOrPath: String) -> String? {
        let (styles, warning) = ThemeStyles.styles(for: nameOrPath, colorCount: noColor ? 0 : terminal.colorCount, environment: environment)
        terminal.apply(styles)
        return warning
    }
}

/// `wake()` only writes a byte to a pipe, which is safe from any thread.
final class UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
