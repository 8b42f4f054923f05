/// What an empty list says, in the console and the CLI alike: Mattermost's backstage words
/// (installed_outgoing_oauth_connections, installed_commands).
public enum ListWording {
    public static let noConnections = "No Outgoing OAuth Connections found"
    public static let noCommands = "No commands found"

    public static func noConnections(matching filter: String) -> String { "No Outgoing OAuth Connections match \(filter)" }
    public static func noCommands(matching filter: String) -> String { "No slash commands match \(filter)" }
}
