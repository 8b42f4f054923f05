import Glibc
import Synchronization
import Testing
@testable import BackstageCLI

/// The console's thread starts on another core than the main thread's (issue 18: on the same
/// core it waited for the main thread's read), and may run anywhere once it has started.
@Suite("plain thread", .serialized)
struct PlainThreadTests {
    private typealias Affinity = @convention(c) (pid_t, Int, UnsafeMutableRawPointer) -> Int32
    private typealias CurrentCore = @convention(c) () -> Int32

    private static func symbol<T>(_ name: String, as type: T.Type) -> T {
        unsafeBitCast(dlsym(UnsafeMutableRawPointer(bitPattern: 0), name)!, to: type)
    }

    private static func cores(of mask: CoreChoice.Mask) -> Set<Int> {
        withUnsafeBytes(of: mask) { bytes in
            var cores = Set<Int>()
            for core in 0..<bytes.count * 8 where bytes[core / 8] & (UInt8(1) << UInt8(core % 8)) != 0 {
                cores.insert(core)
            }
            return cores
        }
    }

    private static func mask(_ cores: Set<Int>) -> CoreChoice.Mask {
        var mask: CoreChoice.Mask = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &mask) { bytes in
            for core in cores { bytes[core / 8] |= UInt8(1) << UInt8(core % 8) }
        }
        return mask
    }

    /// The calling thread's cores.
    private static func allowed() -> Set<Int> {
        var mask = Self.mask([])
        _ = withUnsafeMutableBytes(of: &mask) { symbol("sched_getaffinity", as: Affinity.self)(0, $0.count, $0.baseAddress!) }
        return cores(of: mask)
    }

    private static func allow(_ cores: Set<Int>) {
        var mask = Self.mask(cores)
        _ = withUnsafeMutableBytes(of: &mask) { symbol("sched_setaffinity", as: Affinity.self)(0, $0.count, $0.baseAddress!) }
    }

    private static var currentCore: Int { Int(symbol("sched_getcpu", as: CurrentCore.self)()) }

    /// Starts a thread away from the caller, which stays on `core` meanwhile: the core the thread
    /// started on and the cores it was then allowed.
    private static func startedAway(from core: Int) -> (core: Int, allowed: Set<Int>) {
        let everywhere = allowed()
        allow([core])
        defer { allow(everywhere) }
        let seen = Mutex<(core: Int, allowed: Set<Int>)?>(nil)
        let done = Signal()
        #expect(PlainThread.start(stackSize: 1 << 20, awayFromCaller: true) {
            seen.withLock { $0 = (currentCore, allowed()) }
            done.signal()
        } == nil)
        done.wait()
        return seen.withLock { $0! }
    }

    @Test("with two cores or more, the thread starts on another core and may then run on all")
    func startsAway() throws {
        let everywhere = Self.allowed()
        try #require(everywhere.count >= 2, "one core: nothing to choose")
        for core in everywhere.sorted().prefix(2) {
            let started = Self.startedAway(from: core)
            #expect(started.core != core)
            #expect(started.allowed == everywhere)
        }
    }

    @Test("the thread's cores are the process's less the caller's; none when that leaves none")
    func choice() throws {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        #expect(CoreChoice.startAway(&attributes, allowed: Self.mask([3]), from: 3) == nil)
        #expect(CoreChoice.startAway(&attributes, allowed: Self.mask([]), from: 0) == nil)
        #expect(CoreChoice.startAway(&attributes, allowed: Self.mask([0, 1]), from: 4096) == nil)
        let given = try #require(CoreChoice.startAway(&attributes, allowed: Self.mask([0, 2, 5]), from: 2))
        #expect(Self.cores(of: given) == [0, 2, 5])
        var set = Self.mask([])
        typealias AttributeAffinity = @convention(c) (UnsafePointer<pthread_attr_t>, Int, UnsafeMutableRawPointer) -> Int32
        let read = withUnsafeMutableBytes(of: &set) { Self.symbol("pthread_attr_getaffinity_np", as: AttributeAffinity.self)(&attributes, $0.count, $0.baseAddress!) }
        #expect(read == 0)
        #expect(Self.cores(of: set) == [0, 5])
    }
}

/// A POSIX semaphore: the thread under test is a plain one, not Dispatch's.
private final class Signal: @unchecked Sendable {
    private let semaphore = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)
    init() { sem_init(semaphore, 0, 0) }
    deinit {
        sem_destroy(semaphore)
        semaphore.deallocate()
    }
    func signal() { sem_post(semaphore) }
    func wait() { while sem_wait(semaphore) != 0 {} }
}
