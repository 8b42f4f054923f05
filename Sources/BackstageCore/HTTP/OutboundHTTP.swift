import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// One HTTP exchange, and its reply.
public struct OutboundRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: [UInt8]?
    /// Read the reply only up to the size limit and cut it there, as Mattermost reads a command's
    /// reply (a LimitReader), instead of refusing a larger one.
    public var cutsReplyAtLimit = false

    public init(method: String, url: String, headers: [(String, String)] = [], body: [UInt8]? = nil, cutsReplyAtLimit: Bool = false) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.cutsReplyAtLimit = cutsReplyAtLimit
    }
}

public struct OutboundResponse: Sendable {
    public let status: Int
    public let reason: String
    public let headers: [(String, String)]
    public let body: [UInt8]
    public let elapsed: Duration
    /// The reply went on past the size limit and was cut there (`cutsReplyAtLimit`).
    public var cut = false

    public func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }
}

/// The only place backstage talks HTTP. The client (and its threads) is made on first use, so
/// commands that need no network pay nothing for it. Redirects are never followed: a secret must
/// not travel to a URL nobody configured. Cancelling the calling task cancels the request.
public final class OutboundHTTP: Sendable {
    public let settings: HTTPSettings
    private let lazyClient = Mutex<HTTPClient?>(nil)

    public init(settings: HTTPSettings = .standard()) {
        self.settings = settings
    }

    /// One event loop thread for every client of the process, made on first use and never shut
    /// down (as NIO's own singleton). NIO's singleton makes one per core, and makes them all at
    /// once: 16 threads cost a one-shot command ~1 ms more than one (issue 18). backstage's HTTP is
    /// a few exchanges at a time, waiting on the network.
    static let loops = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// A client nobody shut down is shut down here (AsyncHTTPClient insists), never on a NIO thread.
    deinit {
        let client = lazyClient.withLock { existing -> HTTPClient? in
            defer { existing = nil }
            return existing
        }
        try? client?.syncShutdown()
    }

    func client() throws -> HTTPClient {
        try lazyClient.withLock { existing in
            if let existing { return existing }
            var tls = TLSConfiguration.makeClientConfiguration()
            if let file = settings.extraCAFile {
                guard FileManager.default.isReadableFile(atPath: file) else {
                    throw HTTPFailure.unreadableCAFile(path: file)
                }
                tls.additionalTrustRoots = [.file(file)]
            }
            var configuration = HTTPClient.Configuration(
                tlsConfiguration: tls,
                redirectConfiguration: .disallow,
                timeout: .init(connect: .nanoseconds(settings.connectTimeout.nanoseconds)))
            // Fail at once with the real cause (refused, DNS) instead of retrying until the deadline.
            configuration.connectionPool.retryConnectionEstablishment = false
            configuration.httpVersion = .http1Only
            let client = HTTPClient(eventLoopGroupProvider: .shared(Self.loops), configuration: configuration)
            existing = client
            return client
        }
    }

    /// Runs `body` with a client and always shuts it down afterwards. The client (and NIO's event
    /// loop threads) is made at once on another thread, while `body` opens and reads the store: a
    /// one-shot `validate` or `run` waits ~1 ms less for its first request (issue 18). A client
    /// that cannot be made (an unreadable CA file) is left to `send`, which reports why.
    public static func using<T: Sendable>(_ settings: HTTPSettings, _ body: (OutboundHTTP) async throws -> T) async throws -> T {
        let http = OutboundHTTP(settings: settings)
        let warming = Task.detached { _ = try? http.client() }
        do {
            let value = try await body(http)
            await warming.value
            await http.shutdown()
            return value
        } catch {
            await warming.value // so that a client made after an early failure is shut down too
            await http.shutdown()
            throw error
        }
    }

    /// A client is made and not shut down yet.
    var hasClient: Bool { lazyClient.withLock { $0 != nil } }

    /// Shuts the client down if it was ever made.
    public func shutdown() async {
        let client = lazyClient.withLock { existing -> HTTPClient? in
            defer { existing = nil }
            return existing
        }
        try? await client?.shutdown()
    }

    public func send(_ request: OutboundRequest) async throws(HTTPFailure) -> OutboundResponse {
        let host = HTTPURL.hostName(of: request.url) ?? request.url
        // Accepted for storage is not trusted with a secret: only to the host Mattermost would contact.
        if let reason = HTTPURL.refusalToSend(request.url) { throw .unsendable(url: HTTPURL.maskingCredentials(request.url), reason: reason) }
        let started = ContinuousClock.now
        do {
            let client = try client()
            var outgoing = HTTPClientRequest(url: request.url)
            outgoing.method = HTTPMethod(rawValue: request.method)
            for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
            if let body = request.body {
                outgoing.body = .bytes(ByteBuffer(bytes: body))
            }
            let prepared = outgoing
            let limit = settings.maxBodyBytes
            let total = settings.totalTimeout
            return try await withThrowingTaskGroup(of: OutboundResponse?.self) { group in
                let cuts = request.cutsReplyAtLimit
                group.addTask {
                    let response = try await client.execute(prepared, deadline: .now() + .nanoseconds(total.nanoseconds))
                    var body: [UInt8] = []
                    var cut = false
                    if cuts {
                        for try await chunk in response.body {
                            let room = limit - body.count
                            guard chunk.readableBytes <= room else {
                                body += chunk.readableBytesView.prefix(room)
                                cut = true
                                break
                            }
                            body += chunk.readableBytesView
                        }
                    } else {
                        if let length = response.headers.first(name: "content-length").flatMap(Int.init), length > limit {
                            throw HTTPFailure.tooLarge(host: host, limit: limit)
                        }
                        body = Array(buffer: try await response.body.collect(upTo: limit))
                    }
                    return OutboundResponse(
                        status: Int(response.status.code), reason: response.status.reasonPhrase,
                        headers: response.headers.map { ($0.name, $0.value) }, body: body,
                        elapsed: ContinuousClock.now - started, cut: cut)
                }
                group.addTask {
                    try await Task.sleep(for: total) // the whole exchange, body included
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let response = first else {
                    throw HTTPFailure.timeout(host: host, limit: total)
                }
                return response
            }
        } catch let failure as HTTPFailure {
            throw failure
        } catch {
            throw Self.classify(error, host: host, port: HTTPURL.port(of: request.url), settings: settings)
        }
    }

    static func classify(_ error: any Error, host: String, port: Int, settings: HTTPSettings) -> HTTPFailure {
        if error is CancellationError { return .cancelled }
        if error is NIOTooManyBytesError { return .tooLarge(host: host, limit: settings.maxBodyBytes) }
        if let error = error as? HTTPClientError {
            switch error {
            case .cancelled: return .cancelled
            case .connectTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout:
                return .connectTimeout(host: host, limit: settings.connectTimeout)
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return .timeout(host: host, limit: settings.totalTimeout)
            case .remoteConnectionClosed, .uncleanShutdown, .bodyLengthMismatch:
                return .closedEarly(host: host)
            case .invalidURL, .emptyHost, .emptyScheme:
                return .other(host: host, detail: "invalid URL")
            default:
                return .other(host: host, detail: TerminalText.sanitized("\(error)"))
            }
        }
        if let error = error as? NIOConnectionError {
            if error.connectionErrors.isEmpty && (error.dnsAError != nil || error.dnsAAAAError != nil) {
                return .dns(host: host)
            }
            if let first = error.connectionErrors.first?.error {
                return classify(first, host: host, port: port, settings: settings)
            }
            return .dns(host: host)
        }
        if error is SocketAddressError { return .dns(host: host) }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return .refused(host: host, port: port)
            case ECONNRESET, EPIPE: return .closedEarly(host: host)
            case ETIMEDOUT: return .connectTimeout(host: host, limit: settings.connectTimeout)
            case EHOSTUNREACH, ENETUNREACH: return .other(host: host, detail: "no route to the host")
            default: return .other(host: host, detail: String(cString: strerror(error.errnoCode)))
            }
        }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout: return .connectTimeout(host: host, limit: settings.connectTimeout)
            case .eof, .ioOnClosedChannel, .outputClosed, .alreadyClosed: return .closedEarly(host: host)
            default: return .other(host: host, detail: "\(error)")
            }
        }
        if let error = error as? NIOSSLError {
            return .tls(host: host, detail: TerminalText.sanitized(Self.describeTLS(error)))
        }
        if let error = error as? NIOSSLExtraError {
            return .tls(host: host, detail: TerminalText.sanitized("\(error)"))
        }
        if let error = error as? HTTPParserError {
            return .other(host: host, detail: "the reply is not valid HTTP (\(error))")
        }
        return .other(host: host, detail: TerminalText.sanitized("\(error)"))
    }

    private static func describeTLS(_ error: NIOSSLError) -> String {
        let text = "\(error)"
        if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("certificate verify failed") {
            return "its certificate is not trusted (\(text))"
        }
        return text
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
