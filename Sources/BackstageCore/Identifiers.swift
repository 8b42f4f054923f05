import Foundation

/// Mattermost's `NewId`: 16 random bytes in a base32 alphabet without padding, 26 lowercase
/// letters and digits. Used for connection, command, team and user ids and command tokens.
public enum MattermostID {
    private static let alphabet = Array("ybndrfg8ejkmcpqxot1uwisza345h769".utf8)

    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in bytes.indices { bytes[index] = generator.next() }
        return encode(bytes)
    }

    /// A fixed id for a name (the same name gives the same id), for test payloads.
    public static func stable(_ name: String) -> String {
        // Two FNV-1a passes with different offsets give 16 well-spread bytes.
        var bytes: [UInt8] = []
        for offset: UInt64 in [0xcbf29ce484222325, 0x84222325cbf29ce4] {
            var hash = offset
            for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: hash >> UInt64(shift))) }
        }
        return encode(bytes)
    }

    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(26)
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[Int((buffer >> UInt32(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { output.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return String(decoding: output, as: UTF8.self)
    }

    /// Mattermost's `IsValidId`: exactly 26 ASCII letters or digits.
    public static func isValid(_ text: String) -> Bool {
        text.utf8.count == 26 && text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A)
        }
    }
}

/// Mattermost keeps times as milliseconds since 1970.
public enum Milliseconds {
    public static func now() -> Int64 { of(Date()) }

    public static func of(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    private static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    private static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                                 "October", "November", "December"]

    /// "Sunday, November 29, 2026 09:46 UTC": Mattermost's full date, always in UTC so two admins
    /// in different zones read the same thing. Computed directly: a DateFormatter would load ICU
    /// (megabytes of memory) for one fixed English format.
    public static func fullDate(_ milliseconds: Int64) -> String {
        var seconds = time_t(milliseconds.dividedRoundingDown(by: 1000))
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil else { return "\(milliseconds) ms" }
        func twoDigits(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekdays[Int(parts.tm_wday)]), \(months[Int(parts.tm_mon)]) \(parts.tm_mday), \(parts.tm_year + 1900) "
            + "\(twoDigits(parts.tm_hour)):\(twoDigits(parts.tm_min)) UTC"
    }

    /// "09:46 UTC": the time of day of a change made today, in UTC as `fullDate`.
    public static func timeOfDay(_ milliseconds: Int64) -> String {
        let full = fullDate(milliseconds)
        return full.hasSuffix(" UTC") ? String(full.suffix(9)) : full
    }
}

extension Int64 {
    /// Division that rounds towards minus infinity, so times before 1970 land in the right second.
    fileprivate func dividedRoundingDown(by divisor: Int64) -> Int64 {
        let (quotient, remainder) = quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? quotient - 1 : quotient
    }
}
