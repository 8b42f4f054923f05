import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// `backstage serve` with the real OpenSSH client asking for what the server never gives:
/// port forwarding, agent and X11 forwarding, subsystems, other environment variables, and
/// logins with keys it cannot check. Each is refused and has its own log line naming who.
extension ConsoleEndToEnd {
    @Suite("serve over SSH: refusals")
    struct ServeOverSSHRefusalTests {
        /// A refusal's line names the address, the key, the admin and (for a channel) the session.
        static func expectAttributed(_ line: String, session: Bool, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(line.contains(" addr=127.0.0.1:") && line.contains(" key=SHA256:") && line.contains(" admin=alice"),
                    "\(line)", sourceLocation: sourceLocation)
            #expect(line.contains(" session=") == session, "\(line)", sourceLocation: sourceLocation)
        }

        @Test func agentX11SubsystemsAndOtherEnvironmentAreRefusedWithALogLineEach() async throws {
            let workspace = try Workspace()
            let serve = try ServeFixture(workspace: workspace)
            let alice = try await serve.makeKey("alice")
            try serve.authorize(alice)
            try await serve.start()

            // Agent forwarding (-A) with a real agent: refused; the command still runs.
            let agentSocket = workspace.path("agent.sock")
            let agent = try Spawn.background("/usr/bin/ssh-agent", ["-D", "-a", agentSocket], environment: workspace.environment,
                                             stdout: workspace.path("agent.out"), stderr: workspace.path("agent.err"))
            defer { kill(agent, SIGTERM); _ = Spawn.hasExited(agent) }
            try await Self.waitForFile(agentSocket)
            let forwarded = try await serve.exec(key: alice, "connections list", options: ["-A"], environment: ["SSH_AUTH_SOCK": agentSocket])
            #expect(forwarded.status == 0, "\(forwarded)")
            Self.expectAttributed(try await serve.waitForLine("refused agent forwarding (ssh -A)"), session: true)

            // X11 (-X asks even with no X server behind DISPLAY): refused, and the session goes on
            // (NIOSSH alone would drop the connection over the request's data).
            let x11 = try await serve.exec(key: alice, "connections list", options: ["-X"], environment: ["DISPLAY": ":99"])
            #expect(x11.status == 0 && x11.stderr.contains("X11 forwarding request failed on channel 0"), "\(x11)")
            Self.expectAttributed(try await serve.waitForLine("refused X11 forwarding (ssh -X)"), session: true)

            // A subsystem (sftp, or any name) is refused and named.
            let sftp = try await serve.exec(key: alice, "sftp", options: ["-s"])
            #expect(sftp.status != 0, "\(sftp)")
            Self.expectAttributed(try await serve.waitForLine("refused the subsystem \"sftp\""), session: true)

            // TERM, LANG and NO_COLOR are taken; anything else is refused, its name cleaned and capped.
            let hostile = "EVIL\u{1B}[2J" + String(repeating: "X", count: 300)
            let env = try await serve.exec(key: alice, "connections list",
                                           options: ["-o", "SetEnv=TERM=vt100 LANG=C.UTF-8 NO_COLOR=1 FOO=bar \(hostile)=1"])
            #expect(env.status == 0, "\(env)")
            Self.expectAttributed(try await serve.waitForLine("refused the environment variable FOO"), session: true)
            let capped = try await serve.waitForLine("refused the environment variable EVIL")
            Self.expectAttributed(capped, session: true)
            #expect(!capped.contains("\u{1B}") && capped.contains("…") && capped.count < 300, "\(capped)")
            #expect(serve.logLines(containing: "refused the environment variable TERM").isEmpty)
            #expect(serve.logLines(containing: "refused the environment variable LANG").isEmpty)
            #expect(serve.logLines(containing: "refused the environment variable NO_COLOR").isEmpty)
            #expect(await serve.stop() == 0, "serve did not exit cleanly on SIGTERM")
        }

        @Test func localAndRemotePortForwardingAreRefusedWithALogLineEach() async throws {
            let workspace = try Workspace()
            let serve = try ServeFixture(workspace: workspace)
            let alice = try await serve.makeKey("alice")
            try serve.authorize(alice)
            try await serve.start()

            // -R: the server will not listen for the client.
            let remote = try await serve.exec(key: alice, "connections list", options: ["-R", "0:127.0.0.1:9", "-o", "ExitOnForwardFailure=yes"])
            #expect(remote.stderr.contains("remote port forwarding failed"), "\(remote)")
            Self.expectAttributed(try await serve.waitForLine("refused remote port forwarding (ssh -R)"), session: false)

            // -L: ssh listens locally; a connection there asks the server for a channel to the target,
            // which it refuses.
            let localPort = try Self.freePort()
            let client = try Spawn.background("/usr/bin/ssh", serve.sshArguments(key: alice, options: ["-N", "-L", "\(localPort):127.0.0.1:9"]),
                                              environment: serve.sshEnvironment(), stdout: workspace.path("ssh-L.out"), stderr: workspace.path("ssh-L.err"))
            defer { kill(client, SIGTERM); _ = Spawn.hasExited(client) }
            let deadline = Date().addingTimeInterval(E2E.deadline)
            var forwarded: RawConnection?
            while forwarded == nil && Date() < deadline {
                forwarded = try? RawConnection(port: localPort)
                if forwarded == nil { try await Task.sleep(for: .milliseconds(50)) } // ssh is not listening yet; poll until the deadline
            }
            let socket = try #require(forwarded, "ssh -L never listened on \(localPort)")
            #expect(socket.readUntilClosed(timeout: E2E.deadline) == "")
            Self.expectAttributed(try await serve.waitForLine("refused port forwarding (ssh -L, -D or -W) to 127.0.0.1:9"), session: true)
            #expect(await serve.stop() == 0, "serve did not exit cleanly on SIGTERM")
        }

        static func waitForFile(_ path: String) async throws {
            let deadline = Date().addingTimeInterval(E2E.deadline)
            while !FileManager.default.fileExists(atPath: path) {
                guard Date() < deadline else { throw E2E.Failure(description: "\(path) never appeared") }
                try await Task.sleep(for: .milliseconds(20)) // poll for the file until the deadline
            }
        }

        /// A port nothing listens on now (the kernel's choice, released at once).
        static func freePort() throws -> Int {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                    bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
                }
            }
            guard bound else { throw E2E.Failure(description: "no free port") }
            return Int(UInt16(bigEndian: address.sin_port))
        }
    }
}
