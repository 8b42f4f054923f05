import Foundation

/// A terminal in memory: the console loop runs against it unchanged, in-process. Tests send input
/// events, wait until the loop is idle (blocked waiting for input, no effect running, nothing
/// queued), and read the last frame. Its clock is the test's: a wait for input never times out on
/// its own, so no spinner tick or timer makes the loop look busy.
public final class MemoryScreen: ConsoleScreen, @unchecked Sendable {
    public private(set) var width: Int
    public private(set) var height: Int
    public let unicode: Bool
    private let condition = NSCondition()
    // Guarded by `condition`:
    private var queued: [InputEvent] = []
    private var woken = false
    private var waiting = false
    private var loopIdle = false
    private var frame: Buffer
    private var first: Buffer?
    private var frameCursor: (x: Int, y: Int)?
    private var stop = false
    public private(set) var presented = 0
    public private(set) var mouse = false

    public init(width: Int = 100, height: Int = 30, unicode: Bool = true) {
        self.width = width
        self.height = height
        self.unicode = unicode
        frame = Buffer(width: width, height: height)
    }

    public var stopRequested: Bool { locked { stop } }

    public var waker: @Sendable () -> Void {
        { [self] in locked { woken = true; condition.broadcast() } }
    }

    public func present(_ frame: Buffer, cursor: (x: Int, y: Int)?, rows: [Int]?) {
        locked {
            self.frame = frame
            if first == nil { first = frame }
            frameCursor = cursor
            presented += 1
            condition.broadcast() // a test waiting for a frame looks again
        }
    }

    public func events(timeout: Int32, altKeys: Set<Character>) -> [InputEvent] {
        condition.lock()
        defer { condition.unlock() }
        waiting = true
        condition.broadcast() // a test waiting for idle looks again
        while queued.isEmpty && !woken && !stop { condition.wait() }
        waiting = false
        woken = false
        defer { queued = [] }
        return queued
    }

    public func setMouse(_ on: Bool) { locked { mouse = on } }
    public func suspend() {}
    public func forceRedraw() {}
    public func applyTheme(_ nameOrPath: String) -> String? { nil }

    /// The console's loop reports, before each wait, whether effects are still running.
    public func loopWillWait(idle: Bool) { locked { loopIdle = idle; condition.broadcast() } }

    // MARK: For tests

    /// Input as the terminal would deliver it; a resize also changes the screen's size.
    public func send(_ events: [InputEvent]) {
        locked {
            for event in events {
                if case .resize(let newWidth, let newHeight) = event { (width, height) = (newWidth, newHeight) }
            }
            queued += events
            condition.broadcast()
        }
    }

    public func send(_ keys: Key...) { send(keys.map { .key($0) }) }

    /// Ends the loop as a hang-up would.
    public func hangUp() { locked { stop = true; condition.broadcast() } }

    /// True when the loop waits for input with nothing queued, no wake-up pending and no effect
    /// running: everything sent so far has been handled and drawn.
    public var isIdle: Bool { locked { waiting && queued.isEmpty && !woken && loopIdle } }

    /// Waits (without sleeping a fixed time) until the loop is idle, or the deadline passes.
    @discardableResult
    public func waitUntilIdle(timeout: TimeInterval = 60) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        // Every change that can make the loop idle broadcasts (a wait for input begins, the loop
        // reports, input arrives, a wake-up): no polling, which could hold the lock from the loop.
        while !(waiting && queued.isEmpty && !woken && loopIdle) {
            if !condition.wait(until: deadline) { return waiting && queued.isEmpty && !woken && loopIdle }
        }
        return true
    }

    /// Waits until a frame drawn satisfies `predicate` (what a timer, not a key, brings), or the
    /// deadline passes; returns whether it did. Woken by each frame, without polling.
    @discardableResult
    public func waitForFrame(timeout: TimeInterval = 15, _ predicate: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while !predicate(frame.text) {
            if !condition.wait(until: deadline) { return predicate(frame.text) }
        }
        return true
    }

    public var debugState: String { locked { "waiting \(waiting) queued \(queued.count) woken \(woken) loopIdle \(loopIdle) presented \(presented)" } }

    /// The last frame drawn, as text.
    public var text: String { locked { frame.text } }
    /// The first frame drawn, as text ("" before it).
    public var firstText: String { locked { first?.text ?? "" } }
    public var lastFrame: Buffer { locked { frame } }
    public var cursor: (x: Int, y: Int)? { locked { frameCursor } }

    private func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }
}
