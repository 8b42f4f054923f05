import BackstageCore
import Foundation

/// The server's log, one line per event on standard error: time, address, key fingerprint,
/// admin and session, then what happened. Client-supplied text is sanitised and capped; failed
/// logins are rate-limited per address so a scan cannot flood the log. Never a secret.
public final class ServeLog: @unchecked Sendable {
    private let lock = NSLock()
    private let sink: @Sendable (String) -> Void
    private var failures: [String: (windowStart: Date, count: Int, suppressed: Int)] = [:]
    static let failuresPerMinute = 10

    public init(sink: @escaping @Sendable (String) -> Void = { line in FileHandle.standardError.write(Data(line.utf8)) }) {
        self.sink = sink
    }

    struct Who {
        var address: String?
        var fingerprint: String?
        var admin: String?
        var session: Int?
    }

    func line(_ message: String, _ who: Who = Who()) {
        let time = Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
        var fields = [time]
        if let address = who.address { fields.append("addr=\(address)") }
        if let fingerprint = who.fingerprint { fields.append("key=\(fingerprint)") }
        if let admin = who.admin { fields.append("admin=\(admin)") }
        if let session = who.session { fields.append("session=\(session)") }
        fields.append(LogText.clean(message, limit: 600))
        let text = fields.joined(separator: " ") + "\n"
        lock.withLock { sink(text) }
    }

    /// A failed login: logged at most `failuresPerMinute` times a minute per address, then counted.
    func failure(_ message: String, _ who: Who) {
        let key = who.address.map { String($0.split(separator: ":").dropLast().joined(separator: ":")) } ?? "?"
        let now = Date()
        let (shouldLog, suppressed) = lock.withLock { () -> (Bool, Int) in
            var entry = failures[key] ?? (now, 0, 0)
            if now.timeIntervalSince(entry.windowStart) > 60 { entry = (now, 0, entry.suppressed) }
            entry.count += 1
            if entry.count > Self.failuresPerMinute {
                entry.suppressed += 1
                failures[key] = entry
                return (false, 0)
            }
            let suppressed = entry.suppressed
            entry.suppressed = 0
            failures[key] = entry
            if failures.count > 10_000 { failures.removeAll() }
            return (true, suppressed)
        }
        guard shouldLog else { return }
        line(suppressed > 0 ? "\(message) (and \(suppressed) failed logins not logged)" : message, who)
    }
}
