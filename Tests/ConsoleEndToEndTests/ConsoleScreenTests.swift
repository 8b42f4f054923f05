import Foundation
import Testing

extension ConsoleEndToEnd {
    /// What the console shows and how its keys change it, at 100x30 in xterm-256color.
    @Suite("screens and keys")
    struct ScreenTests {
        static let hintBar = " Tab tabs  / search  a add  e edit  d delete  ? help  q quit"

        @Test("start-up: header, tabs, title, sorted rows, aligned CJK row, hint bar")
        func startUp() async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace) { console in
                let screen = try await console.waitForConnections(3)
                let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                try #require(lines.count >= 30, "a 30-row pane: \(screen)")

                #expect(lines[0].hasPrefix(" backstage · Integrations"), "header: \(screen)")
                #expect(lines[0].contains("store: "), "header names the store: \(screen)")
                #expect(lines[0].contains("store.sqlite"), "header names the store: \(screen)")
                #expect(lines[1].contains(" 1 Outgoing OAuth Connections "), "tab bar: \(screen)")
                #expect(lines[1].contains(" 2 Slash Commands"), "tab bar: \(screen)")
                #expect(lines[2].hasPrefix(" Outgoing OAuth Connections  (3)"), "title: \(screen)")
                for heading in ["Name", "Client ID", "Token URL", "Audience URLs", "Validated"] {
                    #expect(lines[3].contains(heading), "column heading \(heading): \(screen)")
                }
                // Rows 4… hold the connections sorted by name, case-insensitively.
                for (offset, name) in Fixture.sortedNames.enumerated() {
                    #expect(lines[4 + offset].hasPrefix(" " + name), "row \(4 + offset) should be \(name): \(screen)")
                }
                #expect(lines[29].hasPrefix(Self.hintBar), "hint bar: \(screen)")

                // The CJK name takes two columns a character: what follows it starts where it
                // does on the ASCII rows.
                let clientIDColumns = (4...6).map { ScreenText.column(of: "cid-", in: lines[$0]) }
                #expect(clientIDColumns.allSatisfy { $0 != nil && $0 == clientIDColumns[0] }, "Client ID column: \(clientIDColumns)\n\(screen)")
                let tokenColumns = (4...6).map { ScreenText.column(of: "https://idp", in: lines[$0]) }
                #expect(tokenColumns.allSatisfy { $0 != nil && $0 == tokenColumns[0] }, "Token URL column: \(tokenColumns)\n\(screen)")
                #expect(ScreenText.column(of: "Client ID", in: lines[3]) == clientIDColumns[0], "heading above its column: \(screen)")
                #expect(ScreenText.width(Substring(lines[6])) <= 100, "the CJK row fits the width: \(lines[6])")

                // The details pane follows the selection, including onto the CJK row.
                #expect(screen.contains(" Client ID: cid-alpha "), "details of the first row: \(screen)")
                try await console.press("j")
                try await console.waitFor(" Client ID: cid-zeta ")
                try await console.press("j")
                try await console.waitFor(" Client ID: cid-kyuyo ", "Audience URLs: https://kyuyo.example.com/*")
                try await console.press("G")
                try await console.waitFor(" Client ID: cid-kyuyo ")
                try await console.press("g")
                try await console.waitFor(" Client ID: cid-alpha ")

                try await console.press("q")
                let exit = try await console.waitForExit()
                #expect(exit.status == 0, "\(exit)")
            }
        }

        @Test("tabs: Tab, 2, 1 and Shift-Tab switch; commands show their linkage")
        func tabs() async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace) { console in
                try await console.waitForConnections(3)

                try await console.press("Tab")
                var screen = try await console.waitFor(" Slash Commands  (2)")
                var lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                for heading in ["Trigger", "Title", "Method", "Request URL", "OAuth connection"] {
                    #expect(lines[3].contains(heading), "column heading \(heading): \(screen)")
                }
                // Sorted by trigger.
                #expect(lines[4].hasPrefix(" /\(Fixture.linkedTrigger) "), "first row: \(screen)")
                #expect(lines[5].hasPrefix(" /\(Fixture.unlinkedTrigger) "), "second row: \(screen)")
                #expect(lines[4].contains("Connected to \"\(Fixture.linkedTo)\""), "linked command: \(lines[4])")
                #expect(lines[5].contains("Not linked"), "unlinked command: \(lines[5])")
                #expect(!lines[5].contains("Connected to"), "unlinked command: \(lines[5])")
                #expect(screen.contains("Connected to \"\(Fixture.linkedTo)\" (audience https://alpha.example.com/*)"), "details: \(screen)")
                #expect(lines[29].hasPrefix(Self.hintBar), "hint bar: \(screen)")

                try await console.press("j")
                try await console.waitFor("Not linked to an OAuth connection", "Request URL: \(Fixture.unlinkedURL)")

                try await console.press("1")
                try await console.waitFor(" Outgoing OAuth Connections  (3)")
                try await console.press("2")
                screen = try await console.waitFor(" Slash Commands  (2)")
                // Each tab keeps its own selection.
                #expect(screen.contains("Request URL: \(Fixture.unlinkedURL)"), "selection kept on the commands tab: \(screen)")
                try await console.press("BTab")
                try await console.waitFor(" Outgoing OAuth Connections  (3)", " Client ID: cid-alpha ")
                try await console.press("BTab")
                screen = try await console.waitFor(" Slash Commands  (2)")
                lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                #expect(lines[4].contains("Connected to \"\(Fixture.linkedTo)\""), "\(screen)")
            }
        }

        @Test("filter: / narrows as you type, Enter keeps, Esc clears, no-match text")
        func filter() async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace) { console in
                try await console.waitForConnections(3)

                try await console.press("/")
                try await console.waitFor(" Search: ")
                try await console.type("ze")
                var screen = try await console.waitUntil("the list narrowed to Zeta") { screen in
                    screen.contains(" Search: ze") && screen.contains(" Zeta Analytics ") && !screen.contains(" alpha HR ")
                        && !screen.contains("給与システム")
                }
                #expect(ScreenText.lines(screen, containing: " Search: ze").first?.hasPrefix(" Search: ze") == true, "\(screen)")
                try await console.type("ta")
                try await console.waitFor(" Search: zeta")
                try await console.press("Enter")
                screen = try await console.waitFor(" Outgoing OAuth Connections  (1 of 3 match \"zeta\")")
                #expect(screen.contains(" Zeta Analytics "), "\(screen)")
                #expect(!screen.contains(" alpha HR "), "\(screen)")
                #expect(screen.contains(Self.hintBar), "back to the list keys: \(screen)")

                // Reopened, the filter is still there; Esc clears it.
                try await console.press("/")
                try await console.waitFor(" Search: zeta")
                try await console.press("Escape")
                screen = try await console.waitFor(" Outgoing OAuth Connections  (3)", " alpha HR ", "給与システム", " Zeta Analytics ")

                // Wide characters as filter text.
                try await console.press("/")
                try await console.waitFor(" Search: ")
                try await console.type("給与")
                try await console.press("Enter")
                screen = try await console.waitFor(" Outgoing OAuth Connections  (1 of 3 match \"給与\")")
                #expect(screen.contains("給与システム"), "\(screen)")
                #expect(!screen.contains(" Zeta Analytics "), "\(screen)")
                try await console.press("/")
                try await console.press("C-u")
                try await console.waitUntil("an empty search line") { screen in
                    ScreenText.lines(screen, containing: " Search:").first?.trimmingCharacters(in: .whitespaces) == "Search:"
                }

                // No match.
                try await console.type("nomatch")
                try await console.waitFor("No Outgoing OAuth Connections match nomatch")
                try await console.press("BSpace", "BSpace")
                try await console.waitFor(" Search: nomat", "No Outgoing OAuth Connections match nomat")
                try await console.press("Escape")
                try await console.waitFor(" Outgoing OAuth Connections  (3)", " alpha HR ")

                // The commands tab has its own filter and its own no-match text.
                try await console.press("2")
                try await console.waitFor(" Slash Commands  (2)")
                try await console.press("/")
                try await console.type("zzz")
                try await console.waitFor("No slash commands match zzz")
                try await console.press("Enter")
                try await console.waitFor(" Slash Commands  (0 of 2 match \"zzz\")", "No slash commands match zzz")
                try await console.press("1")
                screen = try await console.waitFor(" Outgoing OAuth Connections  (3)")
                try await console.press("2")
                try await console.waitFor(" Slash Commands  (0 of 2 match \"zzz\")")
            }
        }

        @Test("delete: d asks, n keeps the row, d then y deletes it from the store")
        func deleteConnection() async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace) { console in
                try await console.waitForConnections(3)
                try await console.press("j")
                try await console.waitFor(" Client ID: cid-zeta ")

                try await console.press("d")
                var screen = try await console.waitFor("Are you sure you want to delete Zeta Analytics?",
                                                        "Deleting this connection will break any integrations using it")
                #expect(screen.contains("Delete Outgoing OAuth Connection"), "dialog title: \(screen)")
                try await console.press("n")
                screen = try await console.waitForAbsence("Are you sure you want to delete")
                #expect(screen.contains(" Zeta Analytics "), "cancelled: the row stays: \(screen)")
                #expect(screen.contains(" Outgoing OAuth Connections  (3)"), "\(screen)")
                #expect(Set(try await workspace.connectionNames()) == Set(Fixture.sortedNames), "nothing deleted")

                // Esc cancels too.
                try await console.press("d")
                try await console.waitFor("Are you sure you want to delete Zeta Analytics?")
                try await console.press("Escape")
                try await console.waitForAbsence("Are you sure you want to delete")

                try await console.press("d")
                try await console.waitFor("Are you sure you want to delete Zeta Analytics?")
                try await console.press("y")
                screen = try await console.waitFor(" Outgoing OAuth Connections  (2)", "Deleted Zeta Analytics")
                #expect(!screen.contains(" Zeta Analytics "), "the row is gone: \(screen)")
                #expect(screen.contains(" alpha HR ") && screen.contains("給与システム"), "the others stay: \(screen)")
                #expect(Set(try await workspace.connectionNames()) == ["alpha HR", "給与システム"], "gone from the store too")
            }
        }

        @Test("delete a slash command: the dialog names /trigger, Enter confirms")
        func deleteCommand() async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace) { console in
                try await console.waitForConnections(3)
                try await console.press("2")
                try await console.waitFor(" Slash Commands  (2)")
                try await console.press("j")
                try await console.waitFor("Request URL: \(Fixture.unlinkedURL)")
                try await console.press("d")
                let screen = try await console.waitFor("This action permanently deletes the slash command /\(Fixture.unlinkedTrigger)")
                let flat = screen.replacingOccurrences(of: "│", with: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
                #expect(flat.contains("breaks any integrations using it. Are you sure you want to delete it?"), "dialog text: \(screen)")
                try await console.press("Enter")
                let after = try await console.waitFor(" Slash Commands  (1)", "Deleted /\(Fixture.unlinkedTrigger)")
                #expect(!after.contains(" /\(Fixture.unlinkedTrigger) "), "\(after)")
                let list = try await workspace.cli(["commands", "list", "--json"])
                #expect(list.status == 0, "\(list)")
                #expect(list.stdout.contains("\"trigger\" : \"\(Fixture.linkedTrigger)\"") || list.stdout.contains("\"trigger\":\"\(Fixture.linkedTrigger)\""),
                        "\(list)")
                #expect(!list.stdout.contains(Fixture.unlinkedTrigger), "\(list)")
            }
        }

        @Test("help: ? opens the overlay, Esc and ? close it")
        func help() async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace) { console in
                try await console.waitForConnections(3)
                try await console.press("?")
                let screen = try await console.waitFor("Keys (? or Esc closes)")
                // The keys of what is open (the lists) and those that work everywhere.
                for text in ["Lists", "Delete (asks first)", "Next theme", "Quit (anywhere)", "Everywhere", "Message log"] {
                    #expect(screen.contains(text), "help lists \(text): \(screen)")
                }
                try await console.press("Escape")
                var after = try await console.waitForAbsence("Keys (? or Esc closes)")
                #expect(after.contains(" alpha HR "), "\(after)")
                #expect(after.contains(Self.hintBar), "\(after)")

                try await console.press("?")
                try await console.waitFor("Keys (? or Esc closes)")
                try await console.press("?")
                after = try await console.waitForAbsence("Keys (? or Esc closes)")
                #expect(after.contains(" Outgoing OAuth Connections  (3)"), "\(after)")
            }
        }

        @Test("add and edit: a opens (a notice or the form), Esc goes back, nothing is written")
        func addEditOpenAndLeave() async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace) { console in
                try await console.waitForConnections(3)
                // Until the forms land a notice says so (Enter/Esc close it); once they have, a
                // clean form leaves on Esc without asking. Either way the list comes back.
                try await console.press("a")
                try await console.waitUntil("the add notice or form") { $0.contains("The form editors arrive") || $0.contains(" › Add") }
                try await console.press("Escape")
                try await console.waitFor(" Outgoing OAuth Connections  (3)", Self.hintBar)
                try await console.press("e")
                try await console.waitUntil("the edit notice or form") { $0.contains("The form editors arrive") || $0.contains(" › Edit") }
                try await console.press("Escape")
                let screen = try await console.waitFor(" Outgoing OAuth Connections  (3)", Self.hintBar)
                #expect(!screen.contains("The form editors arrive") && !screen.contains(" › Edit"), "\(screen)")
                #expect(Set(try await workspace.connectionNames()) == Set(Fixture.sortedNames), "nothing changed")
            }
        }

        @Test("resize: too small says so; enlarged, the same tab, selection and filter come back")
        func resize() async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace) { console in
                try await console.waitForConnections(3)
                try await console.press("2")
                try await console.waitFor(" Slash Commands  (2)")
                // "e" is in both triggers: both rows stay, and the second can be selected.
                try await console.press("/")
                try await console.type("e")
                try await console.press("Enter")
                try await console.waitFor(" Slash Commands  (2 of 2 match \"e\")")
                try await console.press("j")
                try await console.waitFor("Request URL: \(Fixture.unlinkedURL)")

                try await console.resize(width: 50, height: 12)
                var screen = try await console.waitFor("terminal too small (need 60x16, have 50x12)")
                #expect(!screen.contains("Slash Commands"), "\(screen)")
                // Keys other than quit do nothing while too small.
                try await console.press("1")

                try await console.resize(width: 100, height: 30)
                screen = try await console.waitFor(" Slash Commands  (2 of 2 match \"e\")")
                #expect(!screen.contains("terminal too small"), "\(screen)")
                #expect(screen.contains("Request URL: \(Fixture.unlinkedURL)"), "same selection: \(screen)")
                let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                #expect(lines[0].hasPrefix(" backstage · Integrations"), "\(screen)")
                #expect(lines.count >= 30 && lines[29].hasPrefix(Self.hintBar), "hint bar on the last row again: \(screen)")

                // Just at the minimum, the console draws; one column less, it does not.
                try await console.resize(width: 60, height: 16)
                screen = try await console.waitFor(" Slash Commands  (2 of 2 match \"e\")")
                try await console.resize(width: 59, height: 16)
                try await console.waitFor("terminal too small (need 60x16, have 59x16)")
                try await console.press("q")
                let exit = try await console.waitForExit()
                #expect(exit.status == 0, "q quits while too small: \(exit)")
                #expect(exit.terminalIsSane, "\(exit)")
            }
        }

        @Test("theme: t cycles and says which")
        func theme() async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace) { console in
                try await console.waitForConnections(3)
                try await console.press("t")
                try await console.waitFor("Theme: Sapphire")
                try await console.press("t")
                try await console.waitFor("Theme: Quartz")
                // Any list key clears the status line.
                try await console.press("j")
                let screen = try await console.waitForAbsence("Theme: Quartz")
                #expect(screen.contains(" Outgoing OAuth Connections  (3)"), "\(screen)")
            }
        }

        /// tmux's view of the mouse modes the console asked for ("000" = none).
        static func mouseModes(_ console: ConsoleSession) async throws -> String {
            try await console.display("#{mouse_any_flag}#{mouse_button_flag}#{mouse_standard_flag}")
        }

        /// An SGR mouse report as xterm sends it: button 0 press and release, or wheel down (65),
        /// at 0-based screen cell (x, y).
        static func click(x: Int, y: Int) -> String { "\u{1B}[<0;\(x + 1);\(y + 1)M\u{1B}[<0;\(x + 1);\(y + 1)m" }
        static func wheelDown(x: Int, y: Int) -> String { "\u{1B}[<65;\(x + 1);\(y + 1)M" }

        @Test("mouse: m toggles capture; clicks pick rows and tabs, the wheel scrolls")
        func mouse() async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace) { console in
                try await console.waitForConnections(3)
                #expect(try await Self.mouseModes(console) == "000", "no mouse capture by default")
                try await console.press("m")
                try await console.waitFor("Mouse on (hold Shift to select text)")
                #expect(try await Self.mouseModes(console) != "000", "the terminal was asked for mouse reports")

                // Row 6 is the third connection.
                try await console.type(Self.click(x: 5, y: 6))
                try await console.waitFor(" Client ID: cid-kyuyo ")
                // The second tab's title, then the first's.
                try await console.type(Self.click(x: 40, y: 1))
                try await console.waitFor(" Slash Commands  (2)")
                try await console.type(Self.wheelDown(x: 10, y: 5))
                try await console.waitFor("Request URL: \(Fixture.unlinkedURL)")
                try await console.type(Self.click(x: 5, y: 1))
                try await console.waitFor(" Outgoing OAuth Connections  (3)", " Client ID: cid-kyuyo ")

                try await console.press("m")
                try await console.waitFor("Mouse off")
                #expect(try await Self.mouseModes(console) == "000", "mouse capture off again")
                try await console.press("q")
                let exit = try await console.waitForExit()
                #expect(exit.status == 0, "\(exit)")
            }
        }

        @Test("mouse: --mouse starts with capture on")
        func mouseFlag() async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace, extraArguments: ["--mouse"]) { console in
                try await console.waitForConnections(3)
                #expect(try await Self.mouseModes(console) != "000", "--mouse should turn mouse reporting on")
                try await console.type(Self.click(x: 5, y: 6))
                try await console.waitFor(" Client ID: cid-kyuyo ", timeout: 3)
            }
        }

        @Test("paste: the list ignores it (a pasted \"dq\" neither deletes nor quits); the search takes it whole")
        func paste() async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace) { console in
                try await console.waitForConnections(3)
                // paste-buffer -p wraps the text in bracketed-paste marks, as the console asked.
                try await console.tmux(["set-buffer", "dq"])
                try await console.tmux(["paste-buffer", "-p", "-t", console.target])
                // Then a key whose effect shows, so the paste has certainly been read.
                try await console.press("j")
                let screen = try await console.waitFor(" Client ID: cid-zeta ")
                #expect(!screen.contains("Are you sure"), "a paste is not keys: \(screen)")
                #expect(!screen.contains("EXITED:"), "a paste is not keys: \(screen)")

                try await console.press("/")
                try await console.waitFor(" Search: ")
                try await console.tmux(["set-buffer", "給与"])
                try await console.tmux(["paste-buffer", "-p", "-t", console.target])
                try await console.waitUntil("the pasted filter") { screen in
                    screen.contains(" Search: 給与") && screen.contains("給与システム") && !screen.contains(" alpha HR ")
                }
                try await console.press("Enter")
                try await console.waitFor(" Outgoing OAuth Connections  (1 of 3 match \"給与\")")
                #expect(Set(try await workspace.connectionNames()) == Set(Fixture.sortedNames), "nothing deleted")
            }
        }

        @Test("smallest size (60x16): the CJK name is cut on a character boundary and the columns stay aligned")
        func smallestSize() async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace, width: 60, height: 16) { console in
                let screen = try await console.waitForConnections(3)
                let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                try #require(lines.count >= 16, "\(screen)")
                #expect(lines[0].hasPrefix(" backstage · Integrations"), "\(screen)")
                #expect(lines[6].hasPrefix(" 給与"), "the CJK row: \(screen)")
                let columns = (4...6).map { ScreenText.column(of: "cid-", in: lines[$0]) }
                #expect(columns.allSatisfy { $0 != nil && $0 == columns[0] }, "Client ID column: \(columns)\n\(screen)")
                #expect(lines.allSatisfy { ScreenText.width(Substring($0)) <= 60 }, "nothing wider than the pane: \(screen)")
                #expect(lines[15].hasPrefix(" Tab tabs"), "hint bar on the last row: \(screen)")
            }
        }

        @Test("an empty store says so on both tabs")
        func emptyStore() async throws {
            let workspace = try Workspace()
            try await withConsole(workspace) { console in
                try await console.waitFor(" Outgoing OAuth Connections  (0)", "No Outgoing OAuth Connections found")
                try await console.press("d")
                try await console.press("2")
                let screen = try await console.waitFor(" Slash Commands  (0)", "No commands found")
                #expect(!screen.contains("Are you sure"), "nothing to delete: \(screen)")
            }
        }
    }
}
