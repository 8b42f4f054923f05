import BackstageCore
import Foundation
import TerminalKit

/// Mattermost's "Setup Successful" pages after a new connection or command: Done goes back to
/// the list; a command's token can be regenerated.
extension Reducer {
    /// "Setup Successful": Done goes back to the list; a command's token can be regenerated.
    static func confirmPageKey(_ state: inout AppState, _ action: ConfirmPageAction?, regenerate commandId: String?) -> [Effect] {
        switch action {
        case .done?:
            state.editor = nil
            return [.load]
        case .regenerate?: return commandId.map { [.regenerateToken(commandId: $0)] } ?? []
        case .forceQuit?: return quit(&state)
        case nil: return []
        }
    }
}

extension EditorScreen {
    /// Mattermost's "Setup Successful" page after creating an integration.
    static func confirmPage(_ body: [(String, Role)], in rect: Rect, into buffer: inout Buffer) {
        var lines: [(String, Role)] = [("Setup Successful", .success), ("", .normal)] + body
        let rows = lines.reduce(0) { $0 + Widgets.wrap($1.0, width: rect.width - 4).count }
        if rows > rect.height - 1, body.count > 2 {
            // A small terminal: what was set up (the token, the URLs) comes before the explanation.
            lines = [("Setup Successful", .success)] + body.dropFirst(2) + [("", .normal), body[0]]
        }
        var y = rect.y + 1
        for (text, role) in lines {
            for line in Widgets.wrap(text, width: rect.width - 4) where y < rect.maxY {
                buffer.write(line, x: 2, y: y, role: role, limit: rect.width - 4)
                y += 1
            }
        }
    }
}

extension EditorScreen {
    static func commandCreatedPage(_ command: SlashCommand) -> [(String, Role)] {
        [
            ("Your slash command is set up. The following token will be sent in the outgoing payload. Please use it to verify the request came from your Mattermost team.", .normal),
            ("", .normal),
            ("Token: \(command.token)", .accent),
            ("", .normal),
            ("[ Done ]  (\(Keymaps.commandCreated.keyNames(for: .done)))     [ Regenerate Token ]  (\(Keymaps.commandCreated.keyNames(for: .regenerate)))", .selection),
        ]
    }

    /// confirm_integration.tsx, type outgoing-oauth2-connections.
    static func connectionCreatedPage(_ connection: OutgoingOAuthConnection) -> [(String, Role)] {
        [
            ("Your Outgoing OAuth 2.0 Connection is set up. When a request is sent to one of the following Audience URLs, the Client ID and Client Secret will now be used to retrieve a token from the Token URL, before sending the integration request (details at Outgoing OAuth 2.0 Connections: https://mattermost.com/pl/outgoing-oauth-connections).", .normal),
            ("", .normal),
            ("Client ID: \(connection.clientId)", .accent),
            ("Client Secret: ********", .accent),
            ("Token URL: \(HTTPURL.maskingCredentials(connection.oauthTokenURL))", .accent),
            ("Audience URL(s): \(connection.audiences.map(HTTPURL.maskingCredentials).concatenated(separator: ", "))", .accent),
            ("", .normal),
            ("[ Done ]  (\(Keymaps.connectionCreated.keyNames(for: .done)))", .selection),
        ]
    }
}
