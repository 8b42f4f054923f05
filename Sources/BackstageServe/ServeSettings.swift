import BackstageCore
import Foundation

/// What `backstage serve` was asked to do.
public struct ServeSettings: Sendable {
    public var host: String
    public var port: Int
    public var authorizedKeysPath: String
    public var hostKey: HostKey
    /// The binary children run (this one) and the store options every child gets first.
    public var executable: String
    public var storeArguments: [String]
    /// Server mode's token, handed to each child through an inherited pipe (never argv or env).
    public var token: Secret?
    /// Every admin read-only (`serve --readonly`), whatever their key says.
    public var readOnly = false
    public var maxSessions = 16
    public var maxSessionsPerAdmin = 4
    public var maxUnauthenticated = 32
    public var maxUnauthenticatedPerAddress = 8
    public var loginTimeout: TimeInterval = 30
    public var idleTimeout: TimeInterval = 30 * 60
    /// How often the authorized_keys file is re-read to end the sessions of removed keys.
    public var keyRecheckInterval: TimeInterval = 5
    public var maxSignedAttempts = 6
    public static let maxTerminalSize = 1000

    public init(host: String, port: Int, authorizedKeysPath: String, hostKey: HostKey, executable: String, storeArguments: [String]) {
        self.host = host
        self.port = port
        self.authorizedKeysPath = authorizedKeysPath
        self.hostKey = hostKey
        self.executable = executable
        self.storeArguments = storeArguments
    }

    /// `host:port`, `:port` or `[v6]:port`.
    public static func parseListen(_ text: String) -> (host: String, port: Int)? {
        var host: Substring
        var portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        if host.isEmpty { host = "0.0.0.0" }
        guard let port = Int(portText), (0...65535).contains(port) else { return nil }
        return (String(host), port)
    }
}
