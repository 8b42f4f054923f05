import Glibc

/// Every thread allocates from glibc's main heap. A thread's own arena grows one page at a time,
/// each step an `mprotect` that stops the other core to flush its TLB: the console's thread
/// made ~60 of them before its first frame, ~0.4 ms here (issue 18). backstage's threads
/// allocate little at a time, so one shared arena costs nothing in contention.
enum MemoryArenas {
    /// glibc's `M_ARENA_MAX` (malloc.h, which Swift's Glibc module does not import).
    private static let arenaMax: Int32 = -8

    static func shareOne() {
        // Looked up: Swift's Glibc module does not declare mallopt either.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        _ = mallopt(arenaMax, 1)
    }
}
