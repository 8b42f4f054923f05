import BackstageCore
import Dispatch
import Synchronization

/// The lists of a local store, read while the terminal starts (issue 18: the first frame shows
/// them, with no "loading" frame and no second read). The console waits for them only briefly: a
/// large store shows its "loading" frame and its lists when they are read, as before.
public final class FirstLoad: Sendable {
    /// Longer than a small store's read, shorter than a wait anyone would notice.
    public static let longestWait: DispatchTimeInterval = .milliseconds(50)

    private struct Pending {
        var snapshot: StoreSnapshot?
        var whenRead: (@Sendable (StoreSnapshot) -> Void)?
    }

    private let pending = Mutex(Pending())
    private let read = DispatchSemaphore(value: 0)

    public init() {}

    /// Already read (tests).
    public convenience init(_ snapshot: StoreSnapshot) {
        self.init()
        deliver(snapshot)
    }

    /// Reads the lists as the console's load does, and hands them over.
    public func read(from store: any Store) async {
        deliver(await EffectRunner.snapshot(store: store).snapshot)
    }

    func deliver(_ snapshot: StoreSnapshot) {
        let waiting = pending.withLock { pending in
            pending.snapshot = snapshot
            defer { pending.whenRead = nil }
            return pending.whenRead
        }
        read.signal()
        waiting?(snapshot)
    }

    /// The lists if they are read within `timeout`; nil otherwise.
    func wait(upTo timeout: DispatchTimeInterval) -> StoreSnapshot? {
        guard read.wait(timeout: .now() + timeout) == .success else { return nil }
        read.signal() // a second wait returns at once
        return pending.withLock { $0.snapshot }
    }

    /// Calls `body` with the lists once they are read (at once if they are).
    func whenRead(_ body: @escaping @Sendable (StoreSnapshot) -> Void) {
        let snapshot = pending.withLock { pending -> StoreSnapshot? in
            if pending.snapshot == nil { pending.whenRead = body }
            return pending.snapshot
        }
        if let snapshot { body(snapshot) }
    }
}
