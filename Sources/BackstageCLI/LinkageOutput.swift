import BackstageCore
import Foundation

/// How the CLI says which commands and webhooks use a connection, and what a change does to them.
enum LinkageOutput {
    /// The lists a linkage is computed from, or why they could not be read (server mode: commands
    /// disabled, no permission). A bad token or an unreachable server still stops the command.
    static func loadInventory(_ store: any Store, usageOf connection: OutgoingOAuthConnection? = nil) async throws -> Result<Inventory, MattermostError> {
        do {
            if let connection { return .success(try await store.usageInventory(of: connection)) }
            return .success(try await Inventory.load(from: store))
        } catch let error as MattermostError where error.kind == .notAvailable || error.kind == .notAllowed {
            if case .unauthorized = error { throw error }
            return .failure(error)
        }
    }

    /// `connections show`: "Used by …", the webhooks note, and in server mode the server's word.
    static func printUsage(of connection: OutgoingOAuthConnection, _ inventory: Result<Inventory, MattermostError>,
                           confirmations: [ServerConfirmation]?) {
        switch inventory {
        case .failure(let error):
            Output.line("  Used by: unknown (\(error))")
        case .success(let inventory):
            let linkage = inventory.linkage
            let prediction = inventory.isServer ? " (predicted with backstage's matching rules)" : ""
            Output.line("  \(linkage.usageLine(for: connection.id))\(prediction)")
            if let note = linkage.webhooks.notCheckedNote { Output.line("  Note: \(note)") }
            for confirmation in confirmations ?? [] { Output.line("    \(confirmation.line(for: connection.id))") }
        }
    }

    /// The impact list on stderr, so stdout stays the result.
    static func printImpact(_ impact: Impact, heading: String, isPrediction: Bool) {
        let label = heading + (isPrediction ? " (predicted with backstage's matching rules)" : "")
        if impact.isEmpty {
            Output.info("\(label): \(Impact.nothingChanges)")
            return
        }
        Output.info("\(label):")
        for line in impact.lines { Output.info("  \(line)") }
    }
}

/// `used_by` in `connections show --json`.
struct UsedByJSON: Encodable {
    let user: IntegrationRef
    /// Server mode: whether the server's audience query agrees (nil: not asked or unreachable).
    let serverConfirms: Bool??

    enum Keys: String, CodingKey { case kind, id, trigger, name, team, serverConfirms = "server_confirms" }

    func encode(to encoder: Encoder) throws {
        var values = encoder.container(keyedBy: Keys.self)
        try values.encode(user.kind.rawValue, forKey: .kind)
        try values.encode(user.id, forKey: .id)
        try values.encode(user.name, forKey: user.kind == .slashCommand ? .trigger : .name)
        try values.encode(user.teamName, forKey: .team)
        if let serverConfirms {
            if let confirms = serverConfirms { try values.encode(confirms, forKey: .serverConfirms) } else { try values.encodeNil(forKey: .serverConfirms) }
        }
    }
}

/// A connection with what uses it: Mattermost's fields, then `used_by`, `webhooks_checked`, `linkage`.
struct ConnectionUsageJSON: Encodable {
    let connection: OutgoingOAuthConnection
    let usedBy: [UsedByJSON]?
    let webhooksChecked: Bool
    let webhooksNote: String?
    let linkage: String
    let linkageUnknown: String?

    enum Keys: String, CodingKey {
        case usedBy = "used_by", webhooksChecked = "webhooks_checked", webhooksNote = "webhooks_note", linkage
        case linkageUnknown = "linkage_unknown"
    }

    func encode(to encoder: Encoder) throws {
        try connection.forDisplay.encode(to: encoder)
        var values = encoder.container(keyedBy: Keys.self)
        if let usedBy { try values.encode(usedBy, forKey: .usedBy) } else { try values.encodeNil(forKey: .usedBy) }
        try values.encode(webhooksChecked, forKey: .webhooksChecked)
        try values.encodeIfPresent(webhooksNote, forKey: .webhooksNote)
        try values.encode(linkage, forKey: .linkage)
        try values.encodeIfPresent(linkageUnknown, forKey: .linkageUnknown)
    }
}

/// One change of `--dry-run --json`.
struct LinkageChangeJSON: Encodable {
    let change: LinkageChange

    struct Ref: Encodable {
        let id: String
        let name: String
    }

    enum Keys: String, CodingKey { case kind, id, trigger, name, team, url, before, after, text }

    func encode(to encoder: Encoder) throws {
        var values = encoder.container(keyedBy: Keys.self)
        let user = change.user
        try values.encode(user.kind.rawValue, forKey: .kind)
        try values.encode(user.id, forKey: .id)
        try values.encode(user.name, forKey: user.kind == .slashCommand ? .trigger : .name)
        try values.encode(user.teamName, forKey: .team)
        try values.encode(HTTPURL.maskingCredentials(user.url), forKey: .url)
        for (key, ref) in [(Keys.before, change.before), (Keys.after, change.after)] {
            if let ref { try values.encode(Ref(id: ref.id, name: ref.name), forKey: key) } else { try values.encodeNil(forKey: key) }
        }
        try values.encode(change.text, forKey: .text)
    }
}
