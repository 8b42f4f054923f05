import CNCursesW
import Glibc
import TerminalKit

/// The only code that talks to ncurses: it sets the terminal up, reads keys, and paints the
/// cells that changed since the last frame. It never clears the screen per frame.
public final class CursesTerminal {
    public struct Options: Sendable {
        public var mouse: Bool
        public init(mouse: Bool = false) { self.mouse = mouse }
    }

    public private(set) var width: Int
    public private(set) var height: Int
    /// False when no UTF-8 locale exists: draw ASCII borders.
    public let unicode: Bool
    /// Colours the terminal offers (0 when it has none).
    public let colorCount: Int
    private var styles: [Role: TerminalStyle] = [:]
    private var pairs: [TerminalStyle: Int32] = [:]
    private var lastFrame: Buffer?
    private var wakePipe: [Int32] = [-1, -1]
    private var screen: OpaquePointer?
    private var active = false
    /// Decodes reads into events and holds a bracketed paste under way.
    private var keys = KeyDecoder(codes: CursesTerminal.keyCodes)
    private static let pasteStart = KEY_MAX + 1
    private static let pasteEnd = KEY_MAX + 2

    /// Checks the terminal, then takes it over. Throws instead of letting ncurses exit.
    public init(options: Options = Options(), environment: [String: String]) throws {
        guard isatty(0) == 1, isatty(1) == 1 else { throw TerminalError.notATerminal }
        guard let term = environment["TERM"], !term.isEmpty else { throw TerminalError.noTerminalType }
        if term == "dumb" || term == "unknown" { throw TerminalError.dumbTerminal(term) }
        unicode = DisplayWidth.prepareLocale()
        setlocale(LC_ALL, "")
        if unicode, let current = setlocale(LC_CTYPE, nil), !String(cString: current).lowercased().contains("utf") {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
        SignalGuard.saveTerminalModes()
        guard let output = fdopen(1, "w"), let input = fdopen(0, "r"), let screen = newterm(term, output, input) else {
            throw TerminalError.unknownTerminal(term)
        }
        self.screen = screen
        set_term(screen)
        active = true
        raw()
        noecho()
        nonl()
        keypad(backstage_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        if has_colors() {
            start_color()
            use_default_colors()
            colorCount = Int(backstage_colors())
        } else {
            colorCount = 0
        }
        width = Int(backstage_cols())
        height = Int(backstage_lines())
        pipe(&wakePipe)
        _ = fcntl(wakePipe[0], F_SETFL, O_NONBLOCK)
        _ = fcntl(wakePipe[1], F_SETFL, O_NONBLOCK)
        SignalGuard.install(wakeFD: wakePipe[1])
        define_key("\u{1B}[200~", Self.pasteStart)
        define_key("\u{1B}[201~", Self.pasteEnd)
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
        emit("\u{1B}[?2004l")
        mousemask(0, nil)
        curs_set(1)
        endwin()
        if let screen { delscreen(screen) }
        screen = nil
        SignalGuard.uninstall()
        for fd in wakePipe where fd >= 0 { close(fd) }
    }

    /// Wakes `events` from another thread (an effect finished). Thread-safe.
    public func wake() {
        var byte: UInt8 = 0x57
        _ = write(wakePipe[1], &byte, 1)
    }

    public func setMouse(_ on: Bool) {
        mouseinterval(0)
        mousemask(on ? backstage_mouse_events() : 0, nil)
    }

    public func apply(_ newStyles: [Role: TerminalStyle]) {
        styles = newStyles
        pairs = [:]
        lastFrame = nil // every cell's look may have changed
    }

    /// Ctrl-Z: hand the terminal back to the shell until `fg`.
    public func suspend() {
        emit("\u{1B}[?2004l")
        endwin()
        // To this thread: a process-wide signal could land elsewhere and let this one redraw first.
        raise(SIGSTOP)
        // Back from the shell.
        emit("\u{1B}[?2004h")
        forceRedraw()
    }

    /// Ctrl-L and resizes: forget what we believe is on screen.
    public func forceRedraw() {
        clearok(backstage_curscr(), true)
        lastFrame = nil
    }

    // MARK: Painting

    /// Paints the cells that differ from the previous frame, then one doupdate.
    public func present(_ frame: Buffer, cursor: (x: Int, y: Int)?) {
        guard active else { return }
        let window = backstage_stdscr()
        var current: TerminalStyle?
        for run in frame.changes(since: lastFrame) {
            wmove(window, Int32(run.y), Int32(run.x))
            for cell in run.cells where !cell.isContinuation {
                let style = styles[cell.role] ?? TerminalStyle()
                if style != current {
                    setStyle(style, window)
                    current = style
                }
                var wide = String(cell.grapheme).unicodeScalars.map { wchar_t(bitPattern: $0.value) }
                if !unicode && !cell.grapheme.isASCII { wide = [wchar_t(63)] } // "?"
                waddnwstr(window, &wide, Int32(wide.count))
            }
        }
        if let cursor {
            wmove(window, Int32(cursor.y), Int32(cursor.x))
            curs_set(1)
        } else {
            curs_set(0)
        }
        wnoutrefresh(window)
        doupdate()
        lastFrame = frame
    }

    private func setStyle(_ style: TerminalStyle, _ window: UnsafeMutablePointer<WINDOW>?) {
        var attributes = backstage_attr_normal()
        if style.bold { attributes |= backstage_attr_bold() }
        if style.reverse { attributes |= backstage_attr_reverse() }
        if style.underline { attributes |= backstage_attr_underline() }
        var pair: Int32 = 0
        if colorCount > 0 && (style.foreground >= 0 || style.background >= 0) {
            let colors = TerminalStyle(foreground: style.foreground, background: style.background)
            if let known = pairs[colors] {
                pair = known
            } else {
                let number = Int32(pairs.count + 1)
                if number < Int32(backstage_color_pairs()) && init_extended_pair(number, style.foreground, style.background) == OK {
                    pairs[colors] = number
                    pair = number
                }
            }
        }
        var extended = pair
        wattr_set(window, attributes, Int16(truncatingIfNeeded: pair), &extended)
    }

    private func emit(_ sequence: String) {
        fputs(sequence, stdoutFile)
        fflush(stdoutFile)
    }

    private lazy var stdoutFile: UnsafeMutablePointer<FILE> = fdopen(dup(1), "w")

    // MARK: Input

    /// Waits up to `timeout` ms for keys (or a wake-up), then returns every event available.
    public func events(timeout: Int32) -> [InputEvent] {
        guard active else { return [] }
        var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0), pollfd(fd: wakePipe[0], events: Int16(POLLIN), revents: 0)]
        _ = poll(&fds, 2, timeout)
        if fds[1].revents != 0 {
            var sink = [UInt8](repeating: 0, count: 64)
            while read(wakePipe[0], &sink, 64) > 0 {}
        }
        var events: [InputEvent] = []
        let window = backstage_stdscr()
        wtimeout(window, 0)
        while true {
            var character: wint_t = 0
            let kind = wget_wch(window, &character)
            if kind == ERR { break }
            let read: KeyDecoder.Input = kind == KEY_CODE_YES ? .functionKey(Int32(character)) : .character(UInt32(character))
            if let decoded = keys.feed(read), let event = resolve(decoded) { events.append(event) }
        }
        if let decoded = keys.finish(), let event = resolve(decoded) { events.append(event) }
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
            forceRedraw()
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
