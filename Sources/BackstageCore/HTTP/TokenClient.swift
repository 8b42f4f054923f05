import Foundation

/// What a token request needs: the connection's settings and its stored secrets.
public struct TokenRequest: Sendable {
    public var tokenURL: String
    public var clientId: String
    public var clientSecret: Secret
    public var grantType: OutgoingOAuthConnection.GrantType
    public var username: String?
    public var password: Secret?

    public init(tokenURL: String, clientId: String, clientSecret: Secret,
                grantType: OutgoingOAuthConnection.GrantType = .clientCredentials, username: String? = nil, password: Secret? = nil) {
        self.tokenURL = tokenURL
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.grantType = grantType
        self.username = username
        self.password = password
    }

    public init(connection: OutgoingOAuthConnection, credentials: ConnectionCredentials) {
        self.init(tokenURL: connection.oauthTokenURL, clientId: connection.clientId, clientSecret: credentials.clientSecret,
                  grantType: connection.grantType, username: connection.credentialsUsername, password: credentials.password)
    }

    /// True when the secret would cross the network unencrypted (http:// to another machine).
    public var sendsSecretInClear: Bool { HTTPURL.isCleartextToAnotherMachine(tokenURL) }

    /// `grant_type=client_credentials&client_id=…&client_secret=…` (+ username, password).
    func formBody() -> [UInt8] {
        var fields: [(String, String)] = [
            ("grant_type", grantType.rawValue),
            ("client_id", clientId),
            ("client_secret", clientSecret.revealForTransmission()),
        ]
        if grantType == .password {
            fields.append(("username", username ?? ""))
            fields.append(("password", password?.revealForTransmission() ?? ""))
        }
        return Array(FormEncoding.encode(fields).utf8)
    }

    /// Server text with our own secrets blotted out, in case an identity provider echoes them.
    func redacted(_ text: String) -> String {
        var text = TerminalText.sanitized(text)
        for secret in [clientSecret, password].compactMap({ $0 }) where secret.runeCount >= 3 {
            text = text.replacingOccurrences(of: secret.revealForTransmission(), with: "********")
        }
        return text
    }
}

/// A token from the identity provider. The token itself is a `Secret`: it goes into one
/// Authorization header and nowhere else.
public struct AccessToken: Sendable {
    public let value: Secret
    /// `Bearer` unless the provider said otherwise (`bearer` in any case is written `Bearer`).
    public let tokenType: String
    public let expiresIn: Int?
    public let scope: String?
    public let elapsed: Duration

    /// `<token_type> <access_token>`, for the Authorization header.
    public var authorizationHeader: Secret { Secret("\(tokenType) \(value.revealForTransmission())") }
}

public enum TokenError: Error, Sendable, Equatable, CustomStringConvertible {
    case transport(HTTPFailure)
    case status(code: Int, reason: String, host: String, error: String?, errorDescription: String?)
    case redirect(code: Int, host: String, location: String?)
    case notJSON(code: Int, host: String, contentType: String?)
    case noAccessToken(host: String)

    public var description: String {
        switch self {
        case .transport(let failure):
            return failure.description
        case .status(let code, let reason, let host, let error, let errorDescription):
            var text = "the token endpoint at \(host) answered \(code) \(reason)"
            if let error { text += ": \(error)" }
            if let errorDescription { text += error == nil ? ": \(errorDescription)" : " (\(errorDescription))" }
            if code == 401 || error == "invalid_client" { text += ". Check the Client ID and Client Secret" }
            if error == "unsupported_grant_type" { text += ". The identity provider does not allow this grant type for this client" }
            return text
        case .redirect(let code, let host, let location):
            return "the token endpoint at \(host) redirects (\(code)) to \(location ?? "an unnamed location"); redirects are not followed, so the secret is never sent elsewhere. Put the final URL in OAuth Token URL"
        case .notJSON(let code, let host, let contentType):
            return "the token endpoint at \(host) answered \(code) with \(contentType ?? "no content type"), not a JSON token: is OAuth Token URL the token endpoint?"
        case .noAccessToken(let host):
            return "the token endpoint at \(host) answered without an access_token"
        }
    }
}

/// Fetches tokens as Mattermost does (spec 0.4): a POSTed URL-encoded form, a fresh token each time.
public struct TokenClient: Sendable {
    public let http: OutboundHTTP

    public init(http: OutboundHTTP) { self.http = http }

    public func fetchToken(_ request: TokenRequest) async throws(TokenError) -> AccessToken {
        let host = HTTPURL.hostName(of: request.tokenURL) ?? request.tokenURL
        let response: OutboundResponse
        do {
            response = try await http.send(OutboundRequest(
                method: "POST", url: request.tokenURL,
                headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
                body: request.formBody()))
        } catch {
            throw .transport(error)
        }
        if (300..<400).contains(response.status) {
            throw .redirect(code: response.status, host: host, location: response.header("Location").map { HTTPURL.maskingCredentials(request.redacted($0)) })
        }
        let json = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        guard (200..<300).contains(response.status) else {
            throw .status(code: response.status, reason: request.redacted(response.reason), host: host,
                          error: (json?["error"] as? String).map(request.redacted),
                          errorDescription: (json?["error_description"] as? String).map(request.redacted))
        }
        guard let json else {
            throw .notJSON(code: response.status, host: host, contentType: response.header("Content-Type").map(request.redacted))
        }
        guard let token = json["access_token"] as? String, !token.isEmpty else { throw .noAccessToken(host: host) }
        let rawType = (json["token_type"] as? String).map(TerminalText.sanitized) ?? ""
        let tokenType = rawType.isEmpty || rawType.lowercased() == "bearer" ? "Bearer" : rawType
        let expiresIn = (json["expires_in"] as? Int) ?? (json["expires_in"] as? String).flatMap(Int.init)
        return AccessToken(value: Secret(token), tokenType: tokenType, expiresIn: expiresIn,
                           scope: (json["scope"] as? String).map(request.redacted), elapsed: response.elapsed)
    }
}

/// application/x-www-form-urlencoded, as Go's url.Values.Encode writes it: keys in the given
/// order, unreserved characters kept, space as `+`, everything else percent-encoded.
public enum FormEncoding {
    public static func encode(_ fields: [(String, String)]) -> String {
        fields.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                output += "+"
            default:
                output += String(format: "%%%02X", byte)
            }
        }
        return output
    }

    /// Decodes a form body or query string (for tests and receivers).
    public static func decode(_ text: String) -> [(String, String)] {
        text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func unescape(_ part: Substring) -> String {
                part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part)
            }
            return (unescape(parts[0]), parts.count > 1 ? unescape(parts[1]) : "")
        }
    }
}
