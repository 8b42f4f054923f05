public enum TerminalError: Error, Sendable, Equatable, CustomStringConvertible {
    case notATerminal
    case noTerminalType
    case dumbTerminal(String)
    case unknownTerminal(String)

    public var description: String {
        let hint = "use the CLI instead: backstage connections list, backstage commands list (backstage --help lists all)"
        switch self {
        case .notATerminal: return "the console needs a terminal on standard input and output; \(hint)"
        case .noTerminalType: return "TERM is not set, so the terminal type is unknown; set TERM (e.g. xterm-256color) or \(hint)"
        case .dumbTerminal(let term): return "TERM=\(term) cannot draw a console; \(hint)"
        case .unknownTerminal(let term): return "the terminal type TERM=\(term) is unknown to ncurses (no terminfo entry); \(hint)"
        }
    }
}
