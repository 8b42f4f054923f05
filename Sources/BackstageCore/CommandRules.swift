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

/// Triggers of Mattermost's built-in commands; a custom command may not take them
/// ("This trigger word is already in use").
public enum BuiltInCommands {
    public static let triggers: Set<String> = [
        "away", "code", "collapse", "dnd", "echo", "expand", "groupmsg", "header", "help", "invite",
        "invite_people", "join", "kick", "leave", "logout", "me", "msg", "mute", "offline", "online",
        "open", "purpose", "remove", "rename", "search", "settings", "shortcuts", "shrug", "status",
    ]
}

extension SlashCommand {
    public static let triggerInUseMessage = "This trigger word is already in use. Please choose another word."

    /// What the web form does on submit: trigger trimmed, lower-cased and one leading `/`
    /// stripped; URL trimmed; autocomplete hint and description kept only when autocomplete is on.
    public func normalizedForSave() -> SlashCommand {
        var copy = self
        var trigger = self.trigger.trimmingWhitespace().lowercased()
        if trigger.hasPrefix("/") { trigger.removeFirst() }
        copy.trigger = trigger
        copy.url = url.trimmingWhitespace()
        copy.iconURL = iconURL.trimmingWhitespace()
        if !autoComplete {
            copy.autoCompleteHint = ""
            copy.autoCompleteDesc = ""
        }
        return copy
    }

    /// Every rule this (normalised) command breaks on its own; uniqueness within the team is the
    /// store's check.
    public func validationErrors() -> [FieldError] {
        var errors: [FieldError] = []
        if let problem = Self.triggerProblem(trigger) { errors.append(FieldError("trigger", problem)) }
        if url.isEmpty {
            errors.append(FieldError("url", "A request URL is required"))
        } else if url.runeCount > CommandLimits.url {
            errors.append(FieldError("url", tooLong("Invalid URL.", limit: CommandLimits.url, actual: url.runeCount)))
        } else if let problem = HTTPURL.problem(in: url) {
            let detail = problem == .scheme ? "" : " \(problem.sentence)"
            errors.append(FieldError("url", "Invalid URL. Must be a valid URL and start with http:// or https://.\(detail)"))
        }
        let limits: [(String, String, String, Int)] = [
            ("display_name", displayName, "Invalid title.", CommandLimits.displayName),
            ("description", description, "Invalid description.", CommandLimits.description),
            ("username", username, "Invalid response username.", CommandLimits.username),
            ("icon_url", iconURL, "Invalid response icon URL.", CommandLimits.iconURL),
            ("auto_complete_hint", autoCompleteHint, "Invalid autocomplete hint.", CommandLimits.autoCompleteHint),
            ("auto_complete_desc", autoCompleteDesc, "Invalid autocomplete description.", CommandLimits.autoCompleteDesc),
        ]
        for (field, value, prefix, limit) in limits where value.runeCount > limit {
            errors.append(FieldError(field, tooLong(prefix, limit: limit, actual: value.runeCount)))
        }
        return errors
    }

    public func validate() throws(ValidationFailure) {
        let errors = validationErrors()
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }

    /// The form's trigger messages, then Mattermost's byte limit and the built-in names.
    static func triggerProblem(_ trigger: String) -> String? {
        if trigger.isEmpty { return "A trigger word is required" }
        if trigger.hasPrefix("/") { return "A trigger word cannot begin with a /" }
        if trigger.unicodeScalars.contains(where: { $0.properties.isWhitespace }) {
            return "A trigger word must not contain spaces"
        }
        if trigger.utf8.count > CommandLimits.trigger {
            return "A trigger word must contain between 1 and \(CommandLimits.trigger) characters"
        }
        if BuiltInCommands.triggers.contains(trigger) {
            return "\(triggerInUseMessage) (/\(trigger) is a built-in command.)"
        }
        return nil
    }
}
