/// OpenSSH's `from=` pattern-list, matched against the client's address only (no DNS): `*` and `?`
/// wildcards, `!` to exclude, and IPv4 CIDR blocks (a.b.c.d/n).
public struct AddressPatterns: Sendable, Equatable {
    let patterns: [(negated: Bool, text: String)]

    public static func == (left: AddressPatterns, right: AddressPatterns) -> Bool {
        left.patterns.map(\.text) == right.patterns.map(\.text) && left.patterns.map(\.negated) == right.patterns.map(\.negated)
    }

    init(_ list: String) throws {
        patterns = try list.split(separator: ",").map { item in
            let negated = item.hasPrefix("!")
            let text = String(negated ? item.dropFirst() : item).trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { throw AuthorizedKeys.Refusal("from= has an empty pattern") }
            if text.contains("/") && Self.cidr(text) == nil { throw AuthorizedKeys.Refusal("from= has a bad address block \"\(text)\"") }
            return (negated, text)
        }
        guard !patterns.isEmpty else { throw AuthorizedKeys.Refusal("from= is empty") }
    }

    public func matches(_ address: String) -> Bool {
        var matched = false
        for pattern in patterns where Self.matches(pattern.text, address) {
            if pattern.negated { return false }
            matched = true
        }
        return matched
    }

    static func matches(_ pattern: String, _ address: String) -> Bool {
        if let (network, bits) = cidr(pattern) {
            guard let value = ipv4(address) else { return false }
            let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
            return value & mask == network & mask
        }
        return wildcard(Array(pattern.lowercased()), Array(address.lowercased()))
    }

    static func wildcard(_ pattern: [Character], _ text: [Character]) -> Bool {
        guard let first = pattern.first else { return text.isEmpty }
        switch first {
        case "*": return (0...text.count).contains { wildcard(Array(pattern.dropFirst()), Array(text.dropFirst($0))) }
        case "?": return !text.isEmpty && wildcard(Array(pattern.dropFirst()), Array(text.dropFirst()))
        default: return text.first == first && wildcard(Array(pattern.dropFirst()), Array(text.dropFirst()))
        }
    }

    static func cidr(_ text: String) -> (UInt32, Int)? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let bits = Int(parts[1]), (0...32).contains(bits), let network = ipv4(String(parts[0])) else { return nil }
        return (network, bits)
    }

    static func ipv4(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard let number = UInt32(octet), number < 256 else { return nil }
            value = value << 8 | number
        }
        return value
    }
}
