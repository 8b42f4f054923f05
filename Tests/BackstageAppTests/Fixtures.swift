import BackstageCore
import Foundation
import Testing
@testable import BackstageApp
@testable import TerminalKit

enum Fixtures {
    static let team = Team(id: "teamid0000000000000000000a", name: "main")

    static func connection(_ name: String, id: String, audiences: [String], validated: Bool? = nil, createAt: Int64 = 1_795_000_000_000) -> OutgoingOAuthConnection {
        var connection = OutgoingOAuthConnection(id: id, creatorId: "creator00000000000000000aa", createAt: createAt, updateAt: createAt,
                                                 name: name, clientId: "client-\(id.prefix(4))", oauthTokenURL: "https://idp.example.com/oauth2/token",
                                                 audiences: audiences)
        if let validated {
            connection.lastValidation = ValidationRecord(at: createAt + 60_000, ok: validated, message: validated ? "Validated connection" : "the token endpoint at idp.example.com answered 401 Unauthorized: invalid_client")
        }
        return connection
    }

    static func command(_ trigger: String, url: String, title: String = "", method: SlashCommand.Method = .post) -> SlashCommand {
        SlashCommand(id: "cmd\(trigger)".padding(toLength: 26, withPad: "0", startingAt: 0), token: "tok\(trigger)".padding(toLength: 26, withPad: "x", startingAt: 0),
                     createAt: 1_795_000_000_000, updateAt: 1_795_000_000_000, creatorId: "creator00000000000000000aa",
                     teamId: team.id, trigger: trigger, method: method, displayName: title, url: url)
    }

    static let snapshot = StoreSnapshot(
        connections: [
            connection("Weather IdP", id: "conn1weather00000000000000", audiences: ["https://weather.example.com/*"], validated: true),
            connection("給与システム", id: "conn2payroll00000000000000", audiences: ["https://payroll.example.jp/api/*", "https://payroll.example.jp/hook"], validated: false),
            connection("Broad", id: "conn3broad0000000000000000", audiences: ["https://payroll.example.jp/*"]),
        ],
        commands: [
            command("weather", url: "https://weather.example.com/slash", title: "Weather"),
            command("payslip", url: "https://payroll.example.jp/api/payslip", title: "給与明細", method: .get),
            command("deploy", url: "https://ci.example.com/deploy/", title: "Deploy"),
            command("forecast", url: "https://Weather.example.com/slash/forecast", title: "Forecast"),
        ],
        teams: [team])

    static func state(width: Int = 100, height: Int = 30, loaded: StoreSnapshot? = snapshot) -> AppState {
        var state = AppState(width: width, height: height, storeLabel: "/home/admin/.local/share/backstage/backstage.sqlite")
        if let loaded { _ = Reducer.reduce(&state, .loaded(loaded)) }
        return state
    }

    static func press(_ state: inout AppState, _ keys: Key...) -> [Effect] {
        keys.flatMap { Reducer.reduce(&state, .input(.key($0))) }
    }

    static func type(_ state: inout AppState, _ text: String) {
        for character in text { _ = Reducer.reduce(&state, .input(.key(.character(character)))) }
    }
}

/// Screens compared as plain text with committed goldens in __Snapshots__; `UPDATE_SNAPSHOTS=1`
/// rewrites them deliberately.
enum Snapshot {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__")

    static func expect(_ state: AppState, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        compare(Render.screen(state).text + "\n", named: name, sourceLocation: sourceLocation)
    }

    /// One letter per role, so a golden keeps which cells are what (ratatui's styled lines).
    static let roleLetters: [Role: Character] = Dictionary(uniqueKeysWithValues: zip(Role.allCases, "nmhTtsaSEWLUkKdDbiI"))

    /// The screen's text, then the role of every cell under a legend: colour roles in the golden.
    static func expectStyled(_ state: AppState, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let buffer = Render.screen(state)
        var roles = ""
        for y in 0..<buffer.height {
            roles += String((0..<buffer.width).map { roleLetters[buffer[$0, y].role] ?? "?" }) + "\n"
        }
        let legend = Role.allCases.map { "\(roleLetters[$0]!)=\($0.rawValue)" }.joined(separator: " ")
        compare(buffer.text + "\n\n" + legend + "\n" + roles, named: name, sourceLocation: sourceLocation)
    }

    static func compare(_ text: String, named name: String, sourceLocation: SourceLocation) {
        let file = folder.appendingPathComponent(name + ".txt")
        let update = ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1"
        guard !update, let golden = try? String(contentsOf: file, encoding: .utf8) else {
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try? text.write(to: file, atomically: true, encoding: .utf8)
            if !update { Issue.record("recorded a new snapshot \(name); check it and run again", sourceLocation: sourceLocation) }
            return
        }
        #expect(text == golden, "screen \(name) differs from its golden:\n\(text)", sourceLocation: sourceLocation)
    }
}
