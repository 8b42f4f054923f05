import ArgumentParser
import BackstageApp
import BackstageCore
import Foundation

/// `backstage`: the console (a later issue) and the scriptable CLI.
public struct BackstageCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "backstage",
        abstract: "Mattermost's Integrations backstage for Outgoing OAuth Connections and Slash Commands, in a terminal.",
        discussion: """
            Data lives in an embedded SQLite file: --db PATH, else $BACKSTAGE_DB, else
            $XDG_DATA_HOME/backstage/backstage.sqlite (~/.local/share/backstage/backstage.sqlite).
            Only that default's directory is created; a chosen file's directory must exist.

            Exit status: 0 success; 1 other failure; 2 invalid input; 3 not found or ambiguous \
            (an item, a team); 4 conflict (changed by someone else since it was read); 5 unusable database (also --db in a missing directory); \
            6 no token (validate) or the OAuth step failed (run); 7 the test-fired command failed; \
            8 not allowed (the server refused the token, 401, or its user lacks a permission, 403); \
            9 not available on this server (501: Outgoing OAuth connections off or unlicensed, slash \
            commands disabled); 64 bad usage; 75 temporary failure, worth retrying (connection refused, \
            time-out, 5xx, 429). `doctor` follows monitoring plugins instead: 0 OK, 1 warnings, 2 errors, \
            3 could not check.
            """,
        version: "backstage \(BackstageVersion.current)",
        subcommands: [ConnectionsCommand.self, CommandsCommand.self, ExportCommand.self, ImportCommand.self, ProfilesCommand.self,
                      DoctorCommand.self, ServeCommand.self]
    )

    @Option(help: ArgumentHelp("Console theme: denim, sapphire, quartz, indigo, onyx, or a Mattermost theme JSON file.", valueName: "name|path"))
    public var theme: String = defaultTheme

    @Flag(name: .customLong("no-color"), help: "Console without colour (also when NO_COLOR is set).")
    public var noColor = false

    @Flag(help: "Console with mouse capture (clicks and wheel; hold Shift to select text).")
    public var mouse = false

    @Option(help: ArgumentHelp("Server mode: read the server again every this many seconds, to show other admins' changes (0: only F5). The local file is checked every second regardless.", valueName: "seconds"))
    public var refresh: Double = defaultRefresh
    // Declared after the console's own options, so that --help lists those first.
    @OptionGroup public var global: GlobalOptions

    public init() {}

    /// No subcommand: open the console on the store.
    public func run() async throws {
        if try await OriginalCommand.runIfGiven() { return }
        try await Self.openConsole(global: global, theme: theme, noColor: noColor, mouse: mouse, refresh: refresh)
    }

    static let defaultTheme = "Denim"
    static let defaultRefresh: Double = 15

    /// The console, from parsed options (here, or `BareConsole`'s).
    static func openConsole(global: GlobalOptions, theme: String, noColor: Bool, mouse: Bool, refresh: Double) async throws {
        try await ConsoleLauncher.run(consoleSettings(server: global.server, db: global.db, team: global.team, theme: theme, noColor: noColor,
                                                      mouse: mouse, refresh: refresh),
                                      opening: consoleOpening(global))
    }

    /// - Parameters: `server`, `db`, `team`: the store options in effect (`GlobalOptions.server`…).
    static func consoleSettings(server: String?, db: String?, team: String?, theme: String, noColor: Bool, mouse: Bool,
                                refresh: Double) throws -> ConsoleLauncher.Settings {
        guard refresh >= 0, refresh.isFinite else {
            throw CLIFailure(message: "--refresh must be 0 (off) or a positive number of seconds", status: 64)
        }
        var live = LiveRefresh.standard
        live.reloadEvery = refresh == 0 ? nil : .milliseconds(Int64(refresh * 1000))
        // A local file's lists are read beside the terminal's start; a server's may take seconds,
        // and the console shows them loading.
        let early = server == nil ? ConsoleLauncher.EarlyStart(path: DatabaseFile.location(option: db).path, drawsBeforeOpen: team == nil) : nil
        return ConsoleLauncher.Settings(theme: theme, noColor: noColor, mouse: mouse, live: live, early: early)
    }

    /// Opens the store the console shows, and finds the team it shows (`--team`).
    static func consoleOpening(_ global: GlobalOptions) -> @Sendable () async throws -> ConsoleLauncher.Opened {
        {
            let store = try await global.openStore(durability: .eachCommit)
            var team = store.currentTeam
            if team == nil { team = try await CommandsCommand.TeamScope.resolve(global, in: store) }
            return ConsoleLauncher.Opened(store: store, team: team)
        }
    }

    /// The program. The console on a local file, started the way a terminal or `backstage serve`
    /// starts it, has its thread started and the file's lists read before Swift's concurrency
    /// runtime has started (issue 18: its first task starts ~0.3 ms after `main`); the rest is
    /// `runMain`'s.
    public static func main(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Int32 {
        // Settings it refuses (a bad --refresh) take runMain's way, which says why.
        if let console = BareConsole(arguments: arguments, environment: ProcessEnvironment.current),
           let settings = try? console.settings(), settings.early != nil {
            let launch = ConsoleLauncher.Launch(settings)
            // The parser's options are made when the store opens, after the first frame.
            let opening: @Sendable () async throws -> ConsoleLauncher.Opened = { try await consoleOpening(console.global)() }
            return BlockingMain.run(beside: launch.readEarly) {
                await reportingFailures { try await launch.finish(opening: opening) }
            }
        }
        return BlockingMain.run { await runMain(arguments) }
    }

    /// Parses `arguments`, runs the command, and turns every failure into one line on stderr and
    /// an exit status. Returns the status.
    public static func runMain(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Int32 {
        await reportingFailures {
            if let console = BareConsole(arguments: arguments, environment: ProcessEnvironment.current) {
                return try await console.run()
            }
            if var answer = QuickAnswer.command(arguments, environment: ProcessEnvironment.current) {
                try answer.validate() // as the parser calls it after reading
                try await answer.run()
                return
            }
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        }
    }

    /// Runs `body`, turning every failure into one line on stderr and an exit status.
    static func reportingFailures(_ body: () async throws -> Void) async -> Int32 {
        do {
            try await body()
            return 0
        } catch let failure as CLIFailure {
            if !failure.alreadyReported { Output.error(failure.message) }
            return failure.status
        } catch let failure as ValidationFailure {
            Output.error(failure.description)
            return ExitStatus.invalidInput
        } catch let error as StoreError {
            Output.error(error.description)
            return ExitStatus.of(error)
        } catch let error as MattermostError {
            Output.error(error.description)
            return ExitStatus.of(error)
        } catch let refusal as ReadOnlyStore.Refusal {
            Output.error(refusal.description)
            return ExitStatus.notAllowed
        } catch {
            // Usage errors, --help, --version: ArgumentParser's own wording and codes. They may
            // echo an argument, and anything else thrown may carry a server's text: sanitised too.
            let code = exitCode(for: error).rawValue
            let text = TerminalText.sanitizedKeepingLines(fullMessage(for: error))
            if !text.isEmpty {
                if code == 0 { print(text) } else { FileHandle.standardError.write(Data((text + "\n").utf8)) }
            }
            return code
        }
    }
}

/// `--db`, `--server`, `--profile`…, shared by every subcommand (accepted before or after the subcommand's name).
/// Each command declares it after its own options: --help lists options in declaration order.
/// Plain values (the parser's wrappers hold copies), so the console's launcher may open the store
/// from a task of its own.
public struct GlobalOptions: ParsableArguments, @unchecked Sendable {
    @Option(name: .long, help: ArgumentHelp("The embedded database file.", valueName: "path"))
    public var db: String?

    @Option(name: .customLong("ca-file"), help: ArgumentHelp("Extra CA certificates (PEM) to trust for HTTPS, beside the system's (default: $SSL_CERT_FILE).", valueName: "path"))
    public var caFile: String?

    @Option(name: .customLong("connect-timeout"), help: ArgumentHelp("Seconds to connect to a token endpoint or command URL.", valueName: "seconds"))
    public var connectTimeout: Double = defaultConnectTimeout

    @Option(name: .customLong("timeout"), help: ArgumentHelp("Seconds for a whole HTTP exchange.", valueName: "seconds"))
    public var timeout: Double = defaultTimeout

    public init() {}

    static let defaultConnectTimeout: Double = 10
    static let defaultTimeout: Double = 30

    @Option(name: .customLong("server"), help: ArgumentHelp("Drive this Mattermost server (REST API v4) instead of the embedded store. The personal access token comes from MM_ACCESS_TOKEN or --token-file.", valueName: "url"))
    public var serverOption: String?

    @Option(name: .customLong("team"), help: ArgumentHelp("The team, by name: which commands to list or act on (local: created on first add, default main; server mode: required).", valueName: "name"))
    public var teamOption: String?

    @Option(name: .customLong("token-file"), help: ArgumentHelp("A file holding the personal access token (mode 600).", valueName: "path"))
    public var tokenFileOption: String?

    // Read through `server`, `team` and `tokenFile` (ProfileOptions.swift), which add the profile's values.
    @Option(name: .long, help: ArgumentHelp("Server, team and token file from this profile in $XDG_CONFIG_HOME/backstage/profiles.yaml (default: $BACKSTAGE_PROFILE); --server, --team and --token-file override its values.", valueName: "name"), completion: .custom { _, _, prefix in ProfileFile.completions(prefix: prefix) })
    public var profile: String?

    @Option(name: .customLong("log"), help: ArgumentHelp("Append one line per save, delete, validate and test-fire to this file (created 0600; never secrets or tokens). Default: $BACKSTAGE_LOG.", valueName: "path"))
    public var log: String?

    // Read through `actor()` and `isReadOnly` (Identity.swift), which add the environment's values.
    @Option(name: .customLong("actor"), help: ArgumentHelp("Who is acting, for the activity log (default: $BACKSTAGE_ACTOR, else $USER). Attribution, not authentication.", valueName: "name"))
    public var actorOption: String?

    @Flag(name: .customLong("readonly"), help: "Refuse every change (also when BACKSTAGE_ROLE=read).")
    public var readonlyFlag = false

    /// The activity log named by --log or BACKSTAGE_LOG, if any; a file others can read is refused.
    func activityLog() throws -> ActivityLog? {
        guard let path = log ?? ProcessEnvironment.current["BACKSTAGE_LOG"], !path.isEmpty else { return nil }
        do { return try ActivityLog(path: path, actor: try actor()) } catch let refused as ActivityLog.RefusedFile {
            throw CLIFailure(message: refused.description, status: ExitStatus.failure)
        }
    }

    /// The store the options name. A one-shot command's local store syncs its commits when it
    /// closes (`SQLiteStore.Durability`); the console's syncs each one.
    func openStore(durability: SQLiteStore.Durability = .whenClosed) async throws -> any Store {
        let actor = try actor()
        let store = try await openUnloggedStore(durability: durability)
        let logged = try activityLog().map { LoggedStore(store, log: $0) } ?? store
        return try isReadOnly() ? ReadOnlyStore(logged, actor: actor) : logged
    }

    private func openUnloggedStore(durability: SQLiteStore.Durability) async throws -> any Store {
        // The profile first (its errors name the file and line), then the explicit options over it.
        let target = try serverTarget()
        guard let server = target.server else {
            let location = DatabaseFile.location(option: db)
            return try SQLiteStore(path: location.path, createsDirectory: location.createsDirectory, actor: try actor(),
                                   durability: durability)
        }
        guard HTTPURL.isValid(server) else { throw CLIFailure.invalid("server", "--server must be an http:// or https:// URL") }
        guard let team = target.team, !team.isEmpty else {
            let hint = target.profile.map { ", or team: in profile \"\($0.name)\" of \(target.profilePath)" } ?? ""
            throw CLIFailure(message: "server mode needs --team NAME (the team whose commands to show)\(hint)", status: 64)
        }
        let token = try ServerToken.load(file: target.tokenFile, environment: ProcessEnvironment.current)
        return try await MattermostStore.connect(server: server, token: token, teamName: team, http: OutboundHTTP(settings: try httpSettings()),
                                                 validations: ServerValidationCache(path: ServerValidationCache.defaultPath()))
    }

    func httpSettings() throws -> HTTPSettings {
        guard connectTimeout > 0, timeout > 0, connectTimeout.isFinite, timeout.isFinite else {
            throw CLIFailure(message: "--connect-timeout and --timeout must be positive numbers of seconds", status: 64)
        }
        var settings = HTTPSettings.standard(caFile: caFile)
        settings.connectTimeout = .milliseconds(Int64(connectTimeout * 1000))
        settings.totalTimeout = .milliseconds(Int64(timeout * 1000))
        return settings
    }
}

enum ExitStatus {
    static let failure: Int32 = 1
    static let invalidInput: Int32 = 2
    static let notFound: Int32 = 3
    static let conflict: Int32 = 4
    static let unusableStore: Int32 = 5
    /// The identity provider gave no token (validate), or the OAuth step of a test-fire failed.
    static let remoteFailure: Int32 = 6
    /// A test-fired command failed (no reply, not 200, unreadable).
    static let commandFailed: Int32 = 7
    /// The server refused the token (401) or its user lacks a permission (403).
    static let notAllowed: Int32 = 8
    /// Not offered by this server (501): the OAuth feature off or unlicensed, commands disabled.
    static let notAvailable: Int32 = 9
    /// Worth retrying: connection refused, time-out, 5xx, 429 (sysexits' EX_TEMPFAIL).
    static let temporaryFailure: Int32 = 75

    static func of(_ error: MattermostError) -> Int32 {
        switch error.kind {
        case .notAllowed: return notAllowed
        case .notAvailable: return notAvailable
        case .temporary: return temporaryFailure
        case .notFound: return notFound
        case .other: return failure
        }
    }

    static func of(_ error: StoreError) -> Int32 {
        switch error {
        case .notFound, .ambiguous: return notFound
        case .conflict: return conflict
        case .notABackstageDatabase, .unusable, .newerSchema: return unusableStore
        }
    }
}

/// A failure the CLI itself detects, with its exit status.
struct CLIFailure: Error {
    let message: String
    let status: Int32
    /// The command already printed the explanation; only the exit status is left to give.
    var alreadyReported = false

    static func invalid(_ field: String, _ message: String) -> CLIFailure {
        CLIFailure(message: FieldError(field, message).description, status: ExitStatus.invalidInput)
    }
}
