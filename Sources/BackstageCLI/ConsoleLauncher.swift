import BackstageApp
import BackstageCore
import Foundation
import Synchronization
import TerminalCurses
import TerminalKit

/// `backstage` with no subcommand: the console, on its own thread so the blocking key loop never
/// holds up the async work (store, network) it starts.
enum ConsoleLauncher {
    struct Settings: Sendable {
        let theme: String
        let noColor: Bool
        let mouse: Bool
        /// How the console notices changes made elsewhere (`--refresh`).
        var live: LiveRefresh = .standard
        /// A local file: the terminal starts while its lists are read and the store opens (issue
        /// 18: a sooner first frame). nil: a server, whose login may take seconds or fail; the
        /// shell stays as it was until it is done.
        var early: EarlyStart?
    }

    /// A local file, whose lists are read on a connection of their own before GRDB opens it
    /// (`FirstLoad`), so that the first frame can show them before the store is open.
    struct EarlyStart: Sendable {
        let path: String
        /// The console's thread, on a core of its own, watches for the lists rather than sleep.
        let firstLoad = FirstLoad(spin: CoreChoice.severalCores ? .milliseconds(2) : .zero)
        /// False when the store is asked something first (the team of `--team`): the first frame
        /// then waits for it.
        let drawsBeforeOpen: Bool
    }

    /// The store, and the team shown (`--team`; a server's always); nil: every team of the local store.
    struct Opened: Sendable {
        let store: any Store
        let team: Team?
    }

    static func run(_ settings: Settings, opening: @escaping @Sendable () async throws -> Opened) async throws {
        let launch = Launch(settings)
        let opened = launch.open(with: opening)
        launch.readEarly()
        try await launch.finish(opened)
    }

    /// A console whose thread is running: `readEarly` reads a local file's lists on the calling
    /// thread, `finish` opens the store and waits for the console to end. Started by `main` before
    /// Swift's concurrency runtime, for the bare console on a local file (issue 18).
    final class Launch: Sendable {
        let settings: Settings
        private let handoff = Handoff()
        private let endings: AsyncStream<Ending?>

        init(_ settings: Settings) {
            self.settings = settings
            let (endings, ended) = AsyncStream<Ending?>.makeStream()
            self.endings = endings
            let handoff = handoff
            let console = { @Sendable (ending: Ending?) in
                ended.yield(ending)
                // However the console ended, nothing waits for it any more.
                handoff.noLongerWanted()
                settings.early?.firstLoad.interrupt()
                ended.finish()
            }
            // On the other core: the main thread reads the lists meanwhile (issue 18).
            if let refused = PlainThread.start(stackSize: 4 << 20, awayFromCaller: true, { console(ConsoleLauncher.console(settings, handoff: handoff)) }) {
                let reason = String(cString: strerror(refused))
                console(.storeFailed(CLIFailure(message: "the console could not start its thread: \(reason)", status: ExitStatus.failure)))
            }
        }

        /// Here, not on a thread of its own (a thread took up to 0.6 ms to start): a console that
        /// ends while a large file is read interrupts the read.
        func readEarly() {
            guard let early = settings.early else { return }
            early.firstLoad.readEarly(path: early.path)
            Console.prepareFirstFrame(theme: settings.theme)
        }

        /// A file whose first frame can do without the store opens when the console asks for it,
        /// once that frame is on screen: on 2 cores the terminal's start and the lists' read take
        /// both, and GRDB's open would slow them.
        func open(with opening: @escaping @Sendable () async throws -> Opened) -> Task<Opened, any Error> {
            let waitsToBeAsked = settings.early?.drawsBeforeOpen == true
            let handoff = handoff
            return Task {
                if waitsToBeAsked { await handoff.asked() }
                return try await opening()
            }
        }

        func finish(opening: @escaping @Sendable () async throws -> Opened) async throws {
            try await finish(open(with: opening))
        }

        func finish(_ opening: Task<Opened, any Error>) async throws {
            do {
                let opened = try await opening.value
                handoff.deliver(.success(opened))
                if let firstLoad = settings.early?.firstLoad {
                    let store = opened.store
                    Task.detached { await firstLoad.storeOpened(store) }
                }
            } catch {
                handoff.deliver(.failure(error))
            }
            var ending: Ending?
            for await last in endings { ending = last }
            // Now, not when the last task lets go of it (one still running at exit left the
            // log beside the file, and the next start could not read it without locks).
            if let opened = try? await opening.value { try? opened.store.localFile?.close() }
            switch ending {
            case .unusable(let error)?: throw CLIFailure(message: error.description, status: ExitStatus.failure)
            // Ended by SIGTERM/SIGHUP/SIGINT: the shell's convention, 128 + the signal.
            case .signal(let number)?: throw CLIFailure(message: "", status: 128 + number, alreadyReported: true)
            case .storeFailed(let error)?: throw error
            case nil: return
            }
        }
    }

    /// The console's thread: the terminal, the store once it is open, the loop.
    private static func console(_ settings: Settings, handoff: Handoff) -> Ending? {
        var opened: Opened?
        if settings.early == nil {
            do { opened = try handoff.wait().get() } catch { return .storeFailed(error) }
        }
        do {
            let environment = ProcessEnvironment.current
            let terminal = try CursesTerminal(options: .init(mouse: settings.mouse), environment: environment)
            // Before waiting for the lists: whichever thread is free first does it (issue 18).
            if settings.early != nil { Console.prepareFirstFrame(theme: settings.theme) }
            // The first frame before the store is open only with the lists read to fill it;
            // otherwise the store first, so that one that cannot open draws nothing.
            let early = settings.early.flatMap { $0.drawsBeforeOpen && $0.firstLoad.earlyReadBrings() ? $0 : nil }
            var storeFailure: (any Error)?
            let storeWhenOpen = {
                do { opened = try handoff.wait().get() } catch { storeFailure = error }
            }
            if opened == nil && early == nil {
                storeWhenOpen()
                if let storeFailure {
                    // Given back before the message is printed: the shell's screen, then why.
                    terminal.stop()
                    return .storeFailed(storeFailure)
                }
            }
            guard let label = opened?.store.location ?? early?.path else { return nil }
            let team = opened?.team
            let screen = CursesConsoleScreen(terminal: terminal, noColor: settings.noColor || !(environment["NO_COLOR"] ?? "").isEmpty,
                                             environment: environment)
            var state = AppState(width: terminal.width, height: terminal.height, storeLabel: label, themeName: settings.theme)
            state.mouse = settings.mouse
            state.team = team
            state.teamLabel = team?.name
            state.serverMode = opened?.store.isServer ?? false
            if terminal.substitutedTerm != nil, let term = environment["TERM"] {
                state.status = StatusLine(text: TerminalTypeFallback.note(for: term), role: .muted)
            }
            Console.run(screen: screen, openedStore: {
                if opened == nil { storeWhenOpen() }
                return opened?.store
            }, state: state, live: settings.live, firstLoad: settings.early?.firstLoad)
            terminal.stop()
            if let storeFailure { return .storeFailed(storeFailure) }
            return terminal.stopSignal.map { .signal($0) }
        } catch let error as TerminalError {
            // A store that cannot open is named first, as when it opened before the terminal.
            if opened == nil, case .failure(let storeError) = handoff.wait() { return .storeFailed(storeError) }
            return .unusable(error)
        } catch {
            return nil
        }
    }

    enum Ending: Sendable {
        case unusable(TerminalError)
        case signal(Int32)
        case storeFailed(any Error)
    }

    /// The opened store (or why it could not open), passed from the task that opens it to the
    /// console's thread, which blocks until it is there. Waiting asks for it: a local file whose
    /// first frame can do without it opens only then.
    final class Handoff: Sendable {
        private let result = Mutex<Result<Opened, any Error>?>(nil)
        private let ready = DispatchSemaphore(value: 0)
        private let (asking, ask) = AsyncStream<Never>.makeStream()

        func deliver(_ opened: Result<Opened, any Error>) {
            result.withLock { $0 = opened }
            ready.signal()
        }

        /// Returns once the console asked for the store, or ended.
        func asked() async {
            for await _ in asking {}
        }

        func noLongerWanted() { ask.finish() }

        func wait() -> Result<Opened, any Error> {
            ask.finish()
            ready.wait()
            ready.signal() // a second wait returns at once
            return result.withLock { $0! }
        }
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
    func present(_ frame: Buffer, cursor: (x: Int, y: Int)?, rows: [Int]?) { terminal.present(frame, cursor: cursor, rows: rows) }
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
