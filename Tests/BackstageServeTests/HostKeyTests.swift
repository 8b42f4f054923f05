import Foundation
import NIOSSH
import Testing
@testable import BackstageServe

@Suite struct HostKeyTests {
    func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "backstage-hostkey-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aGeneratedKeyIsKeptPrivateAndReadBackTheSame() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/data/ssh_host_ed25519_key"
        let first = try HostKey.load(path: path, generate: true)
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        let again = try HostKey.load(path: path, generate: true)
        #expect(again.publicKey == first.publicKey)
        #expect(first.fingerprint.hasPrefix("SHA256:") && !first.fingerprint.hasSuffix("="))
        #expect(first.knownHostsLine(host: "127.0.0.1", port: 2222).hasPrefix("[127.0.0.1]:2222 ssh-ed25519 AAAA"))
        #expect(first.knownHostsLine(host: "example.com", port: 22).hasPrefix("example.com ssh-ed25519 AAAA"))
    }

    @Test func aKeyOthersMayReadIsRefused() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/key"
        _ = try HostKey.load(path: path, generate: true)
        chmod(path, 0o640)
        #expect { try HostKey.load(path: path, generate: true) } throws: { "\($0)".contains("chmod 600") }
    }

    @Test func readsWhatSshKeygenWritesWithTheSameFingerprint() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for type in ["ed25519", "ecdsa"] {
            let path = directory + "/\(type)"
            try run("/usr/bin/ssh-keygen", ["-q", "-t", type, "-N", "", "-C", "test", "-f", path])
            let key = try HostKey.load(path: path, generate: false)
            let printed = try run("/usr/bin/ssh-keygen", ["-l", "-f", path + ".pub"])
            #expect(printed.contains(key.fingerprint), "\(type): \(printed) vs \(key.fingerprint)")
            let publicLine = try String(contentsOfFile: path + ".pub", encoding: .utf8)
            #expect(publicLine.hasPrefix(String(openSSHPublicKey: key.publicKey)))
        }
    }

    @Test func sshKeygenReadsWhatItGenerates() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/generated"
        let key = try HostKey.load(path: path, generate: true)
        let derived = try run("/usr/bin/ssh-keygen", ["-y", "-f", path])
        #expect(derived.hasPrefix(String(openSSHPublicKey: key.publicKey)))
    }

    @Test func refusesEncryptedAndForeignFiles() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let encrypted = directory + "/encrypted"
        try run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "passphrase", "-f", encrypted])
        #expect { try HostKey.load(path: encrypted, generate: false) } throws: { "\($0)".contains("encrypted") }
        let rsa = directory + "/rsa"
        try run("/usr/bin/ssh-keygen", ["-q", "-t", "rsa", "-b", "1024", "-N", "", "-f", rsa])
        #expect { try HostKey.load(path: rsa, generate: false) } throws: { "\($0)".contains("RSA") }
        #expect { try HostKey.load(path: directory + "/missing", generate: false) } throws: { "\($0)".contains("does not exist") }
    }

    @discardableResult
    func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileReadUnknown) }
        return String(decoding: data, as: UTF8.self)
    }
}
