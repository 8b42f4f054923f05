import Crypto
import Foundation
import NIOSSH
#if canImport(Glibc)
import Glibc
#endif

/// The server's host key: read from an OpenSSH private key file (ed25519 or ECDSA, unencrypted),
/// or generated (ed25519) on first start and kept 0600. A key file that group or others may
/// read is refused, as sshd refuses it.
public struct HostKey: Sendable {
    public let privateKey: NIOSSHPrivateKey
    public let path: String

    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    public var publicKey: NIOSSHPublicKey { privateKey.publicKey }
    public var fingerprint: String { Self.fingerprint(of: publicKey) }

    /// `[host]:port ssh-ed25519 AAAA…` (plain `host` on port 22), ready for known_hosts.
    public func knownHostsLine(host: String, port: Int) -> String {
        let name = port == 22 ? host : "[\(host)]:\(port)"
        return "\(name) \(String(openSSHPublicKey: publicKey))"
    }

    /// `SHA256:` and the unpadded base64 of the key blob's SHA-256, as `ssh-keygen -l` prints it.
    public static func fingerprint(of key: NIOSSHPublicKey) -> String {
        let digest = SHA256.hash(data: blob(of: key))
        var text = Data(digest).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return "SHA256:" + text
    }

    static func blob(of key: NIOSSHPublicKey) -> Data {
        let parts = String(openSSHPublicKey: key).split(separator: " ")
        return Data(base64Encoded: String(parts[1])) ?? Data()
    }

    /// The key at `path`; when `generate` and there is no file, a new ed25519 key written there (0600).
    public static func load(path: String, generate: Bool) throws -> HostKey {
        if !FileManager.default.fileExists(atPath: path) {
            guard generate else { throw Refusal("the host key \(path) does not exist") }
            let key = Curve25519.Signing.PrivateKey()
            try write(OpenSSHKeyFile.encode(ed25519: key, comment: "backstage serve host key"), to: path)
            return HostKey(privateKey: NIOSSHPrivateKey(ed25519Key: key), path: path)
        }
        var info = stat()
        guard lstat(path, &info) == 0 else { throw Refusal("cannot read the host key \(path): \(String(cString: strerror(errno)))") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw Refusal("the host key \(path) is not a regular file") }
        guard info.st_mode & 0o077 == 0 else {
            throw Refusal("the host key \(path) may be read by others (mode \(String(info.st_mode & 0o777, radix: 8))); chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw Refusal("cannot read the host key \(path)") }
        do {
            return HostKey(privateKey: try OpenSSHKeyFile.decode(String(decoding: data, as: UTF8.self)), path: path)
        } catch let error as OpenSSHKeyFile.Refusal {
            throw Refusal("the host key \(path): \(error.description)")
        }
    }

    private static func write(_ text: String, to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw Refusal("cannot create the host key \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        fchmod(fd, 0o600)
        let bytes = Array(text.utf8)
        guard Glibc.write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else {
            unlink(path)
            throw Refusal("cannot write the host key \(path): \(String(cString: strerror(errno)))")
        }
    }
}

/// OpenSSH's private key file ("openssh-key-v1"), unencrypted, one key.
enum OpenSSHKeyFile {
    struct Refusal: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static let begin = "-----BEGIN OPENSSH PRIVATE KEY-----"
    static let end = "-----END OPENSSH PRIVATE KEY-----"
    static let magic = Array("openssh-key-v1\0".utf8)

    static func encode(ed25519 key: Curve25519.Signing.PrivateKey, comment: String) -> String {
        let publicBytes = Array(key.publicKey.rawRepresentation)
        var publicBlob = Writer()
        publicBlob.string("ssh-ed25519")
        publicBlob.string(publicBytes)
        var secret = Writer()
        let check = UInt32.random(in: .min ... .max)
        secret.uint32(check)
        secret.uint32(check)
        secret.string("ssh-ed25519")
        secret.string(publicBytes)
        secret.string(Array(key.rawRepresentation) + publicBytes)
        secret.string(comment)
        var pad: UInt8 = 1
        while secret.bytes.count % 8 != 0 {
            secret.bytes.append(pad)
            pad += 1
        }
        var file = Writer()
        file.bytes = magic
        file.string("none")
        file.string("none")
        file.string([UInt8]())
        file.uint32(1)
        file.string(publicBlob.bytes)
        file.string(secret.bytes)
        let base64 = Data(file.bytes).base64EncodedString()
        var lines = [begin]
        var index = base64.startIndex
        while index < base64.endIndex {
            let next = base64.index(index, offsetBy: 70, limitedBy: base64.endIndex) ?? base64.endIndex
            lines.append(String(base64[index..<next]))
            index = next
        }
        lines.append(end)
        return lines.joined(separator: "\n") + "\n"
    }

    static func decode(_ text: String) throws -> NIOSSHPrivateKey {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = lines.firstIndex(of: begin), let last = lines.firstIndex(of: end), first < last else {
            if text.contains("BEGIN RSA PRIVATE KEY") || text.contains("ssh-rsa") {
                throw Refusal("RSA host keys are not supported; use ssh-keygen -t ed25519")
            }
            throw Refusal("not an OpenSSH private key file (ssh-keygen -t ed25519 -N '' -f FILE writes one)")
        }
        guard let data = Data(base64Encoded: lines[(first + 1)..<last].joined()) else { throw Refusal("its base64 does not decode") }
        var reader = Reader(Array(data))
        guard try reader.take(magic.count) == magic else { throw Refusal("not an openssh-key-v1 file") }
        let cipher = try reader.text()
        _ = try reader.text()
        _ = try reader.string()
        guard cipher == "none" else { throw Refusal("it is encrypted; remove the passphrase with ssh-keygen -p -N '' -f FILE") }
        guard try reader.uint32() == 1 else { throw Refusal("it holds more than one key") }
        _ = try reader.string()
        var secret = Reader(try reader.string())
        guard try secret.uint32() == (try secret.uint32()) else { throw Refusal("its check numbers differ (damaged)") }
        let type = try secret.text()
        switch type {
        case "ssh-ed25519":
            _ = try secret.string()
            let both = try secret.string()
            guard both.count == 64 else { throw Refusal("its ed25519 key has the wrong length") }
            return NIOSSHPrivateKey(ed25519Key: try Curve25519.Signing.PrivateKey(rawRepresentation: both.prefix(32)))
        case "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521":
            _ = try secret.string()
            _ = try secret.string()
            let scalar = try secret.string()
            let size = type.hasSuffix("256") ? 32 : type.hasSuffix("384") ? 48 : 66
            var raw = Array(scalar.drop { $0 == 0 })
            guard raw.count <= size else { throw Refusal("its ECDSA key has the wrong length") }
            raw = [UInt8](repeating: 0, count: size - raw.count) + raw
            switch size {
            case 32: return NIOSSHPrivateKey(p256Key: try P256.Signing.PrivateKey(rawRepresentation: raw))
            case 48: return NIOSSHPrivateKey(p384Key: try P384.Signing.PrivateKey(rawRepresentation: raw))
            default: return NIOSSHPrivateKey(p521Key: try P521.Signing.PrivateKey(rawRepresentation: raw))
            }
        case let other where other.contains("rsa"):
            throw Refusal("RSA host keys are not supported; use ssh-keygen -t ed25519")
        default:
            throw Refusal("unsupported key type \(LogText.clean(type))")
        }
    }

    struct Writer {
        var bytes: [UInt8] = []
        mutating func uint32(_ value: UInt32) { bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
        mutating func string(_ value: [UInt8]) {
            uint32(UInt32(value.count))
            bytes += value
        }
        mutating func string(_ value: String) { string(Array(value.utf8)) }
    }

    struct Reader {
        var bytes: ArraySlice<UInt8>
        init(_ bytes: [UInt8]) { self.bytes = bytes[...] }
        mutating func take(_ count: Int) throws -> [UInt8] {
            guard count >= 0, bytes.count >= count else { throw Refusal("it is truncated") }
            defer { bytes = bytes.dropFirst(count) }
            return Array(bytes.prefix(count))
        }
        mutating func uint32() throws -> UInt32 { try take(4).reduce(0) { $0 << 8 | UInt32($1) } }
        mutating func string() throws -> [UInt8] { try take(Int(try uint32())) }
        mutating func text() throws -> String { String(decoding: try string(), as: UTF8.self) }
    }
}
