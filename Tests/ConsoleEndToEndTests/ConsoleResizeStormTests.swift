import Foundation
import Testing

extension ConsoleEndToEnd {
    /// Hundreds of window changes in a few seconds, down to 20x5, with unsaved typing in a form;
    /// then a dropped link (SIGHUP) or a kill (SIGTERM) mid-edit.
    @Suite("resize storm")
    struct ResizeStormTests {
        /// A fixed pseudo-random walk of sizes (the same every run), every seventh one 20x5.
        static func stormSizes(_ count: Int) -> [(width: Int, height: Int)] {
            var seed: UInt32 = 20_261_129
            return (0..<count).map { index in
                if index % 7 == 0 { return (20, 5) }
                seed = seed &* 1_103_515_245 &+ 12_345
                let width = 20 + Int((seed >> 8) % 121)
                seed = seed &* 1_103_515_245 &+ 12_345
                return (width, 5 + Int((seed >> 8) % 41))
            }
        }

        static func visible(_ screen: String) -> [Substring] {
            screen.split(separator: "\n", omittingEmptySubsequences: false).map { line in line[..<(line.lastIndex { $0 != " " }.map(line.index(after:)) ?? line.startIndex)] }
        }

        @Test("300 resizes down to 20x5 with a form open: text kept, same screen after, then SIGHUP/SIGTERM restores the terminal",
              arguments: ["HUP", "TERM"])
        func storm(_ signal: String) async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace) { console in
                try await console.waitForConnections(3)
                try await console.press("a")
                try await console.waitFor("Outgoing OAuth Connections › Add")
                try await console.type("Storm unsaved name")
                try await console.press("Tab")
                try await console.type("storm-client")
                let before = try await console.waitFor("Storm unsaved name", "storm-client")

                // Ten resizes per tmux call, so 300 take a few seconds, not a few minutes.
                let sizes = Self.stormSizes(300)
                let started = Date()
                for batch in stride(from: 0, to: sizes.count, by: 10) {
                    var arguments: [String] = []
                    for (width, height) in sizes[batch..<min(batch + 10, sizes.count)] {
                        if !arguments.isEmpty { arguments.append(";") }
                        arguments += ["resize-window", "-t", console.target, "-x", String(width), "-y", String(height)]
                    }
                    let result = try await console.tmux(arguments)
                    try #require(result.status == 0, "\(result)")
                }
                let stormSeconds = Date().timeIntervalSince(started)

                // The smallest size says so rather than drawing a broken form.
                try await console.resize(width: 20, height: 5)
                let tiny = try await console.waitUntil("the too-small notice at 20x5") { $0.contains("terminal too small") && $0.contains("20x5)") }
                let tinyLines = tiny.split(separator: "\n", omittingEmptySubsequences: false)
                #expect(tinyLines.allSatisfy { ScreenText.width($0) <= 20 }, "nothing wider than 20 columns: \(tiny)")

                // Back to the first size: the very same screen as before the storm.
                try await console.resize(width: 100, height: 30)
                // Compared without trailing blanks: tmux keeps written spaces and untouched cells apart.
                let after = try await console.waitUntil("the form as it was before the storm:\n\(before)") { Self.visible($0) == Self.visible(before) }
                #expect(after.contains("Storm unsaved name"))

                // Still answering keys.
                try await console.type("+after")
                try await console.waitFor("storm-client+after")

                let pid = try await console.consolePID()
                let kill = try await Subprocess.run("/bin/kill", ["-\(signal)", String(pid)])
                try #require(kill.status == 0, "\(kill)")
                let exit = try await console.waitForExit()
                #expect(!exit.screen.contains("Fatal error"), "\(exit)")
                try await LifecycleTests.expectSaneExit(exit, status: 128 + (signal == "TERM" ? 15 : 1), console: console)
                #expect(stormSeconds < 20, "the storm took \(stormSeconds) s")
            }
            // The store is whole, and the unsaved form was not saved.
            #expect(Set(try await workspace.connectionNames()) == Set(Fixture.sortedNames))
            let check = try await Subprocess.run("/usr/bin/sqlite3", [workspace.db, "PRAGMA integrity_check"])
            #expect(check.stdout == "ok\n", "\(check)")
        }
    }
}
