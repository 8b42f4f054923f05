import Glibc

/// Where a new thread starts. Linux may start a thread on its creator's core (another core was
/// busy a moment ago), and it then waits there until the creator blocks or the scheduler's next
/// balancing moves it, up to a few ms: the console's thread and the main thread's read of the
/// lists then took turns on one core while the other idled (issue 18: in about a quarter of the
/// starts measured, the first frame 0.5-1.5 ms later).
enum CoreChoice {
    /// A `cpu_set_t` (1024 bits), which Swift's Glibc module does not declare.
    typealias Mask = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                      UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    static let noCores: Mask = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    // GNU extensions, looked up: Swift's Glibc module does not declare them.
    private typealias AttributeAffinity = @convention(c) (UnsafeMutablePointer<pthread_attr_t>, Int, UnsafeRawPointer) -> Int32
    private typealias CurrentCore = @convention(c) () -> Int32
    private typealias Affinity = @convention(c) (pid_t, Int, UnsafeMutableRawPointer) -> Int32

    /// Sets `attributes` so that the thread starts on a core other than the calling thread's.
    /// Returns the process's cores, to be given back to the thread once it runs; nil when nothing
    /// was set (one core, or no such calls).
    static func startAway(_ attributes: inout pthread_attr_t) -> Mask? {
        guard let currentCore = symbol("sched_getcpu", as: CurrentCore.self), let allowed = processCores() else { return nil }
        return startAway(&attributes, allowed: allowed, from: Int(currentCore()))
    }

    /// Whether a thread started away from its caller gets a core of its own.
    static var severalCores: Bool {
        guard let cores = processCores() else { return false }
        return withUnsafeBytes(of: cores) { $0.reduce(0) { $0 + $1.nonzeroBitCount } } >= 2
    }

    /// The main thread's cores: the process's own, whoever asks.
    private static func processCores() -> Mask? {
        guard let getAffinity = symbol("sched_getaffinity", as: Affinity.self) else { return nil }
        var allowed = noCores
        guard withUnsafeMutableBytes(of: &allowed, { getAffinity(getpid(), $0.count, $0.baseAddress!) }) == 0 else { return nil }
        return allowed
    }

    /// `allowed` less `core`, if that leaves any, as the thread's cores; returns `allowed` then.
    static func startAway(_ attributes: inout pthread_attr_t, allowed: Mask, from core: Int) -> Mask? {
        guard let setAffinity = symbol("pthread_attr_setaffinity_np", as: AttributeAffinity.self),
              core >= 0, core < MemoryLayout<Mask>.size * 8 else { return nil }
        var elsewhere = allowed
        withUnsafeMutableBytes(of: &elsewhere) { bytes in
            bytes[core / 8] &= ~(UInt8(1) << UInt8(core % 8))
        }
        guard withUnsafeBytes(of: elsewhere, { $0.contains { $0 != 0 } }) else { return nil }
        let set = withUnsafeBytes(of: elsewhere) { setAffinity(&attributes, $0.count, $0.baseAddress!) }
        return set == 0 ? allowed : nil
    }

    /// Lets the calling thread run on every core of `mask`.
    static func allow(_ mask: Mask) {
        guard let setAffinity = symbol("sched_setaffinity", as: Affinity.self) else { return }
        var mask = mask
        _ = withUnsafeMutableBytes(of: &mask) { setAffinity(0, $0.count, $0.baseAddress!) }
    }

    private static func symbol<T>(_ name: String, as type: T.Type) -> T? {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), name).map { unsafeBitCast($0, to: type) }
    }
}
