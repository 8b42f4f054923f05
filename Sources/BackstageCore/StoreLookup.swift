/// Finding one connection or command by what a person types: its id, else its name (trigger),
/// exactly, else ignoring letter case when that is unambiguous.
public enum StoreLookup {
    public static func connection(_ key: String, in connections: [OutgoingOAuthConnection]) throws -> OutgoingOAuthConnection {
        try pick(key, kind: "outgoing OAuth connection", from: connections, id: \.id, name: \.name)
    }

    public static func command(_ key: String, in commands: [SlashCommand]) throws -> SlashCommand {
        var trigger = key.trimmingWhitespace()
        if trigger.hasPrefix("/") { trigger.removeFirst() }
        if let byID = commands.first(where: { $0.id == key }) { return byID }
        return try pick(trigger, kind: "slash command", from: commands, id: \.id, name: \.trigger)
    }

    private static func pick<T>(_ key: String, kind: String, from items: [T], id: KeyPath<T, String>, name: KeyPath<T, String>) throws -> T {
        if let byID = items.first(where: { $0[keyPath: id] == key }) { return byID }
        var matches = items.filter { $0[keyPath: name] == key }
        if matches.isEmpty {
            let lowered = key.lowercased()
            matches = items.filter { $0[keyPath: name].lowercased() == lowered }
        }
        switch matches.count {
        case 0: throw StoreError.notFound(kind: kind, key: key)
        case 1: return matches[0]
        default: throw StoreError.ambiguous(kind: kind, key: key, candidates: matches.map { $0[keyPath: id] })
        }
    }
}
