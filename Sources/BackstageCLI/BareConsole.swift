/// `backstage` with nothing but the console's and the local store's options, the way a terminal,
/// tmux or `backstage serve` starts it: read here, without building swift-argument-parser's tree of
/// every subcommand, which took a quarter of the time to the first frame (issue 18; the dynamic
/// casts behind each command's name scan every protocol conformance in the binary). Anything else
/// (a subcommand, `--help`, `--server`, a profile, a repeated option, a value that looks like an
/// option) returns nil and takes the full way, which opens the same console or gives the usual message.
struct BareConsole: Equatable {
    var db: String?
    var theme = BackstageCommand.defaultTheme
    var noColor = false
    var mouse = false
    var refresh = BackstageCommand.defaultRefresh
    var team: String?
    var log: String?
    var actor: String?
    var readonly = false

    init?(arguments: [String], environment: [String: String]) {
        // A command sshd forwards, or a default profile (a server, a YAML file): the full way.
        guard environment["SSH_ORIGINAL_COMMAND"] == nil, (environment["BACKSTAGE_PROFILE"] ?? "").isEmpty else { return nil }
        var seen = Set<String>()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            let (name, inline) = Self.split(argument)
            guard seen.insert(name).inserted else { return nil }
            switch name {
            case "--no-color", "--mouse", "--readonly":
                guard inline == nil else { return nil }
                if name == "--no-color" { noColor = true } else if name == "--mouse" { mouse = true } else { readonly = true }
            case "--db", "--theme", "--refresh", "--team", "--log", "--actor":
                guard let value = inline ?? rest.popFirst(), !value.isEmpty, !value.hasPrefix("-") else { return nil }
                switch name {
                case "--db": db = value
                case "--theme": theme = value
                case "--refresh":
                    guard let seconds = Double(value) else { return nil }
                    refresh = seconds
                case "--team": team = value
                case "--log": log = value
                default: actor = value
                }
            default:
                return nil
            }
        }
    }

    /// `--name=value` as its name and value; anything else as it is.
    private static func split(_ argument: String) -> (name: String, value: String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    /// The store options as the full way would have parsed them.
    var global: GlobalOptions {
        GlobalOptions(db: db, team: team, log: log, actor: actor, readonly: readonly)
    }

    func run() async throws {
        try await BackstageCommand.openConsole(global: global, theme: theme, noColor: noColor, mouse: mouse, refresh: refresh)
    }
}

extension GlobalOptions {
    /// Options made without swift-argument-parser. Every property is set: one never set cannot be
    /// read (the parser's definition would stop the program), and `BareConsoleTests` counts them.
    init(db: String?, team: String?, log: String?, actor: String?, readonly: Bool) {
        self.init()
        self.db = db
        caFile = nil
        connectTimeout = Self.defaultConnectTimeout
        timeout = Self.defaultTimeout
        serverOption = nil
        teamOption = team
        tokenFileOption = nil
        profile = nil
        self.log = log
        actorOption = actor
        readonlyFlag = readonly
    }
}
