/// Why an HTTP exchange failed before a usable reply arrived, in words a person can act on.
/// Every case names the host, since the admin's next step depends on which machine is wrong.
public enum HTTPFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidURL(String)
    /// Mattermost stores the URL, but backstage will not send a secret or token to it.
    case unsendable(url: String, reason: String)
    case unreadableCAFile(path: String)
    case dns(host: String)
    case refused(host: String, port: Int)
    case tls(host: String, detail: String)
    case connectTimeout(host: String, limit: Duration)
    case timeout(host: String, limit: Duration)
    case closedEarly(host: String)
    case tooLarge(host: String, limit: Int)
    case cancelled
    case other(host: String, detail: String)

    public var description: String {
        switch self {
        case .invalidURL(let url):
            return "\(url) is not a valid http:// or https:// URL"
        case .unsendable(let url, let reason):
            return "backstage will not send to \(url): \(reason.prefix(1).lowercased() + reason.dropFirst())"
        case .unreadableCAFile(let path):
            return "cannot read the CA file \(path) (named by --ca-file or SSL_CERT_FILE)"
        case .dns(let host):
            return "cannot resolve the host name \(host) (DNS): check the spelling, or the machine's resolver"
        case .refused(let host, let port):
            return "\(host) refused the connection on port \(port): nothing listens there, or a firewall rejects it"
        case .tls(let host, let detail):
            return "TLS with \(host) failed: \(detail). If \(host) uses a corporate CA, pass --ca-file or set SSL_CERT_FILE"
        case .connectTimeout(let host, let limit):
            return "could not connect to \(host) within \(limit.secondsText): the host is down or a firewall drops the packets"
        case .timeout(let host, let limit):
            return "\(host) did not answer within \(limit.secondsText)"
        case .closedEarly(let host):
            return "\(host) closed the connection before a complete reply"
        case .tooLarge(let host, let limit):
            return "the reply from \(host) is larger than \(limit / 1024) KiB and was refused"
        case .cancelled:
            return "cancelled"
        case .other(let host, let detail):
            return "the request to \(host) failed: \(detail)"
        }
    }
}
