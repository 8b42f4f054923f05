import Glibc

/// A thread started with pthreads, for the console's blocking loop. Foundation's `Thread` sets
/// itself up as it starts (its name, `Thread.current`), ~0.1 ms of the console's first frame.
enum PlainThread {
    /// Starts `body` on a new detached thread; the error number when the system refuses one.
    static func start(stackSize: Int, _ body: @escaping @Sendable () -> Void) -> Int32? {
        final class Work {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackSize)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        let work = Unmanaged.passRetained(Work(body))
        var thread = pthread_t()
        let result = pthread_create(&thread, &attributes, { context in
            Unmanaged<Work>.fromOpaque(context!).takeRetainedValue().body()
            return nil
        }, work.toOpaque())
        guard result == 0 else {
            work.release()
            return result
        }
        return nil
    }
}
