/// Mattermost's `IsValidHTTPURL` (server/public/model/utils.go): the text must start with
/// `http://` or `https://` literally (nothing is trimmed), then pass Go's `url.ParseRequestURI`
/// (`GoRequestURI`) with a host. The one place every caller asks whether a URL is accepted.
/// What Mattermost accepts but is probably a mistake is a `Warning`; what is accepted for storage
/// but not trusted with a secret is `refusalToSend`.
public enum HTTPURL {
    public enum Problem: Sendable, Equatable {
        case scheme, schemeCase, leadingSpace, host, controlCharacter, escape, userinfo
        case port(String)
        case character(Character)

        public var sentence: String {
            switch self {
            case .scheme: return "It must start with http:// or https://."
            case .schemeCase: return "Write its scheme in lower case (http:// or https://)."
            case .leadingSpace: return "It begins with a space: remove it."
            case .host: return "It has no host name."
            case .controlCharacter: return "It contains a control character (a tab or a line break)."
            case .escape: return "It has a % that is not followed by two hexadecimal digits."
            case .userinfo: return "The part before @ has a character a URL cannot carry there."
            case .port(let port): return "Its port \"\(port.drop { $0 == ":" })\" is not a number."
            case .character(let character): return "Its host contains the character \"\(character)\"."
            }
        }
    }

    /// Accepted by Mattermost, probably a mistake: shown as a warning, and saved all the same.
    public enum Warning: Sendable, Equatable {
        case portOutOfRange(String), whitespace, starInHost, credentials

        public var sentence: String {
            switch self {
            case .portOutOfRange(let port): return "its port \(port) is not between 1 and 65535, so nothing can answer there"
            case .whitespace: return "it contains a space"
            case .starInHost: return "its host contains a *, which no host name has"
            case .credentials: return "it carries a user name and password (user:pass@), which anyone who can read the integration sees"
            }
        }
    }

    /// nil when Mattermost accepts the URL.
    public static func problem(in text: String) -> Problem? {
        guard text.hasPrefix("http://") || text.hasPrefix("https://") else {
            let trimmed = text.trimmingWhitespace()
            if trimmed != text, trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://") { return .leadingSpace }
            let lowered = text.prefix(8).lowercased()
            return lowered.hasPrefix("http://") || lowered.hasPrefix("https://") ? .schemeCase : .scheme
        }
        switch GoRequestURI.parse(text) {
        case .failure(let failure):
            switch failure {
            case .controlCharacter: return .controlCharacter
            case .empty, .notAbsolute, .missingBracket: return .host
            case .badPort(let port): return .port(port)
            case .badHostCharacter(let character): return .character(character)
            case .badEscape: return .escape
            case .badUserinfo: return .userinfo
            }
        case .success(let parsed):
            return parsed.host.isEmpty ? .host : nil
        }
    }

    /// What is accepted but probably wrong.
    public static func warnings(in text: String) -> [Warning] {
        guard problem(in: text) == nil, case .success(let parsed) = GoRequestURI.parse(text) else { return [] }
        var warnings: [Warning] = []
        if let port = parsed.port, !port.isEmpty, !(Int(port).map { (1...65535).contains($0) } ?? false) {
            warnings.append(.portOutOfRange(String(port)))
        }
        if text.contains(" ") { warnings.append(.whitespace) }
        if parsed.hostname.contains("*") { warnings.append(.starInHost) }
        if parsed.userinfo?.contains(":") == true { warnings.append(.credentials) }
        return warnings
    }

    /// Why a secret or token must not be sent to this URL, if it must not: it is stored as
    /// Mattermost accepts it, but the HTTP client would not contact exactly the scheme, host and port
    /// Mattermost's parser sees (a `*` or an escape in the host, a port outside 1–65535, a space).
    public static func refusalToSend(_ text: String) -> String? {
        if let problem = problem(in: text) { return problem.sentence }
        guard case .success(let parsed) = GoRequestURI.parse(text) else { return "It is not a valid URL." }
        let hostname = parsed.hostname
        let isIPv6 = parsed.host.hasPrefix("[")
        if !isIPv6, let bad = hostname.first(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".")) }) {
            return "its host contains \"\(bad)\", so the server contacted could differ from the one Mattermost would contact"
        }
        if hostname.isEmpty { return "it has no host name" }
        if let port = parsed.port, !port.isEmpty, !(Int(port).map { (1...65535).contains($0) } ?? false) {
            return "its port \(port) is not between 1 and 65535"
        }
        if text.unicodeScalars.contains(where: { $0.properties.isWhitespace }) {
            return "it contains a space, which an HTTP request line cannot carry"
        }
        return nil
    }

    /// The URL with the password of a `user:pass@` part replaced by a mask, for screens and `--json`.
    public static func maskingCredentials(_ text: String) -> String {
        // Drawn for every visible row each frame: most URLs have no "@", so return them untouched.
        guard text.utf8.contains(UInt8(ascii: "@")), let separator = text.schemeSeparator() else { return text }
        let authorityEnd = text[separator.upperBound...].firstIndex { $0 == "/" || $0 == "?" } ?? text.endIndex
        let authority = text[separator.upperBound..<authorityEnd]
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { return text }
        return String(text[..<authority.index(after: colon)]) + "********" + String(text[at...])
    }

    public static func isValid(_ text: String) -> Bool { problem(in: text) == nil }

    /// True when the URL's host is this machine (the secret then never leaves it).
    public static func isLoopback(_ text: String) -> Bool {
        guard let host = hostName(of: text)?.lowercased() else { return false }
        return host == "localhost" || host.hasSuffix(".localhost") || host.hasPrefix("127.") || host == "::1"
    }

    /// True for plain http:// to another machine: what is sent crosses the network unencrypted.
    public static func isCleartextToAnotherMachine(_ text: String) -> Bool {
        text.hasPrefix("http://") && !isLoopback(text)
    }

    /// The port a request to this URL goes to (explicit, else 80 or 443).
    public static func port(of text: String) -> Int {
        if let loose = LooseURL(text), let port = loose.port, let number = Int(port) { return number }
        return text.lowercased().hasPrefix("https://") ? 443 : 80
    }

    /// The host of an http(s) URL, without brackets or port.
    public static func hostName(of text: String) -> String? {
        guard let schemeEnd = text.schemeSeparator() else { return nil }
        let authority = text[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        var host = Substring(authority.split(separator: "@", omittingEmptySubsequences: false).last ?? "")
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            return String(host[host.index(after: host.startIndex)..<close])
        }
        if let colon = host.lastIndex(of: ":") { host = host[..<colon] }
        return host.isEmpty ? nil : String(host)
    }
}

extension StringProtocol {
    /// Where "://" first stands, found on UTF-8 bytes: Foundation's range(of:) bridges to
    /// NSString and the generic collection search looks up metadata on every call.
    func schemeSeparator() -> Range<String.Index>? {
        let bytes = utf8
        var index = bytes.startIndex
        while index != bytes.endIndex {
            if bytes[index] == UInt8(ascii: ":") {
                let first = bytes.index(after: index)
                if first != bytes.endIndex, bytes[first] == UInt8(ascii: "/") {
                    let second = bytes.index(after: first)
                    if second != bytes.endIndex, bytes[second] == UInt8(ascii: "/") { return index..<bytes.index(after: second) }
                }
            }
            bytes.formIndex(after: &index)
        }
        return nil
    }
}

extension OutgoingOAuthConnection {
    /// For screens and `--json`: no secrets, and a password written into a URL masked. (Exports keep
    /// URLs exact, so a backup restores what was stored.)
    public var forDisplay: OutgoingOAuthConnection {
        var copy = sanitized
        copy.oauthTokenURL = HTTPURL.maskingCredentials(oauthTokenURL)
        copy.audiences = audiences.map(HTTPURL.maskingCredentials)
        return copy
    }
}

extension SlashCommand {
    /// For screens and `--json`: a password written into a URL masked.
    public var forDisplay: SlashCommand {
        var copy = self
        copy.url = HTTPURL.maskingCredentials(url)
        copy.iconURL = HTTPURL.maskingCredentials(iconURL)
        return copy
    }
}
