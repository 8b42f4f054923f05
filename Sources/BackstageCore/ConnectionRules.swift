/// Mattermost's `OutgoingOAuthConnection.IsValid` plus the backstage web form's checks, with
/// Mattermost's messages, in the order of the form's fields.
public enum ConnectionLimits {
    public static let name = 64
    public static let clientId = 255
    public static let clientSecret = 255
    public static let tokenURL = 256
}

extension OutgoingOAuthConnection {
    /// What the web form does before sending (abstract_outgoing_oauth_connection.tsx): audience
    /// lines trimmed and blank ones dropped; credentials only for the password grant. The name,
    /// token URL and username go as typed (Mattermost trims none of them).
    public func normalizedForSave() -> OutgoingOAuthConnection {
        var copy = self
        copy.audiences = audiences.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        if grantType == .clientCredentials {
            copy.credentialsUsername = nil
            copy.credentialsPassword = nil
        }
        return copy
    }

    /// Every rule this connection breaks on its own, with Mattermost's messages: the web form's
    /// "required" checks, then `OutgoingOAuthConnection.IsValid`
    /// (server/public/model/outgoing_oauth_connection.go), which counts runes. A secret that is
    /// already stored (editing without retyping it) counts as present.
    public func validationErrors(hasStoredSecret: Bool = false, hasStoredPassword: Bool = false) -> [FieldError] {
        var errors: [FieldError] = []
        if name.isEmpty {
            errors.append(FieldError("name", "Name for the OAuth connection is required."))
        } else if name.runeCount > ConnectionLimits.name {
            errors.append(FieldError("name", tooLong("Invalid name.", limit: ConnectionLimits.name, actual: name.runeCount)))
        }
        if clientId.isEmpty {
            errors.append(FieldError("client_id", "Client Id for the OAuth connection is required."))
        } else if clientId.runeCount > ConnectionLimits.clientId {
            errors.append(FieldError("client_id", tooLong("Invalid client id.", limit: ConnectionLimits.clientId, actual: clientId.runeCount)))
        }
        if let secret = clientSecret, !secret.isEmpty {
            if secret.runeCount > ConnectionLimits.clientSecret {
                errors.append(FieldError("client_secret", "Invalid client secret. Use at most \(ConnectionLimits.clientSecret) characters."))
            }
        } else if !hasStoredSecret {
            errors.append(FieldError("client_secret", "Client Secret for the OAuth connection is required."))
        }
        if grantType == .password {
            if (credentialsUsername ?? "").isEmpty {
                errors.append(FieldError("credentials_username", "Invalid password credentials. The password grant needs a username."))
            }
            if (credentialsPassword?.isEmpty ?? true) && !hasStoredPassword {
                errors.append(FieldError("credentials_password", "Invalid password credentials. The password grant needs a password."))
            }
        }
        if oauthTokenURL.isEmpty {
            errors.append(FieldError("oauth_token_url", "OAuth Token URL for the OAuth connection is required."))
        } else if oauthTokenURL.runeCount > ConnectionLimits.tokenURL {
            errors.append(FieldError("oauth_token_url", tooLong("Invalid oauth token url.", limit: ConnectionLimits.tokenURL, actual: oauthTokenURL.runeCount)))
        } else if let problem = HTTPURL.problem(in: oauthTokenURL) {
            errors.append(FieldError("oauth_token_url", "Invalid oauth token url. \(problem.sentence)"))
        }
        if audiences.isEmpty {
            errors.append(FieldError("audiences", "One or more audience URLs are required."))
        }
        for audience in audiences {
            if let problem = HTTPURL.problem(in: audience) {
                errors.append(FieldError("audiences", "Audience URL is invalid: \(HTTPURL.maskingCredentials(audience)). \(problem.sentence)"))
            }
        }
        return errors
    }

    /// What Mattermost accepts but is probably a mistake (spec 0.0): saved all the same.
    public func warnings() -> [FieldError] {
        Self.warningFields.flatMap { field in warnings(of: field).map { FieldError(field, $0) } }
    }

    /// The fields that can carry a warning, in the form's order.
    public static let warningFields = ["name", "credentials_username", "oauth_token_url", "audiences"]

    /// One field's warnings, from that field alone: a form typing in it asks again for it only.
    public func warnings(of field: String) -> [String] {
        switch field {
        case "name":
            return !name.isEmpty && name.trimmingWhitespace().isEmpty ? ["The name is only spaces; lists will show it blank."] : []
        case "credentials_username":
            guard let username = credentialsUsername, !username.isEmpty, username.trimmingWhitespace().isEmpty else { return [] }
            return ["The username is only spaces."]
        case "oauth_token_url":
            return HTTPURL.warnings(in: oauthTokenURL).map { "The OAuth Token URL is accepted, but \($0.sentence)." }
        case "audiences":
            var warnings: [String] = []
            var seen = Set<String>()
            for audience in audiences {
                let shown = HTTPURL.maskingCredentials(audience)
                if let star = audience.firstIndex(of: "*"), audience.index(after: star) != audience.endIndex {
                    warnings.append("Only a * at the end of an audience is a wildcard; this one is matched as written: \(shown)")
                }
                let onlyTrailingStar = audience.filter { $0 == "*" }.count == 1 && audience.hasSuffix("*") // the wildcard itself
                warnings += HTTPURL.warnings(in: audience).filter { $0 != .starInHost || !onlyTrailingStar }
                    .map { "\(shown) is accepted, but \($0.sentence)." }
                if !seen.insert(audience).inserted {
                    warnings.append("\(shown) is listed twice.")
                }
            }
            return warnings
        default:
            return []
        }
    }

    /// A new connection as a store keeps it: normalised, or the rules it breaks thrown.
    func checkedForSave() throws(ValidationFailure) -> OutgoingOAuthConnection {
        let draft = normalizedForSave()
        try draft.validate()
        return draft
    }

    /// Throws the rules this connection breaks on its own.
    public func validate(hasStoredSecret: Bool = false, hasStoredPassword: Bool = false) throws(ValidationFailure) {
        let errors = validationErrors(hasStoredSecret: hasStoredSecret, hasStoredPassword: hasStoredPassword)
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        // Most text starts and ends with a plain ASCII character: nothing to trim, no Unicode
        // property lookups (issue 18: every audience of a load is trimmed).
        if utf8.first.map(Self.isASCIINonWhitespace) == true, utf8.last.map(Self.isASCIINonWhitespace) == true { return self }
        return trimmingWhitespaceByScalars()
    }

    /// An ASCII byte that is not whitespace. Any other last byte may end a longer character;
    /// a leading or trailing ASCII byte is always a character of its own here.
    static func isASCIINonWhitespace(_ byte: UInt8) -> Bool {
        byte < 0x80 && byte != 0x20 && !(0x09...0x0D).contains(byte)
    }

    func trimmingWhitespaceByScalars() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
