import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// A real HTTP/1.1 server on 127.0.0.1 (an ephemeral port) for tests: every request is recorded
/// and answered as the test's script says, including the ways real servers misbehave.
/// Replies go out in one write with TCP_NODELAY set, so Nagle adds no delay.
public final class ScriptedHTTPServer: Sendable {
    public struct Request: Sendable {
        public let method: String
        public let uri: String
        public let headers: [(String, String)]
        public let body: [UInt8]

        public var path: String { String(uri.split(separator: "?", maxSplits: 1).first ?? "") }
        public var query: String { uri.contains("?") ? String(uri.split(separator: "?", maxSplits: 1)[1]) : "" }
        public var bodyText: String { String(decoding: body, as: UTF8.self) }

        public func header(_ name: String) -> String? {
            headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
        }

        /// Form fields from the body (POST) and the query (GET), decoded.
        public var form: [String: String] {
            var fields: [String: String] = [:]
            for text in [query, bodyText] where !text.isEmpty {
                for pair in text.split(separator: "&") {
                    let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    func decode(_ part: Substring) -> String { part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part) }
                    fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
                }
            }
            return fields
        }
    }

    public enum Reply: Sendable {
        case respond(status: Int, headers: [(String, String)], body: [UInt8])
        /// Never answers; the connection stays open until the client gives up.
        case hang
        /// Closes the connection with a TCP reset before any reply.
        case reset
        /// A reply with no Content-Length: the body ends when the server closes the connection.
        case unframed(status: Int, headers: [(String, String)], body: [UInt8])
        /// Sends the head at once, then the body a few bytes at a time.
        case drip(status: Int, headers: [(String, String)], body: [UInt8], chunk: Int, every: Duration)

        public static func json(_ status: Int, _ text: String, headers: [(String, String)] = []) -> Reply {
            .respond(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(text.utf8))
        }

        public static func text(_ status: Int, _ text: String, contentType: String = "text/plain") -> Reply {
            .respond(status: status, headers: [("Content-Type", contentType)], body: Array(text.utf8))
        }
    }

    private let serverChannel: any Channel
    private let state: State
    public let port: Int

    final class State: Sendable {
        let script: @Sendable (Request) -> Reply
        let recorded = Mutex<[Request]>([])
        let connections = Mutex<[ObjectIdentifier: any Channel]>([:])

        init(script: @escaping @Sendable (Request) -> Reply) { self.script = script }
    }

    /// - Parameter tls: serve HTTPS with this certificate chain and key (PEM files).
    public init(tls: (certificate: String, key: String)? = nil, _ script: @escaping @Sendable (Request) -> Reply) async throws {
        let state = State(script: script)
        self.state = state
        let sslContext = try tls.map { tls in
            try NIOSSLContext(configuration: .makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(tls.certificate).map { .certificate($0) },
                privateKey: .file(tls.key)))
        }
        scheme = tls == nil ? "http" : "https"
        serverChannel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                state.connections.withLock { $0[ObjectIdentifier(channel)] = channel }
                channel.closeFuture.whenComplete { _ in _ = state.connections.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) } }
                return channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPRequestDecoder()))
                    try channel.pipeline.syncOperations.addHandler(ScriptHandler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        port = serverChannel.localAddress?.port ?? 0
    }

    private let scheme: String

    /// `https://localhost:port` when serving TLS (the test certificate names localhost).
    public var baseURL: String { scheme == "https" ? "https://localhost:\(port)" : "http://127.0.0.1:\(port)" }

    public func url(_ path: String) -> String { baseURL + path }

    public var requests: [Request] { state.recorded.withLock { $0 } }

    public func shutdown() async {
        let open = state.connections.withLock { Array($0.values) }
        for channel in open { try? await channel.close() }
        try? await serverChannel.close()
    }
}

private final class ScriptHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = ByteBuffer

    private let state: ScriptedHTTPServer.State
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(state: ScriptedHTTPServer.State) { self.state = state }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            let request = ScriptedHTTPServer.Request(
                method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name, $0.value) }, body: body)
            state.recorded.withLock { $0.append(request) }
            reply(state.script(request), context: context)
        }
    }

    private func reply(_ reply: ScriptedHTTPServer.Reply, context: ChannelHandlerContext) {
        switch reply {
        case .respond(let status, let headers, let body):
            var buffer = context.channel.allocator.buffer(capacity: body.count + 256)
            buffer.writeString(Self.head(status: status, headers: headers, length: body.count))
            buffer.writeBytes(body)
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        case .unframed(let status, let headers, let body):
            var buffer = context.channel.allocator.buffer(capacity: body.count + 256)
            buffer.writeString(Self.head(status: status, headers: headers + [("Connection", "close")], length: nil))
            buffer.writeBytes(body)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in channel.close(promise: nil) }
        case .hang:
            break
        case .reset:
            let channel = context.channel
            if let provider = channel as? SocketOptionProvider {
                provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
            } else {
                channel.close(promise: nil)
            }
        case .drip(let status, let headers, let body, let chunk, let every):
            var head = context.channel.allocator.buffer(capacity: 256)
            head.writeString(Self.head(status: status, headers: headers, length: body.count))
            context.writeAndFlush(wrapOutboundOut(head), promise: nil)
            Self.drip(ArraySlice(body), chunk: chunk, every: every, channel: context.channel)
        }
    }

    private static func drip(_ rest: ArraySlice<UInt8>, chunk: Int, every: Duration, channel: any Channel) {
        guard !rest.isEmpty, channel.isActive else { return }
        let nanos = every.components.seconds * 1_000_000_000 + every.components.attoseconds / 1_000_000_000
        channel.eventLoop.scheduleTask(in: .nanoseconds(nanos)) {
            let piece = rest.prefix(chunk)
            channel.writeAndFlush(channel.allocator.buffer(bytes: piece), promise: nil)
            drip(rest.dropFirst(piece.count), chunk: chunk, every: every, channel: channel)
        }
    }

    private static func head(status: Int, headers: [(String, String)], length: Int?) -> String {
        let reason = HTTPResponseStatus(statusCode: status).reasonPhrase
        var text = "HTTP/1.1 \(status) \(reason)\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let length { text += "Content-Length: \(length)\r\n" }
        return text + "\r\n"
    }
}
