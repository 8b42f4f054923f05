import BackstageCore
import TerminalKit

/// The Validate Connection button's states, as Mattermost's form has them.
public enum ValidationStatus: Sendable, Equatable {
    case initial, dirty
    case validating(generation: Int)
    case validated(details: String)
    case failed(reason: String)
}

public enum FormDialog: Sendable, Equatable {
    /// "This connection has not been validated, Do you want to save anyway?"
    case saveAnyway
    /// "Your changes may break any existing integrations using this connection..."
    case audienceChange
    /// "Discard unsaved changes?"
    case discard
    /// Ctrl-C with unsaved changes: "Discard unsaved changes and quit?"
    case quit
    /// The save was refused: someone else changed the item since the form opened (the editor's
    /// `theirs` holds their version). Reload, Overwrite or keep editing.
    case conflict
    /// The save was refused: someone else deleted the item. Save as new, discard or keep editing.
    case deletedElsewhere
}

/// The connection form: Name, Client ID, Client Secret, OAuth Token URL, Validate, Audience URLs,
/// Grant Type (Username and Password for the password grant), Save.
public struct ConnectionEditor: Sendable, Equatable {
    public var form: FormState
    /// The saved connection being edited; nil when adding (or once "Save as new" follows a deletion).
    public internal(set) var original: OutgoingOAuthConnection?
    /// What the store held when a save met a conflict: the version Overwrite replaces.
    public internal(set) var theirs: OutgoingOAuthConnection?
    /// Editing a saved connection shows the stored secret as a fixed mask until a new one is typed.
    public var secretUnchanged: Bool
    public var passwordUnchanged: Bool
    public var validation: ValidationStatus = .initial
    public var generation = 0
    public var dialog: FormDialog?
    public var saving = false

    static let grantTypes = OutgoingOAuthConnection.GrantType.allCases.map(\.rawValue)
    /// Below Mattermost's form: "Get help with configuring outgoing OAuth connections."
    static let helpLine = "Get help with configuring outgoing OAuth connections: https://mattermost.com/pl/outgoing-oauth-connections" 

    public init(editing original: OutgoingOAuthConnection?) {
        self.original = original
        secretUnchanged = original != nil
        passwordUnchanged = original?.grantType == .password
        form = FormState([
            FormField("name", "Name", help: "Specify the name for your OAuth connection.", .text(TextField(original?.name ?? "", limit: ConnectionLimits.name))),
            FormField("client_id", "Client ID", help: "Specify the Client ID for your OAuth connection.",
                      .text(TextField(original?.clientId ?? "", limit: ConnectionLimits.clientId))),
            FormField("client_secret", "Client Secret", help: "Specify the Client Secret for your OAuth connection.",
                      .text(TextField("", limit: ConnectionLimits.clientSecret, masked: true))),
            FormField("oauth_token_url", "OAuth Token URL", help: "Specify the OAuth Token URL for your OAuth connection.",
                      .text(TextField(original?.oauthTokenURL ?? "", limit: ConnectionLimits.tokenURL))),
            FormField("validate", "Validate Connection", .button),
            FormField("audiences", "Audience URLs (One Per Line)",
                      help: "The URLs which will receive requests with the OAuth token, e.g. your custom slash command handler endpoint. Must be a valid URL and start with http:// or https://.",
                      .text(TextField(original?.audiences.joined(separator: "\n") ?? "", multiline: true))),
            FormField("grant_type", "Grant Type", .choice(options: Self.grantTypes,
                                                          selected: original?.grantType == .password ? 1 : 0)),
            FormField("credentials_username", "Username", .text(TextField(original?.credentialsUsername ?? "", limit: 255))),
            FormField("credentials_password", "Password", .text(TextField("", limit: 255, masked: true))),
            FormField("save", original == nil ? "Save" : "Update", help: Self.helpLine, .button),
        ])
        syncGrantFields()
        refreshWarnings()
    }

    public var isNew: Bool { original == nil }
    public var grantType: OutgoingOAuthConnection.GrantType { form.choice("grant_type") == 1 ? .password : .clientCredentials }

    mutating func syncGrantFields() {
        form.setHidden("credentials_username", grantType != .password)
        form.setHidden("credentials_password", grantType != .password)
    }

    /// The connection as the form stands; nil secrets keep the stored ones.
    public var draft: OutgoingOAuthConnection {
        let secret = form.text("client_secret")
        let password = form.text("credentials_password")
        var connection = original ?? OutgoingOAuthConnection(name: "", clientId: "", oauthTokenURL: "", audiences: [])
        connection.name = form.text("name")
        connection.clientId = form.text("client_id")
        connection.clientSecret = secret.isEmpty ? nil : Secret(secret)
        connection.oauthTokenURL = form.text("oauth_token_url")
        connection.audiences = form.text("audiences").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        connection.grantType = grantType
        connection.credentialsUsername = grantType == .password ? form.text("credentials_username") : nil
        connection.credentialsPassword = password.isEmpty ? nil : Secret(password)
        return connection.normalizedForSave()
    }

    /// What the mask shows for secret fields (never the text itself).
    func mask(_ field: FormField) -> String? {
        switch field.id {
        case "client_secret" where secretUnchanged: return String(repeating: "•", count: 12) + "  (unchanged)"
        case "credentials_password" where passwordUnchanged: return String(repeating: "•", count: 12) + "  (unchanged)"
        default: return nil
        }
    }

    /// What Mattermost accepts but is probably a mistake, under each field (spec 0.0).
    mutating func refreshWarnings() {
        form.warnings = Dictionary(grouping: draft.warnings(), by: \.field).mapValues { $0.map(\.message) }
    }

    /// Editing Client ID, Secret, Token URL or the grant makes the connection not validated again.
    mutating func changed(_ id: String, matcher: AudienceMatcher) {
        defer { refreshWarnings() }
        switch id {
        case "client_id", "client_secret", "oauth_token_url", "grant_type", "credentials_username", "credentials_password":
            if id == "client_secret" { secretUnchanged = false }
            if id == "credentials_password" { passwordUnchanged = false }
            if case .validating = validation { generation += 1 }
            validation = .dirty
            if id == "grant_type" { syncGrantFields() }
        case "audiences":
            refreshAudienceNotes(matcher: matcher)
        default:
            break
        }
        refreshValidationNote()
    }

    mutating func refreshValidationNote() {
        let note: FormState.Note?
        switch validation {
        case .initial, .dirty: note = nil
        case .validating: note = FormState.Note("Validating... (Esc cancels)", .muted)
        case .validated(let details): note = FormState.Note("✓ Validated connection  \(details)", .success)
        case .failed(let reason): note = FormState.Note("Connection not validated: \(reason)", .error)
        }
        form.notes["validate"] = note.map { [$0] } ?? []
    }

    /// Duplicates are errors; overlaps with other connections are warnings under the field.
    mutating func refreshAudienceNotes(matcher: AudienceMatcher) {
        let draft = self.draft
        form.notes["audiences"] = matcher.overlaps(for: draft).prefix(3).map { FormState.Note("Warning: \($0)", .warning) }
        if let duplicate = matcher.duplicateAudienceErrors(for: draft).first {
            form.errors["audiences"] = duplicate.message
        }
    }

    /// Mattermost asks before an unvalidated save, except when editing untouched credentials.
    var needsSaveAnyway: Bool {
        if case .validated = validation { return false }
        return !(original != nil && validation == .initial)
    }

    var audiencesChanged: Bool {
        guard let original else { return false }
        return original.audiences != draft.audiences
    }

    /// Someone deleted the connection: the form's values become a new one. The stored secrets
    /// went with it, so the secret fields must be typed again (the form's rules say so).
    mutating func becomeNew() {
        original = nil
        theirs = nil
        secretUnchanged = false
        passwordUnchanged = false
        form.fields[form.index("save")] = FormField("save", "Save", help: Self.helpLine, .button)
    }
}

/// The slash command form, in Mattermost's field order, with the live banner under Request URL.
public struct CommandEditor: Sendable, Equatable {
    public var form: FormState
    /// The saved command being edited; nil when adding (or once "Save as new" follows a deletion).
    public internal(set) var original: SlashCommand?
    /// What the store held when a save met a conflict: the version Overwrite replaces.
    public internal(set) var theirs: SlashCommand?
    /// The team a new command goes to ("" for the default team).
    var teamId: String
    public var dialog: FormDialog?
    public var saving = false
    /// Server mode: which banner question is the latest (older answers are dropped).
    public var bannerGeneration = 0

    public init(editing original: SlashCommand?) {
        self.original = original
        teamId = original?.teamId ?? ""
        form = FormState([
            FormField("display_name", "Title", help: "Specify a title, of up to 64 characters, for the slash command settings page.",
                      .text(TextField(original?.displayName ?? "", limit: CommandLimits.displayName))),
            FormField("description", "Description", help: "Describe your slash command.",
                      .text(TextField(original?.description ?? "", limit: CommandLimits.description))),
            FormField("trigger", "Command Trigger Word",
                      help: "Specify a trigger word that is not a built-in command, does not contain spaces, and does not begin with the slash character.\nExamples: client, employee, patient, weather\nReserved: Mattermost's built-in commands, such as /away, /echo, /join, /marketplace, /status",
                      .text(TextField(original?.trigger ?? "", limit: CommandLimits.trigger))),
            FormField("url", "Request URL", help: "Specify the callback URL to receive the HTTP POST or GET event request when the slash command is run.\nYou can connect commands to outgoing OAuth connections.",
                      .text(TextField(original?.url ?? "", limit: CommandLimits.url))),
            FormField("method", "Request Method",
                      help: "Specify the type of request, either POST or GET, sent to the endpoint that Mattermost hits to reach your application.",
                      .choice(options: ["POST", "GET"], selected: original?.method == .get ? 1 : 0)),
            FormField("username", "Response Username",
                      help: "(Optional) Specify the name to use when posting responses for this slash command. Usernames can be up to 22 characters, and contain lowercase letters, numbers, and the symbols \"-\", \"_\", and \".\". If left blank, your Mattermost username is used.",
                      .text(TextField(original?.username ?? "", limit: CommandLimits.username))),
            FormField("icon_url", "Response Icon",
                      help: "(Optional) Enter the URL of a .png or .jpg file to use as the icon when posting responses to this slash command. The file must be at least 128 pixels by 128 pixels. If left blank, your profile picture is used.",
                      .text(TextField(original?.iconURL ?? "", limit: CommandLimits.iconURL))),
            FormField("auto_complete", "Autocomplete", help: "(Optional) Show your slash command on the autocomplete list when someone types \"/\" in the input box.",
                      .checkbox(original?.autoComplete ?? false)),
            FormField("auto_complete_hint", "Autocomplete Hint",
                      help: "(Optional) Specify the arguments associated with your slash command. These are displayed as help on the autocomplete list.",
                      .text(TextField(original?.autoCompleteHint ?? "", limit: CommandLimits.autoCompleteHint))),
            FormField("auto_complete_desc", "Autocomplete Description", help: "(Optional) Describe your slash command for the autocomplete list.",
                      .text(TextField(original?.autoCompleteDesc ?? "", limit: CommandLimits.autoCompleteDesc))),
            FormField("save", original == nil ? "Save" : "Update", .button),
        ])
        syncAutocomplete()
        refreshWarnings()
    }

    /// What Mattermost accepts but is probably a mistake, under each field (spec 0.0).
    mutating func refreshWarnings() {
        form.warnings = Dictionary(grouping: draft.warnings(), by: \.field).mapValues { $0.map(\.message) }
    }

    mutating func syncAutocomplete() {
        let on = form.checked("auto_complete")
        form.setHidden("auto_complete_hint", !on)
        form.setHidden("auto_complete_desc", !on)
    }

    public var draft: SlashCommand {
        var command = original ?? SlashCommand(trigger: "", url: "")
        if original == nil { command.teamId = teamId }
        command.displayName = form.text("display_name")
        command.description = form.text("description")
        command.trigger = form.text("trigger")
        command.url = form.text("url")
        command.method = form.choice("method") == 1 ? .get : .post
        command.username = form.text("username")
        command.iconURL = form.text("icon_url")
        command.autoComplete = form.checked("auto_complete")
        command.autoCompleteHint = form.text("auto_complete_hint")
        command.autoCompleteDesc = form.text("auto_complete_desc")
        return command.normalizedForSave()
    }

    /// Someone deleted the command: the form's values become a new one in the same team.
    mutating func becomeNew() {
        original = nil
        theirs = nil
        form.fields[form.index("save")] = FormField("save", "Save", .button)
    }

    /// The live banner: answered locally on every keystroke, shown only when connections exist.
    /// In server mode the server's own answer leads once it arrives (asked after a pause in
    /// typing); until then, and for near-miss hints, the local answer is labelled a preview.
    mutating func refreshBanner(matcher: AudienceMatcher, server: Banner.ServerAnswer? = nil) {
        guard !matcher.isEmpty else {
            form.notes["url"] = []
            return
        }
        let banner = Banner(matcher.resolve(form.text("url")), nearMisses: 2, server: server)
        form.notes["url"] = banner.lines.map { FormState.Note($0.text, Role.of($0.tone)) }
    }
}

extension Role {
    /// The banner's tones as the theme's roles.
    static func of(_ tone: Banner.Tone) -> Role {
        switch tone {
        case .linked: return .bannerLinked
        case .unlinked: return .bannerUnlinked
        case .nearMiss, .warning: return .warning
        case .muted: return .muted
        }
    }
}

public enum Editor: Sendable, Equatable {
    case connection(ConnectionEditor)
    case command(CommandEditor)
    /// Mattermost's confirm page after a new command: its token.
    case commandCreated(SlashCommand)
    /// Mattermost's confirm page after a new connection: its Client ID, URLs and a masked secret.
    case connectionCreated(OutgoingOAuthConnection)
}
