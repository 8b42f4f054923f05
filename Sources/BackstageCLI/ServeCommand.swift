import ArgumentParser
import BackstageCore
import BackstageServe
import Foundation

/// `backstage serve`: the console and the CLI over SSH, one admin per key.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the console and the CLI over SSH to the admins of an authorized_keys file.",
        discussion: """
            Admins log in with `ssh -p PORT backstage@HOST` (any user name) and a key listed in the \
            authorized_keys file (ed25519 or ECDSA; OpenSSH's format); the name comes from \
            environment="BACKSTAGE_ACTOR=name" or the key's comment, and environment="BACKSTAGE_ROLE=read" \
            makes the admin read-only. With a terminal they get the console; with a command \
            (`ssh … connections list --json`) that one CLI command runs. The host key is generated \
            (ed25519) beside the database on first start unless --host-key names one.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Address and port to listen on (port 0: any free port).", valueName: "host:port"))
    var listen = "127.0.0.1:2222"

    @Option(name: .customLong("authorized-keys"), help: ArgumentHelp("The admins' public keys, in OpenSSH's authorized_keys format; re-read at each login.", valueName: "path"))
    var authorizedKeys: String

    @Option(name: .customLong("host-key"), help: ArgumentHelp("An OpenSSH private key file (ed25519 or ECDSA, no passphrase, mode 600). Default: ssh_host_ed25519_key beside the database, generated on first start.", valueName: "path"))
    var hostKey: String?

    @Option(name: .customLong("max-sessions"), help: ArgumentHelp("Sessions (consoles and commands) at once, all admins together.", valueName: "n"))
    var maxSessions = 16

    @Option(name: .customLong("max-sessions-per-admin"), help: ArgumentHelp("Sessions at once for one admin.", valueName: "n"))
    var maxSessionsPerAdmin = 4

    @Option(name: .customLong("idle-timeout"), help: ArgumentHelp("Seconds without a key press before a session ends (a warning comes first).", valueName: "seconds"))
    var idleTimeout: Double = 1800

    @Option(name: .customLong("login-timeout"), help: ArgumentHelp("Seconds a connection may take to log in.", valueName: "seconds"))
    var loginTimeout: Double = 30

    func validate() throws {
        guard maxSessions > 0, maxSessionsPerAdmin > 0 else { throw ValidationError("--max-sessions and --max-sessions-per-admin must be at least 1") }
        guard idleTimeout > 0, idleTimeout.isFinite, loginTimeout > 0, loginTimeout.isFinite else {
            throw ValidationError("--idle-timeout and --login-timeout must be positive numbers of seconds")
        }
        guard ServeSettings.parseListen(listen) != nil else { throw ValidationError("--listen must be host:port, e.g. 127.0.0.1:2222") }
        guard global.actorOption == nil else { throw ValidationError("--actor names one admin; serve names each admin from their key") }
    }

    func run() async throws {
        guard let (host, port) = ServeSettings.parseListen(listen) else { throw ValidationError("--listen must be host:port") }
        let (storeArguments, token, dataDirectory) = try await storeForChildren()
        let key: HostKey
        do {
            key = try HostKey.load(path: hostKey ?? dataDirectory + "/ssh_host_ed25519_key", generate: hostKey == nil)
        } catch let refusal as HostKey.Refusal {
            throw CLIFailure(message: refusal.description, status: ExitStatus.invalidInput)
        }
        var settings = ServeSettings(host: host, port: port, authorizedKeysPath: authorizedKeys, hostKey: key,
                                     executable: ServeCommand.executable(), storeArguments: storeArguments)
        settings.token = token
        settings.readOnly = try global.isReadOnly()
        settings.maxSessions = maxSessions
        settings.maxSessionsPerAdmin = maxSessionsPerAdmin
        settings.idleTimeout = idleTimeout
        settings.loginTimeout = loginTimeout
        let server: Server
        do { server = try Server(settings: settings) } catch let refusal as AuthorizedKeys.Refusal {
            throw CLIFailure(message: refusal.description, status: ExitStatus.invalidInput)
        }
        let bound = try server.start()
        let shownHost = host == "0.0.0.0" || host == "::" ? "HOST" : host
        let lines = [
            "backstage serve: listening on \(host.contains(":") ? "[\(host)]" : host):\(bound)",
            "host key: \(key.path) \(key.fingerprint)",
            "known_hosts: \(key.knownHostsLine(host: shownHost, port: bound))",
        ]
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        await Self.waitForTermination()
        server.stop()
    }

    /// The options every child gets for the store (its path, the log, the server and team; never
    /// the token, which goes through a pipe), the server's token, and the data directory.
    private func storeForChildren() async throws -> ([String], Secret?, String) {
        var arguments: [String] = []
        var token: Secret?
        let dataDirectory: String
        let target = try global.serverTarget()
        if let server = target.server {
            // Opening it once now reports a bad URL, team or token before anyone logs in.
            _ = try await global.openStore()
            token = try ServerToken.load(file: target.tokenFile, environment: ProcessEnvironment.current)
            arguments += ["--server", server, "--team", target.team ?? ""]
            if let caFile = global.caFile { arguments += ["--ca-file", Self.absolute(caFile)] }
            dataDirectory = (DatabaseFile.defaultPath() as NSString).deletingLastPathComponent
        } else {
            let db = Self.absolute(global.db ?? DatabaseFile.defaultPath())
            _ = try SQLiteStore(path: db)
            arguments += ["--db", db]
            if let team = global.team { arguments += ["--team", team] }
            dataDirectory = (db as NSString).deletingLastPathComponent
        }
        arguments += ["--connect-timeout", String(global.connectTimeout), "--timeout", String(global.timeout)]
        if let log = global.log ?? ProcessEnvironment.current["BACKSTAGE_LOG"], !log.isEmpty {
            _ = try global.activityLog()
            arguments += ["--log", Self.absolute(log)]
        }
        return (arguments, token, dataDirectory)
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    static func executable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? absolute(CommandLine.arguments[0])
    }

    /// Returns on SIGTERM or SIGINT.
    static func waitForTermination() async {
        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let once = Once()
            var sources: [DispatchSourceSignal] = []
            for number in [SIGTERM, SIGINT] {
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { if once.first() { continuation.resume() } }
                source.resume()
                sources.append(source)
            }
            Keep.sources = sources
        }
    }

    private final class Once: @unchecked Sendable {
        private let lock = NSLock()
        private var done = false
        func first() -> Bool { lock.withLock { defer { done = true }; return !done } }
    }

    private enum Keep {
        nonisolated(unsafe) static var sources: [DispatchSourceSignal] = []
    }
}
