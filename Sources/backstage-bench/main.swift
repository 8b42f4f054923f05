import BackstageApp
import BackstageCore
import Foundation
import TerminalKit

switch CommandLine.arguments.dropFirst().first {
case "saves": exit(await SavesMode.run(Array(CommandLine.arguments.dropFirst(2))))
case "tokens": exit(await TokensMode.run(Array(CommandLine.arguments.dropFirst(2))))
case "form-keys", "list-keys": // for perf: only typed keys in the connection form, or moves in the list; "whole" draws every frame whole
    let inForm = CommandLine.arguments[1] == "form-keys"
    let whole = CommandLine.arguments.dropFirst(3).first == "whole"
    var state = AppState(width: 100, height: 30, storeLabel: "bench")
    _ = Reducer.reduce(&state, .loaded(StoreSnapshot(connections: connections(10, audiencesEach: 1), commands: [], teams: [])))
    if inForm { _ = Reducer.reduce(&state, .input(.key(.character("a")))) }
    var frame = PartialRender.frame(state)
    var drawn = state
    var painter = ScreenPainter()
    _ = painter.paint(frame.buffer, cursorAt: frame.cursor)
    for index in 0..<(Int(CommandLine.arguments.dropFirst(2).first ?? "") ?? 20_000) {
        let key: Key = inForm ? (index % 2 == 1 ? .backspace : .character("x")) : (index % 2 == 1 ? .up : .down)
        _ = Reducer.reduce(&state, .input(.key(key)))
        let rows: [Int]? = whole ? nil : PartialRender.update(state, after: drawn, frame: &frame)
        if whole { frame = PartialRender.frame(state) }
        _ = painter.paint(frame.buffer, cursorAt: frame.cursor, rows: rows)
        drawn = state
    }
    exit(0)
default: break
}

/// Prints one Markdown table row per figure: name | size | value | unit. Numbers are medians of
/// several rounds, measured in this process with the monotonic clock.
func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

func measure(rounds: Int = 5, _ body: () -> Int) -> Double {
    var samples: [Double] = []
    for _ in 0..<rounds {
        let start = ContinuousClock.now
        let operations = body()
        let elapsed = ContinuousClock.now - start
        let (seconds, attoseconds) = elapsed.components
        samples.append((Double(seconds) * 1e9 + Double(attoseconds) / 1e9) / Double(max(1, operations)))
    }
    return median(samples)
}

func connections(_ count: Int, audiencesEach: Int = 10) -> [OutgoingOAuthConnection] {
    (0..<count).map { index in
        OutgoingOAuthConnection(id: String(format: "c%025d", index), createAt: Int64(index), name: String(format: "connection %06d", index),
                                clientId: "client", oauthTokenURL: "https://idp.example.com/token",
                                audiences: (0..<audiencesEach).map { "https://svc\(index).example.com/api/v\($0)/*" })
    }
}

var rows: [String] = ["| figure | size | value | unit |", "|---|---|---|---|"]
for count in [100, 1_000, 10_000] {
    let list = connections(count)
    let audiences = count * 10
    let start = ContinuousClock.now
    let matcher = AudienceMatcher(connections: list)
    let build = ContinuousClock.now - start
    rows.append("| matcher build | \(audiences) audiences | \(String(format: "%.1f", Double(build.components.attoseconds) / 1e15 + Double(build.components.seconds) * 1000)) | ms |")
    let urls = (0..<1000).map { "https://svc\(($0 * 7919) % count).example.com/api/v\($0 % 10)/run/\($0)" }
    var hits = 0
    let lookup = measure {
        for url in urls where matcher.match(url) != nil { hits += 1 }
        return urls.count
    }
    rows.append("| matcher lookup (hit) | \(audiences) audiences | \(String(format: "%.0f", lookup)) | ns |")
    let misses = (0..<1000).map { "https://SVC\(($0 * 7919) % count).example.com:443/api/v\($0 % 10)" }
    let resolve = measure {
        for url in misses { hits += matcher.resolve(url).nearMisses.count }
        return misses.count
    }
    rows.append("| banner answer with near misses | \(audiences) audiences | \(String(format: "%.0f", resolve)) | ns |")
    if count == 10_000 { rows += HealthFigures.rows(connections: list) }
}

for count in [10, 1_000, 100_000] {
    var state = AppState(width: 100, height: 30, storeLabel: "bench")
    _ = Reducer.reduce(&state, .loaded(StoreSnapshot(connections: connections(count, audiencesEach: 1), commands: [], teams: [])))
    let frame = measure(rounds: 7) {
        for _ in 0..<20 { _ = Reducer.reduce(&state, .input(.key(.down))); _ = Render.screen(state) }
        return 20
    }
    rows.append("| key + render one frame (list) | \(count) rows | \(String(format: "%.1f", frame / 1000)) | µs |")
    // The same moves as the console draws them: only the rows that changed, then the diff.
    var drawn = state
    var shown = PartialRender.frame(state)
    var painter = ScreenPainter()
    _ = painter.paint(shown.buffer, cursorAt: shown.cursor)
    let partial = measure(rounds: 7) {
        for index in 0..<20 {
            _ = Reducer.reduce(&state, .input(.key(index % 2 == 1 ? .up : .down)))
            let rows = PartialRender.update(state, after: drawn, frame: &shown)
            _ = painter.paint(shown.buffer, cursorAt: shown.cursor, rows: rows)
            drawn = state
        }
        return 20
    }
    rows.append("| key + partial render + paint (list) | \(count) rows | \(String(format: "%.1f", partial / 1000)) | µs |")
    let filter = measure(rounds: 3) {
        _ = Reducer.reduce(&state, .input(.key(.character("/"))))
        for character in "connection 0999" { _ = Reducer.reduce(&state, .input(.key(.character(character)))) }
        _ = Reducer.reduce(&state, .input(.key(.escape)))
        return 15
    }
    rows.append("| filter keystroke | \(count) rows | \(String(format: "%.1f", filter / 1000)) | µs |")
}
// A typed key in the connection form's Name field: reduce, draw and diff, as the console does.
do {
    var state = AppState(width: 100, height: 30, storeLabel: "bench")
    _ = Reducer.reduce(&state, .loaded(StoreSnapshot(connections: connections(10, audiencesEach: 1), commands: [], teams: [])))
    _ = Reducer.reduce(&state, .input(.key(.character("a"))))
    var previous = Render.screen(state)
    var changed = 0
    let typed = measure(rounds: 7) {
        for index in 0..<40 {
            _ = Reducer.reduce(&state, .input(.key(index % 2 == 1 ? .backspace : .character("x"))))
            let next = Render.screen(state)
            changed += next.changes(since: previous).count
            previous = next
        }
        return 40
    }
    rows.append("| typed key + render + diff (connection form) | 10 rows | \(String(format: "%.1f", typed / 1000)) | µs |")
    rows.append(typedPartial(state, label: "connection form"))
}
// The same in the command form's Request URL, whose live banner is worked out on every key.
do {
    var state = AppState(width: 100, height: 30, storeLabel: "bench")
    _ = Reducer.reduce(&state, .loaded(StoreSnapshot(connections: connections(10, audiencesEach: 1), commands: [], teams: [])))
    _ = Reducer.reduce(&state, .input(.key(.character("2"))))
    _ = Reducer.reduce(&state, .input(.key(.character("a"))))
    for _ in 0..<3 { _ = Reducer.reduce(&state, .input(.key(.tab))) }
    for character in "https://svc3.example.com/api/v0/" { _ = Reducer.reduce(&state, .input(.key(.character(character)))) }
    rows.append(typed(state, label: "command form, Request URL", partial: false))
    rows.append(typedPartial(state, label: "command form, Request URL"))
}

/// Typed keys drawn as the console draws them: only the rows that changed, then the diff.
func typedPartial(_ start: AppState, label: String) -> String { typed(start, label: label, partial: true) }

/// Typed keys, each frame drawn partially (as the console does) or whole, then the diff.
func typed(_ start: AppState, label: String, partial: Bool) -> String {
    var state = start
    var drawn = state
    var shown = PartialRender.frame(state)
    var painter = ScreenPainter()
    _ = painter.paint(shown.buffer, cursorAt: shown.cursor)
    let typed = measure(rounds: 7) {
        for index in 0..<40 {
            _ = Reducer.reduce(&state, .input(.key(index % 2 == 1 ? .backspace : .character("x"))))
            // As the console does: drawn in place over the last frame and painted by its rows; or whole.
            let rows: [Int]? = partial ? PartialRender.update(state, after: drawn, frame: &shown) : nil
            if !partial { shown = PartialRender.frame(state) }
            _ = painter.paint(shown.buffer, cursorAt: shown.cursor, rows: rows)
            drawn = state
        }
        return 40
    }
    return "| typed key + \(partial ? "partial " : "")render + paint (\(label)) | 10 rows | \(String(format: "%.1f", typed / 1000)) | µs |"
}
print(rows.joined(separator: "\n"))
