/// The part of Mattermost's `OutgoingWebhook` (server/public/model/outgoing_webhook.go) that
/// matters for linkage: each callback URL is matched against the audiences like a command's URL
/// (server/channels/app/webhook.go). The hook's token is never read.
public struct OutgoingWebhook: Sendable, Equatable, Identifiable, Codable {
    public var id: String
    public var teamId: String
    public var channelId: String
    public var displayName: String
    public var triggerWords: [String]
    public var callbackURLs: [String]
    public var createAt: Int64
    public var deleteAt: Int64

    public init(id: String, teamId: String = "", channelId: String = "", displayName: String = "", triggerWords: [String] = [],
                callbackURLs: [String], createAt: Int64 = 0, deleteAt: Int64 = 0) {
        self.id = id
        self.teamId = teamId
        self.channelId = channelId
        self.displayName = displayName
        self.triggerWords = triggerWords
        self.callbackURLs = callbackURLs
        self.createAt = createAt
        self.deleteAt = deleteAt
    }

    enum CodingKeys: String, CodingKey {
        case id
        case teamId = "team_id"
        case channelId = "channel_id"
        case displayName = "display_name"
        case triggerWords = "trigger_words"
        case callbackURLs = "callback_urls"
        case createAt = "create_at"
        case deleteAt = "delete_at"
    }

    public init(from decoder: Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        id = try values.decodeIfPresent(String.self, forKey: .id) ?? ""
        teamId = try values.decodeIfPresent(String.self, forKey: .teamId) ?? ""
        channelId = try values.decodeIfPresent(String.self, forKey: .channelId) ?? ""
        displayName = try values.decodeIfPresent(String.self, forKey: .displayName) ?? ""
        triggerWords = try values.decodeIfPresent([String].self, forKey: .triggerWords) ?? []
        callbackURLs = try values.decodeIfPresent([String].self, forKey: .callbackURLs) ?? []
        createAt = try values.decodeIfPresent(Int64.self, forKey: .createAt) ?? 0
        deleteAt = try values.decodeIfPresent(Int64.self, forKey: .deleteAt) ?? 0
    }

    /// What lists call it: its display name, else its trigger words, else its id.
    public var label: String {
        let name = TerminalText.sanitized(displayName)
        if !name.trimmingWhitespace().isEmpty { return name }
        if !triggerWords.isEmpty { return TerminalText.sanitized(triggerWords.joined(separator: ", ")) }
        return id
    }
}

/// Whether the outgoing webhooks could be read, and if not why: they count as users of a
/// connection, but only a server has them.
public enum WebhookListing: Sendable, Equatable {
    case listed([OutgoingWebhook])
    /// Not checked; the reason completes "outgoing webhooks were not checked: …".
    case notChecked(reason: String)

    public var webhooks: [OutgoingWebhook] {
        if case .listed(let hooks) = self { return hooks }
        return []
    }

    public var isChecked: Bool {
        if case .listed = self { return true }
        return false
    }

    /// One sentence for screens: nil when they were checked.
    public var notCheckedNote: String? {
        if case .notChecked(let reason) = self { return "outgoing webhooks were not checked: \(reason)" }
        return nil
    }

    public static let localReason = "the local store holds no outgoing webhooks (they live on a Mattermost server)"
}
