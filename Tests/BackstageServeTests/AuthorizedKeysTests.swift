import Foundation
import Testing
@testable import BackstageServe

@Suite struct AuthorizedKeysTests {
    static let alice = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIISx4sI4nq2TMqU6hYwdiE9OrqqrWEvxT1SwanU5CmfD"
    /// `ssh-keygen -lf` of `alice`.
    static let aliceFingerprint = "SHA256:YQVI33Dh8zqqDQ9FYQOY/E+ohzbmJZYGAxFNbRjyFUU"
    static let bob = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBJuWu/ChPdkvcXK0LCW0jIwdZ/bCeanSIMk9PKbK9hSUJ1s4J7fFIc2aGB+76FvED2TMERF2ACiyPOmy5vxtNXI="
    static let carolRSA = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQChSc0WBPAYmDTocX8ICGHD0GvCrgRglMWgA0Itw35UE+aXC4t0+rDR/6RhRQv4RpU+DWRxV6YVCzYXvIyV2xkfNTotgm1KWV4I5WOx5eNJkr5KTdsHNaiV15Jsh8cDqS4BS6Wyjj30uttuSYIPw1lDKnHRBMc46IgBtnL41NzxNQ=="

    func refusal(_ text: String) -> String {
        do {
            _ = try AuthorizedKeys.parse(text, file: "keys")
            return "parsed"
        } catch {
            return "\(error)"
        }
    }

    @Test func namesComeFromTheEnvironmentOptionElseTheComment() throws {
        let keys = try AuthorizedKeys.parse("""
            # admins
            \(Self.alice) alice@laptop

            environment="BACKSTAGE_ACTOR=bob.ops",environment="BACKSTAGE_ROLE=read" \(Self.bob) someone@desk
            """)
        #expect(keys.keys.map(\.name) == ["alice", "bob.ops"])
        #expect(keys.keys.map(\.readOnly) == [false, true])
        #expect(keys.keys.map(\.line) == [2, 4])
        #expect(keys.keys[0].fingerprint == Self.aliceFingerprint)
        #expect(keys.keys.allSatisfy { $0.ptyAllowed })
    }

    @Test func rsaLinesAreSkippedWithAReason() throws {
        let keys = try AuthorizedKeys.parse("\(Self.carolRSA) carol@old\n\(Self.alice) alice@x", file: "keys")
        #expect(keys.keys.map(\.name) == ["alice"])
        #expect(keys.skipped.count == 1)
        #expect(keys.skipped[0].contains("keys line 1") && keys.skipped[0].contains("ssh-rsa") && keys.skipped[0].contains("ed25519"))
    }

    @Test func refusesWhatItCannotHonour() {
        #expect(refusal("cert-authority \(Self.alice) ca@x").contains("line 1: certificates"))
        #expect(refusal("sk-ssh-ed25519@openssh.com AAAA x@y").contains("sk-"))
        #expect(refusal("\(Self.alice) alice@a\n\(Self.alice) other@b").contains("line 2: this key is already listed on line 1"))
        #expect(refusal("\(Self.alice) alice@a\n\(Self.bob) alice@b").contains("line 2: the admin name alice is already used"))
        #expect(refusal("\(Self.alice) Alice@a").contains("admin name \"Alice\""))
        #expect(refusal("\(Self.alice)").contains("no admin name"))
        #expect(refusal("environment=\"BACKSTAGE_ACTOR=\(String(repeating: "a", count: 33))\" \(Self.alice)").contains("1–32"))
        #expect(refusal("environment=\"BACKSTAGE_ROLE=admin\" \(Self.alice) a@b").contains("neither read nor write"))
        #expect(refusal("frobnicate \(Self.alice) a@b").contains("unknown option \"frobnicate\""))
        #expect(refusal("from=unquoted \(Self.alice) a@b").contains("double quotes"))
        #expect(refusal("from=\"10.0.0.0/40\" \(Self.alice) a@b").contains("address block"))
        #expect(refusal("expiry-time=\"2026\" \(Self.alice) a@b").contains("expiry-time"))
        #expect(refusal("ssh-ed25519 AAAAnotakey a@b").contains("does not decode"))
    }

    @Test func restrictAndNoPtyTakeTheTerminalAway() throws {
        let keys = try AuthorizedKeys.parse("""
            restrict \(Self.alice) alice@a
            restrict,pty,command="backstage --actor bob" \(Self.bob) bob@b
            """)
        #expect(keys.keys.map(\.ptyAllowed) == [false, true])
        let noPty = try AuthorizedKeys.parse("no-pty,no-port-forwarding \(Self.alice) alice@a")
        #expect(noPty.keys[0].ptyAllowed == false)
    }

    @Test func fromAndExpiryLimitWhereAndUntilWhen() throws {
        let keys = try AuthorizedKeys.parse("""
            from="127.0.0.1,10.1.0.0/16,!10.1.2.3",expiry-time="20300101" \(Self.alice) alice@a
            expiry-time="202001011200Z" \(Self.bob) bob@b
            """)
        let alice = keys.keys[0], bob = keys.keys[1]
        #expect(alice.refusal(address: "127.0.0.1") == nil)
        #expect(alice.refusal(address: "10.1.200.7") == nil)
        #expect(alice.refusal(address: "10.1.2.3")?.contains("from=") == true)
        #expect(alice.refusal(address: "192.168.1.1")?.contains("from=") == true)
        #expect(alice.refusal(address: "127.0.0.1", now: Date(timeIntervalSince1970: 1_900_000_000))?.contains("expired") == true)
        #expect(bob.refusal(address: "127.0.0.1")?.contains("expired") == true)
        #expect(bob.refusal(address: "127.0.0.1", now: Date(timeIntervalSince1970: 1_577_880_000 - 60)) == nil)
    }

    @Test func wildcardsMatchAddresses() throws {
        let patterns = try AddressPatterns("192.168.?.*,::1")
        #expect(patterns.matches("192.168.4.20"))
        #expect(patterns.matches("::1"))
        #expect(!patterns.matches("192.168.40.20"))
    }

    @Test func quotedValuesMayHoldCommasAndQuotes() throws {
        let keys = try AuthorizedKeys.parse(#"command="backstage --actor \"x\", y",environment="BACKSTAGE_ACTOR=carol" \#(Self.alice) k"#)
        #expect(keys.keys.map(\.name) == ["carol"])
    }
}
