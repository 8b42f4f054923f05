/// Turns what curses reads — characters and function-key codes, one at a time — into the app's
/// events: CR as Enter, control bytes as Ctrl-letters, ESC then x as Alt-x where the layer on top
/// binds Alt-x (else Escape, then x), and a bracketed paste assembled whole. Pure (the key codes
/// are injected), so tests and the fuzzer drive it without a terminal.
public struct KeyDecoder: Sendable {
    /// One read from curses: `wget_wch` answers OK with a character or KEY_CODE_YES with a key code.
    public enum Input: Sendable, Hashable {
        case character(UInt32)
        case functionKey(Int32)
    }

    /// A decoded read. Resizes and mouse events need the terminal itself (its size, `getmouse`).
    public enum Decoded: Sendable, Hashable {
        case event(InputEvent)
        case resize
        case mouse
    }

    /// curses' numbers for the keys we read, plus the two codes our paste markers are defined as.
    public struct KeyCodes: Sendable {
        public var up, down, left, right, home, end, pageUp, pageDown: Int32
        public var backTab, delete, insert, backspace, enter, resize, mouse: Int32
        /// Key code → n for F1...F12.
        public var functionKeys: [Int32: Int]
        public var pasteStart, pasteEnd: Int32

        public init(up: Int32, down: Int32, left: Int32, right: Int32, home: Int32, end: Int32, pageUp: Int32, pageDown: Int32,
                    backTab: Int32, delete: Int32, insert: Int32, backspace: Int32, enter: Int32, resize: Int32, mouse: Int32,
                    functionKeys: [Int32: Int], pasteStart: Int32, pasteEnd: Int32) {
            (self.up, self.down, self.left, self.right, self.home, self.end, self.pageUp, self.pageDown) =
                (up, down, left, right, home, end, pageUp, pageDown)
            (self.backTab, self.delete, self.insert, self.backspace, self.enter, self.resize, self.mouse) =
                (backTab, delete, insert, backspace, enter, resize, mouse)
            self.functionKeys = functionKeys
            self.pasteStart = pasteStart
            self.pasteEnd = pasteEnd
        }

        /// The values ncurses 6 uses on Linux (curses.h); the terminal passes its own constants.
        public static let ncurses = KeyCodes(
            up: 0o403, down: 0o402, left: 0o404, right: 0o405, home: 0o406, end: 0o550, pageUp: 0o523, pageDown: 0o522,
            backTab: 0o541, delete: 0o512, insert: 0o513, backspace: 0o407, enter: 0o527, resize: 0o632, mouse: 0o631,
            functionKeys: Dictionary(uniqueKeysWithValues: (1...12).map { (Int32(0o410 + $0), $0) }),
            pasteStart: 0o777 + 1, pasteEnd: 0o777 + 2)
    }

    private let codes: KeyCodes
    /// Key code → the key it names (F-keys, resize, mouse and the paste markers are read apart).
    private let namedKeys: [Int32: Key]
    /// The paste read so far, between the start and end markers.
    private var paste: String?
    /// An ESC was read; the next read decides: Alt-x, or Escape (then that read on its own).
    private var escapePending = false
    /// The Alt bindings of the layer that has the keyboard, set by the app before each read.
    /// ESC then x in one read is Alt-x only for these; for any other x it is Escape, then x, so
    /// an Esc typed just before a key (SSH lag sends both at once) is never lost to an unbound Alt.
    public var altKeys: Set<Character> = []

    public init(codes: KeyCodes) {
        self.codes = codes
        let named: [(Int32, Key)] = [
            (codes.up, .up), (codes.down, .down), (codes.left, .left), (codes.right, .right),
            (codes.home, .home), (codes.end, .end), (codes.pageUp, .pageUp), (codes.pageDown, .pageDown),
            (codes.backTab, .backTab), (codes.delete, .delete), (codes.insert, .insert),
            (codes.backspace, .backspace), (codes.enter, .enter),
        ]
        // Should a terminal give two keys one code, the first listed wins.
        namedKeys = Dictionary(named, uniquingKeysWith: { first, _ in first })
    }

    public var isPasting: Bool { paste != nil }

    /// An ESC would be held now, to be decided by the next read (not inside a paste, where it is text).
    public func holdsEscape(_ input: Input) -> Bool {
        input == .character(27) && paste == nil && !escapePending
    }

    /// Decodes one read: nothing when it only changed the state (a paste under way, an ESC
    /// pending), two items when a pending ESC turned out to be Escape followed by this read.
    public mutating func feed(_ input: Input) -> [Decoded] {
        if escapePending {
            escapePending = false
            switch input {
            case .character(let value) where value >= 32 && value != 127:
                if let scalar = Unicode.Scalar(value), altKeys.contains(Character(scalar)) { return [.event(.key(.alt(Character(scalar))))] }
                return [.event(.key(.escape))] + character(value)
            case .character:
                // ESC + a control character (DEL included) is Escape alone: Alt-Enter must not
                // become Esc then Enter, which would answer "Discard unsaved changes?" with yes.
                return [.event(.key(.escape))]
            case .functionKey(let code):
                // A key, a resize, a mouse event or a paste right after Esc: both happened.
                return [.event(.key(.escape))] + functionKey(code)
            }
        }
        switch input {
        case .functionKey(let code): return functionKey(code)
        case .character(let value): return character(value)
        }
    }

    /// No more reads are waiting: an ESC on its own is the Escape key.
    public mutating func finish() -> [Decoded] {
        guard escapePending else { return [] }
        escapePending = false
        return [.event(.key(.escape))]
    }

    private mutating func functionKey(_ code: Int32) -> [Decoded] {
        if code == codes.pasteStart {
            paste = ""
            return []
        }
        if code == codes.pasteEnd {
            defer { paste = nil }
            return paste.map { [.event(.paste($0))] } ?? []
        }
        if let key = namedKeys[code] { return [.event(.key(key))] }
        if code == codes.resize { return [.resize] }
        if code == codes.mouse { return [.mouse] }
        return codes.functionKeys[code].map { [.event(.key(.function($0)))] } ?? []
    }

    private mutating func character(_ value: UInt32) -> [Decoded] {
        if paste != nil {
            // Terminals send a pasted newline as CR.
            if let scalar = Unicode.Scalar(value) { paste!.unicodeScalars.append(value == 13 ? "\n" : scalar) }
            return []
        }
        switch value {
        case 13, 10: return [.event(.key(.enter))]
        case 9: return [.event(.key(.tab))]
        case 127, 8: return [.event(.key(.backspace))]
        case 27:
            escapePending = true
            return []
        case 0: return [.event(.key(.control(" ")))]
        case 1...26: return [.event(.key(.control(Character(Unicode.Scalar(value + 96)!))))]
        case 28...31: return []
        default:
            guard let scalar = Unicode.Scalar(value) else { return [] }
            return [.event(.key(.character(Character(scalar))))]
        }
    }
}
