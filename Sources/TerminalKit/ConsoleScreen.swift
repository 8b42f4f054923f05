/// What the console needs from a terminal; the ncurses backend provides it, tests can too.
public protocol ConsoleScreen: AnyObject {
    var width: Int { get }
    var height: Int { get }
    var unicode: Bool { get }
    var stopRequested: Bool { get }
    /// Wakes `events` from any thread.
    var waker: @Sendable () -> Void { get }
    /// `rows`: the only rows where `frame` differs from the frame presented last (nil: any).
    func present(_ frame: Buffer, cursor: (x: Int, y: Int)?, rows: [Int]?)
    /// `altKeys`: the Alt bindings live now (`AppState.liveAltKeys`), which decide ESC + a key.
    func events(timeout: Int32, altKeys: Set<Character>) -> [InputEvent]
    func setMouse(_ on: Bool)
    func suspend()
    func forceRedraw()
    /// Applies a theme by name or path; returns a warning when it had to fall back.
    func applyTheme(_ nameOrPath: String) -> String?
}

extension ConsoleScreen {
    /// A frame that may differ anywhere.
    public func present(_ frame: Buffer, cursor: (x: Int, y: Int)?) { present(frame, cursor: cursor, rows: nil) }
}
