import BackstageCore
import Dispatch
import Foundation
import Synchronization

/// The lists of a local store, read while the terminal starts (issue 18: the first frame shows
/// them, with no "loading" frame and no second read). They are read on a connection of their own
/// before GRDB opens the file (`SQLiteStore.earlyLists`), and prepared for the state on the same
/// thread (`PreparedLoad`); or, if that cannot read them, read through the store once it is open.
/// The console waits for them only briefly: a large store shows its "loading" frame and its lists
/// when they are read, as before.
public final class FirstLoad: Sendable {
    /// Longer than a small store's read, shorter than a wait anyone would notice. Counted from the
    /// console's first wait, however many waits there are.
    public static let longestWait: DispatchTimeInterval = .milliseconds(50)

    private struct Pending {
        /// `.loadPrepared` or `.loaded`.
        var load: Msg?
        var whenRead: (@Sendable (Msg) -> Void)?
        /// The early read gave nothing: the store reads them once it is open.
        var earlyReadFailed = false
        var store: (any Store)?
        var deadline: DispatchTime?
    }

    private let pending = Mutex(Pending())
    /// Signalled when the lists are there, and when the early read fails (the waits look which).
    private let changed = DispatchSemaphore(value: 0)
    /// Set with each signal: what a spinning wait watches.
    private let signalled = Atomic<Bool>(false)
    private let interruption = ReadInterruption()
    /// How long a wait watches for the lists on its own core before it sleeps (zero: it sleeps).
    private let spin: Duration

    /// - Parameter spin: worth it when the waiting thread has a core of its own: a thread woken
    ///   from sleep runs ~0.1 ms after the signal, a spinning one at once (issue 18: the first
    ///   frame waits for the lists). A read that takes longer than this is waited for asleep.
    public init(spin: Duration = .zero) {
        self.spin = spin
    }

    /// Already read (tests).
    public convenience init(_ snapshot: StoreSnapshot) {
        self.init()
        deliver(snapshot)
    }

    /// Reads the file's lists before the store has opened it, and prepares them for the console's
    /// first frame (every team's commands, a local store), on the calling thread.
    public func readEarly(path: String) {
        if let lists = SQLiteStore.earlyLists(path: path, interruption: interruption) {
            let snapshot = StoreSnapshot(connections: lists.connections, commands: lists.commands, teams: lists.teams)
            return deliver(.loadPrepared(PreparedLoad(read: snapshot, team: nil, isServer: false, now: Date())))
        }
        let store = pending.withLock { pending in
            pending.earlyReadFailed = true
            return pending.store
        }
        signal()
        if let store, !interruption.interrupted { Task.detached { await self.read(from: store) } }
    }

    /// The console ended: an early read still running stops, and the store reads nothing for it.
    public func interrupt() { interruption.interrupt() }

    /// The store is open: it reads the lists if the early read could not.
    public func storeOpened(_ store: any Store) async {
        let readsNow = pending.withLock { pending in
            pending.store = store
            return pending.earlyReadFailed
        }
        if readsNow && !interruption.interrupted { await read(from: store) }
    }

    /// Reads the lists as the console's load does, and hands them over.
    private func read(from store: any Store) async {
        deliver(await EffectRunner.snapshot(store: store).snapshot)
    }

    func deliver(_ snapshot: StoreSnapshot) {
        deliver(.loaded(snapshot))
    }

    private func deliver(_ load: Msg) {
        let waiting = pending.withLock { pending in
            pending.load = load
            defer { pending.whenRead = nil }
            return pending.whenRead
        }
        signal()
        waiting?(load)
    }

    /// Whether the first frame may be drawn before the store is open: waits until the early read
    /// is over (at most until the wait's end); false when it could not read the lists, which the
    /// store then reads once it is open. A read still running (a large file) draws "loading".
    public func earlyReadBrings() -> Bool {
        // Over when it brought the lists or failed.
        waitUntil { $0.earlyReadFailed || $0.load != nil }
        return pending.withLock { !$0.earlyReadFailed || $0.load != nil }
    }

    /// The message that loads the lists, if they are read before the wait's end; nil otherwise.
    func wait() -> Msg? {
        waitUntil { $0.load != nil }
        return pending.withLock { $0.load }
    }

    private func signal() {
        signalled.store(true, ordering: .releasing)
        changed.signal()
    }

    private func waitUntil(_ done: (Pending) -> Bool) {
        let deadline = pending.withLock { pending in
            if pending.deadline == nil { pending.deadline = .now() + Self.longestWait }
            return pending.deadline!
        }
        if spin > .zero && !pending.withLock({ done($0) }) {
            let clock = ContinuousClock()
            let spinEnd = clock.now + spin
            while !signalled.load(ordering: .acquiring) && clock.now < spinEnd {}
        }
        while !pending.withLock({ done($0) }) {
            guard changed.wait(timeout: deadline) == .success else { return }
        }
        changed.signal() // the next wait looks again at once
    }

    /// Calls `body` with the message that loads the lists once they are read (at once if they are).
    func whenRead(_ body: @escaping @Sendable (Msg) -> Void) {
        let load = pending.withLock { pending -> Msg? in
            if pending.load == nil { pending.whenRead = body }
            return pending.load
        }
        if let load { body(load) }
    }
}
