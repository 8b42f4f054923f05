/// A URL that matches no audience but would, were it not for one of the commonest mis-wirings.
public struct NearMiss: Sendable, Equatable {
    public enum Reason: String, Sendable, Equatable, CaseIterable, Codable {
        case letterCase = "letter_case"
        case trailingSlash = "trailing_slash"
        case defaultPort = "default_port"
        case scheme

        public var phrase: String {
            switch self {
            case .letterCase: return "the letter case of the scheme or host"
            case .trailingSlash: return "a trailing slash"
            case .defaultPort: return "an explicit default port"
            case .scheme: return "http versus https"
            }
        }
    }

    public let connection: AudienceMatcher.ConnectionRef
    public let audience: String
    public let reasons: [Reason]

    /// "would match audience "…" of "name" but for a trailing slash"
    public var hint: String {
        "would match audience \(HTTPURL.maskingCredentials(audience)) of \"\(connection.name)\" but for \(reasons.map { $0.phrase }.joined(separator: " and "))"
    }
}

/// A URL reduced to what near misses ignore: scheme dropped, host lower-cased, a default port
/// dropped. Works on audience prefixes too (the text before a `*`).
struct LooseURL {
    let scheme: Substring
    let host: Substring
    let port: Substring?
    let rest: Substring

    /// Parsed on UTF-8 bytes: the delimiters are ASCII, and Character-by-Character searching
    /// made building the index at 100,000 audiences slow.
    init?(_ text: String) {
        let bytes = text.utf8
        guard let separator = text.schemeSeparator() else { return nil }
        scheme = text[..<separator.lowerBound]
        guard Self.isHTTP(scheme.utf8) else { return nil }
        let authorityEnd = bytes[separator.upperBound...].firstIndex { $0 == 0x2F || $0 == 0x3F || $0 == 0x23 } ?? bytes.endIndex
        let authority = text[separator.upperBound..<authorityEnd]
        rest = text[authorityEnd...]
        let portSeparator = authority.utf8.first == UInt8(ascii: "[")
            ? authority.utf8.firstIndex(of: UInt8(ascii: "]")).flatMap { close in authority.utf8[close...].firstIndex(of: UInt8(ascii: ":")) }
            : authority.utf8.lastIndex(of: UInt8(ascii: ":"))
        if let portSeparator {
            host = authority[..<portSeparator]
            port = authority[authority.utf8.index(after: portSeparator)...]
        } else {
            host = authority
            port = nil
        }
    }

    /// "http" or "https" in any letter case.
    private static func isHTTP(_ scheme: Substring.UTF8View) -> Bool {
        let lowered = scheme.map { $0 | 0x20 }
        return lowered.elementsEqual("http".utf8) || lowered.elementsEqual("https".utf8)
    }

    var defaultPort: String { scheme.lowercased() == "https" ? "443" : "80" }
    var hasDefaultPort: Bool { port == Substring(defaultPort) }

    /// Host (lower-cased) and port unless it is the scheme's default, then the rest.
    var key: String {
        // Appended as Substrings: `String + Substring` goes the generic way, whose first use
        // looks up associated types by demangling them (issue 18: a first frame's load).
        var key = host.lowercased()
        if let port, !hasDefaultPort {
            key.append(":")
            key.append(contentsOf: port)
        }
        key.append(contentsOf: rest)
        return key
    }

    /// The key without one trailing slash, for comparing whole URLs.
    var keyWithoutTrailingSlash: String {
        let key = self.key
        return key.hasSuffix("/") ? String(key.dropLast()) : key
    }
}

/// Audiences indexed by their loose form, so near misses cost as little as a match.
struct NearMissIndex: Sendable {
    private let entries: [AudienceMatcher.Entry]
    private let exactByLooseKey: [String: [Int32]]
    private let wildcardTable: [UInt64: [Int32]]
    private let wildcardLooseText: [Int32: [UInt8]]
    private let wildcardLengths: [Int]

    init(entries: [AudienceMatcher.Entry]) {
        self.entries = entries
        var exact: [String: [Int32]] = [:]
        var wildcard: [UInt64: [Int32]] = [:]
        var looseText: [Int32: [UInt8]] = [:]
        var lengths = Set<Int>()
        for (index, entry) in entries.enumerated() {
            guard let loose = LooseURL(String(decoding: entry.text, as: UTF8.self)) else { continue }
            if entry.isWildcard {
                let text = Array(loose.key.utf8)
                wildcard[PrefixHash.whole(text), default: []].append(Int32(index))
                looseText[Int32(index)] = text
                lengths.insert(text.count)
            } else {
                exact[loose.keyWithoutTrailingSlash, default: []].append(Int32(index))
            }
        }
        exactByLooseKey = exact
        wildcardTable = wildcard
        wildcardLooseText = looseText
        wildcardLengths = lengths.sorted(by: >)
    }

    /// Entries the URL misses narrowly, with the reasons; call only when nothing matched.
    func nearMisses(for url: String) -> [(Int32, [NearMiss.Reason])] {
        guard let loose = LooseURL(url) else { return [] }
        let bareKey = loose.keyWithoutTrailingSlash
        var found: [(Int32, [NearMiss.Reason])] = []
        for index in exactByLooseKey[bareKey] ?? [] {
            let audience = LooseURL(entries[Int(index)].audience)!
            let reasons = Self.reasons(url: loose, audience: audience, slashDiffers: loose.rest.hasSuffix("/") != audience.rest.hasSuffix("/"))
            if !reasons.isEmpty { found.append((index, reasons)) }
        }
        let probe = Array((bareKey + "/").utf8)
        let strictKey = Array(loose.key.utf8)
        PrefixHash.withPrefixHashes(of: probe) { hashes in
            for length in wildcardLengths where length <= probe.count {
                for index in wildcardTable[hashes[length]] ?? [] {
                    guard let text = wildcardLooseText[index], text.count == length, probe.starts(with: text) else { continue }
                    let audience = LooseURL(String(decoding: entries[Int(index)].text, as: UTF8.self))!
                    let reasons = Self.reasons(url: loose, audience: audience, slashDiffers: !strictKey.starts(with: text))
                    if !reasons.isEmpty { found.append((index, reasons)) }
                }
            }
        }
        return found
    }

    static func reasons(url: LooseURL, audience: LooseURL, slashDiffers: Bool) -> [NearMiss.Reason] {
        var reasons: [NearMiss.Reason] = []
        let schemesDiffer = url.scheme.lowercased() != audience.scheme.lowercased()
        let caseDiffers = (!schemesDiffer && url.scheme != audience.scheme) || url.host != audience.host
        if caseDiffers { reasons.append(.letterCase) }
        if slashDiffers { reasons.append(.trailingSlash) }
        if url.hasDefaultPort != audience.hasDefaultPort && (url.port == nil || audience.port == nil) {
            reasons.append(.defaultPort)
        }
        if schemesDiffer { reasons.append(.scheme) }
        return reasons
    }
}
