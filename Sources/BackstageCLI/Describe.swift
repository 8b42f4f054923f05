import BackstageCore

/// The human-readable blocks `list` and `show` print, worded as Mattermost's backstage lists.
enum Describe {
    static func connection(_ connection: OutgoingOAuthConnection, overlaps: [AudienceOverlap], detailed: Bool = false) {
        let connection = connection.forDisplay
        let name = connection.name.isEmpty ? "Unnamed Outgoing OAuth Connection" : connection.name
        Output.line("\(name)  (id \(connection.id))")
        Output.line("  Client ID: \(connection.clientId)")
        Output.line("  Client Secret: ********")
        if connection.grantType == .password {
            Output.line("  Username: \(connection.credentialsUsername ?? "")")
            Output.line("  Password: ********")
        }
        Output.line("  Audience URLs: \(connection.audiences.joined(separator: ", "))")
        Output.line("  Token URL: \(connection.oauthTokenURL)")
        switch connection.lastValidation {
        case nil: Output.line("  Validation: not validated yet")
        case let record? where record.ok: Output.line("  Validation: Validated connection on \(Milliseconds.fullDate(record.at))")
        case let record?: Output.line("  Validation: Connection not validated on \(Milliseconds.fullDate(record.at)): \(record.message)")
        }
        if detailed {
            Output.line("  Grant Type: \(connection.grantType.rawValue)")
            Output.line("  Updated: \(Milliseconds.fullDate(connection.updateAt))  (update_at \(connection.updateAt))")
        }
        Output.line("  Created on \(Milliseconds.fullDate(connection.createAt))")
        for overlap in overlaps { Output.line("  Warning: \(overlap)") }
    }

    static func command(_ command: SlashCommand, teamName: String, link: MatchResult?, detailed: Bool = false) {
        let command = command.forDisplay
        let title = command.displayName.isEmpty ? "" : "  \(command.displayName)"
        Output.line("/\(command.trigger)\(title)  (team \(teamName), id \(command.id))")
        if !command.description.isEmpty { Output.line("  Description: \(command.description)") }
        Output.line("  Request URL: \(command.url)  \(command.method.httpName)")
        if let link { linkage(link, indent: "  OAuth: ") }
        if detailed {
            Output.line("  Token: \(command.token)")
            if !command.username.isEmpty { Output.line("  Response Username: \(command.username)") }
            if !command.iconURL.isEmpty { Output.line("  Response Icon: \(command.iconURL)") }
            Output.line("  Autocomplete: \(command.autoComplete ? "yes" : "no")")
            if command.autoComplete {
                Output.line("  Autocomplete Hint: \(command.autoCompleteHint)")
                Output.line("  Autocomplete Description: \(command.autoCompleteDesc)")
            }
            Output.line("  Updated: \(Milliseconds.fullDate(command.updateAt))  (update_at \(command.updateAt))")
        }
        Output.line("  Created on \(Milliseconds.fullDate(command.createAt))")
    }

    /// The banner: `Connected to "name"` with the audience, or "Not linked…" with every near miss.
    static func linkage(_ result: MatchResult, indent: String) {
        let padding = String(repeating: " ", count: indent.count)
        for (index, line) in Banner(result, nearMisses: .max).lines.enumerated() {
            Output.line((index == 0 ? indent : padding) + line.text)
        }
    }
}
