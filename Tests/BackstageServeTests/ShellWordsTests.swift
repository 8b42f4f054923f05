import Testing
@testable import BackstageServe

@Suite struct ShellWordsTests {
    @Test func splitsOnBlanksAndKeepsQuotedText() throws {
        #expect(try ShellWords.split("connections list --json") == ["connections", "list", "--json"])
        #expect(try ShellWords.split("  connections\tshow   'alpha HR' ") == ["connections", "show", "alpha HR"])
        #expect(try ShellWords.split(#"commands add --description "a \"quoted\" word""#) == ["commands", "add", "--description", #"a "quoted" word"#])
        #expect(try ShellWords.split(#"show al\ pha"#) == ["show", "al pha"])
        #expect(try ShellWords.split(#"show "back\slash""#) == ["show", #"back\slash"#])
        #expect(try ShellWords.split("show ''") == ["show", ""])
        #expect(try ShellWords.split("a'b'\"c\"d") == ["abcd"])
        #expect(try ShellWords.split("") == [])
    }

    @Test func refusesWhatOnlyAShellWouldDo() {
        for line in ["list; rm -rf /", "list | cat", "list && x", "list > out", "list < in", "echo $HOME", "echo `id`",
                     "list *", "show ~/x", "show (a)", "show \"$x\"", "show # comment"] {
            #expect(throws: ShellWords.Refusal.self, "\(line)") { try ShellWords.split(line) }
        }
    }

    @Test func quotedShellCharactersAreLiteral() throws {
        #expect(try ShellWords.split("show 'a;b|c$d*'") == ["show", "a;b|c$d*"])
        #expect(try ShellWords.split(#"show a\;b"#) == ["show", "a;b"])
        #expect(try ShellWords.split("show a~b x#y") == ["show", "a~b", "x#y"])
    }

    @Test func refusesUnterminatedQuotes() {
        #expect(throws: ShellWords.Refusal.self) { try ShellWords.split("show 'alpha") }
        #expect(throws: ShellWords.Refusal.self) { try ShellWords.split("show \"alpha") }
        #expect(throws: ShellWords.Refusal.self) { try ShellWords.split("show alpha\\") }
    }
}

@Suite struct ExecPolicyTests {
    @Test func allowsListedSubcommands() throws {
        #expect(try ExecPolicy.arguments(for: ["connections", "list", "--json"]) == ["connections", "list", "--json"])
        #expect(try ExecPolicy.arguments(for: ["connections", "validate", "--all"]) == ["connections", "validate", "--all"])
        #expect(try ExecPolicy.arguments(for: ["commands", "run", "deploy", "--", "now"]) == ["commands", "run", "deploy", "--", "now"])
        #expect(try ExecPolicy.arguments(for: ["export"]) == ["export"])
        #expect(try ExecPolicy.arguments(for: ["--help"]) == ["--help"])
    }

    @Test func refusesOtherCommands() {
        for words in [[], ["serve"], ["profiles", "list"], ["connections"], ["sh"], ["connections", "drop"]] {
            #expect(throws: ExecPolicy.Refusal.self, "\(words)") { try ExecPolicy.arguments(for: words) }
        }
    }

    @Test func refusesPathStoreServerAndIdentityOptions() {
        for option in ["--db", "--log", "--token-file", "--ca-file", "--server", "--actor", "--out", "--theme", "--profile"] {
            #expect(throws: ExecPolicy.Refusal.self, "\(option)") { try ExecPolicy.arguments(for: ["connections", "list", option, "x"]) }
            #expect(throws: ExecPolicy.Refusal.self, "\(option)=") { try ExecPolicy.arguments(for: ["export", "\(option)=x"]) }
        }
    }

    @Test func importReadsStandardInput() throws {
        #expect(try ExecPolicy.arguments(for: ["import"]) == ["import", "/dev/stdin"])
        #expect(try ExecPolicy.arguments(for: ["import", "-"]) == ["import", "/dev/stdin"])
        #expect(try ExecPolicy.arguments(for: ["import", "--team", "ops"]) == ["import", "--team", "ops", "/dev/stdin"])
        #expect(throws: ExecPolicy.Refusal.self) { try ExecPolicy.arguments(for: ["import", "/etc/passwd"]) }
    }
}
