import BackstageCore
import Foundation
import TerminalKit

public enum Tab: Int, Sendable, CaseIterable {
    case connections, commands

    public var title: String { self == .connections ? "Outgoing OAuth Connections" : "Slash Commands" }
}

/// Selection, scroll and filter of one list. `visible` holds indexes into the full list.
public struct ListState: Sendable, Equatable {
    public var selected = 0
    public var offset = 0
    public var filter = ""
    public var visible: [Int] = []
}

public struct DeleteTarget: Sendable, Equatable {
    public let tab: Tab
    public let id: String
    public let name: String
    /// A connection's delete: every command whose connection it changes (or "Nothing else changes").
    public var impact: [String] = []
}

/// What the health check reads: the lists as loaded, with the linkage the console worked out
/// from them and their matcher (the check itself runs off the key loop, and does not resolve
/// every command again: that was the last work before a start's screen settled).
public struct HealthInput: Sendable, Equatable {
    public let linkage: Linkage
    public let isServer: Bool
    /// Milliseconds since 1970.
    public let now: Int64

    public var connections: [OutgoingOAuthConnection] { linkage.connections }
    public var users: [IntegrationRef] { linkage.users }

    /// The check's report.
    public func report() -> HealthReport {
        Doctor.check(linkage, connections: linkage.connections, isServer: isServer, now: now)
    }

    /// The linkage follows from its lists: equal lists, equal input.
    public static func == (a: HealthInput, b: HealthInput) -> Bool {
        a.connections == b.connections && a.users == b.users && a.linkage.webhooks == b.linkage.webhooks && a.isServer == b.isServer && a.now == b.now
    }
}

public enum Overlay: Sendable, Equatable {
    case help
    /// `h`: the health check's findings, each with its fix.
    case health
    /// `L` / F2: every status, error and outcome of this session, newest first.
    case messageLog
    case confirmDelete(DeleteTarget)
    /// "Text after /trigger": the one-line prompt before a test-fire.
    case runPrompt(commandId: String, trigger: String, text: TextField)
    /// A test-fire's outcome, line by line (all server text sanitised, no token).
    case runResult(title: String, lines: [StatusLine])
    /// `T`: the teams to choose from (locally, nil stands for every team).
    case teamPicker(teams: [Team?], selected: Int)
    /// A connection's secret, typed once for this session (server mode: the server never returns it).
    case secretPrompt(SecretPrompt)
    /// A question over the open form (save anyway, discard, quit, a conflict): FormDialogLayer.
    case formDialog(FormDialog)
}

/// What a typed secret is for.
public enum SecretPurpose: Sendable, Equatable {
    case validate(generation: Int)
    case testFire(commandId: String, trigger: String, text: String)
}

/// "Client Secret of "Payroll"": masked, kept in memory for the session, never drawn.
public struct SecretPrompt: Sendable, Equatable {
    public let connectionId: String
    public let connectionName: String
    public let purpose: SecretPurpose
    /// The password grant asks for the password after the client secret.
    public let needsPassword: Bool
    /// The client secret, once typed, while the password is asked.
    public var clientSecret: Secret?
    public var field: TextField

    public init(connectionId: String, connectionName: String, purpose: SecretPurpose, needsPassword: Bool) {
        self.connectionId = connectionId
        self.connectionName = connectionName
        self.purpose = purpose
        self.needsPassword = needsPassword
        field = TextField("", limit: ConnectionLimits.clientSecret, masked: true)
    }

    public var askingPassword: Bool { clientSecret != nil }
}

/// Why a list could not be loaded, shown where its rows would be (never as an empty list).
public struct ListProblem: Sendable, Equatable {
    public let text: String
    public let advice: String
    /// The server does not offer outgoing OAuth connections (the feature off, or no licence).
    public let oauthUnavailable: Bool

    /// The text comes from a store or a server: sanitised here, once. The advice is ours.
    public init(text: String, advice: String, oauthUnavailable: Bool = false) {
        (self.text, self.advice, self.oauthUnavailable) = (TerminalText.sanitized(text), advice, oauthUnavailable)
    }
}

/// A one-line message above the key-hint bar.
public struct StatusLine: Sendable, Equatable {
    public let text: String
    public let role: Role

    /// Sanitised here, once: every message reaches the screen through this.
    public init(text: String, role: Role) {
        self.text = TerminalText.sanitized(text)
        self.role = role
    }
}

/// Everything on screen is a function of this value; only `reduce` changes it.
public struct AppState: Sendable {
    public var width: Int
    public var height: Int
    public var tab: Tab = .connections
    public var connections: [OutgoingOAuthConnection] = []
    public var commands: [SlashCommand] = []
    public var teamNames: [String: String] = [:]
    public var matcher = AudienceMatcher(connections: [])
    /// What uses each connection: the commands of every team the store holds (not only the team
    /// shown) and a server's outgoing webhooks, as their URLs resolve with `matcher`.
    public var linkage: Linkage?
    var linkageUsers: [IntegrationRef] = []
    public var webhooks: WebhookListing = .notChecked(reason: WebhookListing.localReason)
    /// The last health check (the header's summary, `h`), and which load it belongs to.
    public var health: HealthReport?
    var healthGeneration = 0
    /// `V`: validating every connection; the ones still running.
    public var validatingAll: ValidateAll.Progress?
    public var validatingIds: Set<String> = []
    /// Counts loads. A large store's matcher is built in the background after its lists are on
    /// screen; until it arrives `matcherGeneration` lags behind and the previous matcher answers.
    var loadGeneration = 0
    var matcherGeneration = 0
    /// Lower-cased text each row is searched by, built once per load.
    var connectionKeys: [[UInt8]] = []
    var commandKeys: [[UInt8]] = []
    public var lists: [ListState] = [ListState(), ListState()]
    /// An item just saved or created: the next load selects it.
    var selectAfterLoad: (tab: Tab, id: String)?
    /// The filter line has the keyboard.
    public var filtering = false
    /// The focus stack above the lists, bottom first: forms and "Setup Successful" pages drawn
    /// instead of the list, dialogs and prompts drawn over what is below. Keys go to the top.
    public var layers: [Layer] = []
    /// Every status, error and outcome of this session, oldest first (`L` shows them newest first).
    public internal(set) var messages: [LoggedMessage] = []
    /// The time, set by the runtime before each message (injected, so tests choose it).
    public var now = Date(timeIntervalSince1970: 0)
    /// The connection being validated from the list (`v`), and the test-fire in flight (`r`).
    public var listValidation: (id: String, generation: Int)?
    public var running: String?
    var backgroundGeneration = 0
    /// Frame of the busy spinner.
    public var spinnerFrame = 0
    /// First line of the help overlay shown, when it does not fit.
    public var helpScroll = 0
    /// First message of the message log shown.
    public var logScroll = 0
    /// The one-line message above the key-hint bar; each new one is kept in `messages` too.
    public var status: StatusLine? {
        didSet {
            guard let status, status != oldValue else { return }
            messages.append(LoggedMessage(at: now, text: status.text, role: status.role))
            if messages.count > Self.messagesKept { messages.removeFirst(messages.count - Self.messagesKept) }
        }
    }
    static let messagesKept = 500
    public var loading = true
    public var storeLabel: String
    public var teamLabel: String?
    /// The team whose commands are shown and where new ones go; nil (local store only): every team.
    public var team: Team?
    /// Lists that could not be loaded, and why.
    public var problems: [Tab: ListProblem] = [:]
    /// Secrets typed this session, by connection id; memory only, never drawn or logged.
    public var sessionSecrets: [String: ConnectionCredentials] = [:]
    /// Driving a Mattermost server: Validate runs on the server, the banner asks it too.
    public var serverMode = false
    public var themeName: String
    public var mouse = false
    public var glyphs: Glyphs = .unicode
    public var quit = false

    public init(width: Int, height: Int, storeLabel: String, teamLabel: String? = nil, themeName: String = "Denim") {
        self.width = width
        self.height = height
        self.storeLabel = TerminalText.sanitized(storeLabel)
        self.teamLabel = teamLabel.map(TerminalText.sanitized)
        self.themeName = themeName
    }

    public var list: ListState {
        get { lists[tab.rawValue] }
        set { lists[tab.rawValue] = newValue }
    }

    public static let minimumWidth = 60
    public static let minimumHeight = 16
    public var isTooSmall: Bool { width < Self.minimumWidth || height < Self.minimumHeight }

    /// How many rows the list shows at this size.
    public var listHeight: Int { max(1, height - 4 - detailsHeight - 2) }
    /// The details pane (its rule included): on a small terminal still room for a linkage and its
    /// near miss, and rows the list does not fill go to it.
    var detailsHeight: Int {
        let base = height >= 24 ? 7 : 5
        // A list that could not be read keeps its room for why; a short list at least four rows.
        guard problems[tab] == nil else { return base }
        return base + max(0, height - 6 - base - max(4, list.visible.count))
    }
}

/// What a load brings back from the store.
public struct StoreSnapshot: Sendable {
    public let connections: [OutgoingOAuthConnection]
    public let commands: [SlashCommand]
    public let teams: [Team]
    /// A list that could not be read comes back empty, with why.
    public let problems: [Tab: ListProblem]
    /// A server's outgoing webhooks (they use connections too), or why they were not read.
    public let webhooks: WebhookListing

    public init(connections: [OutgoingOAuthConnection], commands: [SlashCommand], teams: [Team], problems: [Tab: ListProblem] = [:],
                webhooks: WebhookListing = .notChecked(reason: WebhookListing.localReason)) {
        self.connections = connections
        self.commands = commands
        self.teams = teams
        self.problems = problems
        self.webhooks = webhooks
    }
}

public enum Msg: Sendable {
    case input(InputEvent)
    case loaded(StoreSnapshot)
    /// The console's first load, prepared while the terminal started.
    case loadPrepared(PreparedLoad)
    /// A timed refresh's reading (a change elsewhere, or a server read again): see LiveStore.swift.
    case storeRefreshed(StoreSnapshot)
    /// A large store's matcher and linkage, built in the background for load `generation`.
    case matcherBuilt(AudienceMatcher, linkage: Linkage? = nil, generation: Int)
    case failed(String)
    case deleted(DeleteTarget)
    /// A Validate finished: details ("token_type Bearer, expires_in 3600 s") or why not.
    case validationFinished(generation: Int, Result<String, ValidationError>)
    case connectionSaved(OutgoingOAuthConnection)
    case commandSaved(SlashCommand, created: Bool)
    case saveFailed([FieldError], message: String?)
    /// An update was refused because someone else changed the item since the form opened:
    /// what is stored now, or nil when they deleted it.
    case connectionConflict(stored: OutgoingOAuthConnection?)
    case commandConflict(stored: SlashCommand?)
    /// `v` from the list finished (the outcome is also recorded in the store).
    case listValidationFinished(id: String, generation: Int, Result<String, ValidationError>)
    case testFired([StatusLine], ok: Bool)
    /// Redraws the busy indicator while network work runs.
    case tick
    /// The server's answer for the banner: the connection's name, nil when none, or why it could
    /// not be asked (the server unreachable).
    case bannerAnswered(generation: Int, Banner.ServerAnswer)
    /// `T`: the teams the store (or the token) can see.
    case teamsLoaded(Result<[Team], ValidationError>)
    /// The terminal refused a theme: why, and the theme used instead (nil: the current one stays).
    case themeRefused(String, fallback: String?)
    /// The health check of load `generation` (run off the key loop).
    case healthChecked(HealthReport, generation: Int)
    /// `V`: one step of validating every connection.
    case validateAllEvent(ValidateAll.Event)
    /// Server mode: this step needs a connection's secret the server will not give.
    case secretNeeded(connectionId: String, name: String, needsPassword: Bool, purpose: SecretPurpose)
}

/// Why a Validate failed, as one line.
public struct ValidationError: Error, Sendable, Equatable {
    public let reason: String
    public init(_ reason: String) { self.reason = TerminalText.sanitized(reason) }
}

/// What Validate sends: the form's connection, and the saved one whose secrets fill the gaps.
public struct ValidationJob: Sendable, Equatable {
    public let generation: Int
    public let draft: OutgoingOAuthConnection
    public let storedId: String?
    /// Secrets typed earlier this session for the saved connection (server mode).
    public var sessionCredentials: ConnectionCredentials? = nil
}

/// Work the reducer asks for; the runtime does it and answers with a `Msg`.
public enum Effect: Sendable, Equatable {
    case load
    /// Builds the matcher and the linkage (what each command and webhook goes out with) for a
    /// large store off the key loop (the lists show first).
    case buildMatcher([OutgoingOAuthConnection], users: [IntegrationRef], webhooks: WebhookListing, generation: Int)
    case delete(DeleteTarget)
    case validate(ValidationJob)
    case cancelValidation
    /// Saves (creates when basedOn is nil), recording the outcome of a Validate of these credentials.
    case saveConnection(OutgoingOAuthConnection, basedOn: Int64?, validated: ValidationRecord?)
    case saveCommand(SlashCommand, basedOn: Int64?)
    /// Validates a saved connection with its stored secret (server mode: the one typed this
    /// session, when the server needs it) and records the outcome.
    case validateSaved(id: String, generation: Int, credentials: ConnectionCredentials? = nil)
    /// `skipToken`: server mode, no secret given: the token step is skipped and said so.
    case testFire(commandId: String, text: String, credentials: ConnectionCredentials? = nil, skipToken: Bool = false)
    /// The teams for the picker.
    case loadTeams
    /// Show this team's commands (nil: every team, local store) and reload.
    case selectTeam(Team?)
    case regenerateToken(commandId: String)
    /// The health check of what is loaded (Doctor, offline), for load `generation`.
    case checkHealth(HealthInput, generation: Int)
    /// `V`: validate every connection, four at a time (`given`: secrets typed this session).
    case validateAll([OutgoingOAuthConnection], given: [String: ConnectionCredentials])
    case cancelValidateAll
    /// Server mode: after a pause in typing, ask the server which connection covers the URL.
    case askBanner(url: String, generation: Int)
    case applyTheme(String)
    case setMouse(Bool)
    case suspend
    case redraw
}

extension AppState {
    /// Network work is running (a Validate, a test-fire).
    public var isBusy: Bool {
        if listValidation != nil || running != nil || validatingAll != nil { return true }
        if case .connection(let editor)? = editor, case .validating = editor.validation { return true }
        return false
    }

    /// What runs in the background, said on the status row until its answer arrives.
    public var busyText: String? {
        if let trigger = running { return "Running /\(trigger)... (Esc cancels)" }
        if let progress = validatingAll { return "\(progress.line) (Esc cancels what has not started)" }
        if let id = listValidation?.id {
            return "Validating \(connections.first { $0.id == id }?.name ?? id)... (Esc cancels)"
        }
        return nil
    }

    static let spinner: [Character] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
    /// The spinner's current glyph ("-\|/" without UTF-8).
    public var spinnerGlyph: Character {
        glyphs == .ascii ? Array("-\\|/")[spinnerFrame % 4] : Self.spinner[spinnerFrame % Self.spinner.count]
    }
}
