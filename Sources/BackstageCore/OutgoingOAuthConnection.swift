/// Mattermost's `OutgoingOAuthConnection` (server/public/model/outgoing_oauth_connection.go).
/// Secrets are write-only: values read back from a store carry `nil` secrets.
public struct OutgoingOAuthConnection: Sendable, Equatable, Identifiable {
    public enum GrantType: String, Sendable, Codable, CaseIterable {
        case clientCredentials = "client_credentials"
        case password
    }

    public var id: String
    public var creatorId: String
    public var createAt: Int64
    public var updateAt: Int64
    public var name: String
    public var clientId: String
    public var clientSecret: Secret?
    public var credentialsUsername: String?
    public var credentialsPassword: Secret?
    public var oauthTokenURL: String
    public var grantType: GrantType
    public var audiences: [String]
    /// backstage's own record of the last Validate (not a Mattermost field).
    public var lastValidation: ValidationRecord?
    /// Who last saved it through backstage, when they were named (`--actor`, `backstage serve`);
    /// attribution, not a Mattermost field, never in its JSON.
    public var changedBy: String? = nil

    public init(
        id: String = "", creatorId: String = "", createAt: Int64 = 0, updateAt: Int64 = 0,
        name: String, clientId: String, clientSecret: Secret? = nil,
        credentialsUsername: String? = nil, credentialsPassword: Secret? = nil,
        oauthTokenURL: String, grantType: GrantType = .clientCredentials, audiences: [String]
    ) {
        self.id = id
        self.creatorId = creatorId
        self.createAt = createAt
        self.updateAt = updateAt
        self.name = name
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.credentialsUsername = credentialsUsername
        self.credentialsPassword = credentialsPassword
        self.oauthTokenURL = oauthTokenURL
        self.grantType = grantType
        self.audiences = audiences
    }

    /// The connection without its secrets, as Mattermost's `Sanitize()` returns it.
    public var sanitized: OutgoingOAuthConnection {
        var copy = self
        copy.clientSecret = nil
        copy.credentialsPassword = nil
        return copy
    }
}

extension CodingUserInfoKey {
    /// Set to `true` only for a request that must carry secrets to a Mattermost server.
    public static let includeSecrets = CodingUserInfoKey(rawValue: "backstage.includeSecrets")!
}

extension OutgoingOAuthConnection: Codable {
    enum CodingKeys: String, CodingKey {
        case id, name, audiences
        case creatorId = "creator_id"
        case createAt = "create_at"
        case updateAt = "update_at"
        case clientId = "client_id"
        case clientSecret = "client_secret"
        case credentialsUsername = "credentials_username"
        case credentialsPassword = "credentials_password"
        case oauthTokenURL = "oauth_token_url"
        case grantType = "grant_type"
        case lastValidation = "last_validation"
    }

    public init(from decoder: Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        id = try values.decodeIfPresent(String.self, forKey: .id) ?? ""
        creatorId = try values.decodeIfPresent(String.self, forKey: .creatorId) ?? ""
        createAt = try values.decodeIfPresent(Int64.self, forKey: .createAt) ?? 0
        updateAt = try values.decodeIfPresent(Int64.self, forKey: .updateAt) ?? 0
        name = try values.decodeIfPresent(String.self, forKey: .name) ?? ""
        clientId = try values.decodeIfPresent(String.self, forKey: .clientId) ?? ""
        clientSecret = try values.decodeIfPresent(String.self, forKey: .clientSecret).flatMap { $0.isEmpty ? nil : Secret($0) }
        credentialsUsername = try values.decodeIfPresent(String.self, forKey: .credentialsUsername)
        credentialsPassword = try values.decodeIfPresent(String.self, forKey: .credentialsPassword).map(Secret.init)
        oauthTokenURL = try values.decodeIfPresent(String.self, forKey: .oauthTokenURL) ?? ""
        grantType = try values.decodeIfPresent(GrantType.self, forKey: .grantType) ?? .clientCredentials
        audiences = try values.decodeIfPresent([String].self, forKey: .audiences) ?? []
        lastValidation = try values.decodeIfPresent(ValidationRecord.self, forKey: .lastValidation)
    }

    /// Mattermost's JSON. Secrets are written only when the encoder's userInfo asks for them.
    public func encode(to encoder: Encoder) throws {
        var values = encoder.container(keyedBy: CodingKeys.self)
        try values.encode(id, forKey: .id)
        try values.encode(creatorId, forKey: .creatorId)
        try values.encode(createAt, forKey: .createAt)
        try values.encode(updateAt, forKey: .updateAt)
        try values.encode(name, forKey: .name)
        try values.encode(clientId, forKey: .clientId)
        try values.encodeIfPresent(credentialsUsername, forKey: .credentialsUsername)
        try values.encode(oauthTokenURL, forKey: .oauthTokenURL)
        try values.encode(grantType, forKey: .grantType)
        try values.encode(audiences, forKey: .audiences)
        try values.encodeIfPresent(lastValidation, forKey: .lastValidation)
        if encoder.userInfo[.includeSecrets] as? Bool == true {
            try values.encodeIfPresent(clientSecret?.revealForTransmission(), forKey: .clientSecret)
            try values.encodeIfPresent(credentialsPassword?.revealForTransmission(), forKey: .credentialsPassword)
        }
    }
}

/// When a connection was last validated and how it went.
public struct ValidationRecord: Sendable, Equatable, Codable {
    /// Milliseconds since 1970.
    public let at: Int64
    public let ok: Bool
    /// "Validated connection", or why not.
    public let message: String

    public init(at: Int64, ok: Bool, message: String) {
        self.at = at
        self.ok = ok
        self.message = message
    }
}
