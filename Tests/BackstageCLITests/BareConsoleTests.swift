import ArgumentParser
import Testing
@testable import BackstageCLI

/// The console's own reading of its options (no subcommand) gives what swift-argument-parser gives,
/// and leaves everything else to it.
@Suite("bare console arguments")
struct BareConsoleTests {
    static let none: [String: String] = [:]

    /// What the full parser makes of `arguments`, in the bare path's terms.
    static func parsed(_ arguments: [String]) throws -> BareConsole? {
        guard let command = try BackstageCommand.parseAsRoot(arguments) as? BackstageCommand else { return nil }
        var bare = BareConsole(arguments: [], environment: none)!
        bare.db = command.global.db
        bare.theme = command.theme
        bare.noColor = command.noColor
        bare.mouse = command.mouse
        bare.refresh = command.refresh
        bare.team = command.global.teamOption
        bare.log = command.global.log
        bare.actor = command.global.actorOption
        bare.readonly = command.global.readonlyFlag
        return bare
    }

    @Test(arguments: [
        [],
        ["--db", "/tmp/store.sqlite"],
        ["--db=/tmp/store.sqlite", "--mouse", "--no-color"],
        ["--theme", "onyx", "--refresh", "0", "--team", "ops", "--readonly"],
        ["--refresh=2.5", "--log", "/tmp/a.log", "--actor", "alice", "--db", "x.sqlite", "--theme=/tmp/t.json"],
    ])
    func readsWhatTheParserReads(arguments: [String]) throws {
        let bare = try #require(BareConsole(arguments: arguments, environment: Self.none))
        #expect(bare == (try Self.parsed(arguments)))
    }

    @Test(arguments: [
        ["connections", "list"], ["--db", "x", "commands", "list"], ["--help"], ["-h"], ["--version"],
        ["--server", "https://mm.example.com"], ["--profile", "prod"], ["--token-file", "t"], ["--ca-file", "c.pem"],
        ["--timeout", "3"], ["--db"], ["--db", "--mouse"], ["--db="], ["--db", "a", "--db", "b"], ["--mouse", "--mouse"],
        ["--mouse=true"], ["--refresh", "soon"], ["--refresh", "-1"], ["--colour"], ["store.sqlite"],
    ])
    func leavesTheRestToTheParser(arguments: [String]) {
        #expect(BareConsole(arguments: arguments, environment: Self.none) == nil)
    }

    @Test func aDefaultProfileOrAForwardedCommandTakesTheFullWay() {
        #expect(BareConsole(arguments: ["--db", "x"], environment: ["BACKSTAGE_PROFILE": "prod"]) == nil)
        #expect(BareConsole(arguments: ["--db", "x"], environment: ["SSH_ORIGINAL_COMMAND": "connections list"]) == nil)
        #expect(BareConsole(arguments: ["--db", "x"], environment: ["BACKSTAGE_PROFILE": ""]) != nil)
    }

    /// Its store options are all set (an option never set would stop the program when read) and
    /// equal the parser's; a new global option must be added to `GlobalOptions.init(db:…)` too.
    @Test func itsStoreOptionsEqualTheParsersEveryOne() throws {
        let arguments = ["--db", "s.sqlite", "--team", "ops", "--log", "/tmp/l", "--actor", "bob", "--readonly"]
        let bare = try #require(BareConsole(arguments: arguments, environment: Self.none)).global
        let full = try #require(try BackstageCommand.parseAsRoot(arguments) as? BackstageCommand).global
        #expect(Mirror(reflecting: full).children.count == 11, "a new global option: set it in GlobalOptions.init(db:team:log:actor:readonly:)")
        #expect(bare.db == full.db && bare.caFile == full.caFile && bare.connectTimeout == full.connectTimeout && bare.timeout == full.timeout)
        #expect(bare.serverOption == full.serverOption && bare.teamOption == full.teamOption && bare.tokenFileOption == full.tokenFileOption)
        #expect(bare.profile == full.profile && bare.log == full.log && bare.actorOption == full.actorOption && bare.readonlyFlag == full.readonlyFlag)
        #expect(try bare.actor(environment: [:]) == "bob" && bare.server == nil && bare.team == "ops")
    }
}
