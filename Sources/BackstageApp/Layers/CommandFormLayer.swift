import BackstageCore
import Foundation
import TerminalKit

/// The slash command form, in Mattermost's field order, with the live banner under Request URL.
public struct CommandEditor: Sendable, Equatable {
    public var form: FormState
    /// The saved command being edited; nil when adding (or once "Save as new" follows a deletion).
    public internal(set) var original: SlashCommand?
    /// What the store held when a save met a conflict: the version Overwrite replaces.
    public internal(set) var theirs: SlashCommand?
    /// The team a new command goes to ("" for the default team).
    var teamId: String
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
            FormField("url", "Request URL", help: Self.requestURLHelp(offersOAuth: true),
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

    /// The Request URL's help points at outgoing OAuth connections only where they are offered: not
    /// on a server whose OAuth feature is off or unlicensed (Mattermost shows no banner there either).
    static func requestURLHelp(offersOAuth: Bool) -> String {
        "Specify the callback URL to receive the HTTP POST or GET event request when the slash command is run."
            + (offersOAuth ? "\nYou can connect commands to outgoing OAuth connections." : "")
    }

    mutating func offerOAuth(_ offers: Bool) { form.setHelp("url", Self.requestURLHelp(offersOAuth: offers)) }

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
        let url = form.text("url")
        let banner = Banner(matcher.resolve(url), nearMisses: 2, server: server)
        form.notes["url"] = banner.lines.map { FormState.Note(text: $0.text, role: Role.of($0.tone)) }
        // A saved command whose new URL moves it to another connection (or off one) says so.
        if let original {
            let impact = Impact.ofURLChange(original, from: original.url, to: url, matcher: matcher)
            form.notes["url", default: []] += impact.changes.map { FormState.Note(text: "Saving changes its connection: \($0.text)", role: .warning) }
        }
    }
}

/// The slash command form's part: the live banner, the autocomplete fields, its team.
extension CommandEditor: ItemEditing {
    static let kindName = "slash command"
    static let tab = Tab.commands
    static func loaded(_ item: SlashCommand, in state: AppState) -> SlashCommand? { state.commands.first { $0.id == item.id } }
    static var keymap: Keymap<FormAction> { Keymaps.commandForm }
    static func displayName(_ item: SlashCommand) -> String { "/" + item.trigger }
    static func updateAt(_ item: SlashCommand) -> Int64 { item.updateAt }
    static func changedBy(_ item: SlashCommand) -> String? { item.changedBy }
    static func changedFields(from: SlashCommand, to: SlashCommand) -> [String] {
        CommandEditor(editing: from).form.labelsOfChangedFields(comparedTo: CommandEditor(editing: to).form)
    }
    var draftName: String { "/" + draft.trigger }
    static let hasSecrets = false

    static func save(_ state: inout AppState, _ editor: inout CommandEditor, confirmed: Set<FormDialog>) -> [Effect] {
        Reducer.saveCommand(&state, &editor)
    }

    func overwrite(basedOn updateAt: Int64, at now: Date) -> Effect { .saveCommand(draft, basedOn: updateAt) }

    static func reloaded(_ state: inout AppState, _ editor: inout CommandEditor, from previous: CommandEditor) -> [Effect] {
        editor.bannerGeneration = previous.bannerGeneration // answers to the old form's questions stay stale
        editor.offerOAuth(state.offersOAuth)
        return Reducer.askBanner(&state, &editor)
    }

    static func kindAction(_ state: inout AppState, _ editor: inout CommandEditor, _ action: FormAction) -> [Effect]? { nil }

    static func changed(_ state: inout AppState, _ editor: inout CommandEditor, field: String) -> [Effect] {
        editor.refreshWarnings()
        if field == "auto_complete" { editor.syncAutocomplete() }
        return field == "url" ? Reducer.askBanner(&state, &editor) : []
    }

    static func pressed(_ state: inout AppState, _ editor: inout CommandEditor, button: String) -> [Effect]? { nil }

    var discardEffects: [Effect] { [] }
}


/// The banner and save.
extension Reducer {
    /// The local answer at once; in server mode also the server's, after a pause in typing.
    static func askBanner(_ state: inout AppState, _ editor: inout CommandEditor) -> [Effect] {
        let asking = state.serverMode && !state.matcher.isEmpty
        editor.refreshBanner(matcher: state.matcher, server: asking ? .asking : nil)
        guard asking else { return [] }
        editor.bannerGeneration += 1
        return [.askBanner(url: editor.form.text("url"), generation: editor.bannerGeneration)]
    }

    /// The server's banner answer replaces the preview, if it answers the latest question.
    static func bannerAnswer(_ state: inout AppState, generation: Int, _ answer: Banner.ServerAnswer) {
        guard case .command(var editor)? = state.editor, editor.bannerGeneration == generation else { return }
        editor.refreshBanner(matcher: state.matcher, server: answer)
        state.editor = .command(editor)
    }

    static func saveCommand(_ state: inout AppState, _ editor: inout CommandEditor) -> [Effect] {
        let draft = editor.draft
        var problems = draft.validationErrors()
        let taken = state.commands.contains { $0.trigger == draft.trigger && $0.id != draft.id && (editor.original == nil || $0.teamId == editor.original?.teamId) }
        if taken && !problems.contains(where: { $0.field == "trigger" }) {
            problems.insert(FieldError("trigger", SlashCommand.triggerInUseMessage), at: 0)
        }
        if !problems.isEmpty {
            show(problems, in: &editor.form, state: &state)
            return []
        }
        editor.saving = true
        return [.saveCommand(draft, basedOn: editor.original?.updateAt)]
    }
}

extension CommandEditor {
    static let addTitle = "Slash Commands › Add"
    static let editTitle = "Slash Commands › Edit"

    func view(_ state: AppState) -> FormView {
        FormView(title: original == nil ? Self.addTitle : Self.editTitle, form: form, mask: { _ in nil })
    }
}
