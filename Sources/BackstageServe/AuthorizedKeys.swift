import BackstageCore
import Foundation
import NIOSSH

/// One admin's key from an authorized_keys file (OpenSSH's format).
public struct AuthorizedKey: Sendable, Equatable {
    public let name: String
    public let key: NIOSSHPublicKey
    /// `SHA256:…`, as `ssh-keygen -l` prints it.
    public let fingerprint: String
    public let readOnly: Bool
    /// `no-pty`, or `restrict` without `pty`: exec only.
    public let ptyAllowed: Bool
    /// `from="…"`: patterns the client's address must match; nil: anywhere.
    public let from: AddressPatterns?
    /// `expiry-time="…"`: the key stops working at this moment.
    public let expiry: Date?
    public let line: Int

    /// Whether this key may log in from `address` at `now`, or why not.
    public func refusal(address: String, now: Date = Date()) -> String? {
        if let expiry, now >= expiry { return "the key expired (expiry-time) at \(expiry)" }
        if let from, !from.matches(address) { return "the address \(address) is not in the key's from= list" }
        return nil
    }
}

/// The keys of an authorized_keys file, with the lines that were skipped and why.
public struct AuthorizedKeys: Sendable, Equatable {
    public let keys: [AuthorizedKey]
    /// Lines left out without refusing the file (RSA keys, which the SSH library cannot check).
    public let skipped: [String]

    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    public func admin(for key: NIOSSHPublicKey) -> AuthorizedKey? { keys.first { $0.key == key } }

    static let supportedTypes: Set<String> = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"]
    static let skippedTypes: Set<String> = ["ssh-rsa", "rsa-sha2-256", "rsa-sha2-512", "ssh-dss"]
    /// Options accepted and without effect here: this server never forwards anything, and
    /// `command=` is for OpenSSH's sshd (this server always runs backstage).
    static let ignoredOptions: Set<String> = [
        "no-port-forwarding", "no-agent-forwarding", "no-x11-forwarding", "no-user-rc", "port-forwarding",
        "agent-forwarding", "x11-forwarding", "user-rc", "command", "permitopen", "permitlisten", "tunnel",
    ]

    /// Parses the whole file: one bad line refuses all of it, naming the line, so a mistake is
    /// never half-applied.
    public static func parse(_ text: String, file: String = "authorized_keys") throws -> AuthorizedKeys {
        var keys: [AuthorizedKey] = []
        var skipped: [String] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = rawLine.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
            if line.isEmpty || line.hasPrefix("#") { continue }
            func refuse(_ why: String) -> Refusal { Refusal("\(file) line \(number): \(why)") }
            let parsed: ParsedLine
            do { parsed = try ParsedLine(line) } catch let error as Refusal { throw refuse(error.description) }
            let type = parsed.type
            if type.hasPrefix("sk-") { throw refuse("security-key (sk-) keys are not supported by this server") }
            if type.contains("-cert-v01@openssh.com") || parsed.options.keys.contains("cert-authority") {
                throw refuse("certificates (cert-authority) are not supported; list each admin's own key")
            }
            if skippedTypes.contains(type) {
                skipped.append("\(file) line \(number): skipped the \(type) key of \"\(LogText.clean(parsed.comment))\": RSA and DSA keys are not supported; use an ed25519 key (ssh-keygen -t ed25519)")
                continue
            }
            guard supportedTypes.contains(type) else { throw refuse("unknown key type \"\(LogText.clean(type))\"") }
            let key: NIOSSHPublicKey
            do { key = try NIOSSHPublicKey(openSSHPublicKey: "\(type) \(parsed.base64)") } catch {
                throw refuse("the \(type) key does not decode")
            }
            for option in parsed.options.keys where !knownOptions.contains(option) {
                throw refuse("unknown option \"\(LogText.clean(option))\"")
            }
            var environment: [String: String] = [:]
            for value in parsed.options["environment"] ?? [] {
                guard let equals = value.firstIndex(of: "=") else { throw refuse("environment=\"\(value)\" needs NAME=value") }
                environment[String(value[..<equals])] = String(value[value.index(after: equals)...])
            }
            let name: String
            if let actor = environment["BACKSTAGE_ACTOR"] {
                name = actor
            } else if let user = parsed.comment.split(separator: "@").first, !parsed.comment.isEmpty {
                name = String(user)
            } else {
                throw refuse("no admin name: add environment=\"BACKSTAGE_ACTOR=name\" or a comment like name@host")
            }
            guard isValidName(name) else {
                throw refuse("the admin name \"\(LogText.clean(name))\" must be 1–32 of a-z 0-9 . _ -")
            }
            let readOnly: Bool
            switch environment["BACKSTAGE_ROLE"] {
            case nil, "write"?: readOnly = false
            case "read"?: readOnly = true
            case let other?: throw refuse("BACKSTAGE_ROLE=\(LogText.clean(other)) is neither read nor write")
            }
            let restricted = parsed.options["restrict"] != nil
            let ptyAllowed = parsed.options["no-pty"] == nil && (!restricted || parsed.options["pty"] != nil)
            var from: AddressPatterns?
            if let patterns = parsed.options["from"] {
                do { from = try AddressPatterns(patterns.joined(separator: ",")) } catch let error as Refusal { throw refuse(error.description) }
            }
            var expiry: Date?
            if let values = parsed.options["expiry-time"] {
                guard values.count == 1, let date = expiryDate(values[0]) else {
                    throw refuse("expiry-time must be YYYYMMDD[HHMM[SS]] (UTC)")
                }
                expiry = date
            }
            if let earlier = keys.first(where: { $0.key == key }) {
                throw refuse("this key is already listed on line \(earlier.line) (as \(earlier.name)); list each key once")
            }
            if let earlier = keys.first(where: { $0.name == name }) {
                throw refuse("the admin name \(name) is already used on line \(earlier.line); names are unique")
            }
            keys.append(AuthorizedKey(name: name, key: key, fingerprint: HostKey.fingerprint(of: key), readOnly: readOnly,
                                      ptyAllowed: ptyAllowed, from: from, expiry: expiry, line: number))
        }
        return AuthorizedKeys(keys: keys, skipped: skipped)
    }

    /// 1–32 of a-z 0-9 . _ -
    public static func isValidName(_ name: String) -> Bool {
        (1...32).contains(name.utf8.count) && name.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D }
    }

    static let knownOptions: Set<String> = ignoredOptions.union(["environment", "from", "expiry-time", "restrict", "no-pty", "pty"])

    /// `YYYYMMDD[HHMM[SS]]`, read as UTC (a trailing Z is accepted).
    static func expiryDate(_ text: String) -> Date? {
        var digits = text
        if digits.hasSuffix("Z") { digits.removeLast() }
        guard [8, 12, 14].contains(digits.count), digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        let padded = Array(digits.padding(toLength: 14, withPad: "0", startingAt: 0))
        func number(_ range: Range<Int>) -> Int { Int(String(padded[range]))! }
        var components = DateComponents()
        components.timeZone = TimeZone(identifier: "UTC")
        (components.year, components.month, components.day) = (number(0..<4), number(4..<6), number(6..<8))
        (components.hour, components.minute, components.second) = (number(8..<10), number(10..<12), number(12..<14))
        guard components.isValidDate(in: Calendar(identifier: .gregorian)) else { return nil }
        return Calendar(identifier: .gregorian).date(from: components)
    }
}

/// One line split into options, key type, base64 blob and comment.
struct ParsedLine {
    var options: [String: [String]] = [:]
    var type = ""
    var base64 = ""
    var comment = ""

    init(_ line: String) throws {
        var rest = Substring(line)
        let firstWord = rest.prefix { $0 != " " && $0 != "\t" }
        if !Self.looksLikeKeyType(firstWord) {
            options = try Self.parseOptions(&rest)
            rest = rest.drop { $0 == " " || $0 == "\t" }
        }
        let fields = rest.split(maxSplits: 2, whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count >= 2 else { throw AuthorizedKeys.Refusal("expected [options] key-type base64-key [comment]") }
        type = String(fields[0])
        base64 = String(fields[1])
        comment = fields.count > 2 ? fields[2].trimmingCharacters(in: .whitespaces) : ""
    }

    static func looksLikeKeyType(_ word: Substring) -> Bool {
        word.hasPrefix("ssh-") || word.hasPrefix("ecdsa-") || word.hasPrefix("sk-") || word.hasPrefix("rsa-")
    }

    /// `name` or `name="value"` pairs separated by commas, up to the first unquoted blank.
    static func parseOptions(_ rest: inout Substring) throws -> [String: [String]] {
        var options: [String: [String]] = [:]
        while true {
            let name = rest.prefix { $0 != "=" && $0 != "," && $0 != " " && $0 != "\t" && $0 != "\"" }
            guard !name.isEmpty else { throw AuthorizedKeys.Refusal("an empty option") }
            rest = rest.dropFirst(name.count)
            let key = name.lowercased()
            if rest.first == "=" {
                rest = rest.dropFirst()
                guard rest.first == "\"" else { throw AuthorizedKeys.Refusal("the value of \(key)= must be in double quotes") }
                rest = rest.dropFirst()
                var value = ""
                var closed = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if character == "\\", rest.first == "\"" {
                        value.append("\"")
                        rest = rest.dropFirst()
                    } else if character == "\"" {
                        closed = true
                        break
                    } else {
                        value.append(character)
                    }
                }
                guard closed else { throw AuthorizedKeys.Refusal("the value of \(key)= has no closing quote") }
                options[key, default: []].append(value)
            } else {
                options[key, default: []].append("")
            }
            if rest.first == "," {
                rest = rest.dropFirst()
                continue
            }
            return options
        }
    }
}
