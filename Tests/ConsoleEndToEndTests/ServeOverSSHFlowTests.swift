import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// `backstage serve` under pressure from the real OpenSSH client: one that stops reading, and
/// a flood of window changes.
extension ConsoleEndToEnd {
    @Suite("serve over SSH: flow")
    struct ServeOverSSHFlowTests {
        /// An import bundle of `count` slash commands with long URLs (about 1.3 KB each once exported).
        static func bigBundle(commands count: Int) -> String {
            let path = String(repeating: "p", count: 960)
            let commands = (0..<count).map { index in
                #"{"trigger": "bulk\#(index)", "url": "https://bulk.example.com/\#(path)/\#(index)", "description": "bulk command \#(index)"}"#
            }
            return #"{"connections": [], "commands": ["# + commands.joined(separator: ",\n") + "]}"
        }

        @Test func aClientThatStopsReadingPausesTheCommandInsteadOfFillingTheServer() async throws {
            let workspace = try Workspace()
            let loaded = try await workspace.cli(["import", "/dev/stdin"], stdin: Self.bigBundle(commands: 4000))
            try #require(loaded.status == 0, "\(loaded)")
            let expected = try await workspace.cli(["export"])
            // Far more than OpenSSH's channel window (2 MB) and a pipe's buffer together.
            try #require(expected.status == 0 && expected.stdout.utf8.count > 4_000_000, "export is only \(expected.stdout.utf8.count) bytes")
            let serve = try ServeFixture(workspace: workspace)
            let alice = try await serve.makeKey("alice")
            try serve.authorize(alice)
            try await serve.start()

            // ssh's standard output is a FIFO nobody reads yet.
            let fifo = workspace.path("export.fifo")
            try #require(mkfifo(fifo, 0o600) == 0)
            let reader = open(fifo, O_RDONLY | O_NONBLOCK)
            try #require(reader >= 0)
            defer { close(reader) }
            let client = try Spawn.background("/usr/bin/ssh", serve.sshArguments(key: alice) + ["export"], environment: serve.sshEnvironment(),
                                              stdout: fifo, stderr: workspace.path("export.err"))
            defer { kill(client, SIGKILL); _ = Spawn.hasExited(client) }

            let paused = try await serve.waitForLine("the client is not reading: output paused with ")
            #expect(paused.contains(" admin=alice") && paused.contains(" session="), "\(paused)")
            let waiting = Int(paused.components(separatedBy: "output paused with ").last?.prefix { $0.isNumber } ?? "") ?? .max
            #expect(waiting <= 2 * 16 * 1024, "the server holds \(waiting) bytes for a client that does not read")
            // The command has not finished: it waits to write, because the server stopped reading it.
            let child = try await serve.childPID(after: "command started (pid ")
            #expect(Spawn.isRunning(child), "the export (pid \(child)) ran to its end while its client read nothing")

            // Once the client reads again, everything arrives, whole and in order.
            let received = try await Self.readAll(reader, deadline: Date().addingTimeInterval(60))
            #expect(received.count == expected.stdout.utf8.count)
            #expect(received == Data(expected.stdout.utf8), "the export arrived changed")
            #expect(await Spawn.wait(client, timeout: 30) == 0)
            _ = try await serve.waitForLog("ended with status 0")
            #expect(await serve.stop() == 0, "serve did not exit cleanly on SIGTERM")
        }

        @Test func aFloodOfWindowChangesIsThrottledAndTheConsoleEndsAtTheLastSize() async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            let serve = try ServeFixture(workspace: workspace)
            let alice = try await serve.makeKey("alice")
            try serve.authorize(alice)
            try await serve.start()
            let pane = try await SSHPane(serve, key: alice)
            defer { pane.stop() }
            let before = try await pane.waitFor("alpha HR", "Zeta Analytics")
            let sshPID = try #require(pid_t(try await pane.display("#{pane_pid}")))

            // 200 sizes, ten per tmux call, and SIGWINCH to ssh between calls: each makes ssh
            // send a window change, far more often than one per 50 ms.
            let sizes = ResizeStormTests.stormSizes(200)
            for batch in stride(from: 0, to: sizes.count, by: 10) {
                var arguments: [String] = []
                for (width, height) in sizes[batch..<min(batch + 10, sizes.count)] {
                    if !arguments.isEmpty { arguments.append(";") }
                    arguments += ["resize-window", "-t", pane.target, "-x", String(width), "-y", String(height)]
                }
                let result = try await pane.tmux(arguments)
                try #require(result.status == 0, "\(result)")
                for _ in 0..<5 { kill(sshPID, SIGWINCH) }
            }
            _ = try await serve.waitForLine("window changes faster than one per 50 ms: only the latest size applies")

            // The last size wins: the console is drawn as before the flood, at 100x30.
            try await pane.resize(width: 100, height: 30)
            let after = try await pane.waitUntil("the list as it was before the flood:\n\(before)") {
                ResizeStormTests.visible($0) == ResizeStormTests.visible(before)
            }
            #expect(after.contains("給与システム"))
            let child = try await serve.childPID(after: "console started (pid ")
            #expect(try Self.terminalSize(of: child) == [100, 30])
            try await pane.press("2")
            try await pane.waitFor(Fixture.linkedTrigger)

            // A size beyond 1000 is clamped (and said so once); the console's terminal gets 1000.
            try await pane.resize(width: 1500, height: 40)
            _ = try await serve.waitForLine("terminal size 1500x40 clamped to 1000x40")
            let deadline = Date().addingTimeInterval(E2E.deadline)
            while try Self.terminalSize(of: child) != [1000, 40] && Date() < deadline {
                try await Task.sleep(for: .milliseconds(20)) // the resize may wait its 50 ms turn; poll until the deadline
            }
            #expect(try Self.terminalSize(of: child) == [1000, 40])

            pane.stop()
            let summary = try await serve.waitForLine("window changes: ")
            let counts = summary.components(separatedBy: "window changes: ").last?.split(separator: " ").compactMap { Int($0) } ?? []
            #expect(counts.count == 2 && counts[1] < counts[0] && counts[1] > 0, "\(summary)")
            #expect(await serve.stop() == 0, "serve did not exit cleanly on SIGTERM")
        }

        /// Columns and rows of the terminal `pid` has on its standard input.
        static func terminalSize(of pid: pid_t) throws -> [Int] {
            let terminal = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/0")
            let fd = open(terminal, O_RDONLY | O_NOCTTY | O_NONBLOCK)
            guard fd >= 0 else { throw E2E.Failure(description: "cannot open \(terminal)") }
            defer { close(fd) }
            var size = winsize()
            guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0 else { throw E2E.Failure(description: "no size for \(terminal)") }
            return [Int(size.ws_col), Int(size.ws_row)]
        }

        /// Everything from `fd` until its writer closes it.
        static func readAll(_ fd: Int32, deadline: Date) async throws -> Data {
            var received = Data()
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = read(fd, &buffer, buffer.count)
                if count > 0 {
                    received.append(contentsOf: buffer[0..<count])
                } else if count == 0 {
                    return received
                } else if errno == EAGAIN || errno == EINTR {
                    guard Date() < deadline else { throw E2E.Failure(description: "output stopped after \(received.count) bytes") }
                    try await Task.sleep(for: .milliseconds(5)) // nothing to read yet; poll until the deadline
                } else {
                    throw E2E.Failure(description: "read: \(String(cString: strerror(errno)))")
                }
            }
        }
    }
}
