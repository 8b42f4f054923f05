import BackstageCore
import TerminalKit

/// One field of a form: what it is, its label and Mattermost's help text.
public struct FormField: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case text(TextField)
        case checkbox(Bool)
        case choice(options: [String], selected: Int)
        case button
    }

    public let id: String
    public let label: String
    public var help: String
    public var kind: Kind
    public var hidden = false

    public init(_ id: String, _ label: String, help: String = "", _ kind: Kind) {
        self.id = id
        self.label = label
        self.help = help
        self.kind = kind
    }

    public var textField: TextField? {
        if case .text(let field) = kind { return field }
        return nil
    }

    /// Whether this is a text field, without copying it out.
    var isText: Bool {
        if case .text = kind { return true }
        return false
    }

    /// The value alone (no cursor or scroll), to compare two versions of a field.
    var value: String {
        switch kind {
        case .text(let field): return field.text
        case .checkbox(let on): return on ? "on" : "off"
        case .choice(_, let selected): return String(selected)
        case .button: return ""
        }
    }
}

/// Fields, focus, inline errors and notes of a form; the editors put meaning on top.
public struct FormState: Sendable, Equatable {
    public var fields: [FormField]
    public var focus: Int
    /// Field id → the error shown under it.
    public var errors: [String: String] = [:]
    /// Field id → extra lines under it (the live banner, the validation state, overlap warnings).
    public var notes: [String: [Note]] = [:]
    /// Field id → what Mattermost accepts there but is probably a mistake (saved all the same).
    public var warnings: [String: [String]] = [:]
    /// Above the fields: what the whole form must know (its item changed elsewhere).
    public var heading: Note?
    public var dirty = false

    /// Built in this module only, so the memberwise `init(text:role:)` serves.
    public struct Note: Sendable, Equatable {
        public let text: String
        public let role: Role
    }

    public init(_ fields: [FormField]) {
        self.fields = fields
        focus = 0
    }

    public var focused: FormField { fields[focus] }

    /// Whether the focused field takes text (asked before every read of the keyboard).
    var focusTakesText: Bool { fields[focus].isText }

    public func index(_ id: String) -> Int { fields.firstIndex { $0.id == id }! }

    public func text(_ id: String) -> String { fields[index(id)].textField?.text ?? "" }

    /// Labels of the fields whose values differ in `other`, a form of the same kind (e.g. the
    /// version you opened and the one stored now). Secret fields start empty, so never differ.
    public func labelsOfChangedFields(comparedTo other: FormState) -> [String] {
        zip(fields, other.fields).compactMap { mine, theirs in
            mine.id == theirs.id && mine.value != theirs.value ? mine.label : nil
        }
    }

    public mutating func setText(_ id: String, _ text: String) {
        let i = index(id)
        if case .text(var field) = fields[i].kind {
            field.text = text
            fields[i].kind = .text(field)
        }
    }

    public func checked(_ id: String) -> Bool {
        if case .checkbox(let on) = fields[index(id)].kind { return on }
        return false
    }

    public func choice(_ id: String) -> Int {
        if case .choice(_, let selected) = fields[index(id)].kind { return selected }
        return 0
    }

    public mutating func setHidden(_ id: String, _ hidden: Bool) { fields[index(id)].hidden = hidden }
    public mutating func setHelp(_ id: String, _ help: String) { fields[index(id)].help = help }

    public mutating func move(_ direction: Int) {
        var next = focus
        repeat {
            next = (next + direction + fields.count) % fields.count
        } while fields[next].hidden && next != focus
        focus = next
    }

    public mutating func focus(_ id: String) { focus = index(id) }

    /// Gives an editing key to the focused field. Returns the id of the field that changed, if any.
    public mutating func edit(_ key: Key) -> (handled: Bool, changed: String?) {
        var field = fields[focus]
        switch field.kind {
        case .text(var text):
            let before = text.text
            guard text.handle(key) else { return (false, nil) }
            field.kind = .text(text)
            fields[focus] = field
            let changed = before != text.text
            if changed {
                dirty = true
                errors[field.id] = nil
            }
            return (true, changed ? field.id : nil)
        case .checkbox(let on):
            guard key == .character(" ") else { return (false, nil) }
            fields[focus].kind = .checkbox(!on)
            dirty = true
            return (true, field.id)
        case .choice(let options, let selected):
            let step: Int
            switch key {
            case .character(" "), .right: step = 1
            case .left: step = -1
            default: return (false, nil)
            }
            fields[focus].kind = .choice(options: options, selected: (selected + step + options.count) % options.count)
            dirty = true
            return (true, field.id)
        case .button:
            return (false, nil)
        }
    }

    public mutating func paste(_ text: String) -> String? {
        guard case .text(var field) = fields[focus].kind else { return nil }
        field.insert(text)
        fields[focus].kind = .text(field)
        dirty = true
        errors[fields[focus].id] = nil
        return fields[focus].id
    }
}
