import Foundation

/// Limits and trust for every request backstage sends (token requests, test-fired commands).
public struct HTTPSettings: Sendable, Equatable {
    /// Time to open the connection (TCP and TLS).
    public var connectTimeout: Duration
    /// Time for the whole exchange, reply body included (Mattermost's outgoing default: 30 s).
    public var totalTimeout: Duration
    /// Replies larger than this are refused (Mattermost reads at most 1 MiB).
    public var maxBodyBytes: Int
    /// A PEM file of extra certificate authorities, trusted beside the system's.
    public var extraCAFile: String?

    public init(connectTimeout: Duration = .seconds(10), totalTimeout: Duration = .seconds(30),
                maxBodyBytes: Int = 1 << 20, extraCAFile: String? = nil) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxBodyBytes = maxBodyBytes
        self.extraCAFile = extraCAFile
    }

    /// `--ca-file` wins; else `SSL_CERT_FILE`, as OpenSSL-based tools read it.
    public static func standard(caFile: String? = nil, environment: [String: String] = ProcessEnvironment.current) -> HTTPSettings {
        HTTPSettings(extraCAFile: caFile ?? environment["SSL_CERT_FILE"].flatMap { $0.isEmpty ? nil : $0 })
    }
}

extension Duration {
    /// Whole and fractional seconds, for messages ("10 s", "0.5 s").
    var secondsText: String {
        let (seconds, attoseconds) = components
        if attoseconds == 0 { return "\(seconds) s" }
        let value = Double(seconds) + Double(attoseconds) / 1e18
        return "\((value * 1000).rounded() / 1000) s"
    }
}
