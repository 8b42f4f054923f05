import BackstageCore
import Testing
@testable import BackstageApp
@testable import TerminalKit

/// Every screen as plain text at 100x30 and 60x16, CJK names included.
@Suite("Screen snapshots")
struct ScreenSnapshotTests {
    static let sizes = [(100, 30), (60, 16)]

    @Test(arguments: sizes) func connections(width: Int, height: Int) {
        var state = Fixtures.state(width: width, height: height)
        _ = Fixtures.press(&state, .down, .down) // the CJK row, with its failed validation and overlap warning
        Snapshot.expect(state, named: "connections-\(width)x\(height)")
    }

    @Test(arguments: sizes) func commands(width: Int, height: Int) {
        var state = Fixtures.state(width: width, height: height)
        _ = Fixtures.press(&state, .character("2"), .down) // forecast: a near miss on letter case
        Snapshot.expect(state, named: "commands-\(width)x\(height)")
    }

    @Test(arguments: sizes) func emptyAndNoMatch(width: Int, height: Int) {
        var empty = Fixtures.state(width: width, height: height, loaded: StoreSnapshot(connections: [], commands: [], teams: []))
        Snapshot.expect(empty, named: "empty-connections-\(width)x\(height)")
        _ = Fixtures.press(&empty, .character("2"))
        Snapshot.expect(empty, named: "empty-commands-\(width)x\(height)")
        var state = Fixtures.state(width: width, height: height)
        _ = Fixtures.press(&state, .character("/"))
        Fixtures.type(&state, "zzz")
        Snapshot.expect(state, named: "filter-no-match-\(width)x\(height)")
    }

    @Test(arguments: sizes) func overlays(width: Int, height: Int) {
        var state = Fixtures.state(width: width, height: height)
        _ = Fixtures.press(&state, .character("?"))
        Snapshot.expect(state, named: "help-\(width)x\(height)")
        _ = Fixtures.press(&state, .escape, .down, .character("d"))
        Snapshot.expect(state, named: "delete-connection-\(width)x\(height)")
        _ = Fixtures.press(&state, .escape, .character("2"), .character("d"))
        Snapshot.expect(state, named: "delete-command-\(width)x\(height)")
    }

    @Test func tooSmall() {
        var state = Fixtures.state()
        _ = Reducer.reduce(&state, .input(.resize(width: 50, height: 12)))
        Snapshot.expect(state, named: "too-small-50x12")
    }

    @Test func asciiBordersWithoutUTF8() {
        var state = Fixtures.state(width: 60, height: 16)
        state.glyphs = .ascii
        _ = Fixtures.press(&state, .character("d"))
        Snapshot.expect(state, named: "ascii-delete-60x16")
    }
}
