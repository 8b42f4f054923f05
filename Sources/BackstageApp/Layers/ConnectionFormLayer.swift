import BackstageCore
import Foundation
import TerminalKit

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
    public var saving = false
    /// Under the audience-change dialog: every command whose connection the save changes.
    public var impact: [String] = []

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
                      .text(TextField(original?.audiences.concatenated(separator: "\n") ?? "", multiline: true))),
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
    func mask(_ id: String) -> String? { Self.mask(id, secretUnchanged: secretUnchanged, passwordUnchanged: passwordUnchanged) }

    static func mask(_ id: String, secretUnchanged: Bool, passwordUnchanged: Bool) -> String? {
        switch id {
        case "client_secret" where secretUnchanged: return String(repeating: "•", count: 12) + "  (unchanged)"
        case "credentials_password" where passwordUnchanged: return String(repeating: "•", count: 12) + "  (unchanged)"
        default: return nil
        }
    }

    /// What Mattermost accepts but is probably a mistake, under each field (spec 0.0).
    mutating func refreshWarnings() {
        form.warnings = Dictionary(grouping: draft.warnings(), by: \.field).mapValues { $0.map(\.message) }
    }

    /// The warnings of the field `id` changed: each field's come from that field alone (the grant
    /// decides whether the username counts), so the others stand.
    mutating func refreshWarnings(after id: String) {
        let field = id == "grant_type" ? "credentials_username" : id
        guard OutgoingOAuthConnection.warningFields.contains(field) else { return }
        let warnings = draft.warnings(of: field)
        if form.warnings[field] ?? [] != warnings { form.warnings[field] = warnings.isEmpty ? nil : warnings }
    }

    /// Editing Client ID, Secret, Token URL or the grant makes the connection not validated again.
    mutating func changed(_ id: String, matcher: AudienceMatcher) {
        defer { refreshWarnings(after: id) }
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
        case .validating: note = FormState.Note(text: "Validating... (Esc cancels)", role: .muted)
        case .validated(let details): note = FormState.Note(text: "✓ Validated connection  \(details)", role: .success)
        case .failed(let reason): note = FormState.Note(text: "Connection not validated: \(reason)", role: .error)
        }
        form.notes["validate"] = note.map { [$0] } ?? []
    }

    /// Duplicates are errors; overlaps with other connections are warnings under the field.
    mutating func refreshAudienceNotes(matcher: AudienceMatcher) {
        let draft = self.draft
        form.notes["audiences"] = matcher.overlaps(for: draft).prefix(3).map { FormState.Note(text: "Warning: \($0)", role: .warning) }
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

/// The connection form's part: Validate, the secret masks, "save anyway", the audience change.
extension ConnectionEditor: ItemEditing {
    static let kindName = "connection"
    static let tab = Tab.connections
    static func loaded(_ item: OutgoingOAuthConnection, in state: AppState) -> OutgoingOAuthConnection? {
        state.connections.first { $0.id == item.id }
    }
    static var keymap: Keymap<FormAction> { Keymaps.connectionForm }
    static func displayName(_ item: OutgoingOAuthConnection) -> String { item.name }
    static func updateAt(_ item: OutgoingOAuthConnection) -> Int64 { item.updateAt }
    static func changedBy(_ item: OutgoingOAuthConnection) -> String? { item.changedBy }
    static func changedFields(from: OutgoingOAuthConnection, to: OutgoingOAuthConnection) -> [String] {
        ConnectionEditor(editing: from).form.labelsOfChangedFields(comparedTo: ConnectionEditor(editing: to).form)
    }
    var draftName: String { draft.name }
    static let hasSecrets = true

    static func save(_ state: inout AppState, _ editor: inout ConnectionEditor, confirmed: Set<FormDialog>) -> [Effect] {
        Reducer.saveConnection(&state, &editor, confirmed: confirmed)
    }

    func overwrite(basedOn updateAt: Int64, at now: Date) -> Effect {
        .saveConnection(draft, basedOn: updateAt, validated: Reducer.validationRecord(validation, at: now))
    }

    static func reloaded(_ state: inout AppState, _ editor: inout ConnectionEditor, from previous: ConnectionEditor) -> [Effect] {
        editor.refreshAudienceNotes(matcher: state.matcher)
        return []
    }

    static func kindAction(_ state: inout AppState, _ editor: inout ConnectionEditor, _ action: FormAction) -> [Effect]? {
        switch action {
        case .validate: return Reducer.validate(&state, &editor)
        case .leave:
            // Esc first stops a running Validate.
            guard case .validating = editor.validation else { return nil }
            editor.generation += 1
            editor.validation = .dirty
            editor.refreshValidationNote()
            state.status = StatusLine(text: "Validation cancelled", role: .muted)
            return [.cancelValidation]
        default: return nil
        }
    }

    static func changed(_ state: inout AppState, _ editor: inout ConnectionEditor, field: String) -> [Effect] {
        editor.changed(field, matcher: state.matcher)
        return []
    }

    static func pressed(_ state: inout AppState, _ editor: inout ConnectionEditor, button: String) -> [Effect]? {
        button == "validate" ? Reducer.validate(&state, &editor) : nil
    }

    var discardEffects: [Effect] { validation == .validating(generation: generation) ? [.cancelValidation] : [] }
}


/// Validate and save: the rules first, then the dialogs, then the effect.
extension Reducer {
    static func validate(_ state: inout AppState, _ editor: inout ConnectionEditor) -> [Effect] {
        let draft = editor.draft
        // The same rules as saving, except the audiences: Mattermost validates without them.
        var probe = draft
        probe.audiences = ["https://validate.invalid/"]
        let problems = probe.validationErrors(hasStoredSecret: !editor.isNew, hasStoredPassword: editor.original?.grantType == .password)
        if !problems.isEmpty {
            show(problems, in: &editor.form, state: &state)
            return []
        }
        editor.generation += 1
        editor.validation = .validating(generation: editor.generation)
        editor.refreshValidationNote()
        let typedBefore = editor.original.flatMap { state.sessionSecrets[$0.id] } // server mode: typed at `v` this session
        return [.validate(ValidationJob(generation: editor.generation, draft: draft, storedId: editor.original?.id, sessionCredentials: typedBefore))]
    }

    static func saveConnection(_ state: inout AppState, _ editor: inout ConnectionEditor, confirmed: Set<FormDialog>) -> [Effect] {
        let draft = editor.draft
        let problems = draft.validationErrors(hasStoredSecret: !editor.isNew, hasStoredPassword: editor.original?.grantType == .password)
            + state.matcher.duplicateAudienceErrors(for: draft)
        if !problems.isEmpty {
            show(problems, in: &editor.form, state: &state)
            return []
        }
        if editor.needsSaveAnyway && !confirmed.contains(.saveAnyway) {
            state.push(.formDialog(.saveAnyway))
            return []
        }
        if editor.audiencesChanged && !confirmed.contains(.audienceChange) {
            editor.impact = state.linkage?.impact(of: .save(draft)).lines ?? []
            state.push(.formDialog(.audienceChange))
            return []
        }
        editor.saving = true
        return [.saveConnection(draft, basedOn: editor.original?.updateAt, validated: validationRecord(editor.validation, at: state.now))]
    }

    /// The outcome of the form's Validate, recorded with the save (nil when it was not run).
    static func validationRecord(_ validation: ValidationStatus, at now: Date) -> ValidationRecord? {
        let at = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        switch validation {
        case .validated: return ValidationRecord(at: at, ok: true, message: "Validated connection")
        case .failed(let reason): return ValidationRecord(at: at, ok: false, message: reason)
        default: return nil
        }
    }
}

extension ConnectionEditor {
    static let addTitle = "Outgoing OAuth Connections › Add"
    static let editTitle = "Outgoing OAuth Connections › Edit"

    /// The form as drawn; a running Validate turns its spinner under the button.
    func view(_ state: AppState) -> FormView {
        var form = self.form
        if case .validating = validation {
            form.notes["validate"] = [FormState.Note(text: "\(state.spinnerGlyph) Validating... (Esc cancels)", role: .muted)]
        }
        // The closure keeps the two flags, not a copy of the whole editor.
        let (secretUnchanged, passwordUnchanged) = (self.secretUnchanged, self.passwordUnchanged)
        return FormView(title: isNew ? Self.addTitle : Self.editTitle, form: form,
                        mask: { Self.mask($0, secretUnchanged: secretUnchanged, passwordUnchanged: passwordUnchanged) })
    }
}
