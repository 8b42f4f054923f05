import Foundation
import NIOCore
import NIOPosix
import NIOSSH

/// `backstage serve`: an SSH server whose only programs are the console and the CLI, each run
/// as a child of this binary for the admin whose key logged in.
public final class Server: @unchecked Sendable {
    let settings: ServeSettings
    let log: ServeLog
    let keys: KeyFile
    private let group: MultiThreadedEventLoopGroup
    private let lock = NSLock()
    private var listener: Channel?
    private var connections: [Int: Connection] = [:]
    private var unauthenticated: [String: Int] = [:]
    private var sessionsByAdmin: [String: Int] = [:]
    /// Every child still running, whether or not its connection is still open.
    private var running: [Int: Session] = [:]
    private var nextID = 0
    private var stopping = false
    private var timers: [RepeatedTask] = []

    public init(settings: ServeSettings, log: ServeLog = ServeLog()) throws {
        self.settings = settings
        self.log = log
        keys = try KeyFile(path: settings.authorizedKeysPath, log: log)
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    }

    /// Binds and returns the port (the one given, or the one chosen for port 0).
    public func start() throws -> Int {
        signal(SIGPIPE, SIG_IGN) // a child that exits under a write must not end the server
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture { try self.setUp(channel) }
            }
        let channel = try bootstrap.bind(host: settings.host, port: settings.port).wait()
        lock.withLock { listener = channel }
        let loop = channel.eventLoop
        timers.append(loop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .milliseconds(Int64(settings.keyRecheckInterval * 1000))) { [self] _ in
            endSessionsOfRemovedKeys()
        })
        let idleCheck = max(0.2, min(settings.idleTimeout / 10, 10))
        timers.append(loop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .milliseconds(Int64(idleCheck * 1000))) { [self] _ in
            checkIdleSessions()
        })
        return channel.localAddress?.port ?? settings.port
    }

    /// Blocks until the listener is closed (by `stop`).
    public func waitUntilClosed() {
        let channel = lock.withLock { listener }
        try? channel?.closeFuture.wait()
    }

    /// SIGTERM: no new connections, each child asked to end (its console restores its terminal),
    /// then every connection closed once its children are gone (or after `grace`).
    public func stop(grace: TimeInterval = 5) {
        let (channel, all, sessions) = lock.withLock { () -> (Channel?, [Connection], [Session]) in
            stopping = true
            return (listener, Array(connections.values), Array(running.values))
        }
        log.line("stopping: ending \(sessions.count) sessions")
        for timer in timers { timer.cancel() }
        for session in sessions { session.end(with: SIGTERM, grace: grace) }
        let deadline = Date().addingTimeInterval(grace + 1)
        while Date() < deadline, sessions.contains(where: { !$0.hasExited }) {
            usleep(20_000) // waits for children to exit, bounded by the grace period
        }
        for session in sessions where !session.hasExited { kill(session.child.pid, SIGKILL) }
        for connection in all { _ = try? connection.channel.close().wait() }
        _ = try? channel?.close().wait()
        try? group.syncShutdownGracefully()
        log.line("stopped")
    }

    func track(_ session: Session) { lock.withLock { running[session.id] = session } }
    func untrack(_ session: Session) { lock.withLock { _ = running.removeValue(forKey: session.id) } }

    private func setUp(_ channel: Channel) throws {
        let connection: Connection? = lock.withLock {
            nextID += 1
            let connection = Connection(id: nextID, channel: channel)
            let pending = unauthenticated.values.reduce(0, +)
            guard !stopping, pending < settings.maxUnauthenticated,
                  unauthenticated[connection.ip, default: 0] < settings.maxUnauthenticatedPerAddress else { return nil }
            unauthenticated[connection.ip, default: 0] += 1
            connections[connection.id] = connection
            return connection
        }
        guard let connection else {
            log.line("refused a connection: too many not yet logged in", ServeLog.Who(address: channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" }))
            channel.close(promise: nil)
            return
        }
        log.line("connected", connection.who())
        var configuration = SSHServerConfiguration(hostKeys: [settings.hostKey.privateKey],
                                                   userAuthDelegate: KeyAuthentication(server: self, connection: connection),
                                                   globalRequestDelegate: ForwardingRefusal(server: self, connection: connection))
        configuration.transportProtectionSchemes = WatchedTransport.schemes
        configuration.maxAuthAttempts = settings.maxSignedAttempts * 3
        let handler = NIOSSHHandler(role: .server(configuration), allocator: channel.allocator) { [self] child, type in
            child.eventLoop.makeCompletedFuture {
                let id = self.lock.withLock { () -> Int in self.nextID += 1; return self.nextID }
                guard case .session = type, connection.admin != nil else {
                    self.log.line(Self.refusal(of: type), connection.who(session: id))
                    throw ChannelRefused()
                }
                try child.pipeline.syncOperations.addHandler(SessionHandler(server: self, connection: connection, id: id))
            }
        }
        let watch = RequestWatch { [self] notice in noticed(notice, on: connection) }
        try channel.pipeline.syncOperations.addHandlers([watch, handler, ConnectionErrors(server: self, connection: connection)])
        channel.closeFuture.whenComplete { [self] _ in
            for session in connection.sessions { session.end(with: SIGHUP) }
            closed(connection)
        }
        // Not logged in within the time allowed: closed.
        channel.eventLoop.scheduleTask(in: .milliseconds(Int64(settings.loginTimeout * 1000))) { [self] in
            if connection.admin == nil {
                log.line("closed: not logged in within \(Int(settings.loginTimeout)) s", connection.who())
                channel.close(promise: nil)
            }
        }
    }

    func loggedIn(_ connection: Connection) {
        lock.withLock { Self.decrement(&unauthenticated, connection.ip) }
    }

    func closed(_ connection: Connection) {
        lock.withLock {
            if connections.removeValue(forKey: connection.id) != nil, connection.admin == nil {
                Self.decrement(&unauthenticated, connection.ip)
            }
        }
        if let why = connection.noCheckableKeyOffered {
            log.failure("login failed: \(why); this server accepts ed25519 and ECDSA keys only", connection.who())
        }
        log.line("disconnected", connection.who())
    }

    /// What the SSH library refused by itself, logged once per connection and kind.
    private func noticed(_ notice: InboundNotice, on connection: Connection) {
        switch notice {
        case .channelRequest(let channel, let name):
            guard connection.firstTime("request \(channel) \(name)") else { return }
            let what = switch name {
            case "auth-agent-req@openssh.com", "auth-agent-req": "agent forwarding (ssh -A)"
            case "x11-req": "X11 forwarding (ssh -X)"
            default: "the channel request \"\(LogText.clean(name, limit: 64))\""
            }
            log.line("refused \(what)", connection.who(session: connection.session(onChannel: channel)))
        case .unsupportedKey(let algorithm):
            guard connection.offeredUnsupportedKey(algorithm) else { return }
            log.failure("login refused: the client offered a \(LogText.clean(algorithm, limit: 64)) key, which this server cannot check; it accepts ed25519 and ECDSA keys only",
                        connection.who())
        }
    }

    /// The log line for a channel other than a session (port forwarding), or one opened before login.
    static func refusal(of type: SSHChannelType) -> String {
        switch type {
        case .session:
            "refused a session channel before login"
        case .directTCPIP(let target):
            "refused port forwarding (ssh -L, -D or -W) to \(LogText.clean(target.targetHost, limit: 100)):\(target.targetPort)"
        case .forwardedTCPIP(let forwarded):
            "refused a forwarded-tcpip channel for \(LogText.clean(forwarded.listeningHost, limit: 100)):\(forwarded.listeningPort)"
        }
    }

    /// Why no session can start now, or nil with the session counted.
    func reserveSession(for admin: String) -> String? {
        lock.withLock {
            if stopping { return "the server is stopping" }
            if sessionsByAdmin.values.reduce(0, +) >= settings.maxSessions { return "the server already runs \(settings.maxSessions) sessions" }
            if sessionsByAdmin[admin, default: 0] >= settings.maxSessionsPerAdmin {
                return "\(admin) already has \(settings.maxSessionsPerAdmin) sessions"
            }
            sessionsByAdmin[admin, default: 0] += 1
            return nil
        }
    }

    func releaseSession(for admin: String) {
        lock.withLock { Self.decrement(&sessionsByAdmin, admin) }
    }

    private static func decrement(_ counts: inout [String: Int], _ key: String) {
        let value = counts[key, default: 0] - 1
        counts[key] = value > 0 ? value : nil
    }

    /// The child's arguments: the store options, who it is, then the command (none: the console).
    func childArguments(for connection: Connection, command: [String]) -> [String] {
        var arguments = [settings.executable] + settings.storeArguments
        if let admin = connection.admin { arguments += ["--actor", admin.name] }
        if connection.readOnly { arguments.append("--readonly") }
        return arguments + command
    }

    /// A key taken out of authorized_keys ends its admin's connections.
    private func endSessionsOfRemovedKeys() {
        let current = keys.reload(log: log)
        let all = lock.withLock { Array(connections.values) }
        for connection in all {
            guard let admin = connection.admin else { continue }
            if current.admin(for: admin.key)?.name != admin.name {
                log.line("key removed from the authorized keys: ending the connection", connection.who())
                for session in connection.sessions { session.end(with: SIGHUP) }
                connection.channel.close(promise: nil)
            }
        }
    }

    private func checkIdleSessions() {
        let all = lock.withLock { Array(connections.values) }
        let timeout = settings.idleTimeout
        let warnBefore = min(60, timeout / 2)
        for session in all.flatMap(\.sessions) where !session.hasExited {
            let (idle, warned) = session.idleState()
            if idle >= timeout {
                log.line("idle for \(Int(idle)) s: ending the session", session.who)
                session.tell("\r\nbackstage: this session was idle too long and ends now.\r\n")
                session.end(with: SIGHUP)
            } else if idle >= timeout - warnBefore && !warned {
                session.markWarned()
                session.tell("\r\nbackstage: idle session; it ends in \(Int(timeout - idle)) s unless you press a key (Ctrl-L redraws the screen).\r\n")
            }
        }
    }
}

struct ChannelRefused: Error {}

/// Public-key login against the authorized keys as they are now; at most
/// `maxSignedAttempts` signed attempts per connection, as OpenSSH's MaxAuthTries.
final class KeyAuthentication: NIOSSHServerUserAuthenticationDelegate {
    let server: Server
    let connection: Connection

    init(server: Server, connection: Connection) {
        self.server = server
        self.connection = connection
    }

    var supportedAuthenticationMethods: NIOSSHAvailableUserAuthenticationMethods { .publicKey }

    func requestReceived(request: NIOSSHUserAuthenticationRequest, responsePromise: EventLoopPromise<NIOSSHUserAuthenticationOutcome>) {
        connection.startedLogin()
        guard case .publicKey(let offered) = request.request else {
            return responsePromise.succeed(.failure)
        }
        let attempts = connection.countSignedAttempt()
        let fingerprint = HostKey.fingerprint(of: offered.publicKey)
        var who = connection.who()
        who.fingerprint = fingerprint
        let keys = server.keys.reload(log: server.log)
        if let admin = keys.admin(for: offered.publicKey) {
            who.admin = admin.name
            if let refusal = admin.refusal(address: connection.ip) {
                server.log.failure("login refused: \(refusal)", who)
            } else {
                connection.authenticated(as: admin, readOnly: server.settings.readOnly)
                server.loggedIn(connection)
                server.log.line("logged in\(connection.readOnly ? " (read-only)" : "")", who)
                return responsePromise.succeed(.success)
            }
        } else {
            server.log.failure("login refused: unknown key", who)
        }
        responsePromise.succeed(.failure)
        if attempts >= server.settings.maxSignedAttempts {
            server.log.failure("closed after \(attempts) failed logins", who)
            let channel = connection.channel
            channel.eventLoop.execute { channel.close(promise: nil) }
        }
    }
}

/// Remote port forwarding (ssh -R) is refused, with a log line.
struct ForwardingRefusal: GlobalRequestDelegate {
    let server: Server
    let connection: Connection

    func tcpForwardingRequest(_ request: GlobalRequest.TCPForwardingRequest, handler: NIOSSHHandler,
                              promise: EventLoopPromise<GlobalRequest.TCPForwardingResponse>) {
        if case .listen(let host, let port) = request {
            server.log.line("refused remote port forwarding (ssh -R) on \(LogText.clean(host, limit: 100)):\(port)", connection.who())
        }
        promise.fail(ChannelRefused())
    }
}

/// Logs a connection's errors, then closes it.
final class ConnectionErrors: ChannelInboundHandler, Sendable {
    typealias InboundIn = Any
    let server: Server
    let connection: Connection

    init(server: Server, connection: Connection) {
        self.server = server
        self.connection = connection
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        server.log.line("connection error: \(error)", connection.who())
        context.close(promise: nil)
    }
}
