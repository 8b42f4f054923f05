import BackstageCore

/// Text from a store or a server is made terminal-safe once, where it enters the state (whole
/// escape sequences removed, `TerminalText`); screens then draw state text as it is. Edit forms
/// open on the same clean text, so no residue of a sequence ever shows in a field.
extension OutgoingOAuthConnection {
    var terminalSafe: OutgoingOAuthConnection {
        var clean = self
        clean.name = TerminalText.sanitized(name)
        clean.clientId = TerminalText.sanitized(clientId)
        clean.oauthTokenURL = TerminalText.sanitized(oauthTokenURL)
        clean.audiences = audiences.map(TerminalText.sanitized)
        clean.credentialsUsername = credentialsUsername.map(TerminalText.sanitized)
        clean.lastValidation = lastValidation.map { ValidationRecord(at: $0.at, ok: $0.ok, message: TerminalText.sanitized($0.message)) }
        return clean
    }
}

extension SlashCommand {
    // Field by field, not through a list of key paths: each load sanitizes every item, and key
    // paths are made and followed at run time (a tenth of the first frame's load).
    var terminalSafe: SlashCommand {
        var clean = self
        clean.token = TerminalText.sanitized(token)
        clean.trigger = TerminalText.sanitized(trigger)
        clean.username = TerminalText.sanitized(username)
        clean.iconURL = TerminalText.sanitized(iconURL)
        clean.autoCompleteDesc = TerminalText.sanitized(autoCompleteDesc)
        clean.autoCompleteHint = TerminalText.sanitized(autoCompleteHint)
        clean.displayName = TerminalText.sanitized(displayName)
        clean.description = TerminalText.sanitized(description)
        clean.url = TerminalText.sanitized(url)
        return clean
    }
}

extension Team {
    var terminalSafe: Team { Team(id: id, name: TerminalText.sanitized(name)) }
}

extension StoreSnapshot {
    var terminalSafe: StoreSnapshot {
        StoreSnapshot(connections: connections.map(\.terminalSafe), commands: commands.map(\.terminalSafe),
                      teams: teams.map(\.terminalSafe), problems: problems, webhooks: webhooks.terminalSafe)
    }
}

extension WebhookListing {
    /// A server's webhooks (their names and callback URLs show in "Used by" and impact lines), or
    /// why they were not read (a server's error text).
    var terminalSafe: WebhookListing {
        switch self {
        case .listed(let hooks):
            return .listed(hooks.map { hook in
                var clean = hook
                clean.displayName = TerminalText.sanitized(hook.displayName)
                clean.teamId = TerminalText.sanitized(hook.teamId)
                clean.callbackURLs = hook.callbackURLs.map(TerminalText.sanitized)
                return clean
            })
        case .notChecked(let reason):
            return .notChecked(reason: TerminalText.sanitized(reason))
        }
    }
}
