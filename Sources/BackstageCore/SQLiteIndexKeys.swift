import Foundation

/// How an audience is kept for indexed lookups: the text the matcher compares (the trimmed
/// audience, without the `*` of a wildcard) and the key near misses compare. Derived by the same
/// code as `AudienceMatcher` and `NearMissIndex`, so SQLite's byte comparisons give their answers.
struct AudienceKeys {
    /// nil for a blank audience, which matches nothing.
    let matchText: String?
    let isWildcard: Bool
    /// A wildcard's loose prefix (compared byte for byte as a prefix), or an exact audience's loose
    /// key without a trailing slash (compared as Swift compares strings: folded to NFC); nil when
    /// the audience is not an http(s) URL.
    let looseKey: String?

    init(_ raw: String) {
        let audience = raw.trimmingWhitespace()
        guard !audience.isEmpty else {
            (matchText, isWildcard, looseKey) = (nil, false, nil)
            return
        }
        let wildcard = audience.hasSuffix("*")
        let text = wildcard ? String(audience.dropLast()) : audience
        (matchText, isWildcard) = (text, wildcard)
        looseKey = LooseURL(text).map { wildcard ? $0.key : LookupKey.canonical($0.keyWithoutTrailingSlash) }
    }

    /// The audience as matches and near misses name it (trimmed).
    static func audience(matchText: String, isWildcard: Bool) -> String { isWildcard ? matchText + "*" : matchText }
}

/// Keys under which names are looked up, so that an index finds every item Swift's `==` would.
enum LookupKey {
    /// Swift compares strings by canonical equivalence (NFC); SQLite compares bytes.
    static func canonical(_ text: String) -> String {
        text.utf8.allSatisfy { $0 < 0x80 } ? text : text.precomposedStringWithCanonicalMapping
    }

    /// What StoreLookup's "ignoring letter case" compares.
    static func folded(_ name: String) -> String { canonical(name.lowercased()) }

    /// Every prefix of `text` that ends on a character boundary of its UTF-8 (a stored key is valid
    /// UTF-8, so no other prefix can equal one), shortest first, the empty one included.
    static func prefixes(of text: String) -> [String] {
        let bytes = Array(text.utf8)
        var found = [""]
        for end in 1...max(bytes.count, 1) where end <= bytes.count && (end == bytes.count || bytes[end] & 0xC0 != 0x80) {
            found.append(String(decoding: bytes[..<end], as: UTF8.self))
        }
        return found
    }

    /// The least string above every string that starts with `prefix`, or nil when there is none
    /// (the empty prefix): the upper end of an index range scan. UTF-8 orders as code points do.
    static func upperBound(ofPrefix prefix: String) -> String? {
        var scalars = Array(prefix.unicodeScalars)
        while let last = scalars.popLast() {
            var next = last.value + 1
            if next == 0xD800 { next = 0xE000 }
            if let scalar = Unicode.Scalar(next) {
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars)
                view.append(scalar)
                return String(view)
            }
        }
        return nil
    }
}
