/// Mattermost's `IsValidHTTPURL`: the text must start with `http://` or `https://` and parse as a
/// request URI with a host. We also refuse what no HTTP request can carry (spaces, control
/// characters) and ports outside 1–65535, and say which part is wrong.
public enum HTTPURL {
    public enum Problem: Sendable, Equatable {
        case scheme, schemeCase, host, whitespace, port, character(Character)

        public var sentence: String {
            switch self {
            case .scheme: return "It must start with http:// or https://."
            case .schemeCase: return "Write its scheme in lower case (http:// or https://)."
            case .host: return "It has no host name."
            case .whitespace: return "It contains a space or a control character."
            case .port: return "Its port must be a number from 1 to 65535."
            case .character(let character): return "Its host contains the character \"\(character)\"."
            }
        }
    }

    /// nil when the URL is valid.
    public static func problem(in text: String) -> Problem? {
        let rest: Substring
        if text.hasPrefix("http://") {
            rest = text.dropFirst(7)
        } else if text.hasPrefix("https://") {
            rest = text.dropFirst(8)
        } else {
            let lowered = text.prefix(8).lowercased()
            return lowered.hasPrefix("http://") || lowered.hasPrefix("https://") ? .schemeCase : .scheme
        }
        if text.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) }) {
            return .whitespace
        }
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostAndPort = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
        var host = Substring(hostAndPort)
        var port: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return .host }
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") { port = after.dropFirst() } else if !after.isEmpty { return .port }
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.lastIndex(of: ":") {
            port = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        if host.isEmpty { return .host }
        if let port, !port.isEmpty {
            guard port.allSatisfy(\.isASCII), let number = Int(port), (1...65535).contains(number) else { return .port }
        }
        let allowedPunctuation: Set<Character> = ["-", ".", "_", "~", "%", ":", "!", "$", "&", "'", "(", ")", "*", "+", ",", ";", "="]
        if let bad = host.first(where: { !($0.isLetter || $0.isNumber || allowedPunctuation.contains($0)) }) {
            return .character(bad)
        }
        return nil
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
