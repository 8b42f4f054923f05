import CNCursesW
import Glibc
import Synchronization
import TerminalKit

/// The terminal: ncurses sets it up and decodes keys (terminfo knows every key sequence); frames
/// are written by `ScreenPainter`, which sends only the cells that changed and keeps attributes
/// between frames (ncurses resets them after every update, ~40 bytes a keystroke).
public final class CursesTerminal {
    public struct Options: Sendable {
        public var mouse: Bool
        public init(mouse: Bool = false) { self.mouse = mouse }
    }

    public private(set) var width: Int
    public private(set) var height: Int
    /// False when the locale is not UTF-8 (`LANG=C`, another charset) or no UTF-8 locale exists:
    /// draw ASCII only.
    public let unicode: Bool
    /// The terminal type drawn for when `TERM` had no terminfo entry here (`TerminalTypeFallback`).
    public private(set) var substitutedTerm: String?
    /// Colours the terminal offers (0 when it has none).
    public let colorCount: Int
    private var painter: ScreenPainter
    private var wakePipe: [Int32] = [-1, -1]
    /// The pipe's write end for `wake` from other threads; -1 once stopped, so that a late wake
    /// (an effect finishing after the console quit) never writes into a descriptor reused since.
    private let wakeWrite = Mutex<Int32>(-1)
    private var screen: OpaquePointer?
    private var active = false
    /// Decodes reads into events and holds a bracketed paste under way.
    private var keys = KeyDecoder(codes: CursesTerminal.keyCodes)
    /// An ESC read after other events, kept for the next `events` call (which then does not wait).
    private var heldEscape = false
    private static let pasteStart = KEY_MAX + 1
    private static let pasteEnd = KEY_MAX + 2

    /// Checks the terminal, then takes it over. Throws instead of letting ncurses exit.
    public init(options: Options = Options(), environment: [String: String]) throws {
        guard isatty(0) == 1, isatty(1) == 1 else { throw TerminalError.notATerminal }
        guard let term = environment["TERM"], !term.isEmpty else { throw TerminalError.noTerminalType }
        if term == "dumb" || term == "unknown" { throw TerminalError.dumbTerminal(term) }
        // Only the character type matters here (ncurses' key decoding, wcwidth): LC_CTYPE alone,
        // not LC_ALL, which loads every category (~0.13 ms of the start) and changes how C writes
        // numbers. prepareLocale chose a UTF-8 one, also when the UTF-8 LANG is one this host
        // lacks (common over SSH); a terminal that is not UTF-8 gets its own back.
        unicode = DisplayWidth.prepareLocale() && TerminalLocale.isUTF8(environment: environment)
        if !unicode { setlocale(LC_CTYPE, "") }
        SignalGuard.saveTerminalModes()
        guard let output = fdopen(1, "w"), let input = fdopen(0, "r") else { throw TerminalError.notATerminal }
        var opened = newterm(term, output, input)
        if opened == nil, let substitute = TerminalTypeFallback.substitute(for: term) {
            opened = newterm(substitute, output, input)
            substitutedTerm = opened == nil ? nil : substitute
        }
        guard let screen = opened else { throw TerminalError.unknownTerminal(term) }
        self.screen = screen
        set_term(screen)
        active = true
        raw()
        noecho()
        nonl()
        keypad(backstage_stdscr(), true)
        set_escdelay(25)
        colorCount = has_colors() ? Int(max(tigetnum("colors"), 0)) : 0
        painter = ScreenPainter(unicode: unicode, erasesWithBackground: tigetflag("bce") > 0)
        // ncurses takes the screen over (alternate screen, cleared) on its first refresh; after
        // that stdscr stays untouched, so key reads never make ncurses paint.
        wrefresh(backstage_stdscr())
        width = Int(backstage_cols())
        height = Int(backstage_lines())
        pipe(&wakePipe)
        _ = fcntl(wakePipe[0], F_SETFL, O_NONBLOCK)
        _ = fcntl(wakePipe[1], F_SETFL, O_NONBLOCK)
        wakeWrite.withLock { $0 = wakePipe[1] }
        SignalGuard.install(wakeFD: wakePipe[1])
        define_key("\u{1B}[200~", Self.pasteStart)
        define_key("\u{1B}[201~", Self.pasteEnd)
        // Home and End as the common terminals send them, whatever TERM's terminfo says: inside
        // tmux or screen, or over SSH with a mismatched TERM, they would otherwise type "4~".
        for (sequence, code) in [("\u{1B}[1~", KEY_HOME), ("\u{1B}[7~", KEY_HOME), ("\u{1B}[H", KEY_HOME), ("\u{1B}OH", KEY_HOME),
                                 ("\u{1B}[4~", KEY_END), ("\u{1B}[8~", KEY_END), ("\u{1B}[F", KEY_END), ("\u{1B}OF", KEY_END)] {
            define_key(sequence, code)
        }
        emit("\u{1B}[?2004h") // bracketed paste: a paste arrives as one event
        setMouse(options.mouse)
    }

    deinit { stop() }

    /// SIGTERM, SIGHUP or SIGINT arrived: the app should save nothing half-done and leave.
    public var stopRequested: Bool { SignalGuard.stopRequested != 0 }

    /// The signal that ended the session, if one did.
    public var stopSignal: Int32? { SignalGuard.stopRequested == 0 ? nil : Int32(SignalGuard.stopRequested) }

    /// Gives the terminal back exactly as it was. Safe to call twice.
    public func stop() {
        guard active else { return }
        active = false
        send(painter.leave(height: height))
        emit("\u{1B}[?2004l")
        mousemask(0, nil)
        curs_set(1)
        endwin()
        if let screen { delscreen(screen) }
        screen = nil
        SignalGuard.uninstall()
        wakeWrite.withLock { fd in fd = -1 }
        for fd in wakePipe where fd >= 0 { close(fd) }
        wakePipe = [-1, -1]
    }

    /// Wakes `events` from another thread (an effect finished). Thread-safe.
    public func wake() {
        wakeWrite.withLock { fd in
            guard fd >= 0 else { return }
            var byte: UInt8 = 0x57
            _ = write(fd, &byte, 1)
        }
    }

    public func setMouse(_ on: Bool) {
        mouseinterval(0)
        mousemask(on ? backstage_mouse_events() : 0, nil)
    }

    public func apply(_ styles: [Role: ResolvedStyle]) {
        painter.styles = styles // every cell's look may have changed: the next frame is whole
    }

    /// Ctrl-Z: hand the terminal back to the shell until `fg`.
    public func suspend() {
        send(painter.leave(height: height))
        emit("\u{1B}[?2004l")
        endwin()
        // To this thread: a process-wide signal could land elsewhere and let this one redraw first.
        raise(SIGSTOP)
        // Back from the shell: ncurses restores its modes and the alternate screen on a refresh.
        wrefresh(backstage_stdscr())
        emit("\u{1B}[?2004h")
        forceRedraw()
    }

    /// Ctrl-L: forget what we believe is on screen, clear it and paint the next frame whole.
    public func forceRedraw() {
        painter.invalidate(clear: true)
    }

    // MARK: Painting

    /// Paints the cells that differ from the previous frame, in one write; `rows`, when given,
    /// are the only rows that may differ.
    public func present(_ frame: Buffer, cursor: (x: Int, y: Int)?, rows: [Int]? = nil) {
        guard active else { return }
        send(painter.paint(frame, cursorAt: cursor, rows: rows))
    }

    private func emit(_ sequence: String) {
        send(Array(sequence.utf8))
    }

    /// Writes all of `bytes` to the terminal, waiting out interrupted and partial writes.
    private func send(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(1, raw.baseAddress! + offset, raw.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && (errno == EINTR || errno == EAGAIN) {
                    continue
                } else {
                    return // the terminal is gone (SIGHUP follows)
                }
            }
        }
    }

    // MARK: Input

    /// Waits up to `timeout` ms for keys (or a wake-up), then returns every event available.
    /// `altKeys` are the Alt bindings of the layer on top now: ESC then one of them in one read is
    /// Alt-x, ESC then anything else is Escape, then that key (see `KeyDecoder.altKeys`).
    public func events(timeout: Int32, altKeys: Set<Character>) -> [InputEvent] {
        guard active else { return [] }
        keys.altKeys = altKeys
        var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0), pollfd(fd: wakePipe[0], events: Int16(POLLIN), revents: 0)]
        _ = poll(&fds, 2, heldEscape ? 0 : timeout)
        if fds[1].revents != 0 {
            var sink = [UInt8](repeating: 0, count: 64)
            while read(wakePipe[0], &sink, 64) > 0 {}
        }
        var events: [InputEvent] = []
        if heldEscape {
            heldEscape = false
            events += keys.feed(.character(27)).compactMap(resolve)
        }
        let window = backstage_stdscr()
        wtimeout(window, 0)
        while true {
            var character: wint_t = 0
            let kind = wget_wch(window, &character)
            if kind == ERR { break }
            let read: KeyDecoder.Input = kind == KEY_CODE_YES ? .functionKey(Int32(character)) : .character(UInt32(character))
            // An ESC after other events waits for the next call: those events may change the
            // layer on top, and with it what ESC and the key after it mean.
            if !events.isEmpty && keys.holdsEscape(read) {
                heldEscape = true
                break
            }
            events += keys.feed(read).compactMap(resolve)
        }
        events += keys.finish().compactMap(resolve)
        return events
    }

    /// curses' key codes, for the decoder.
    private static let keyCodes = KeyDecoder.KeyCodes(
        up: KEY_UP, down: KEY_DOWN, left: KEY_LEFT, right: KEY_RIGHT, home: KEY_HOME, end: KEY_END, pageUp: KEY_PPAGE, pageDown: KEY_NPAGE,
        backTab: KEY_BTAB, delete: KEY_DC, insert: KEY_IC, backspace: KEY_BACKSPACE, enter: KEY_ENTER, resize: KEY_RESIZE, mouse: KEY_MOUSE,
        functionKeys: Dictionary(uniqueKeysWithValues: (1...12).map { (backstage_key_f(Int32($0)), $0) }),
        pasteStart: pasteStart, pasteEnd: pasteEnd)

    /// What only the terminal can answer: its new size, the mouse event's position.
    private func resolve(_ decoded: KeyDecoder.Decoded) -> InputEvent? {
        switch decoded {
        case .event(let event):
            return event
        case .resize:
            width = Int(backstage_cols())
            height = Int(backstage_lines())
            // ncurses marked its (blank) stdscr for repainting; the next frame covers every cell.
            untouchwin(backstage_stdscr())
            painter.invalidate()
            return .resize(width: width, height: height)
        case .mouse:
            var event = MEVENT()
            guard getmouse(&event) == OK else { return nil }
            let kind: MouseEvent.Kind
            if backstage_mouse_is_wheel_up(event.bstate) != 0 { kind = .wheelUp }
            else if backstage_mouse_is_wheel_down(event.bstate) != 0 { kind = .wheelDown }
            else if backstage_mouse_is_press(event.bstate) != 0 { kind = .press }
            else { return nil }
            return .mouse(MouseEvent(kind: kind, x: Int(event.x), y: Int(event.y)))
        }
    }
}
