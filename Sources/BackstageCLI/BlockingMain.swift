import Dispatch
import Synchronization

/// Runs a program's async work while the main thread waits for it, then gives its exit status.
/// An async top-level `main` instead ends in `dispatch_main()`, whose `pthread_exit` unwinds the
/// main thread: glibc loads libgcc_s for it, and the unwinder reads the binary's unwind tables,
/// beside the start's own work (issue 18: ~0.6 MB of resident memory, and CPU before the first
/// frame). Nothing in backstage needs the main queue.
public enum BlockingMain {
    /// - Parameter beside: run on the main thread meanwhile, before it waits.
    public static func run(beside: () -> Void = {}, _ work: @escaping @Sendable () async -> Int32) -> Int32 {
        let done = DispatchSemaphore(value: 0)
        let status = Mutex<Int32>(0)
        Task.detached {
            let value = await work()
            status.withLock { $0 = value }
            done.signal()
        }
        beside()
        done.wait()
        return status.withLock { $0 }
    }
}
