import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

/// `backstage serve` with the real OpenSSH client: key login, the console in a terminal, one CLI
/// command per exec, and what is refused.
extension ConsoleEndToEnd {
    @Suite("serve over SSH")
    struct ServeOverSSHTests {
        static let secret = "Sup3r-s3cret-over-ssh"

        @Test func theConsoleOverSSHCreatesAConnectionAsTheAdminAndFollowsResizes() async throws {
            let workspace = try Workspace()
            let serve = try ServeFixture(workspace: workspace)
            let alice = try await serve.makeKey("alice")
            try serve.authorize(alice)
            try await serve.start()
            let pane = try await SSHPane(serve, key: alice)
            defer { pane.stop() }

            try await pane.waitFor("No Outgoing OAuth Connections found")
            try await pane.press("a")
            try await pane.waitFor("Outgoing OAuth Connections › Add")
            try await pane.type("Served")
            try await pane.press("Tab")
            try await pane.type("served-client")
            try await pane.press("Tab")
            try await pane.type(Self.secret)
            try await pane.press("Tab")
            try await pane.type("https://idp.example.com/token")
            try await pane.press("Tab", "Tab")
            try await pane.type("https://served.example.com/*")
            try await pane.waitFor("https://served.example.com/*")
            try await pane.press("C-s")
            try await pane.waitFor("Do you want to save anyway?")
            try await pane.press("y")
            try await pane.waitFor("Setup Successful")
            try await pane.press("Enter")
            try await pane.waitFor("Saved Served")
            #expect(try await workspace.connectionNames() == ["Served"])
            let activity = try String(contentsOfFile: workspace.path("activity.log"), encoding: .utf8)
            #expect(activity.contains(" alice created connection \"Served\""), "\(activity)")

            // A smaller window reaches the console through the SSH channel: its key hints move up
            // to the new last row.
            try await pane.resize(width: 70, height: 18)
            let small = try await pane.waitUntil("the console redrawn at 70x18") { screen in
                let rows = screen.split(separator: "\n", omittingEmptySubsequences: false)
                return rows.count >= 18 && rows[17].contains("a add") && rows.prefix(17).contains { $0.contains("Served") }
            }
            #expect(!small.contains("terminal too small"))

            let log = serve.serverLog()
            #expect(log.contains("admin=alice") && log.contains("console started"), "\(log)")
            #expect(!log.contains(Self.secret) && !activity.contains(Self.secret))
            #expect(await serve.stop() == 0, "serve did not exit cleanly on SIGTERM")
        }

        @Test func execRunsOneAllowedCommandWithItsStatusAndStderr() async throws {
            let workspace = try Workspace()
            try await workspace.addConnection("alpha HR", clientId: "cid-alpha", audience: "https://alpha.example.com/*")
            let serve = try ServeFixture(workspace: workspace)
            let bob = try await serve.makeKey("bob")
            try serve.authorize(bob, options: #"environment="BACKSTAGE_ACTOR=bob.ops""#)
            try await serve.start()

            let listed = try await serve.exec(key: bob, "connections list --json")
            #expect(listed.status == 0, "\(listed)")
            let rows = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]]
            #expect(rows?.compactMap { $0["name"] as? String } == ["alpha HR"], "\(listed)")

            let missing = try await serve.exec(key: bob, "connections show 'no such'")
            #expect(missing.status == 3, "\(missing)")
            #expect(missing.stderr.contains("no such"), "\(missing)")

            let refused = try await serve.exec(key: bob, "connections list --db /etc/passwd")
            #expect(refused.status == 64 && refused.stderr.contains("--db is not allowed"), "\(refused)")
            let shell = try await serve.exec(key: bob, "sh -c id")
            #expect(shell.status == 64 && shell.stderr.contains("not a command this server runs"), "\(shell)")

            let added = try await serve.exec(key: bob, "connections add --name 'Via exec' --client-id c --token-url https://idp.example.com/t --audience 'https://via.example.com/*' --client-secret-stdin",
                                             stdin: Self.secret + "\n")
            #expect(added.status == 0, "\(added)")
            #expect(try await workspace.connectionNames().contains("Via exec"))
            // import reads standard input, export writes standard output.
            let bundle = #"{"connections": [], "commands": [{"trigger": "piped", "url": "https://piped.example.com/x"}]}"#
            let imported = try await serve.exec(key: bob, "import", stdin: bundle)
            #expect(imported.status == 0 && imported.stdout.contains("Imported 0 connections and 1 slash commands"), "\(imported)")
            let exported = try await serve.exec(key: bob, "export")
            #expect(exported.status == 0 && exported.stdout.contains("\"trigger\" : \"piped\""), "\(exported)")
            let activity = try String(contentsOfFile: workspace.path("activity.log"), encoding: .utf8)
            #expect(activity.contains(" bob.ops created connection \"Via exec\""), "\(activity)")
            #expect(activity.contains(" bob.ops imported command /piped"), "\(activity)")
            #expect(!serve.serverLog().contains(Self.secret) && !activity.contains(Self.secret))
            #expect(await serve.stop() == 0, "serve did not exit cleanly on SIGTERM")
        }

        @Test func aReadOnlyAdminIsRefusedEveryChange() async throws {
            let workspace = try Workspace()
            let serve = try ServeFixture(workspace: workspace)
            let reader = try await serve.makeKey("reader")
            try serve.authorize(reader, options: #"environment="BACKSTAGE_ROLE=read""#)
            try await serve.start()
            let added = try await serve.exec(key: reader, "commands add --trigger ping --url https://x.example.com/ping")
            #expect(added.status == 8, "\(added)")
            #expect(added.stderr.contains("read-only: reader may look but not create a slash command"), "\(added)")
            let listed = try await serve.exec(key: reader, "commands list")
            #expect(listed.status == 0, "\(listed)")
            #expect(await serve.stop() == 0, "serve did not exit cleanly on SIGTERM")

            // serve --readonly makes every admin read-only, whatever their key says.
            let writer = try await serve.makeKey("writer")
            try serve.authorize(writer)
            try await serve.start(extra: ["--readonly"])
            let refused = try await serve.exec(key: writer, "commands add --trigger ping --url https://x.example.com/ping")
            #expect(refused.status == 8 && refused.stderr.contains("read-only: writer may look but not create a slash command"), "\(refused)")
            _ = try await serve.waitForLog("admin=writer logged in (read-only)")
            #expect(await serve.stop() == 0, "serve did not exit cleanly on SIGTERM")
        }

        @Test func aHostKeyMadeBySshKeygenIsServedAsGiven() async throws {
            let workspace = try Workspace()
            let serve = try ServeFixture(workspace: workspace)
            let alice = try await serve.makeKey("alice")
            try serve.authorize(alice)
            let hostKey = workspace.path("host_ecdsa")
            let made = try await Subprocess.run("/usr/bin/ssh-keygen", ["-q", "-t", "ecdsa", "-N", "", "-f", hostKey], environment: workspace.environment)
            try #require(made.status == 0, "\(made)")
            let listed = try await Subprocess.run("/usr/bin/ssh-keygen", ["-l", "-f", hostKey], environment: workspace.environment)
            let expected = try #require(listed.stdout.split(separator: " ").dropFirst().first.map(String.init))
            try await serve.start(extra: ["--host-key", hostKey])
            #expect(serve.fingerprint == expected)
            #expect(serve.knownHostsLine.contains(" ecdsa-sha2-nistp256 "), "\(serve.knownHostsLine)")
            let run = try await serve.exec(key: alice, "connections list")
            #expect(run.status == 0, "\(run)")
            // No key was generated beside the database.
            #expect(!FileManager.default.fileExists(atPath: workspace.path("ssh_host_ed25519_key")))
            #expect(await serve.stop() == 0, "serve did not exit cleanly on SIGTERM")
        }

        @Test func anUnknownKeyIsRefusedAndAnRSAOnlyClientIsToldWhy() async throws {
            let workspace = try Workspace()
            let serve = try ServeFixture(workspace: workspace)
            let alice = try await serve.makeKey("alice")
            let mallory = try await serve.makeKey("mallory")
            try serve.authorize(alice)
            try await serve.start()
            let refused = try await serve.exec(key: mallory, "connections list")
            #expect(refused.status == 255, "\(refused)")
            #expect(refused.stderr.contains("Permission denied (publickey)"), "\(refused)")
            _ = try await serve.waitForLog("login refused: unknown key")

            // A client with only an RSA key (which the SSH library cannot check) is refused too,
            // even when its key is listed: the line was skipped, and the log said why at start.
            // ssh shows the server's banner (at its default log level) before it gives up.
            let rsa = workspace.path("id_rsa_carol")
            let made = try await Subprocess.run("/usr/bin/ssh-keygen", ["-q", "-t", "rsa", "-b", "2048", "-N", "", "-C", "carol@old", "-f", rsa],
                                                environment: workspace.environment)
            try #require(made.status == 0, "\(made)")
            try serve.authorize(rsa)
            let rsaOnly = try await serve.exec(key: rsa, "connections list", options: ["-o", "LogLevel=INFO"])
            #expect(rsaOnly.status == 255, "\(rsaOnly)")
            let told = rsaOnly.stderr.range(of: "backstage serve accepts ed25519 and ECDSA keys only; an RSA key cannot log in here (make one with: ssh-keygen -t ed25519)")
            let denied = rsaOnly.stderr.range(of: "backstage@127.0.0.1: Permission denied (publickey).")
            #expect(told != nil && denied != nil && told!.upperBound < denied!.lowerBound, "\(rsaOnly)")
            _ = try await serve.waitForLog("skipped the ssh-rsa key of \"carol@old\"")
            _ = try await serve.waitForLog("login failed: the client gave up without offering an ed25519 or ECDSA key")
            // Told to offer it anyway (as ssh-rsa), the key is named in the log.
            let forced = try await serve.exec(key: rsa, "connections list", options: ["-o", "PubkeyAcceptedAlgorithms=+ssh-rsa"])
            #expect(forced.status == 255, "\(forced)")
            _ = try await serve.waitForLog("login refused: the client offered a ssh-rsa key, which this server cannot check")
            // An admin with an ed25519 key sees the same line, then logs in; -q (or LogLevel=ERROR) hides it.
            let admin = try await serve.exec(key: alice, "connections list", options: ["-o", "LogLevel=INFO"])
            #expect(admin.status == 0 && admin.stderr.contains("accepts ed25519 and ECDSA keys only"), "\(admin)")
            let quiet = try await serve.exec(key: alice, "connections list")
            #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet)")
            #expect(await serve.stop() == 0, "serve did not exit cleanly on SIGTERM")
        }

        @Test func sixFailedSignedAttemptsEndTheConnectionEvenBeforeAGoodKey() async throws {
            let workspace = try Workspace()
            let serve = try ServeFixture(workspace: workspace)
            let alice = try await serve.makeKey("alice")
            try serve.authorize(alice)
            var strangers: [String] = []
            for index in 0..<6 { strangers.append(try await serve.makeKey("stranger\(index)")) }
            try await serve.start()
            // ssh offers the six unknown keys first, then alice's: the connection is closed before.
            let options = strangers.flatMap { ["-o", "IdentityFile=\($0)"] }
            let refused = try await serve.exec(key: alice, "connections list", options: options)
            #expect(refused.status == 255, "\(refused)")
            _ = try await serve.waitForLog("closed after 6 failed logins")
            #expect(serve.logLines(containing: "login refused: unknown key").count == 6)
            #expect(serve.logLines(containing: "logged in").isEmpty)
            // Five are allowed: the sixth key offered is alice's, and it logs in.
            let fewer = strangers.dropLast().flatMap { ["-o", "IdentityFile=\($0)"] }
            let listed = try await serve.exec(key: alice, "connections list", options: fewer)
            #expect(listed.status == 0, "\(listed)")
            #expect(await serve.stop() == 0, "serve did not exit cleanly on SIGTERM")
        }

        @Test func sigtermEndsEachConsoleWithItsTerminalRestored() async throws {
            let workspace = try Workspace()
            let serve = try ServeFixture(workspace: workspace)
            let alice = try await serve.makeKey("alice")
            try serve.authorize(alice)
            try await serve.start()
            let pane = try await SSHPane(serve, key: alice)
            defer { pane.stop() }
            try await pane.waitFor("No Outgoing OAuth Connections found")
            #expect(try await pane.display("#{alternate_on}") == "1")
            // The console shares nothing with the server but its terminal: no socket, no pipe.
            let child = try await serve.childPID(after: "console started (pid ")
            let shared = Self.descriptorTargets(child).intersection(Self.descriptorTargets(serve.pid))
                .filter { $0.hasPrefix("socket:") || $0.hasPrefix("pipe:") || $0.contains("ssh_host_") || $0.contains("authorized_keys") }
            #expect(shared.isEmpty, "the console holds the server's \(shared)")

            // What the console sends from now on, as the ssh client passes it to its terminal.
            let output = workspace.path("ssh-pane.out")
            _ = try await pane.tmux(["pipe-pane", "-O", "-t", pane.target, "cat >> \(E2E.shellQuoted(output))"])
            #expect(await serve.stop() == 0, "serve did not exit cleanly on SIGTERM")
            let deadline = Date().addingTimeInterval(E2E.deadline)
            while try await pane.display("#{pane_dead}") != "1" && Date() < deadline {
                try await Task.sleep(for: .milliseconds(40)) // poll until ssh has ended, up to the deadline
            }
            #expect(try await pane.display("#{pane_dead}") == "1")
            // The console left the alternate screen and showed the cursor before its terminal closed
            // (a dead tmux pane always reports a hidden cursor, so the bytes tell).
            #expect(try await pane.display("#{alternate_on}") == "0")
            let restored = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            #expect(restored.contains("\u{1B}[?1049l") && restored.contains("\u{1B}[?25h"), "\(restored.debugDescription)")
            #expect(!Spawn.isRunning(child))
        }

        /// What each descriptor of `pid` points at (`socket:[123]`, `pipe:[45]`, a path).
        static func descriptorTargets(_ pid: pid_t) -> Set<String> {
            let directory = "/proc/\(pid)/fd"
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            return Set(names.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/\($0)") })
        }

        @Test func killingTheClientEndsItsConsole() async throws {
            let workspace = try Workspace()
            let serve = try ServeFixture(workspace: workspace)
            let alice = try await serve.makeKey("alice")
            try serve.authorize(alice)
            try await serve.start()
            let pane = try await SSHPane(serve, key: alice)
            try await pane.waitFor("No Outgoing OAuth Connections found")
            let log = try await serve.waitForLog("console started (pid ")
            let pidText = log.components(separatedBy: "console started (pid ").last?.prefix { $0.isNumber } ?? ""
            let child = try #require(pid_t(pidText))
            #expect(Spawn.isRunning(child))
            // Ctrl-Z does nothing in a served console (no shell to return to): it keeps answering.
            try await pane.press("C-z")
            try await pane.press("2")
            try await pane.waitFor("No commands found")
            pane.stop() // kills the ssh client with its tmux server
            let deadline = Date().addingTimeInterval(E2E.deadline)
            while Spawn.isRunning(child) && Date() < deadline {
                try await Task.sleep(for: .milliseconds(20)) // poll for the child's end until the deadline
            }
            #expect(!Spawn.isRunning(child), "the console (pid \(child)) outlived its client")
            _ = try await serve.waitForLog("ended with status")
            #expect(await serve.stop() == 0, "serve did not exit cleanly on SIGTERM")
        }

        @Test func theHostKeySurvivesARestartAndStrictCheckingPasses() async throws {
            let workspace = try Workspace()
            let serve = try ServeFixture(workspace: workspace)
            let alice = try await serve.makeKey("alice")
            try serve.authorize(alice)
            try await serve.start()
            let firstFingerprint = serve.fingerprint, firstLine = serve.knownHostsLine, port = serve.port
            #expect(firstFingerprint.hasPrefix("SHA256:"))
            let hostKey = workspace.root.appendingPathComponent("ssh_host_ed25519_key").path
            let mode = (try FileManager.default.attributesOfItem(atPath: hostKey)[.posixPermissions] as? NSNumber)?.intValue
            #expect(mode == 0o600)
            #expect(await serve.stop() == 0)

            try await serve.start(port: port)
            #expect(serve.fingerprint == firstFingerprint)
            #expect(serve.knownHostsLine == firstLine)
            let scanned = try await Subprocess.run("/usr/bin/ssh-keygen", ["-l", "-f", serve.knownHosts], environment: workspace.environment)
            #expect(scanned.stdout.contains(firstFingerprint), "\(scanned)")
            // The README's check: ssh-keygen finds the host's line and shows the printed fingerprint.
            let found = try await Subprocess.run("/usr/bin/ssh-keygen", ["-l", "-F", "[127.0.0.1]:\(port)", "-f", serve.knownHosts],
                                                 environment: workspace.environment)
            #expect(found.status == 0 && found.stdout.contains(firstFingerprint), "\(found)")
            let listed = try await serve.exec(key: alice, "connections list")
            #expect(listed.status == 0, "\(listed)")

            // A wider host key file is refused.
            chmod(hostKey, 0o644)
            let refused = try await workspace.cli(["serve", "--listen", "127.0.0.1:0", "--authorized-keys", serve.keysFile])
            #expect(refused.status != 0 && refused.stderr.contains("chmod 600"), "\(refused)")
            #expect(await serve.stop() == 0, "serve did not exit cleanly on SIGTERM")
        }

        @Test func aReadOnlyAdminsConsoleSaysWhyNothingIsSaved() async throws {
            let workspace = try Workspace()
            let serve = try ServeFixture(workspace: workspace)
            let reader = try await serve.makeKey("reader")
            try serve.authorize(reader, options: #"environment="BACKSTAGE_ROLE=read""#)
            try await serve.start()
            let pane = try await SSHPane(serve, key: reader)
            defer { pane.stop() }
            try await pane.waitFor("No Outgoing OAuth Connections found")
            try await pane.press("a")
            try await pane.waitFor("Outgoing OAuth Connections › Add")
            try await pane.type("Nope")
            try await pane.press("Tab")
            try await pane.type("cid")
            try await pane.press("Tab")
            try await pane.type(Self.secret)
            try await pane.press("Tab")
            try await pane.type("https://idp.example.com/token")
            try await pane.press("Tab", "Tab")
            try await pane.type("https://nope.example.com/*")
            try await pane.press("C-s")
            try await pane.waitFor("Do you want to save anyway?")
            try await pane.press("y")
            try await pane.waitFor("read-only: reader may look but not create a connection")
            #expect(try await workspace.connectionNames() == [])
            #expect(await serve.stop() == 0, "serve did not exit cleanly on SIGTERM")
        }

        @Test func limitsEndIdleSessionsCapAdminsAndDropSlowLogins() async throws {
            let workspace = try Workspace()
            let serve = try ServeFixture(workspace: workspace)
            let alice = try await serve.makeKey("alice")
            try serve.authorize(alice)
            try await serve.start(extra: ["--idle-timeout", "4", "--max-sessions-per-admin", "1", "--login-timeout", "1"])
            let pane = try await SSHPane(serve, key: alice)
            defer { pane.stop() }
            try await pane.waitFor("No Outgoing OAuth Connections found")

            // One session at a time for alice: an exec now is refused, with the reason.
            let second = try await serve.exec(key: alice, "connections list")
            #expect(second.status == 75 && second.stderr.contains("alice already has 1 sessions"), "\(second)")

            // Idle: warned, then ended; the client sees both.
            try await pane.waitFor("it ends in")
            _ = try await serve.waitForLog("ending the session")
            _ = try await serve.waitForLog("ended with status")

            // A connection that never logs in is closed after --login-timeout.
            let socket = try RawConnection(port: serve.port)
            #expect(socket.readUntilClosed(timeout: E2E.deadline).hasPrefix("SSH-2.0-"))
            _ = try await serve.waitForLog("not logged in within 1 s")
            #expect(await serve.stop() == 0, "serve did not exit cleanly on SIGTERM")
        }

        @Test func removingAKeyEndsThatAdminsSessions() async throws {
            let workspace = try Workspace()
            let serve = try ServeFixture(workspace: workspace)
            let alice = try await serve.makeKey("alice")
            try serve.authorize(alice)
            try await serve.start()
            let pane = try await SSHPane(serve, key: alice)
            defer { pane.stop() }
            try await pane.waitFor("No Outgoing OAuth Connections found")
            try "# alice left\n".write(toFile: serve.keysFile, atomically: true, encoding: .utf8)
            _ = try await serve.waitForLog("key removed from the authorized keys")
            _ = try await serve.waitForLog("ended with status")
            let refused = try await serve.exec(key: alice, "connections list")
            #expect(refused.status == 255, "\(refused)")
            #expect(await serve.stop() == 0, "serve did not exit cleanly on SIGTERM")
        }

        @Test func aServedMattermostServerGetsTheTokenThroughAPipeOnly() async throws {
            let fake = try await FakeMattermost()
            let workspace = try Workspace()
            let serve = try ServeFixture(workspace: workspace)
            let alice = try await serve.makeKey("alice")
            try serve.authorize(alice)
            try await serve.start(store: ["--server", fake.url, "--team", fake.teamName], environment: ["MM_ACCESS_TOKEN": fake.pat])
            let added = try await serve.exec(key: alice, "commands add --trigger remote --url https://remote.example.com/slash")
            #expect(added.status == 0, "\(added)")
            #expect(fake.storedCommands.count == 1)
            let pane = try await SSHPane(serve, key: alice)
            defer { pane.stop() }
            try await pane.waitFor("store: \(fake.url)")
            let log = try await serve.waitForLog("console started (pid ")
            let child = try #require(pid_t(log.components(separatedBy: "console started (pid ").last?.prefix { $0.isNumber } ?? ""))
            let environment = try String(contentsOfFile: "/proc/\(child)/environ", encoding: .utf8)
            let arguments = try String(contentsOfFile: "/proc/\(child)/cmdline", encoding: .utf8)
            #expect(environment.contains("BACKSTAGE_TOKEN_FD=3") && !environment.contains(fake.pat), "\(environment)")
            #expect(!arguments.contains(fake.pat) && arguments.contains("--server"))
            #expect(!serve.serverLog().contains(fake.pat))
            #expect(await serve.stop() == 0, "serve did not exit cleanly on SIGTERM")
            await fake.shutdown()
        }

        @Test func connectionsNotYetLoggedInAreCappedPerAddress() async throws {
            let workspace = try Workspace()
            let serve = try ServeFixture(workspace: workspace)
            let alice = try await serve.makeKey("alice")
            try serve.authorize(alice)
            try await serve.start()
            // Eight from one address may wait to log in; the ninth is closed before a word is said.
            let waiting = try (0..<8).map { _ in try RawConnection(port: serve.port) }
            _ = try await serve.waitForLog("addr=127.0.0.1:\(waiting.last!.localPort) connected")
            let ninth = try RawConnection(port: serve.port)
            #expect(ninth.readUntilClosed(timeout: E2E.deadline) == "")
            _ = try await serve.waitForLog("refused a connection: too many not yet logged in")
            for connection in waiting { connection.close() }
            // Once they are gone, logging in works again.
            let deadline = Date().addingTimeInterval(E2E.deadline)
            var listed = try await serve.exec(key: alice, "connections list")
            while listed.status != 0 && Date() < deadline {
                try await Task.sleep(for: .milliseconds(50)) // the server notices the closed sockets; poll until the deadline
                listed = try await serve.exec(key: alice, "connections list")
            }
            #expect(listed.status == 0, "\(listed)")
            #expect(await serve.stop() == 0, "serve did not exit cleanly on SIGTERM")
        }

        @Test func twoAdminsAtOnceEachInTheirOwnConsoleMeetTheConflictDialog() async throws {
            let workspace = try Workspace()
            try await workspace.addConnection("Shared", clientId: "cid", audience: "https://shared.example.com/*")
            let serve = try ServeFixture(workspace: workspace)
            let alice = try await serve.makeKey("alice"), bob = try await serve.makeKey("bob")
            try serve.authorize(alice)
            try serve.authorize(bob)
            try await serve.start()
            let paneA = try await SSHPane(serve, key: alice, instance: "A")
            defer { paneA.stop() }
            let paneB = try await SSHPane(serve, key: bob, instance: "B")
            defer { paneB.stop() }
            for pane in [paneA, paneB] {
                try await pane.waitFor("Shared")
                try await pane.press("e")
                try await pane.waitFor("Outgoing OAuth Connections › Edit")
            }
            try await paneA.press("C-e")
            try await paneA.type(" by alice")
            try await paneA.press("C-s")
            try await paneA.waitFor("Saved Shared by alice")
            try await paneB.press("C-e")
            try await paneB.type(" by bob")
            try await paneB.press("C-s")
            // The dialog names who saved their version, and when (the store keeps --actor's name).
            try await paneB.waitFor("“Shared” was changed by alice at ", "since you opened it.", "They changed: Name.")
            try await paneB.press("o")
            try await paneB.waitFor("Saved Shared by bob")
            let activity = try String(contentsOfFile: workspace.path("activity.log"), encoding: .utf8)
            #expect(activity.contains(" alice updated connection \"Shared by alice\""), "\(activity)")
            #expect(activity.contains(" bob updated connection \"Shared by bob\""), "\(activity)")
            #expect(await serve.stop() == 0, "serve did not exit cleanly on SIGTERM")
        }

        @Test func aRestrictedKeyRunsCommandsButGetsNoConsole() async throws {
            let workspace = try Workspace()
            let serve = try ServeFixture(workspace: workspace)
            let robot = try await serve.makeKey("robot")
            try serve.authorize(robot, options: "restrict")
            try await serve.start()
            let listed = try await serve.exec(key: robot, "connections list")
            #expect(listed.status == 0, "\(listed)")
            let console = try await serve.exec(key: robot, "", terminal: true)
            #expect(console.status == 255 && console.stderr.contains("PTY allocation request failed"), "\(console)")
            _ = try await serve.waitForLog("refused a terminal: the key has no-pty or restrict")
            // A shell without a terminal is told what to do instead.
            let shell = try await serve.exec(key: robot, "")
            #expect(shell.status == 64 && shell.stderr.contains("the console needs a terminal; use ssh -t"), "\(shell)")
            #expect(await serve.stop() == 0, "serve did not exit cleanly on SIGTERM")
        }

        @Test func maxSessionsCapsAllAdminsTogether() async throws {
            let workspace = try Workspace()
            let serve = try ServeFixture(workspace: workspace)
            let alice = try await serve.makeKey("alice"), bob = try await serve.makeKey("bob")
            try serve.authorize(alice)
            try serve.authorize(bob)
            try await serve.start(extra: ["--max-sessions", "1"])
            let pane = try await SSHPane(serve, key: alice)
            try await pane.waitFor("No Outgoing OAuth Connections found")
            let refused = try await serve.exec(key: bob, "connections list")
            #expect(refused.status == 75 && refused.stderr.contains("the server already runs 1 sessions; try again later"), "\(refused)")
            // Once alice's console ends, bob's command runs.
            pane.stop()
            _ = try await serve.waitForLog("ended with status")
            let listed = try await serve.exec(key: bob, "connections list")
            #expect(listed.status == 0, "\(listed)")
            #expect(await serve.stop() == 0, "serve did not exit cleanly on SIGTERM")
        }
    }
}
