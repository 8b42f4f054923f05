import NIOCore
import NIOPosix
import NIOSSH

/// What the SSH library answers by itself without telling the server: channel requests it does
/// not know (agent and X11 forwarding among them; it refuses them) and public keys of a type it
/// cannot check (RSA; it fails them). Both are seen in each decrypted packet so the server can
/// log them.
enum InboundNotice: Equatable {
    case channelRequest(channel: UInt32, name: String)
    case unsupportedKey(algorithm: String)
}

/// Sits just before NIOSSHHandler and names, for the packets decrypted while it passes bytes on,
/// the connection they belong to (decryption happens inside NIOSSHHandler's channelRead).
final class RequestWatch: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    final class Reporter {
        let report: (InboundNotice) -> Void
        init(_ report: @escaping (InboundNotice) -> Void) { self.report = report }
    }

    nonisolated(unsafe) private static let current = ThreadSpecificVariable<Reporter>()
    private let reporter: Reporter

    init(report: @escaping (InboundNotice) -> Void) {
        reporter = Reporter(report)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let previous = Self.current.currentValue
        Self.current.currentValue = reporter
        defer { Self.current.currentValue = previous }
        context.fireChannelRead(data)
    }

    /// Channel requests NIOSSH hands to the session handler (or answers for itself, for replies).
    static let handledRequests: Set<String> = [
        "pty-req", "env", "shell", "exec", "subsystem", "window-change", "xon-xoff", "signal", "exit-status", "exit-signal",
    ]
    /// Public key algorithms NIOSSH can check.
    static let checkableKeys: Set<String> = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"]

    /// Looks at one authenticated packet body (message number first) and returns what NIOSSH
    /// should parse: the same, except that a channel request it does not know loses its
    /// request-specific data. NIOSSH refuses such a request, but drops the whole connection when
    /// data follows its want-reply flag (x11-req has some), so `ssh -X` would lose its session.
    static func watch(_ payload: ByteBuffer) -> ByteBuffer {
        guard let (notice, keep) = notice(in: payload) else { return payload }
        current.currentValue?.report(notice)
        return keep.flatMap { payload.getSlice(at: payload.readerIndex, length: $0) } ?? payload
    }

    /// The notice, and for an unknown channel request how many bytes to keep (up to want-reply).
    static func notice(in payload: ByteBuffer) -> (InboundNotice, keep: Int?)? {
        var reader = payload
        switch reader.readInteger(as: UInt8.self) {
        case 98?: // SSH_MSG_CHANNEL_REQUEST: channel, request name, want-reply, …
            guard let channel = reader.readInteger(as: UInt32.self), let name = reader.readCappedString(),
                  !handledRequests.contains(name), reader.readInteger(as: UInt8.self) != nil else { return nil }
            return (.channelRequest(channel: channel, name: name), reader.readerIndex - payload.readerIndex)
        case 50?: // SSH_MSG_USERAUTH_REQUEST: user, service, method, [has-signature, algorithm, …]
            guard reader.readCappedString() != nil, reader.readCappedString() != nil, reader.readCappedString() == "publickey",
                  reader.readInteger(as: UInt8.self) != nil, let algorithm = reader.readCappedString(),
                  !checkableKeys.contains(algorithm) else { return nil }
            return (.unsupportedKey(algorithm: algorithm), nil)
        default:
            return nil
        }
    }
}

extension ByteBuffer {
    /// An SSH string's first `limit` bytes (client text: only ever logged, sanitised).
    fileprivate mutating func readCappedString(limit: Int = 64) -> String? {
        guard let length = readInteger(as: UInt32.self), Int(length) <= readableBytes,
              let bytes = readBytes(length: Int(length)) else { return nil }
        return String(decoding: bytes.prefix(limit), as: UTF8.self)
    }
}

/// The library's own transport protection (AES-GCM), unchanged, with each decrypted and
/// verified packet body shown to `RequestWatch.inspect` on its way in, and one user-auth banner
/// sent out before the first user-auth failure.
///
/// Why the banner goes out here: NIOSSH sends a banner only with a successful login, and fails
/// an RSA key (or, for OpenSSH's client, never even sees it) without asking the server. So the
/// one thing an RSA-only client can be told is said to every client, before it offers a key:
/// which keys log in here. OpenSSH prints it at its default log level (not with -q).
class WatchedTransport: NIOSSHTransportProtection {
    static let loginBanner = "backstage serve accepts ed25519 and ECDSA keys only; an RSA key cannot log in here (make one with: ssh-keygen -t ed25519)\r\n"
    class var base: NIOSSHTransportProtection.Type { fatalError("a subclass names its base") }
    class var cipherName: String { base.cipherName }
    class var macName: String? { base.macName }
    class var cipherBlockSize: Int { base.cipherBlockSize }
    class var keySizes: ExpectedKeySizes { base.keySizes }

    private let inner: NIOSSHTransportProtection
    private var bannerSent = false

    required init(initialKeys: NIOSSHSessionKeys) throws {
        inner = try Self.base.init(initialKeys: initialKeys)
    }

    var macBytes: Int { inner.macBytes }
    var lengthEncrypted: Bool { inner.lengthEncrypted }
    func updateKeys(_ newKeys: NIOSSHSessionKeys) throws { try inner.updateKeys(newKeys) }
    func decryptFirstBlock(_ source: inout ByteBuffer) throws { try inner.decryptFirstBlock(&source) }

    func decryptAndVerifyRemainingPacket(_ source: inout ByteBuffer, sequenceNumber: UInt32) throws -> ByteBuffer {
        RequestWatch.watch(try inner.decryptAndVerifyRemainingPacket(&source, sequenceNumber: sequenceNumber))
    }

    /// `destination`'s readable bytes are one framed packet: length, padding length, payload…
    func encryptPacket(_ destination: inout ByteBuffer, sequenceNumber: UInt32) throws {
        let start = destination.readerIndex
        guard !bannerSent, !inner.lengthEncrypted,
              destination.getInteger(at: start + 5, as: UInt8.self) == Self.userAuthFailure else {
            return try inner.encryptPacket(&destination, sequenceNumber: sequenceNumber)
        }
        bannerSent = true
        let failure = Array(destination.readableBytesView)
        destination.moveWriterIndex(to: start)
        Self.writeBanner(Self.loginBanner, into: &destination)
        try inner.encryptPacket(&destination, sequenceNumber: sequenceNumber)
        destination.moveReaderIndex(to: destination.writerIndex)
        destination.writeBytes(failure)
        try inner.encryptPacket(&destination, sequenceNumber: sequenceNumber &+ 1)
        destination.moveReaderIndex(to: start)
    }

    static let userAuthFailure: UInt8 = 51
    static let userAuthBanner: UInt8 = 53

    /// SSH_MSG_USERAUTH_BANNER framed for a cipher that leaves the length in the clear (AES-GCM):
    /// padding length, payload and 4 or more bytes of padding make whole 16-byte blocks.
    static func writeBanner(_ text: String, into buffer: inout ByteBuffer) {
        var payload = ByteBuffer()
        payload.writeInteger(userAuthBanner)
        payload.writeInteger(UInt32(text.utf8.count))
        payload.writeString(text)
        payload.writeInteger(UInt32(0)) // no language tag
        var padding = 16 - (1 + payload.readableBytes) % 16
        if padding < 4 { padding += 16 }
        buffer.writeInteger(UInt32(1 + payload.readableBytes + padding))
        buffer.writeInteger(UInt8(padding))
        buffer.writeBuffer(&payload)
        buffer.writeBytes((0..<padding).map { _ in UInt8.random(in: 0...255) })
    }

    /// The bundled schemes, in the library's order of preference, each watched when it can be.
    static var schemes: [NIOSSHTransportProtection.Type] {
        Constants.bundledTransportProtectionSchemes.map { scheme in
            switch scheme.cipherName {
            case WatchedAES256GCM.cipherName: WatchedAES256GCM.self
            case WatchedAES128GCM.cipherName: WatchedAES128GCM.self
            default: scheme
            }
        }
    }

    static func bundled(_ name: String) -> NIOSSHTransportProtection.Type {
        Constants.bundledTransportProtectionSchemes.first { $0.cipherName == name }!
    }
}

final class WatchedAES256GCM: WatchedTransport {
    override class var base: NIOSSHTransportProtection.Type { bundled("aes256-gcm@openssh.com") }
    override class var cipherName: String { "aes256-gcm@openssh.com" }
}

final class WatchedAES128GCM: WatchedTransport {
    override class var base: NIOSSHTransportProtection.Type { bundled("aes128-gcm@openssh.com") }
    override class var cipherName: String { "aes128-gcm@openssh.com" }
}
