import BackstageCore

/// Text from a store or a server is made terminal-safe once, where it enters the state (whole
/// escape sequences removed, `TerminalText`); screens then draw state text as it is. Edit forms
/// open on the same clean text, so no residue of a sequence ever shows in a field.
extension OutgoingOAuthConnection {
    var terminalSafe: OutgoingOAuthConnection {
        var clean = sanitizing(self, [\.name, \.clientId, \.oauthTokenURL])
        clean.audiences = audiences.map(TerminalText.sanitized)
        clean.credentialsUsername = credentialsUsername.map(TerminalText.sanitized)
        clean.lastValidation = lastValidation.map { ValidationRecord(at: $0.at, ok: $0.ok, message: TerminalText.sanitized($0.message)) }
        return clean
    }
}

extension SlashCommand {
    var terminalSafe: SlashCommand {
        sanitizing(self, [\.token, \.trigger, \.username, \.iconURL, \.autoCompleteDesc, \.autoCompleteHint,
                          \.displayName, \.description, \.url])
    }
}

/// A copy of `item` with the text at each of `fields` made terminal-safe.
private func sanitizing<Item>(_ item: Item, _ fields: [WritableKeyPath<Item, String>]) -> Item {
    var clean = item
    for field in fields { clean[keyPath: field] = TerminalText.sanitized(item[keyPath: field]) }
    return clean
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
                var clean = sanitizing(hook, [\.displayName, \.teamId])
                clean.callbackURLs = hook.callbackURLs.map(TerminalText.sanitized)
                return clean
            })
        case .notChecked(let reason):
            return .notChecked(reason: TerminalText.sanitized(reason))
        }
    }
}
