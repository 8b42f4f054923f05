import NIOCore
import Testing
@testable import BackstageServe

/// What the server learns from a decrypted packet the SSH library answers by itself.
@Suite struct RequestWatchTests {
    static func packet(_ id: UInt8, _ build: (inout ByteBuffer) -> Void) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(id)
        build(&buffer)
        return buffer
    }

    static func string(_ text: String, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt32(text.utf8.count))
        buffer.writeString(text)
    }

    static func notice(_ payload: ByteBuffer) -> InboundNotice? { RequestWatch.notice(in: payload)?.0 }

    static func channelRequest(_ name: String, channel: UInt32 = 7, data: (inout ByteBuffer) -> Void = { _ in }) -> ByteBuffer {
        packet(98) { buffer in
            buffer.writeInteger(channel)
            string(name, into: &buffer)
            buffer.writeInteger(UInt8(1))
            data(&buffer)
        }
    }

    static func publicKeyRequest(_ algorithm: String) -> ByteBuffer {
        packet(50) { buffer in
            for text in ["backstage", "ssh-connection", "publickey"] { string(text, into: &buffer) }
            buffer.writeInteger(UInt8(0))
            string(algorithm, into: &buffer)
            string("blob", into: &buffer)
        }
    }

    @Test func agentAndX11RequestsAreNamedAndKnownOnesLeftToTheSessionHandler() {
        #expect(Self.notice(Self.channelRequest("auth-agent-req@openssh.com")) == .channelRequest(channel: 7, name: "auth-agent-req@openssh.com"))
        #expect(Self.notice(Self.channelRequest("x11-req", channel: 0)) == .channelRequest(channel: 0, name: "x11-req"))
        for handled in ["pty-req", "env", "shell", "exec", "subsystem", "window-change", "signal"] {
            #expect(Self.notice(Self.channelRequest(handled)) == nil, "\(handled)")
        }
    }

    @Test func keysTheLibraryCannotCheckAreNamed() {
        #expect(Self.notice(Self.publicKeyRequest("rsa-sha2-512")) == .unsupportedKey(algorithm: "rsa-sha2-512"))
        #expect(Self.notice(Self.publicKeyRequest("ssh-rsa")) == .unsupportedKey(algorithm: "ssh-rsa"))
        #expect(Self.notice(Self.publicKeyRequest("ssh-ed25519")) == nil)
        #expect(Self.notice(Self.publicKeyRequest("ecdsa-sha2-nistp256")) == nil)
        let none = Self.packet(50) { buffer in for text in ["backstage", "ssh-connection", "none"] { Self.string(text, into: &buffer) } }
        #expect(Self.notice(none) == nil)
    }

    @Test func truncatedOrHostilePacketsAreCappedOrIgnored() {
        // A name of 5000 bytes is cut to 64 for the log.
        let long = Self.notice(Self.channelRequest(String(repeating: "z", count: 5000)))
        #expect(long == .channelRequest(channel: 7, name: String(repeating: "z", count: 64)))
        // A length beyond the packet, or a packet cut short, is nothing.
        let lying = Self.packet(98) { buffer in
            buffer.writeInteger(UInt32(1))
            buffer.writeInteger(UInt32(1_000_000))
            buffer.writeString("x11-req")
        }
        #expect(Self.notice(lying) == nil)
        #expect(Self.notice(Self.packet(98) { $0.writeInteger(UInt16(1)) }) == nil)
        #expect(Self.notice(ByteBuffer()) == nil)
        // Other messages are not looked at.
        #expect(Self.notice(Self.packet(94) { Self.string("x11-req", into: &$0) }) == nil)
    }

    @Test func anUnknownRequestReachesTheLibraryWithoutItsDataSoItIsRefusedNotFatal() {
        let x11 = Self.channelRequest("x11-req", channel: 0) { buffer in
            buffer.writeInteger(UInt8(0))
            Self.string("MIT-MAGIC-COOKIE-1", into: &buffer)
            Self.string("0123456789abcdef", into: &buffer)
            buffer.writeInteger(UInt32(0))
        }
        #expect(RequestWatch.watch(x11) == Self.channelRequest("x11-req", channel: 0))
        // What the session handler gets, and anything else, passes unchanged.
        let exec = Self.channelRequest("exec") { Self.string("connections list", into: &$0) }
        #expect(RequestWatch.watch(exec) == exec)
        let data = Self.packet(94) { $0.writeInteger(UInt32(0)); Self.string("typed", into: &$0) }
        #expect(RequestWatch.watch(data) == data)
    }

    @Test func theBannerIsFramedInWholeBlocksWithEnoughPadding() {
        for text in ["", "x", String(repeating: "y", count: 10), WatchedTransport.loginBanner] {
            var buffer = ByteBuffer()
            WatchedTransport.writeBanner(text, into: &buffer)
            let length = Int(buffer.readInteger(as: UInt32.self) ?? 0)
            #expect(length == buffer.readableBytes && length % 16 == 0, "\(text)")
            let padding = Int(buffer.readInteger(as: UInt8.self) ?? 0)
            #expect(padding >= 4 && padding < 20, "\(text)")
            #expect(buffer.readInteger(as: UInt8.self) == 53)
            let count = Int(buffer.readInteger(as: UInt32.self) ?? 0)
            #expect(buffer.readString(length: count) == text)
            #expect(buffer.readInteger(as: UInt32.self) == 0)
            #expect(buffer.readableBytes == padding)
        }
    }

    @Test func everyBundledCipherIsWatchedUnderItsOwnName() {
        let names = WatchedTransport.schemes.map { $0.cipherName }
        #expect(names == ["aes256-gcm@openssh.com", "aes128-gcm@openssh.com"])
        #expect(WatchedTransport.schemes.allSatisfy { $0 is WatchedTransport.Type })
        #expect(WatchedAES256GCM.keySizes.encryptionKeySize == 32 && WatchedAES128GCM.keySizes.encryptionKeySize == 16)
    }

    @Test func terminalSizesAreClampedToOneThousand() {
        #expect(SessionHandler.clamp(100_000) == 1000)
        #expect(SessionHandler.clamp(0) == 1)
        #expect(SessionHandler.clamp(80) == 80)
    }
}
