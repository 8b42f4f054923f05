import BackstageCore

/// `commands list --json`: each command as Mattermost's JSON, plus `connection`: the connection
/// whose audience covers its URL (`id`, `name`, the `audience` that matched), or null when none
/// does or when the connections cannot be read (a note on stderr then says so).
struct LinkedCommandJSON: Encodable {
    let command: SlashCommand
    let link: AudienceMatch?

    struct Linked: Encodable {
        let id: String
        let name: String
        let audience: String
    }

    enum Keys: String, CodingKey { case connection }

    func encode(to encoder: Encoder) throws {
        try command.forDisplay.encode(to: encoder)
        var values = encoder.container(keyedBy: Keys.self)
        if let link {
            try values.encode(Linked(id: link.connection.id, name: link.connection.name, audience: HTTPURL.maskingCredentials(link.audience)),
                              forKey: .connection)
        } else {
            try values.encodeNil(forKey: .connection)
        }
    }
}
