import ArgumentParser
import SeededRandom
import Testing
@testable import BackstageCLI

/// The one-item answers read without the parser (`QuickAnswer`, `PlainArguments`) make the very
/// command the parser makes, or leave the arguments to it.
@Suite("quick answers")
struct QuickAnswerTests {
    static let none: [String: String] = [:]

    /// A command's every property, as `dump` writes it: a property the quick way left unset would
    /// show the parser's definition instead of a value.
    static func described(_ command: any ParsableCommand) -> String {
        var text = ""
        dump(command, to: &text)
        return text
    }

    @Test func aCommandMadeWithoutTheParserIsTheParsersToTheLastProperty() throws {
        let arguments = ["--db", "s.sqlite", "connections", "--team=ops", "validate", "Payroll", "--json", "--log", "/tmp/l",
                         "--actor", "bob", "--readonly"]
        let quick = try #require(QuickAnswer.command(arguments, environment: Self.none))
        let full = try BackstageCommand.parseAsRoot(arguments)
        #expect(Self.described(quick) == Self.described(full))
        #expect(Self.described(quick).contains("Payroll"))
        // An unset property reads differently: the comparison above can fail.
        var unset = ConnectionsCommand.Validate()
        unset.nameOrId = "Payroll"
        #expect(Self.described(unset) != Self.described(full))
    }

    static let names = [["connections", "validate"], ["connections", "show"], ["commands", "show"], ["commands", "match"]]
    static let items = ["Payroll", "/deploy", "https://hooks.example.com/x?a=1", "名前", "a b", "x=y", "help", "-", "", "--", "-P"]
    static let values = ["s.sqlite", "/tmp/a b/c.sqlite", "ops", "", "-x", "x=y", "名前"]
    /// Words that are no part of a quick answer, or are read specially by the parser.
    static let others = ["--server", "--profile", "--all", "--token-url", "--timeout", "--help", "-h", "--version", "--json=true",
                         "--readonly=1", "--colour", "-j"]

    /// One random argument list: an answer's two names, mostly first, an item, options of the quick
    /// way (a value apart or after `=`, sometimes twice or missing its value), now and then another word.
    static func arguments(_ random: inout SplitMix) -> [String] {
        var pieces: [[String]] = []
        if Int.random(in: 0..<8, using: &random) > 0 { pieces.append([items.randomElement(using: &random)!]) }
        for name in ["--db", "--team", "--log", "--actor"] where Bool.random(using: &random) {
            let value = values.randomElement(using: &random)!
            switch Int.random(in: 0..<10, using: &random) {
            case 0: pieces.append([name])
            case 1: pieces.append([name, value]); pieces.append([name, value])
            case 2...4: pieces.append(["\(name)=\(value)"])
            default: pieces.append([name, value])
            }
        }
        for flag in ["--json", "--readonly"] where Bool.random(using: &random) { pieces.append([flag]) }
        if Int.random(in: 0..<4, using: &random) == 0 { pieces.append([others.randomElement(using: &random)!]) }
        if Int.random(in: 0..<8, using: &random) == 0 { pieces.append([items.randomElement(using: &random)!]) }
        // The two names anywhere among the pieces, in their order.
        pieces.shuffle(using: &random)
        let name = names.randomElement(using: &random)!
        let second = Int.random(in: 0...min(pieces.count, 2), using: &random)
        pieces.insert([name[1]], at: second)
        pieces.insert([name[0]], at: Int.random(in: 0...min(second, 1), using: &random))
        return pieces.flatMap { $0 }
    }

    /// The quick way either declines, or makes what the parser makes; it never takes what the
    /// parser refuses.
    @Test func readsWhatTheParserReadsOrLeavesItToIt() throws {
        var random = SplitMix(seed: 18)
        var taken = 0
        for _ in 0..<4_000 {
            let arguments = Self.arguments(&random)
            guard let quick = QuickAnswer.command(arguments, environment: Self.none) else { continue }
            taken += 1
            let full: any ParsableCommand
            do { full = try BackstageCommand.parseAsRoot(arguments) } catch {
                Issue.record("the quick way took \(arguments), which the parser refuses: \(error)")
                continue
            }
            #expect(Self.described(quick) == Self.described(full), "\(arguments)")
        }
        #expect(taken > 250, "too few lists taken the quick way to say anything: \(taken)")
    }

    @Test(arguments: [
        ["connections", "validate"], ["connections", "validate", "--all"], ["--json", "connections", "show", "P"],
        ["connections", "--json", "show", "P"], ["--db", "connections", "show", "P"], ["--server", "https://mm", "commands", "match", "https://x"],
        ["connections", "validate", "P", "--token-url", "http://idp"], ["connections", "show", "P", "Q"],
        ["commands", "show", "/deploy", "--json", "--json"], ["commands", "match", "--", "https://x"], ["commands", "list", "x"],
        ["commands", "match", "https://x", "--server", "https://mm"], ["connections", "show", "P", "--help"],
    ])
    func leavesTheRestToTheParser(arguments: [String]) {
        #expect(QuickAnswer.command(arguments, environment: Self.none) == nil)
    }

    @Test func aDefaultProfileOrAForwardedCommandTakesTheFullWay() {
        let arguments = ["commands", "match", "https://x"]
        #expect(QuickAnswer.command(arguments, environment: ["BACKSTAGE_PROFILE": "prod"]) == nil)
        #expect(QuickAnswer.command(arguments, environment: ["SSH_ORIGINAL_COMMAND": "commands list"]) == nil)
        #expect(QuickAnswer.command(arguments, environment: ["BACKSTAGE_PROFILE": ""]) != nil)
    }
}
