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
    private var _startedLogin = false
    private var _unsupportedKeys: [String] = []
    /// Session ids by the SSH channel number they run on, and what was already logged once.
    private var _channelSessions: [UInt32: Int] = [:]
    private var _noticed: Set<String> = []

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

    /// The client asked to log in at least once (OpenSSH starts with "none").
    func startedLogin() { lock.withLock { _startedLogin = true } }

    /// A key type the library cannot check; true the first time this type is offered.
    func offeredUnsupportedKey(_ algorithm: String) -> Bool {
        lock.withLock {
            guard !_unsupportedKeys.contains(algorithm) else { return false }
            _unsupportedKeys.append(algorithm)
            return true
        }
    }

    /// Why a connection that never logged in failed, when the client never offered a key this
    /// server can check (its ssh then says only "Permission denied (publickey)").
    var noCheckableKeyOffered: String? {
        lock.withLock {
            guard _admin == nil, _startedLogin, _signedAttempts == 0 else { return nil }
            if !_unsupportedKeys.isEmpty {
                return "the client offered only keys this server cannot check (\(_unsupportedKeys.joined(separator: ", ")))"
            }
            return "the client gave up without offering an ed25519 or ECDSA key (an RSA-only client offers none here)"
        }
    }

    func register(channel: UInt32, session: Int) { lock.withLock { _channelSessions[channel] = session } }
    func session(onChannel channel: UInt32) -> Int? { lock.withLock { _channelSessions[channel] } }

    /// True the first time `what` happens on this connection (a client may repeat a request).
    func firstTime(_ what: String) -> Bool { lock.withLock { _noticed.count < 64 && _noticed.insert(what).inserted } }

    func add(_ session: Session) { lock.withLock { _sessions[session.id] = session } }
    func remove(_ session: Session) { lock.withLock { _ = _sessions.removeValue(forKey: session.id) } }

    func who(session: Int? = nil) -> ServeLog.Who {
        let admin = self.admin
        return ServeLog.Who(address: address, fingerprint: admin?.fingerprint, admin: admin?.name, session: session)
    }
}
