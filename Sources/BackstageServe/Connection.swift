import Foundation
import NIOCore
import NIOSSH

/// One TCP connection: who it is once logged in, and its sessions. Touched from its event loop
/// and from the server's timers, hence the lock.
final class Connection: @unchecked Sendable {
    let id: Int
    /// `ip:port` of the client, and the ip alone for from= and the per-address cap.
    let address: String
    let ip: String
    let channel: Channel
    private let lock = NSLock()
    private var _admin: AuthorizedKey?
    private var _readOnly = false
    private var _signedAttempts = 0
    private var _sessions: [Int: Session] = [:]

    init(id: Int, channel: Channel) {
        self.id = id
        self.channel = channel
        ip = channel.remoteAddress?.ipAddress ?? "?"
        address = channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
    }

    var admin: AuthorizedKey? { lock.withLock { _admin } }
    var readOnly: Bool { lock.withLock { _readOnly } }
    var sessions: [Session] { lock.withLock { Array(_sessions.values) } }

    func authenticated(as admin: AuthorizedKey, readOnly: Bool) {
        lock.withLock {
            _admin = admin
            _readOnly = readOnly || admin.readOnly
        }
    }

    /// Counts a signed attempt and returns how many there have been.
    func countSignedAttempt() -> Int { lock.withLock { _signedAttempts += 1; return _signedAttempts } }

    func add(_ session: Session) { lock.withLock { _sessions[session.id] = session } }
    func remove(_ session: Session) { lock.withLock { _ = _sessions.removeValue(forKey: session.id) } }

    func who(session: Int? = nil) -> ServeLog.Who {
        let admin = self.admin
        return ServeLog.Who(address: address, fingerprint: admin?.fingerprint, admin: admin?.name, session: session)
    }
}
