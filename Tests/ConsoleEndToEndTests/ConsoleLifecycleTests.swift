import Foundation
import Testing

extension ConsoleEndToEnd {
    /// Leaving the console, by key or by signal, gives the terminal back as it was; terminals the
    /// console cannot use get one line pointing at the CLI.
    @Suite("quitting, signals and odd terminals")
    struct LifecycleTests {
        /// The checks every clean exit shares: the status, echo and canonical mode back on, the
        /// normal screen back (the "prompt" printed before the console is visible again and the
        /// console's own screen is gone).
        static func expectSaneExit(
            _ exit: ExitReport, status: Int = 0, console: ConsoleSession, alternateScreen: Bool = true,
            sourceLocation: SourceLocation = #_sourceLocation
        ) async throws {
            #expect(exit.status == status, "exit status: \(exit)", sourceLocation: sourceLocation)
            #expect(exit.terminalIsSane, "stty after exit should show echo, icanon, isig, icrnl: \(exit.sttyWords.sorted())\n\(exit)",
                    sourceLocation: sourceLocation)
            #expect(try await console.display("#{alternate_on}") == "0", "alternate screen left: \(exit)", sourceLocation: sourceLocation)
            #expect(exit.screen.contains("PROMPT$ backstage"), "the shell's lines are back: \(exit)", sourceLocation: sourceLocation)
            if alternateScreen {
                #expect(!exit.screen.contains("backstage · Integrations"), "the console's screen is gone: \(exit)", sourceLocation: sourceLocation)
            }
            // Bracketed paste and mouse reporting are off again. tmux 3.3 has no format for
            // bracketed paste, so the byte log says: the last switch of mode 2004 turns it off.
            let output = console.output()
            if let on = output.range(of: "\u{1B}[?2004h", options: .backwards) {
                #expect(output[on.upperBound...].contains("\u{1B}[?2004l"), "bracketed paste left on", sourceLocation: sourceLocation)
            }
            #expect(try await console.display("#{mouse_any_flag}#{mouse_button_flag}#{mouse_standard_flag}") == "000",
                    "mouse reporting still on", sourceLocation: sourceLocation)
            #expect(try await console.display("#{cursor_flag}") == "1", "cursor hidden after exit", sourceLocation: sourceLocation)
        }

        @Test("q quits and leaves the terminal sane")
        func quitWithQ() async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace) { console in
                try await console.waitForConnections(3)
                #expect(try await console.display("#{alternate_on}") == "1", "the console uses the alternate screen")
                try await console.press("q")
                let exit = try await console.waitForExit()
                try await Self.expectSaneExit(exit, console: console)
            }
        }

        /// The main thread waits for the console (BlockingMain). An async top-level main would park
        /// it in dispatch_main(), which first unwinds it with pthread_exit: libgcc_s loaded and the
        /// unwind tables read at every start, then the thread left in sigsuspend.
        // Linux's system call numbers (Glibc's SYS_ macros are not imported into Swift).
        #if arch(arm64)
        static let rtSigsuspend = 133, futex = 98
        #else
        static let rtSigsuspend = 130, futex = 202
        #endif

        @Test("the main thread waits for the console, not parked by dispatch_main")
        func mainThreadWaits() async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace) { console in
                try await console.waitForConnections(3)
                let pid = try await console.consolePID()
                let syscall = try String(contentsOfFile: "/proc/\(pid)/task/\(pid)/syscall", encoding: .utf8)
                let number = try #require(syscall.split(separator: " ").first.flatMap { Int($0) }, "\(syscall)")
                #expect(number != Self.rtSigsuspend, "the main thread is parked in sigsuspend")
                #expect(number == Self.futex, "the main thread waits on its semaphore: syscall \(number)")
                try await console.press("q")
                try await Self.expectSaneExit(try await console.waitForExit(), console: console)
            }
        }

        enum Place: String, CaseIterable, Sendable, CustomTestStringConvertible {
            case list, search, dialog, help, addForm, tooSmall
            var testDescription: String { rawValue }
        }

        @Test("Ctrl-C quits from anywhere", arguments: Place.allCases)
        func controlC(from place: Place) async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace, extraArguments: place == .list ? ["--mouse"] : []) { console in
                try await console.waitForConnections(3)
                switch place {
                case .list: break
                case .search:
                    try await console.press("/")
                    try await console.type("al")
                    try await console.waitFor(" Search: al")
                case .dialog:
                    try await console.press("d")
                    try await console.waitFor("Are you sure you want to delete alpha HR?")
                case .help:
                    try await console.press("?")
                    try await console.waitFor("Keys (? or Esc closes)")
                case .addForm:
                    // A notice that the forms come later, or (once they have landed) the form.
                    try await console.press("a")
                    try await console.waitUntil("the add notice or form") { $0.contains("The form editors arrive") || $0.contains(" › Add") }
                case .tooSmall:
                    try await console.resize(width: 50, height: 12)
                    try await console.waitFor("terminal too small (need 60x16, have 50x12)")
                }
                try await console.press("C-c")
                let exit = try await console.waitForExit()
                try await Self.expectSaneExit(exit, console: console)
                #expect(Set(try await workspace.connectionNames()) == Set(Fixture.sortedNames), "Ctrl-C deleted nothing")
            }
        }

        @Test("SIGTERM and SIGHUP end the console cleanly with 128+signal; the store is intact", arguments: ["TERM", "HUP"])
        func signal(_ name: String) async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace) { console in
                try await console.waitForConnections(3)
                // Mid-search, so the terminal is in its most changed state.
                try await console.press("/")
                try await console.type("zz")
                try await console.waitFor(" Search: zz")
                let pid = try await console.consolePID()
                let kill = try await Subprocess.run("/bin/kill", ["-\(name)", String(pid)])
                try #require(kill.status == 0, "\(kill)")
                let exit = try await console.waitForExit()
                #expect(exit.status != nil, "\(exit)")
                #expect(!exit.screen.contains("Fatal error"), "\(exit)")
                try await Self.expectSaneExit(exit, status: 128 + (name == "TERM" ? 15 : 1), console: console)
                // The file closed as on a quit: no log left beside it, so the next start reads it without locks.
                #expect(!FileManager.default.fileExists(atPath: workspace.db + "-wal"), "the store was closed before the exit")
                #expect(Set(try await workspace.connectionNames()) == Set(Fixture.sortedNames), "the store still reads back whole")
                let commands = try await workspace.cli(["commands", "list"])
                #expect(commands.status == 0, "\(commands)")
                let check = try await workspace.cli(["connections", "list"])
                #expect(check.status == 0 && check.stdout.contains("Zeta Analytics"), "\(check)")
            }
        }

        @Test("a crash (SIGSEGV, SIGABRT) still gives the terminal back", arguments: ["SEGV", "ABRT"])
        func crash(_ name: String) async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace) { console in
                try await console.waitForConnections(3)
                try await console.press("/")
                try await console.waitFor(" Search: ")
                let pid = try await console.consolePID()
                let kill = try await Subprocess.run("/bin/kill", ["-\(name)", String(pid)])
                try #require(kill.status == 0, "\(kill)")
                let exit = try await console.waitForExit()
                #expect((exit.status ?? 0) > 128, "the crash is still reported as one: \(exit)")
                #expect(exit.terminalIsSane, "stty after the crash: \(exit.sttyWords.sorted())\n\(exit)")
                #expect(try await console.display("#{alternate_on}") == "0", "alternate screen left after the crash")
                #expect(try await console.display("#{cursor_flag}") == "1", "cursor hidden after the crash")
            }
        }

        /// `stty -a` on the pane's terminal, read from outside while the console is stopped.
        static func sttyWords(of console: ConsoleSession) async throws -> Set<String> {
            let tty = try await console.display("#{pane_tty}")
            let result = try await Subprocess.run("/bin/stty", ["-a", "-F", tty])
            try #require(result.status == 0, "\(result)")
            return Set(result.stdout.split(whereSeparator: { $0 == " " || $0 == ";" || $0 == "\n" }).map(String.init))
        }

        /// The state letter from /proc/PID/stat ("T" when stopped).
        static func processState(_ pid: Int32) -> String? {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            return stat[stat.index(after: close)...].split(separator: " ").first.map(String.init)
        }

        @Test("Ctrl-Z gives the terminal back while stopped; SIGCONT brings the console back")
        func suspend() async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace) { console in
                try await console.waitForConnections(3)
                try await console.press("2")
                try await console.waitFor(" Slash Commands  (2)")
                let pid = try await console.consolePID()
                try await console.press("C-z")
                // The wrapper shell has no job control: the console just stays stopped.
                let deadline = Date().addingTimeInterval(E2E.deadline)
                while Self.processState(pid) != "T" && Date() < deadline {
                    try await Task.sleep(for: .milliseconds(50)) // poll for the stop until the deadline
                }
                try #require(Self.processState(pid) == "T", "the console should have stopped itself")
                // The terminal is the shell's again while stopped.
                do {
                    // tmux reads the pane's output on its own schedule: poll for the modes to settle.
                    var alternate = "", cursor = "", words: Set<String> = []
                    let settled = Date().addingTimeInterval(3)
                    repeat {
                        alternate = try await console.display("#{alternate_on}")
                        cursor = try await console.display("#{cursor_flag}")
                        words = try await Self.sttyWords(of: console)
                        if alternate == "0" && cursor == "1" && words.contains("echo") && words.contains("icanon") { break }
                        try await Task.sleep(for: .milliseconds(50)) // poll for the restored modes until the deadline
                    } while Date() < settled
                    let output = console.output()
                    let marks = output.ranges(of: "\u{1B}[?2004").map { output[$0.upperBound...].prefix(1) }.joined()
                    #expect(alternate == "0", "the normal screen is back while stopped")
                    #expect(cursor == "1", "the cursor is visible while stopped")
                    #expect(words.contains("echo") && words.contains("icanon") && !words.contains("-echo") && !words.contains("-icanon"),
                            "cooked mode while stopped: \(words.sorted())")
                    #expect(marks.hasSuffix("l"), "bracketed paste off while stopped (2004 switches: \(marks))")
                }

                let resumed = try await Subprocess.run("/bin/kill", ["-CONT", String(pid)])
                try #require(resumed.status == 0, "\(resumed)")
                try await console.waitFor(" Slash Commands  (2)", "Connected to \"\(Fixture.linkedTo)\"")
                #expect(try await console.display("#{alternate_on}") == "1", "the console's screen again")
                // Keys work again (raw mode is back).
                try await console.press("1")
                try await console.waitFor(" Outgoing OAuth Connections  (3)")
                try await console.press("q")
                let exit = try await console.waitForExit()
                try await Self.expectSaneExit(exit, console: console)
            }
        }

        /// The lines the wrapper shows between its "prompt" and the exit status: what the binary printed.
        static func printed(_ exit: ExitReport) -> [String] {
            let lines = exit.screen.split(separator: "\n").map(String.init)
            guard let start = lines.firstIndex(where: { $0.hasPrefix("PROMPT$") }),
                  let end = lines.firstIndex(where: { $0.hasPrefix("EXITED:") }), start < end else { return [] }
            return lines[(start + 1)..<end].filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        }

        enum OddTerminal: Sendable, CustomTestStringConvertible {
            case dumb, unset, unknown, stdoutRedirected
            var testDescription: String {
                switch self {
                case .dumb: "TERM=dumb"
                case .unset: "TERM unset"
                case .unknown: "TERM=no-such-terminal"
                case .stdoutRedirected: "stdout to a file"
                }
            }
        }

        @Test("terminals the console cannot use: one line pointing to the CLI, status 1",
              arguments: [OddTerminal.dumb, .unset, .unknown, .stdoutRedirected])
        func oddTerminal(_ kind: OddTerminal) async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            let term: ConsoleSession.TerminalType
            switch kind {
            case .dumb: term = .term("dumb")
            case .unset: term = .unset
            case .unknown: term = .term("no-such-terminal")
            case .stdoutRedirected: term = .term("xterm-256color")
            }
            try await withConsole(workspace, term: term, redirect: kind == .stdoutRedirected ? "> console.out" : "") { console in
                let exit = try await console.waitForExit()
                #expect(exit.status == 1, "exit status: \(exit)")
                let printed = Self.printed(exit)
                #expect(printed.count == 1, "one line: \(printed)\n\(exit)")
                #expect(printed.first?.hasPrefix("backstage: ") == true, "\(exit)")
                #expect(printed.first?.contains("backstage connections list") == true, "points to the CLI: \(exit)")
                #expect(exit.terminalIsSane, "\(exit)")
                #expect(try await console.display("#{alternate_on}") == "0", "\(exit)")
                if kind == .stdoutRedirected {
                    let written = (try? String(contentsOfFile: workspace.path("console.out"), encoding: .utf8)) ?? "<missing>"
                    #expect(written.isEmpty, "nothing written to the redirected stdout: \(written.debugDescription)")
                }
            }
        }

        /// The terminal starts while a local store opens (issue 18); when the file turns out not to
        /// be a store, the shell's screen comes back first and the reason is printed on it.
        @Test("a file that is no store: the terminal is given back, then one line naming the file, status 5")
        func unusableStore() async throws {
            let workspace = try Workspace()
            let text = "not a database\n"
            try text.write(toFile: workspace.db, atomically: true, encoding: .utf8)
            try await withConsole(workspace) { console in
                let exit = try await console.waitForExit()
                #expect(exit.status == 5, "exit status: \(exit)")
                let printed = Self.printed(exit).joined()
                #expect(printed.hasPrefix("backstage: "), "\(exit)")
                #expect(printed.contains("is not a backstage database"), "the reason, after the console's screen is gone: \(exit)")
                #expect(exit.terminalIsSane, "\(exit)")
                #expect(try await console.display("#{alternate_on}") == "0", "\(exit)")
                #expect(!exit.screen.contains("backstage · Integrations"), "\(exit)")
                #expect(try String(contentsOfFile: workspace.db, encoding: .utf8) == text, "the file is left untouched")
            }
        }

        @Test("stdin not a terminal: one line on stderr pointing to the CLI, status 1")
        func stdinNotATerminal() async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            var environment = workspace.environment
            environment["TERM"] = "xterm-256color"
            let result = try await Subprocess.run(try E2E.backstage().path, ["--db", workspace.db], stdin: nil,
                                                  environment: environment, currentDirectory: workspace.root, timeout: 30)
            #expect(result.status == 1, "\(result)")
            #expect(!result.signalled, "\(result)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "one line on stderr: \(result)")
            #expect(result.stderr.contains("backstage connections list"), "\(result)")
            #expect(result.stdout.isEmpty, "no escape sequences or text on stdout: \(result.stdout.debugDescription)")

            // A file on stdin, with a key in it, is no terminal either.
            let fromFile = try await Subprocess.run(try E2E.backstage().path, ["--db", workspace.db], stdin: "q\n",
                                                 environment: environment, currentDirectory: workspace.root, timeout: 30)
            #expect(fromFile.status == 1, "\(fromFile)")
            #expect(fromFile.stderr.contains("backstage connections list"), "\(fromFile)")
            #expect(fromFile.stdout.isEmpty, "\(fromFile)")
        }
    }
}
