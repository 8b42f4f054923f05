#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Go's `net/url.ParseRequestURI`, which Mattermost's `IsValidHTTPURL` (server/public/model/utils.go)
/// runs after checking the literal `http://`/`https://` prefix. Written from Go's parse, getScheme,
/// parseAuthority, parseHost, validOptionalPort, validUserinfo, shouldEscape and unescape, so
/// backstage accepts exactly the URLs a Mattermost server stores. Works on UTF-8 bytes, as Go does.
public struct GoRequestURI: Sendable, Equatable {
    public let scheme: String
    /// The userinfo before `@`, as written (it may hold a password).
    public let userinfo: String?
    /// Host and port as Go keeps them (`u.Host`), e.g. `example.com:99999` or `[::1]:80`.
    public let host: String
    public let path: String
    public let rawQuery: String?

    public enum Failure: Error, Sendable, Equatable {
        case controlCharacter
        case empty
        case notAbsolute
        case missingBracket
        case badPort(String)
        case badHostCharacter(Character)
        case badEscape
        case badUserinfo
    }

    /// The host without brackets or port (Go's `Hostname()`).
    public var hostname: Substring {
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") { return host[host.index(after: host.startIndex)..<close] }
        if let colon = host.lastIndex(of: ":") { return host[..<colon] }
        return host[...]
    }

    /// The digits after the host's last colon (Go's `Port()`): any number of them, or none.
    public var port: Substring? {
        let afterHost: Substring
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") { afterHost = host[host.index(after: close)...] } else if let colon = host.lastIndex(of: ":") {
            afterHost = host[colon...]
        } else {
            return nil
        }
        guard afterHost.hasPrefix(":") else { return nil }
        return afterHost.dropFirst()
    }

    public static func parse(_ raw: String) -> Result<GoRequestURI, Failure> {
        // stringContainsCTLByte: any byte below 0x20, or 0x7F.
        if raw.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return .failure(.controlCharacter) }
        if raw.isEmpty { return .failure(.empty) }
        var scheme = ""
        var rest = Substring(raw)
        if let colon = schemeEnd(raw) {
            scheme = String(raw[..<colon]).lowercased()
            rest = raw[raw.index(after: colon)...]
        }
        var rawQuery: String?
        if rest.hasSuffix("?") && rest.filter({ $0 == "?" }).count == 1 {
            rest = rest.dropLast()
            rawQuery = ""
        } else if let question = rest.firstIndex(of: "?") {
            rawQuery = String(rest[rest.index(after: question)...])
            rest = rest[..<question]
        }
        guard rest.hasPrefix("/") else { return .failure(.notAbsolute) } // a request URI is absolute: scheme://… or /path
        var userinfo: String?
        var host = ""
        if !scheme.isEmpty && rest.hasPrefix("//") {
            var authority = rest.dropFirst(2)
            rest = ""
            if let slash = authority.firstIndex(of: "/") {
                rest = authority[slash...]
                authority = authority[..<slash]
            }
            let at = authority.lastIndex(of: "@")
            switch parseHost(at.map { authority[authority.index(after: $0)...] } ?? authority) {
            case .failure(let failure): return .failure(failure)
            case .success(let parsed): host = parsed
            }
            if let at {
                let info = authority[..<at]
                guard validUserinfo(info), escapesAreValid(info) else { return .failure(.badUserinfo) }
                userinfo = String(info)
            }
        }
        guard escapesAreValid(rest) else { return .failure(.badEscape) } // setPath
        return .success(GoRequestURI(scheme: scheme, userinfo: userinfo, host: host, path: String(rest), rawQuery: rawQuery))
    }

    /// getScheme: letters, then letters, digits, `+-.`, up to the first `:`; else no scheme.
    private static func schemeEnd(_ raw: String) -> String.Index? {
        var index = raw.startIndex
        while index < raw.endIndex {
            let character = raw[index]
            if character == ":" { return index == raw.startIndex ? nil : index }
            let isLetter = character.isASCII && character.isLetter
            let isOther = character.isASCII && (character.isNumber || "+-.".contains(character))
            if !(isLetter || (index != raw.startIndex && isOther)) { return nil }
            index = raw.index(after: index)
        }
        return nil
    }

    /// parseHost: an IPv6 literal in brackets (since Go 1.25.2 nothing else may stand there), else
    /// a port after the last colon of digits only (any length); then the host's characters as
    /// unescape(host, encodeHost) allows them.
    private static func parseHost(_ host: Substring) -> Result<String, Failure> {
        if host.hasPrefix("[") {
            guard let close = host.lastIndex(of: "]") else { return .failure(.missingBracket) }
            let colonPort = host[host.index(after: close)...]
            guard validOptionalPort(colonPort) else { return .failure(.badPort(String(colonPort))) }
            let literal = host[host.index(after: host.startIndex)..<close]
            let address = literal.range(of: "%25").map { literal[..<$0.lowerBound] } ?? literal
            var buffer = in6_addr()
            guard inet_pton(AF_INET6, String(address), &buffer) == 1 else { return .failure(.badHostCharacter("[")) }
        } else if let colon = host.lastIndex(of: ":") {
            let colonPort = host[colon...]
            guard validOptionalPort(colonPort) else { return .failure(.badPort(String(colonPort))) }
        }
        // A zone identifier (after %25 inside brackets) has looser rules (encodeZone): only its escapes are checked.
        var checked = host
        if host.hasPrefix("["), let zone = host.range(of: "%25"), let close = host.lastIndex(of: "]") {
            guard escapesAreValid(host[zone.upperBound..<close]) else { return .failure(.badEscape) }
            checked = host[..<zone.lowerBound] + host[close...]
        }
        var bytes = checked.utf8.makeIterator()
        while let byte = bytes.next() {
            if byte == UInt8(ascii: "%") {
                // In a host only bytes from 0x80 may be escaped (and %25, the zone's percent sign).
                guard let high = bytes.next(), let low = bytes.next(), let value = hex(high), hex(low) != nil else { return .failure(.badEscape) }
                if value < 8 && !(high == UInt8(ascii: "2") && low == UInt8(ascii: "5")) { return .failure(.badEscape) }
                continue
            }
            if byte < 0x80 && hostNeedsEscape(byte) { return .failure(.badHostCharacter(Character(Unicode.Scalar(byte)))) }
        }
        return .success(String(host))
    }

    /// validOptionalPort: empty, or a colon followed by digits only.
    private static func validOptionalPort(_ port: Substring) -> Bool {
        if port.isEmpty { return true }
        guard port.first == ":" else { return false }
        return port.utf8.dropFirst().allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// shouldEscape(c, encodeHost) for ASCII: letters, digits, `-_.~`, sub-delims, `:[]<>"` stay.
    private static func hostNeedsEscape(_ byte: UInt8) -> Bool {
        if isAlphanumeric(byte) { return false }
        return !"!$&'()*+,;=:[]<>\"-_.~".utf8.contains(byte)
    }

    /// validUserinfo: unreserved characters, sub-delims, `:`, `%` and `@`.
    private static func validUserinfo(_ text: Substring) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            guard scalar.isASCII else { return false }
            let byte = UInt8(scalar.value)
            return isAlphanumeric(byte) || "-._:~!$&'()*+,;=%@".utf8.contains(byte)
        }
    }

    /// unescape: every `%` is followed by two hex digits.
    private static func escapesAreValid(_ text: Substring) -> Bool {
        var bytes = text.utf8.makeIterator()
        while let byte = bytes.next() {
            guard byte == UInt8(ascii: "%") else { continue }
            guard let high = bytes.next(), let low = bytes.next(), hex(high) != nil, hex(low) != nil else { return false }
        }
        return true
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
