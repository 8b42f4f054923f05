import BackstageCore
import Synchronization

/// How the console notices changes made elsewhere (the CLI, another admin).
public struct LiveRefresh: Sendable, Equatable {
    /// How often a store that can tell (`Store.changeStamp`, SQLite's data_version) is asked.
    public var checkEvery: Duration
    /// How often a store that cannot tell (a server) is read again; nil: never (F5 still does).
    public var reloadEvery: Duration?
    /// The longest pause after failures (the pause doubles from the interval after each).
    public var longestPause: Duration

    public init(checkEvery: Duration = .seconds(1), reloadEvery: Duration? = .seconds(15), longestPause: Duration = .seconds(120)) {
        self.checkEvery = checkEvery
        self.reloadEvery = reloadEvery
        self.longestPause = longestPause
    }

    public static let standard = LiveRefresh()

    /// The pause before the next attempt: `every` after a success, doubled after each failure in a
    /// row (429, 5xx, unreachable, a locked file), up to `longestPause`.
    public func pause(every: Duration, failures: Int) -> Duration {
        let ceiling = max(every, longestPause)
        var pause = every
        for _ in 0..<max(0, failures) {
            pause *= 2
            if pause >= ceiling { return ceiling }
        }
        return pause
    }
}

/// Runs the timed refreshes off the key loop: each tick asks the store whether it changed (or, when
/// it cannot tell, reads it again) and posts what it read. One refresh at a time: a tick that comes
/// while one runs, or while a reload the console asked for runs, is skipped. Not counted as busy
/// work: the console waits for input as usual and wakes when a refresh brings something.
public final class StoreWatcher: Sendable {
    /// What the watcher has done so far (tests and the status line read it).
    public struct Progress: Sendable, Equatable {
        public var refreshes = 0
        /// Ticks that found a refresh (or a reload) still running.
        public var skipped = 0
        /// Failures in a row; 0 after a success.
        public var failures = 0
        public var pause: Duration = .zero
    }

    private enum Mode { case stamp, reload }

    private struct State {
        var progress = Progress()
        var refreshing = false
        var notBefore: ContinuousClock.Instant?
        /// The change stamp last read in full; nil: unknown, so the next check reads.
        var stamp: Int64?
        var stopped = false
    }

    private let store: any Store
    private let refresh: LiveRefresh
    private let reloads: @Sendable () -> (started: Int, running: Int)
    private let deliver: @Sendable (Msg) -> Void
    private let state = Mutex(State())
    /// The ticker, and the refresh running now (one at a time).
    private let tasks = Mutex<(ticker: Task<Void, Never>?, refresh: Task<Void, Never>?)>((nil, nil))

    /// - Parameters:
    ///   - reloads: the console's own reloads (started so far, running now).
    ///   - deliver: posts a refresh's message to the loop and wakes it.
    public init(store: any Store, refresh: LiveRefresh, reloads: @escaping @Sendable () -> (started: Int, running: Int) = { (0, 0) },
                deliver: @escaping @Sendable (Msg) -> Void) {
        self.store = store
        self.refresh = refresh
        self.reloads = reloads
        self.deliver = deliver
    }

    public var progress: Progress { state.withLock { $0.progress } }

    public func start() {
        let ticker = Task.detached { [self] in
            let mode: Mode
            do { mode = try await store.changeStamp() == nil ? .reload : .stamp } catch { mode = .stamp }
            guard let every = mode == .stamp ? refresh.checkEvery : refresh.reloadEvery, every > .zero else { return }
            state.withLock { $0.progress.pause = every }
            while !Task.isCancelled {
                do { try await Task.sleep(for: every) } catch { return }
                tick(mode, every: every)
            }
        }
        tasks.withLock { $0.ticker = ticker }
    }

    public func stop() {
        state.withLock { $0.stopped = true }
        let running = tasks.withLock { tasks in defer { tasks = (nil, nil) }; return tasks }
        running.ticker?.cancel()
        running.refresh?.cancel()
    }

    private func tick(_ mode: Mode, every: Duration) {
        let now = ContinuousClock.now
        let begin = state.withLock { state -> Bool in
            if state.stopped { return false }
            if state.refreshing || reloads().running > 0 {
                state.progress.skipped += 1
                return false
            }
            if let notBefore = state.notBefore, now < notBefore { return false } // backing off
            state.refreshing = true
            return true
        }
        guard begin else { return }
        let task = Task.detached { [self] in
            await refreshOnce(mode, every: every)
            state.withLock { $0.refreshing = false }
        }
        tasks.withLock { $0.refresh = task }
    }

    private func refreshOnce(_ mode: Mode, every: Duration) async {
        var stamp: Int64?
        if mode == .stamp {
            do { stamp = try await store.changeStamp() } catch {
                finished(ok: false, every: every)
                return
            }
            if stamp != nil, state.withLock({ $0.stamp }) == stamp {
                finished(ok: true, every: every)
                return
            }
        }
        let asked = reloads().started
        let (snapshot, failures) = await EffectRunner.snapshot(store: store)
        guard !Task.isCancelled else { return }
        let ok = !failures.contains(where: Self.isWorthWaiting)
        finished(ok: ok, every: every)
        state.withLock { state in
            state.progress.refreshes += 1
            if ok { state.stamp = stamp }
        }
        // A reload the console asked for started meanwhile: its answer is at least as fresh.
        guard reloads().started == asked, !state.withLock({ $0.stopped }) else { return }
        deliver(.storeRefreshed(snapshot))
    }

    private func finished(ok: Bool, every: Duration) {
        state.withLock { state in
            state.progress.failures = ok ? 0 : state.progress.failures + 1
            state.progress.pause = refresh.pause(every: every, failures: state.progress.failures)
            state.notBefore = ContinuousClock.now + state.progress.pause - every
        }
    }

    /// Failures that more asking would only make worse: a busy or unreachable server (429, 5xx,
    /// no answer), a locked file.
    static func isWorthWaiting(_ error: any Error) -> Bool {
        switch error {
        case let error as MattermostError: return error.kind == .temporary
        case StoreError.unusable: return true
        default: return false
        }
    }
}
