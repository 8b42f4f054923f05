import TerminalKit

public enum ListAction: Hashable, Sendable {
    case up, down, pageUp, pageDown, first, last
    case nextTab, previousTab, firstTab, secondTab
    case filter, add, edit, delete, validate, validateAll, health, run, pickTeam
    case help, messageLog, theme, mouse, reload, quit, forceQuit, suspend, redraw, cancel
}

/// Keys every layer hands to the reducer first.
public enum GlobalAction: Hashable, Sendable { case help, messageLog }

public enum FormAction: Hashable, Sendable { case next, previous, save, validate, reload, leave, forceQuit }

public enum FilterAction: Hashable, Sendable { case keep, clear, erase, eraseAll, forceQuit }
public enum DialogAction: Hashable, Sendable { case confirm, cancel, forceQuit }
public enum ConflictAction: Hashable, Sendable { case reload, overwrite, saveAsNew, discard, keepEditing, forceQuit }
public enum HelpAction: Hashable, Sendable { case close, scrollUp, scrollDown, pageUp, pageDown, forceQuit }
public enum PickerAction: Hashable, Sendable { case up, down, choose, cancel, forceQuit }
public enum PromptAction: Hashable, Sendable { case submit, cancel, forceQuit }
public enum ResultAction: Hashable, Sendable { case close, forceQuit }
public enum ConfirmPageAction: Hashable, Sendable { case done, regenerate, forceQuit }

/// The key tables: dispatch, the key-hint bar and the help overlay all read these.
public enum Keymaps {
    public static let list = Keymap<ListAction>("Lists", [
        Binding([.up, .character("k")], .up, label: "up", help: "Move up"),
        Binding([.down, .character("j")], .down, label: "down", help: "Move down"),
        Binding([.pageUp], .pageUp, label: "page up", help: "Move up a page"),
        Binding([.pageDown], .pageDown, label: "page down", help: "Move down a page"),
        Binding([.home, .character("g")], .first, label: "first", help: "Go to the first row"),
        Binding([.end, .character("G")], .last, label: "last", help: "Go to the last row"),
        Binding([.tab], .nextTab, label: "tabs", help: "Next tab", onBar: true),
        Binding([.backTab], .previousTab, label: "previous tab", help: "Previous tab"),
        Binding([.character("1")], .firstTab, label: "connections", help: "Connections tab"),
        Binding([.character("2")], .secondTab, label: "commands", help: "Slash Commands tab"),
        Binding([.character("/")], .filter, label: "search", help: "Search (Enter keeps, Esc clears)", onBar: true),
        Binding([.character("a")], .add, label: "add", help: "Add", onBar: true),
        Binding([.character("e"), .enter], .edit, label: "edit", help: "Edit the selected row", onBar: true),
        Binding([.character("d")], .delete, label: "delete", help: "Delete (asks first)", onBar: true),
        Binding([.character("v")], .validate, label: "validate", help: "Validate (Esc cancels)"),
        Binding([.character("V")], .validateAll, label: "validate all", help: "Validate every connection, 4 at a time (Esc cancels)"),
        Binding([.character("h")], .health, label: "health", help: "Health: what is mis-wired, and the fix"),
        Binding([.character("r")], .run, label: "run", help: "Test-fire the command"),
        Binding([.character("T")], .pickTeam, label: "team", help: "Choose the team shown"),
        Binding([.function(5), .control("r")], .reload, label: "reload", help: "Reload from the store"),
        Binding([.character("t")], .theme, label: "theme", help: "Next theme"),
        Binding([.character("m")], .mouse, label: "mouse", help: "Mouse capture on/off"),
        Binding([.control("l")], .redraw, label: "redraw", help: "Redraw the screen"),
        Binding([.control("z")], .suspend, label: "suspend", help: "Suspend (fg returns)"),
        Binding([.escape], .cancel, label: "cancel", help: "Stop a running Validate or test-fire; clear a kept search"),
        Binding([.character("?")], .help, label: "help", help: "Help: the keys of what is open", onBar: true),
        Binding([.character("L")], .messageLog, label: "log", help: "Message log: every message of this session"),
        Binding([.character("q")], .quit, label: "quit", help: "Quit", onBar: true),
        Binding([.control("c")], .forceQuit, label: "quit", help: "Quit (anywhere)"),
    ])

    public static let connectionForm = Keymap<FormAction>("Connection form", [
        Binding([.tab], .next, label: "next", help: "Next field (also ↓, Enter)", onBar: true),
        Binding([.backTab], .previous, label: "previous", help: "Previous field (also ↑)"),
        Binding([.control("s")], .save, label: "save", help: "Save", onBar: true),
        Binding([.control("t")], .validate, label: "validate", help: "Validate Connection", onBar: true),
        Binding([.function(5)], .reload, label: "reload", help: "Reload; your edits stay"),
        Binding([.escape], .leave, label: "back", help: "Leave (asks if unsaved); stop Validate", onBar: true),
        Binding([.control("c")], .forceQuit, label: "quit", help: "Quit (asks if unsaved)"),
    ])

    /// The slash command form has no Validate.
    public static let commandForm = Keymap<FormAction>("Slash command form", [
        Binding([.tab], .next, label: "next", help: "Next field (also ↓, Enter)", onBar: true),
        Binding([.backTab], .previous, label: "previous", help: "Previous field (also ↑)"),
        Binding([.control("s")], .save, label: "save", help: "Save", onBar: true),
        Binding([.function(5)], .reload, label: "reload", help: "Reload; your edits stay"),
        Binding([.escape], .leave, label: "back", help: "Leave (asks if unsaved)", onBar: true),
        Binding([.control("c")], .forceQuit, label: "quit", help: "Quit (asks if unsaved)"),
    ])

    /// Anywhere, before the layer on top sees the key.
    public static let global = Keymap<GlobalAction>("Everywhere", [
        Binding([.function(1)], .help, label: "help", help: "Help (F1 again closes)"),
        Binding([.function(2)], .messageLog, label: "log", help: "Message log (F2 again closes)"),
    ])

    /// The health check's findings.
    public static let health = Keymap<HelpAction>("Health", [
        Binding([.escape, .character("q"), .character("h")], .close, label: "close", help: "Close the findings", onBar: true),
        Binding([.up, .character("k")], .scrollUp, label: "scroll", help: "Scroll up"),
        Binding([.down, .character("j")], .scrollDown, label: "scroll", help: "Scroll down", onBar: true),
        Binding([.pageUp], .pageUp, label: "page up", help: "A page up"),
        Binding([.pageDown], .pageDown, label: "page down", help: "A page down"),
        Binding([.control("c")], .forceQuit, label: "quit", help: "Quit"),
    ])

    /// The message log.
    public static let log = Keymap<HelpAction>("Message log", [
        Binding([.escape, .character("q"), .character("L")], .close, label: "close", help: "Close the log", onBar: true),
        Binding([.up, .character("k")], .scrollUp, label: "scroll", help: "Scroll up (newer)"),
        Binding([.down, .character("j")], .scrollDown, label: "scroll", help: "Scroll down (older)", onBar: true),
        Binding([.pageUp], .pageUp, label: "page up", help: "A page up"),
        Binding([.pageDown], .pageDown, label: "page down", help: "A page down"),
        Binding([.control("c")], .forceQuit, label: "quit", help: "Quit"),
    ])

    /// A test-fire's result.
    public static let result = Keymap<ResultAction>("Test-fire result", [
        Binding([.escape, .enter, .character("q")], .close, label: "close", help: "Close the result", onBar: true),
        Binding([.control("c")], .forceQuit, label: "quit", help: "Quit"),
    ])

    /// "Setup Successful" after a new command (its token can be regenerated) or connection.
    public static let commandCreated = Keymap<ConfirmPageAction>("Setup Successful (slash command)", [
        Binding([.enter, .escape], .done, label: "done", help: "Done: back to the list", onBar: true),
        Binding([.character("r")], .regenerate, label: "regenerate token", help: "Regenerate the command's token", onBar: true),
        Binding([.control("c")], .forceQuit, label: "quit", help: "Quit"),
    ])

    public static let connectionCreated = Keymap<ConfirmPageAction>("Setup Successful (connection)", [
        Binding([.enter, .escape], .done, label: "done", help: "Done: back to the list", onBar: true),
        Binding([.control("c")], .forceQuit, label: "quit", help: "Quit"),
    ])

    public static let filter = Keymap<FilterAction>("Search", [
        Binding([.enter], .keep, label: "keep filter", help: "Keep the filter", onBar: true),
        Binding([.escape], .clear, label: "clear", help: "Clear the filter", onBar: true),
        Binding([.backspace], .erase, label: "erase", help: "Erase a character"),
        Binding([.control("u")], .eraseAll, label: "erase all", help: "Erase the whole filter"),
        Binding([.control("c")], .forceQuit, label: "quit", help: "Quit"),
    ])

    public static let dialog = Keymap<DialogAction>("Dialog", [
        Binding([.enter, .character("y")], .confirm, label: "yes", help: "Confirm", onBar: true),
        Binding([.escape, .character("n")], .cancel, label: "cancel", help: "Cancel", onBar: true),
        Binding([.control("c")], .forceQuit, label: "quit", help: "Quit"),
    ])

    /// A save met someone else's change. No Enter: neither side should win by reflex.
    public static let conflict = Keymap<ConflictAction>("Changed by someone else (on save)", [
        Binding([.character("r")], .reload, label: "reload theirs", help: "Reload theirs, drop my edits", onBar: true),
        Binding([.character("o")], .overwrite, label: "overwrite with mine", help: "Overwrite theirs with mine", onBar: true),
        Binding([.escape, .character("n")], .keepEditing, label: "keep editing", help: "Back to the form, nothing lost", onBar: true),
        Binding([.control("c")], .forceQuit, label: "quit", help: "Quit"),
    ])

    /// A save found the item deleted by someone else.
    public static let deleted = Keymap<ConflictAction>("Deleted by someone else (on save)", [
        Binding([.character("s")], .saveAsNew, label: "save as new", help: "Save mine as a new item", onBar: true),
        Binding([.character("d")], .discard, label: "discard", help: "Discard my edits", onBar: true),
        Binding([.escape, .character("n")], .keepEditing, label: "keep editing", help: "Back to the form, nothing lost", onBar: true),
        Binding([.control("c")], .forceQuit, label: "quit", help: "Quit"),
    ])

    /// The team picker.
    public static let picker = Keymap<PickerAction>("Team picker", [
        Binding([.up, .character("k")], .up, label: "up", help: "Previous team"),
        Binding([.down, .character("j")], .down, label: "down", help: "Next team"),
        Binding([.enter], .choose, label: "choose", help: "Show this team's commands", onBar: true),
        Binding([.escape, .character("q")], .cancel, label: "cancel", help: "Keep the current team", onBar: true),
        Binding([.control("c")], .forceQuit, label: "quit", help: "Quit"),
    ])

    /// One-line prompts: the test-fire's text, a connection's secret.
    public static let prompt = Keymap<PromptAction>("Prompts", [
        Binding([.enter], .submit, label: "send", help: "Send (an empty secret skips the token step of a test-fire)", onBar: true),
        Binding([.escape], .cancel, label: "cancel", help: "Cancel", onBar: true),
        Binding([.control("c")], .forceQuit, label: "quit", help: "Quit"),
    ])

    public static let help = Keymap<HelpAction>("Help", [
        Binding([.character("?"), .escape, .character("q")], .close, label: "close", help: "Close the help", onBar: true),
        Binding([.up, .character("k")], .scrollUp, label: "scroll", help: "Scroll the help"),
        Binding([.down, .character("j")], .scrollDown, label: "scroll", help: "Scroll the help", onBar: true),
        Binding([.pageUp], .pageUp, label: "page up", help: "A page up"),
        Binding([.pageDown], .pageDown, label: "page down", help: "A page down"),
        Binding([.control("c")], .forceQuit, label: "quit", help: "Quit"),
    ])
}

extension ListAction {
    /// Why this key does nothing here, said in the status line (lazygit's disabled reasons); nil
    /// when it applies.
    func disabledReason(_ state: AppState) -> String? {
        let empty = state.list.visible.isEmpty
        switch self {
        case .validateAll where state.tab == .commands:
            return "V validates every connection; it works on Outgoing OAuth Connections (1)"
        case .validateAll where state.validatingAll != nil:
            return "Every connection is being validated already (Esc cancels)"
        case .validateAll where state.connections.isEmpty:
            return state.problems[.connections].map { "Nothing to validate: \($0.text)" } ?? "Nothing to validate: there is no connection (a adds one)"
        case .health where state.health == nil && state.healthUnchecked == nil:
            return "The health check has not finished yet"
        case .validate where state.tab == .commands:
            return "v validates connections; on Slash Commands, r test-fires the selected command"
        case .run where state.tab == .connections:
            return "r test-fires slash commands; on Outgoing OAuth Connections, v validates the selected connection"
        case .edit where empty, .delete where empty, .validate where empty, .run where empty:
            return state.problems[state.tab].map { "Nothing to act on: \($0.text)" } ?? "Nothing is selected: the list is empty (a adds one)"
        case .cancel where state.listValidation == nil && state.running == nil && state.validatingAll == nil && state.list.filter.isEmpty:
            return "Esc stops a running Validate or test-fire, or clears a kept search: nothing to stop or clear"
        case .add:
            if let problem = state.problems[state.tab] { return "Cannot add here: \(problem.text)" }
            return nil
        default:
            return nil
        }
    }
}
