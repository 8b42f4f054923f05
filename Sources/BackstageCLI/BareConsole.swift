/// `backstage` with nothing but the console's and the local store's options, the way a terminal,
/// tmux or `backstage serve` starts it, read as `PlainArguments` (without building
/// swift-argument-parser's tree of every subcommand, which took a quarter of the time to the first
/// frame). Anything else (a subcommand, `--help`, `--server`, a profile…) returns nil and takes the
/// full way, which opens the same console or gives the usual message.
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
        guard PlainArguments.allowed(in: environment),
              let plain = PlainArguments(arguments[...], valued: PlainArguments.storeValued.union(["--theme", "--refresh"]),
                                         flags: PlainArguments.storeFlags.union(["--no-color", "--mouse"])) else { return nil }
        if let seconds = plain.values["--refresh"] {
            guard let value = Double(seconds) else { return nil }
            refresh = value
        }
        theme = plain.values["--theme"] ?? theme
        noColor = plain.flags.contains("--no-color")
        mouse = plain.flags.contains("--mouse")
        // Read as `PlainArguments.global` gives them, without building the parser's options
        // (~0.1 ms before the first frame's read can start).
        db = plain.values["--db"]
        team = plain.values["--team"]
        log = plain.values["--log"]
        actor = plain.values["--actor"]
        readonly = plain.flags.contains("--readonly")
    }

    /// The store options as the full way would have parsed them.
    var global: GlobalOptions {
        GlobalOptions(db: db, team: team, log: log, actor: actor, readonly: readonly)
    }

    func run() async throws {
        try await BackstageCommand.openConsole(global: global, theme: theme, noColor: noColor, mouse: mouse, refresh: refresh)
    }

    func settings() throws -> ConsoleLauncher.Settings {
        // No server and no profile here: the store is the file of --db, and the team --team's.
        try BackstageCommand.consoleSettings(server: nil, db: db, team: team, theme: theme, noColor: noColor, mouse: mouse, refresh: refresh)
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
