import Glibc

/// A thread started with pthreads, for the console's blocking loop. Foundation's `Thread` sets
/// itself up as it starts (its name, `Thread.current`), ~0.1 ms of the console's first frame.
enum PlainThread {
    /// Starts `body` on a new detached thread; the error number when the system refuses one.
    /// `awayFromCaller`: the thread starts on another core than the caller's, when there is one
    /// (see `CoreChoice`); it may run anywhere once it has started.
    static func start(stackSize: Int, awayFromCaller: Bool = false, _ body: @escaping @Sendable () -> Void) -> Int32? {
        final class Work {
            let body: @Sendable () -> Void
            let allowed: CoreChoice.Mask?
            init(_ body: @escaping @Sendable () -> Void, allowed: CoreChoice.Mask?) {
                self.body = body
                self.allowed = allowed
            }
        }
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackSize)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        // The process's cores, given back to the thread once it runs.
        let allowed = awayFromCaller ? CoreChoice.startAway(&attributes) : nil
        let work = Unmanaged.passRetained(Work(body, allowed: allowed))
        var thread = pthread_t()
        let result = pthread_create(&thread, &attributes, { context in
            let work = Unmanaged<Work>.fromOpaque(context!).takeRetainedValue()
            if let allowed = work.allowed { CoreChoice.allow(allowed) }
            work.body()
            return nil
        }, work.toOpaque())
        guard result == 0 else {
            work.release()
            return result
        }
        return nil
    }
}
