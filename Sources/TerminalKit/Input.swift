/// A key as the app sees it, whatever terminal sent it.
public enum Key: Hashable, Sendable {
    /// A printable character (letters, digits, CJK, emoji...).
    case character(Character)
    /// Ctrl plus a letter, given as the lower-case letter.
    case control(Character)
    /// Alt (Meta) plus a character.
    case alt(Character)
    case enter, tab, backTab, escape, backspace, delete, insert
    case up, down, left, right, home, end, pageUp, pageDown
    case function(Int)

    /// How the key-hint bar and the help overlay write it.
    public var displayName: String {
        switch self {
        case .character(" "): return "Space"
        case .character(let c): return String(c)
        case .control(let c): return "Ctrl-" + String(c).uppercased()
        case .alt(let c): return "Alt-" + String(c)
        case .enter: return "Enter"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .delete: return "Del"
        case .insert: return "Ins"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .function(let n): return "F\(n)"
        }
    }
}

public struct MouseEvent: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case press, wheelUp, wheelDown }
    public let kind: Kind
    public let x: Int
    public let y: Int

    public init(kind: Kind, x: Int, y: Int) { (self.kind, self.x, self.y) = (kind, x, y) }
}

/// Everything the terminal can tell the app.
public enum InputEvent: Sendable, Hashable {
    case key(Key)
    /// A bracketed paste, whole.
    case paste(String)
    case mouse(MouseEvent)
    case resize(width: Int, height: Int)
}

/// One row of the keymap: the keys, what they do, and how the bar and the help overlay say it.
public struct Binding<Action: Hashable & Sendable>: Sendable {
    public let keys: [Key]
    public let action: Action
    /// Short text for the key-hint bar.
    public let label: String
    /// A sentence for the help overlay.
    public let help: String
    public let onBar: Bool

    public init(_ keys: [Key], _ action: Action, label: String, help: String, onBar: Bool = false) {
        self.keys = keys
        self.action = action
        self.label = label
        self.help = help
        self.onBar = onBar
    }

    /// "j/↓", "q".
    @inlinable public var keyNames: String { keys.map { $0.displayName }.concatenated(separator: "/") }
}

/// Keys are data: one table drives dispatch, the key-hint bar and the help overlay, so they
/// can never disagree.
public struct Keymap<Action: Hashable & Sendable>: Sendable {
    public let title: String
    public let bindings: [Binding<Action>]
    /// Every key's action (the first binding that names it wins), looked up on each key press.
    private let actions: [Key: Action]
    /// The characters this table binds with Alt; asked before every read of the keyboard.
    public let altKeys: Set<Character>

    public init(_ title: String, _ bindings: [Binding<Action>]) {
        self.title = title
        self.bindings = bindings
        // Loops, not flatMap: this generic initialiser runs unspecialised, and flatMap's first use
        // there looks its types up at run time (~50 µs of the first frame).
        var actions: [Key: Action] = [:]
        var altKeys = Set<Character>()
        for binding in bindings {
            for key in binding.keys {
                if actions[key] == nil { actions[key] = binding.action }
                if case .alt(let character) = key { altKeys.insert(character) }
            }
        }
        self.actions = actions
        self.altKeys = altKeys
    }

    public func action(for key: Key) -> Action? { actions[key] }

    /// The keys of an action, as the help names them: "Enter/y".
    public func keyNames(for action: Action) -> String {
        bindings.first { $0.action == action }?.keyNames ?? ""
    }

    /// A dialog button for an action, named with its letter key where it has one: "Delete (y)".
    public func button(_ label: String, _ action: Action) -> String {
        guard let keys = bindings.first(where: { $0.action == action })?.keys else { return label }
        let key = keys.first { if case .character = $0 { return true } else { return false } } ?? keys.first
        return key.map { "\(label) (\($0.displayName))" } ?? label
    }

    /// Drawn every frame: closures, not key paths, which a generic type resolves at run time on
    /// each use (a tenth of a keystroke's cost). Inlinable, so that it is specialised where it is
    /// used: unspecialised, its first use looks its types up by name at run time, which scans
    /// every protocol conformance in the binary (~0.2 ms of the first frame).
    @inlinable public var barItems: [(keys: String, label: String)] {
        bindings.filter { $0.onBar }.map { (String($0.keys.first?.displayName ?? ""), $0.label) }
    }
}
