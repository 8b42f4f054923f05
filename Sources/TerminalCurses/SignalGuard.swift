import Glibc

/// Signal handling that keeps the terminal usable whatever happens. Handlers may only do
/// async-signal-safe things: set a flag, write to a pipe, restore termios, write bytes.
enum SignalGuard {
    nonisolated(unsafe) static var wakeFD: Int32 = -1
    nonisolated(unsafe) static var stopRequested: sig_atomic_t = 0
    nonisolated(unsafe) static var savedTermios = termios()
    nonisolated(unsafe) static var haveTermios = false
    /// Leave the alternate screen, show the cursor, reset attributes, paste and mouse off.
    static let restoreBytes: [UInt8] = Array("\u{1B}[?2004l\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1006l\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l\r\n".utf8)

    nonisolated(unsafe) static var ncursesWinch: (@convention(c) (Int32) -> Void)?

    /// Remembers the terminal's modes before curses changes them, for the crash handlers.
    static func saveTerminalModes() {
        if tcgetattr(0, &savedTermios) == 0 { haveTermios = true }
    }

    static func install(wakeFD fd: Int32) {
        wakeFD = fd
        // ncurses notes a resize in its own handler; chain to it and wake the loop, since the
        // signal may land on any thread and leave our poll() sleeping.
        let previous = signal(SIGWINCH) { sig in
            SignalGuard.ncursesWinch?(sig)
            var byte: UInt8 = 0x52
            _ = write(SignalGuard.wakeFD, &byte, 1)
        }
        if let previous, unsafeBitCast(previous, to: Int.self) > 1 { ncursesWinch = previous } // not SIG_DFL/SIG_IGN
        for sig in [SIGTERM, SIGHUP, SIGINT, SIGQUIT] {
            signal(sig) { sig in
                SignalGuard.stopRequested = sig
                var byte: UInt8 = 0x53
                _ = write(SignalGuard.wakeFD, &byte, 1)
            }
        }
        for sig in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP] {
            signal(sig) { sig in
                SignalGuard.restoreTerminal()
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
    }

    /// Async-signal-safe: put the terminal back the way the shell needs it.
    static func restoreTerminal() {
        if haveTermios { tcsetattr(0, TCSANOW, &savedTermios) }
        restoreBytes.withUnsafeBufferPointer { bytes in _ = write(1, bytes.baseAddress, bytes.count) }
    }

    static func uninstall() {
        for sig in [SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP] { signal(sig, SIG_DFL) }
        signal(SIGWINCH, ncursesWinch ?? SIG_DFL)
    }
}
