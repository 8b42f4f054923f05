/// Mattermost's `Command.IsValid` plus the backstage slash command form's checks and limits.
public enum CommandLimits {
    public static let trigger = 128
    public static let url = 1024
    public static let displayName = 64
    public static let description = 128
    public static let username = 64
    public static let iconURL = 1024
    public static let autoCompleteHint = 1024
    public static let autoCompleteDesc = 128
}

/// A built-in slash command of Mattermost's, as registered by a provider in
/// server/channels/app/slashcommands (the file named). A custom command may not take its trigger
/// (app/command.go validateCommandTriggerUniqueness asks every provider's GetCommand), except
/// where the provider returns no command unless a setting is on (`gate`).
public struct BuiltInTrigger: Sendable, Equatable {
    public let trigger: String
    public let file: String
    /// The setting that must be on for the command to exist; nil: always there.
    public let gate: String?
}

public enum BuiltInCommands {
    /// Read from mattermost/mattermost's server/channels/app/slashcommands, one entry per trigger.
    public static let all: [BuiltInTrigger] = [
        .init(trigger: "away", file: "command_away.go", gate: nil),
        .init(trigger: "code", file: "command_code.go", gate: nil),
        .init(trigger: "collapse", file: "command_expand_collapse.go", gate: nil),
        .init(trigger: "dnd", file: "command_dnd.go", gate: nil),
        .init(trigger: "echo", file: "command_echo.go", gate: nil),
        .init(trigger: "expand", file: "command_expand_collapse.go", gate: nil),
        .init(trigger: "exportlink", file: "command_exportlink.go",
              gate: "FileSettings.DedicatedExportStore (with the EnableExportDirectDownload feature flag)"),
        .init(trigger: "groupmsg", file: "command_groupmsg.go", gate: nil),
        .init(trigger: "header", file: "command_channel_header.go", gate: nil),
        .init(trigger: "help", file: "command_help.go", gate: nil),
        .init(trigger: "invite", file: "command_invite.go", gate: nil),
        .init(trigger: "invite_people", file: "command_invite_people.go", gate: nil),
        .init(trigger: "join", file: "command_join.go", gate: nil),
        .init(trigger: "kick", file: "command_remove.go", gate: nil),
        .init(trigger: "leave", file: "command_leave.go", gate: nil),
        .init(trigger: "logout", file: "command_logout.go", gate: nil),
        .init(trigger: "marketplace", file: "command_marketplace.go", gate: nil),
        .init(trigger: "me", file: "command_me.go", gate: nil),
        .init(trigger: "mobile-logs", file: "command_mobile_logs.go", gate: nil),
        .init(trigger: "msg", file: "command_msg.go", gate: nil),
        .init(trigger: "mute", file: "command_mute.go", gate: nil),
        .init(trigger: "offline", file: "command_offline.go", gate: nil),
        .init(trigger: "online", file: "command_online.go", gate: nil),
        .init(trigger: "open", file: "command_open.go", gate: nil),
        .init(trigger: "purpose", file: "command_channel_purpose.go", gate: nil),
        .init(trigger: "remove", file: "command_remove.go", gate: nil),
        .init(trigger: "rename", file: "command_channel_rename.go", gate: nil),
        .init(trigger: "search", file: "command_search.go", gate: nil),
        .init(trigger: "secure-connection", file: "command_remote.go", gate: nil),
        .init(trigger: "settings", file: "command_settings.go", gate: nil),
        .init(trigger: "share-channel", file: "command_share.go", gate: nil),
        .init(trigger: "shortcuts", file: "command_shortcuts.go", gate: nil),
        .init(trigger: "shrug", file: "command_shrug.go", gate: nil),
        .init(trigger: "status", file: "command_custom_status.go", gate: nil),
        .init(trigger: "test", file: "command_loadtest.go", gate: "ServiceSettings.EnableTesting"),
        // Providers found only in some versions of the directory: a warning, never a refusal.
        .init(trigger: "templates", file: "command_templates.go", gate: "the server version (only some versions have it)"),
        .init(trigger: "timer", file: "command_timer.go", gate: "the server version (only some versions have it)"),
        .init(trigger: "wiki_mentions", file: "command_wiki_mentions.go", gate: "the server version (only some versions have it)"),
    ]

    private static let byTrigger = Dictionary(all.map { ($0.trigger, $0) }, uniquingKeysWith: { first, _ in first })

    public static func named(_ trigger: String) -> BuiltInTrigger? { byTrigger[trigger] }

    /// Triggers a custom command can never take.
    public static var triggers: Set<String> { Set(all.filter { $0.gate == nil }.map(\.trigger)) }
}

extension SlashCommand {
    public static let triggerInUseMessage = "This trigger word is already in use. Please choose another word."

    /// What the web form does on submit (abstract_command.tsx): trigger trimmed, lower-cased and
    /// one leading `/` stripped; URL trimmed; autocomplete hint and description kept only when
    /// autocomplete is on. Nothing else is touched.
    public func normalizedForSave() -> SlashCommand {
        var copy = self
        var trigger = self.trigger.trimmingWhitespace().lowercased()
        if trigger.hasPrefix("/") { trigger.removeFirst() }
        copy.trigger = trigger
        copy.url = url.trimmingWhitespace()
        if !autoComplete {
            copy.autoCompleteHint = ""
            copy.autoCompleteDesc = ""
        }
        return copy
    }

    /// Every rule this (normalised) command breaks on its own, with Mattermost's messages: the web
    /// form's checks first, then `Command.IsValid` (server/public/model/command.go), which counts
    /// bytes (Go's len). Uniqueness within the team is the store's check. The server has no limit on
    /// the username, icon URL, hint or autocomplete description (only the web form's inputs do).
    public func validationErrors() -> [FieldError] {
        var errors: [FieldError] = []
        if let problem = Self.triggerProblem(trigger) { errors.append(FieldError("trigger", problem)) }
        if url.isEmpty {
            errors.append(FieldError("url", "A request URL is required"))
        } else if url.utf8.count > CommandLimits.url {
            errors.append(FieldError("url", tooManyBytes("Invalid URL.", limit: CommandLimits.url, actual: url.utf8.count)))
        } else if let problem = HTTPURL.problem(in: url) {
            errors.append(FieldError("url", "Invalid URL. Must be a valid URL and start with http:// or https://. \(problem.sentence)"))
        }
        if displayName.utf8.count > CommandLimits.displayName {
            errors.append(FieldError("display_name", tooManyBytes("Invalid title.", limit: CommandLimits.displayName, actual: displayName.utf8.count)))
        }
        if description.utf8.count > CommandLimits.description {
            errors.append(FieldError("description", tooManyBytes("Invalid description.", limit: CommandLimits.description, actual: description.utf8.count)))
        }
        return errors
    }

    /// What Mattermost accepts but is probably a mistake (spec 0.0): saved all the same.
    public func warnings() -> [FieldError] {
        var warnings: [FieldError] = []
        if let builtIn = BuiltInCommands.named(trigger), let gate = builtIn.gate {
            warnings.append(FieldError("trigger", "/\(trigger) is a built-in command of Mattermost's when \(gate) is on (\(builtIn.file)); there it cannot be saved, and here it would stand in for the built-in"))
        }
        warnings += HTTPURL.warnings(in: url).map { FieldError("url", "The Request URL is accepted, but \($0.sentence).") }
        if !iconURL.isEmpty { warnings += HTTPURL.warnings(in: iconURL).map { FieldError("icon_url", "The Response Icon URL is accepted, but \($0.sentence).") } }
        if !username.isEmpty && username.trimmingWhitespace().isEmpty {
            warnings.append(FieldError("username", "The Response Username is only spaces; posts would show a blank name."))
        }
        return warnings
    }

    /// A command as a store keeps it: normalised, or the rules it breaks thrown.
    func checkedForSave() throws(ValidationFailure) -> SlashCommand {
        let draft = normalizedForSave()
        try draft.validate()
        return draft
    }

    public func validate() throws(ValidationFailure) {
        let errors = validationErrors()
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }

    /// The web form's trigger messages (it checks only for a space), then Command.IsValid:
    /// 1–128 bytes and only `A-Za-z0-9_./-` ("Invalid trigger."), then the built-in names.
    static func triggerProblem(_ trigger: String) -> String? {
        if trigger.isEmpty { return "A trigger word is required" }
        if trigger.hasPrefix("/") { return "A trigger word cannot begin with a /" }
        if trigger.contains(" ") { return "A trigger word must not contain spaces" }
        if trigger.utf8.count > CommandLimits.trigger {
            return "A trigger word must contain between 1 and \(CommandLimits.trigger) characters"
        }
        if let bad = trigger.first(where: { !Self.isTriggerCharacter($0) }) {
            return "Invalid trigger. Use only letters a-z, digits, and _ . / - (not \(Self.describe(bad)))."
        }
        if let builtIn = BuiltInCommands.named(trigger), builtIn.gate == nil {
            return "\(triggerInUseMessage) (/\(trigger) is a built-in command.)"
        }
        return nil
    }

    /// validCommandTriggerChars: `^[A-Za-z0-9_./-]+$`.
    static func isTriggerCharacter(_ character: Character) -> Bool {
        guard character.isASCII else { return false }
        return character.isLetter || character.isNumber || "_./-".contains(character)
    }

    private static func describe(_ character: Character) -> String {
        switch character {
        case "\t": return "a tab"
        case "\n", "\r": return "a line break"
        default:
            return character.unicodeScalars.allSatisfy({ $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) })
                ? "a control character" : "\"\(character)\""
        }
    }
}

func tooManyBytes(_ prefix: String, limit: Int, actual: Int) -> String {
    "\(prefix) Mattermost allows at most \(limit) bytes (this one has \(actual); accented letters take 2, most CJK 3, emoji 4)."
}
