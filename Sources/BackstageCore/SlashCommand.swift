/// Mattermost's `Command` (server/public/model/command.go).
public struct SlashCommand: Sendable, Equatable, Identifiable {
    public enum Method: String, Sendable, Codable, CaseIterable {
        case post = "P"
        case get = "G"

        public var httpName: String { self == .post ? "POST" : "GET" }
    }

    public var id: String
    public var token: String
    public var createAt: Int64
    public var updateAt: Int64
    public var deleteAt: Int64
    public var creatorId: String
    public var teamId: String
    public var trigger: String
    public var method: Method
    public var username: String
    public var iconURL: String
    public var autoComplete: Bool
    public var autoCompleteDesc: String
    public var autoCompleteHint: String
    public var displayName: String
    public var description: String
    public var url: String
    public var pluginId: String
    /// Who last saved it through backstage, when they were named (`--actor`, `backstage serve`);
    /// attribution, not a Mattermost field, never in its JSON.
    public var changedBy: String? = nil

    public init(
        id: String = "", token: String = "", createAt: Int64 = 0, updateAt: Int64 = 0, deleteAt: Int64 = 0,
        creatorId: String = "", teamId: String = "", trigger: String, method: Method = .post,
        username: String = "", iconURL: String = "", autoComplete: Bool = false,
        autoCompleteDesc: String = "", autoCompleteHint: String = "",
        displayName: String = "", description: String = "", url: String, pluginId: String = ""
    ) {
        self.id = id
        self.token = token
        self.createAt = createAt
        self.updateAt = updateAt
        self.deleteAt = deleteAt
        self.creatorId = creatorId
        self.teamId = teamId
        self.trigger = trigger
        self.method = method
        self.username = username
        self.iconURL = iconURL
        self.autoComplete = autoComplete
        self.autoCompleteDesc = autoCompleteDesc
        self.autoCompleteHint = autoCompleteHint
        self.displayName = displayName
        self.description = description
        self.url = url
        self.pluginId = pluginId
    }
}

extension SlashCommand: Codable {
    enum CodingKeys: String, CodingKey {
        case id, token, trigger, method, username, description, url
        case createAt = "create_at"
        case updateAt = "update_at"
        case deleteAt = "delete_at"
        case creatorId = "creator_id"
        case teamId = "team_id"
        case iconURL = "icon_url"
        case autoComplete = "auto_complete"
        case autoCompleteDesc = "auto_complete_desc"
        case autoCompleteHint = "auto_complete_hint"
        case displayName = "display_name"
        case pluginId = "plugin_id"
    }

    public init(from decoder: Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        id = try values.decodeIfPresent(String.self, forKey: .id) ?? ""
        token = try values.decodeIfPresent(String.self, forKey: .token) ?? ""
        createAt = try values.decodeIfPresent(Int64.self, forKey: .createAt) ?? 0
        updateAt = try values.decodeIfPresent(Int64.self, forKey: .updateAt) ?? 0
        deleteAt = try values.decodeIfPresent(Int64.self, forKey: .deleteAt) ?? 0
        creatorId = try values.decodeIfPresent(String.self, forKey: .creatorId) ?? ""
        teamId = try values.decodeIfPresent(String.self, forKey: .teamId) ?? ""
        trigger = try values.decodeIfPresent(String.self, forKey: .trigger) ?? ""
        method = try values.decodeIfPresent(Method.self, forKey: .method) ?? .post
        username = try values.decodeIfPresent(String.self, forKey: .username) ?? ""
        iconURL = try values.decodeIfPresent(String.self, forKey: .iconURL) ?? ""
        autoComplete = try values.decodeIfPresent(Bool.self, forKey: .autoComplete) ?? false
        autoCompleteDesc = try values.decodeIfPresent(String.self, forKey: .autoCompleteDesc) ?? ""
        autoCompleteHint = try values.decodeIfPresent(String.self, forKey: .autoCompleteHint) ?? ""
        displayName = try values.decodeIfPresent(String.self, forKey: .displayName) ?? ""
        description = try values.decodeIfPresent(String.self, forKey: .description) ?? ""
        url = try values.decodeIfPresent(String.self, forKey: .url) ?? ""
        pluginId = try values.decodeIfPresent(String.self, forKey: .pluginId) ?? ""
    }
}
