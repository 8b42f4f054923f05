import BackstageCore
import Testing
@testable import BackstageApp
@testable import TerminalKit
import SeededRandom

/// The console draws each frame over the last one, again only where the state changed
/// (`PartialRender`); `Render.frame` draws it whole and is the reference. They must agree cell for
/// cell, cursor included, after any sequence of keys.
@Suite("Partial render")
struct PartialRenderTests {
    /// Random keys in both forms and both lists, with resizes, ticks, reloads and statuses among
    /// them: after every message the frame drawn over the last equals the whole frame. Each frame
    /// is drawn over the previous partial one, so a stale cell would be carried on and caught.
    @Test func aFrameDrawnOverTheLastIsTheWholeFrame() {
        var partialFrames = 0, frames = 0
        for round in 0..<Self.rounds {
            var random = SplitMix(seed: 0xF0F0 &+ UInt64(round))
            let size = [(100, 30), (80, 24), (60, 16), (72, 20)][round % 4]
            var state = Fixtures.state(width: size.0, height: size.1, loaded: round % 3 == 2 ? Self.manyRows : Fixtures.snapshot)
            var history: [String] = []
            // Most rounds start in a form, where typing is.
            for key in Self.openings[round % Self.openings.count] {
                _ = Reducer.reduce(&state, .input(.key(key)))
                history.append("\(key)")
            }
            var drawn = state
            var frame = PartialRender.frame(state)
            for step in 0..<Self.steps {
                let message = Self.message(using: &random, state: state)
                history.append(Self.describe(message))
                _ = Reducer.reduce(&state, message)
                let (partial, redrawn) = PartialRender.update(state, after: drawn, previous: frame)
                let whole = Render.frame(state)
                frames += 1
                if redrawn != nil { partialFrames += 1 }
                let differing = (0..<whole.buffer.height).filter { y in
                    (0..<whole.buffer.width).contains { x in partial.buffer[x, y] != whole.buffer[x, y] }
                }
                // The painter compares only the rows named: none other may have changed.
                let unnamed = redrawn.map { named in
                    (0..<frame.buffer.height).filter { y in
                        !named.contains(y) && (0..<frame.buffer.width).contains { x in partial.buffer[x, y] != frame.buffer[x, y] }
                    }
                } ?? []
                guard unnamed.isEmpty else {
                    Issue.record("round \(round) step \(step): rows \(unnamed) changed but were not named (redrawn \(redrawn!)); keys: \(history.suffix(40).joined(separator: " "))")
                    return
                }
                guard partial.buffer == whole.buffer, partial.cursor.map({ [$0.x, $0.y] }) == whole.cursor.map({ [$0.x, $0.y] }) else {
                    Issue.record("""
                        round \(round) step \(step): the partial frame differs from the whole one in rows \(differing), \
                        cursor \(String(describing: partial.cursor)) vs \(String(describing: whole.cursor)), redrawn \(String(describing: redrawn))
                        keys: \(history.suffix(40).joined(separator: " "))
                        partial:
                        \(partial.buffer.text)
                        whole:
                        \(whole.buffer.text)
                        """)
                    return
                }
                (drawn, frame) = (state, partial)
            }
        }
        // Not a test that passes by always drawing whole: most keys must take the partial path.
        #expect(partialFrames * 2 > frames, "only \(partialFrames) of \(frames) frames were drawn partially")
    }

    static let rounds = 40
    static let steps = 100

    /// Ways into each form and list: add and edit both kinds, the lists themselves.
    static let openings: [[Key]] = [
        [.character("a")],
        [.down, .character("e")],
        [.character("2"), .character("a")],
        [.character("2"), .down, .character("e")],
        [],
        [.character("2")],
        [.down, .down, .character("e"), .tab, .tab],
        [.character("2"), .character("a"), .tab, .tab, .tab],
    ]

    /// Keys weighted towards typing: characters (a wide one and a combining accent among them),
    /// editing and moving keys, list keys, function keys; now and then a paste, a resize, a
    /// tick of the spinner, a reload of the same items, or a failure on the status row.
    static func message(using random: inout SplitMix, state: AppState) -> Msg {
        let roll = Int.random(in: 0..<100, using: &random)
        // Overlays are always drawn whole: leave them soon, to spend the keys in forms and lists.
        if state.overlay != nil && roll < 40 { return .input(.key([.escape, .character("n")][roll % 2])) }
        switch roll {
        case 0..<45:
            let characters: [Character] = ["x", "a", "/", ":", ".", "h", "t", "p", "s", " ", "1", "2", "界", "e\u{301}", "*", "j", "k"]
            return .input(.key(.character(characters.randomElement(using: &random)!)))
        case 45..<80:
            let keys: [Key] = [.backspace, .delete, .left, .right, .home, .end, .up, .down, .tab, .backTab, .enter, .pageUp, .pageDown,
                               .control("w"), .control("u"), .control("k"), .alt("b"), .alt("f"), .control("s"), .escape]
            return .input(.key(keys.randomElement(using: &random)!))
        case 80..<88:
            let keys: [Key] = [.character("g"), .character("G"), .character("v"), .character("/"), .function(1), .function(2), .character("?"),
                               .character("n"), .character("y"), .character("t"), .control("l")]
            return .input(.key(keys.randomElement(using: &random)!))
        case 88..<91: return .input(.paste(["https://payroll.example.jp/api/", "line one\nline two", "界界"].randomElement(using: &random)!))
        case 91..<93:
            let sizes = [(100, 30), (80, 24), (60, 16), (59, 16), (state.width, state.height + 1)]
            let size = sizes.randomElement(using: &random)!
            return .input(.resize(width: size.0, height: size.1))
        case 93..<96: return .tick
        case 96: return .loaded(state.connections.count > 3 ? manyRows : Fixtures.snapshot)
        case 97:
            // A health check arriving changes the header: healthy, or what the check found.
            let found = state.linkage.map { Doctor.check($0, connections: state.connections, isServer: false, now: 1_800_000_000_000) }
            let report = Bool.random(using: &random) ? found : HealthReport(findings: [], webhooksNote: nil, linkageIsPrediction: false)
            return report.map { .healthChecked($0, generation: state.loadGeneration) } ?? .tick
        default: return .failed(["the store is locked", String(repeating: "a long failure message ", count: 8)].randomElement(using: &random)!)
        }
    }

    static func describe(_ message: Msg) -> String {
        switch message {
        case .input(.key(let key)): return key.displayName
        case .input(.paste(let text)): return "paste(\(text.debugDescription))"
        case .input(.resize(let width, let height)): return "resize(\(width)x\(height))"
        case .tick: return "tick"
        case .loaded: return "load"
        case .healthChecked(let report, _): return "health(\(report.summary))"
        default: return "failed"
        }
    }

    /// Enough rows that moving scrolls, at every size.
    static let manyRows = StoreSnapshot(
        connections: (0..<40).map { Fixtures.connection("conn \($0)", id: "conn\($0)".padding(toLength: 26, withPad: "0", startingAt: 0),
                                                       audiences: ["https://s\($0).example.com/*"], validated: $0 % 3 == 0 ? nil : $0 % 3 == 1) },
        commands: (0..<40).map { Fixtures.command("cmd\($0)", url: "https://s\($0 % 50).example.com/x") },
        teams: [Fixtures.team])

    // MARK: What a key draws again

    /// A character typed in the connection form's Name: the Name input's row, not its label or
    /// help, nothing else, and the terminal gets one byte, as before.
    @Test func aTypedCharacterRedrawsItsFieldOnly() throws {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("a"))
        Fixtures.type(&state, "Pay")
        let before = state
        let frame = PartialRender.frame(state)
        _ = Fixtures.press(&state, .character("x"))
        let (partial, redrawn) = PartialRender.update(state, after: before, previous: frame)
        let rows = try #require(redrawn)
        let layout = try #require(frame.form)
        let nameBlock = try #require(layout.fields.firstIndex(of: 0))
        let inputRow = try #require(layout.row(block: nameBlock, line: FormRender.line(ofInputRow: 0)))
        #expect(rows == [inputRow], "redrew rows \(rows), the Name input is row \(inputRow)")
        #expect(partial.buffer == Render.frame(state).buffer)

        var painter = ScreenPainter()
        _ = painter.paint(frame.buffer, cursorAt: frame.cursor)
        #expect(painter.paint(partial.buffer, cursorAt: partial.cursor) == Array("x".utf8))
    }

    /// The Request URL's live banner is part of its block: typing the URL redraws that block,
    /// banner included, and the status row only if it changed.
    @Test func typingTheRequestURLRedrawsItsBlockAndBanner() throws {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("2"), .character("a"), .tab, .tab, .tab)
        Fixtures.type(&state, "https://weather.example.com/slas")
        let before = state
        let frame = PartialRender.frame(state)
        _ = Fixtures.press(&state, .character("h"))
        let (partial, redrawn) = PartialRender.update(state, after: before, previous: frame)
        let rows = try #require(redrawn)
        let layout = try #require(frame.form)
        let urlBlock = try #require(layout.fields.firstIndex(of: 3))
        let blockRows = Set((0..<layout.counts[urlBlock]).compactMap { layout.row(block: urlBlock, line: $0) })
        #expect(!rows.isEmpty && Set(rows).isSubset(of: blockRows), "redrew rows \(rows), the Request URL block is \(blockRows.sorted())")
        #expect(partial.buffer.text.contains("Weather IdP"), "the banner names the connection:\n\(partial.buffer.text)")
        #expect(partial.buffer == Render.frame(state).buffer)
    }

    /// A note, warning or error that changes under a field whose text did not (a reload, an
    /// answer from the server) redraws that field's block.
    @Test func aNoteUnderAnUnchangedFieldRedrawsItsBlock() throws {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("2"), .character("a"))
        let frame = PartialRender.frame(state)
        let edits: [(String, (inout FormState) -> Void)] = [
            ("note", { $0.notes["trigger"] = [FormState.Note(text: "a note", role: .muted)] }),
            ("warning", { $0.warnings["trigger"] = ["a warning"] }),
            ("error", { $0.errors["trigger"] = "an error" }),
        ]
        for (name, edit) in edits {
            var changed = state
            guard case .command(var editor)? = changed.editor else {
                Issue.record("no command form")
                return
            }
            edit(&editor.form)
            changed.editor = .command(editor)
            let (partial, redrawn) = PartialRender.update(changed, after: state, previous: frame)
            #expect(redrawn != nil, "the \(name) was drawn whole")
            #expect(partial.buffer == Render.frame(changed).buffer, "the \(name) is not drawn as a whole frame draws it")
        }
    }

    /// A move in a list: the row that lost the selection, the one that gained it, and the details'
    /// lines (not the rule above them).
    @Test func aMoveInAListRedrawsTwoRowsAndTheDetails() throws {
        var state = Fixtures.state()
        let before = state
        let frame = PartialRender.frame(state)
        _ = Fixtures.press(&state, .down)
        let (partial, redrawn) = PartialRender.update(state, after: before, previous: frame)
        let rows = try #require(redrawn)
        let details = Set((state.height - 1 - state.detailsHeight)..<(state.height - 2)) // under the rule
        #expect(Set(rows) == details.union([Layout.listTop, Layout.listTop + 1]), "redrew rows \(rows.sorted())")
        #expect(partial.buffer == Render.frame(state).buffer)
    }

    /// What the partial path does not know is drawn whole: a resize, an overlay opening.
    @Test func aResizeOrAnOverlayIsDrawnWhole() {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("a"))
        for message: Msg in [.input(.resize(width: 90, height: 28)), .input(.key(.function(1)))] {
            let before = state
            let frame = PartialRender.frame(state)
            _ = Reducer.reduce(&state, message)
            let (partial, redrawn) = PartialRender.update(state, after: before, previous: frame)
            #expect(redrawn == nil)
            #expect(partial.buffer == Render.frame(state).buffer)
        }
    }

    /// Each stored property of AppState is either compared by the partial path or not drawn
    /// outside overlays: a new property must be placed before this passes.
    @Test func everyPropertyOfTheStateIsAccountedFor() {
        let labels = Set(Mirror(reflecting: Fixtures.state()).children.compactMap(\.label))
        let known = PartialRender.comparedFields.union(PartialRender.undrawnFields)
        #expect(labels.subtracting(known).isEmpty, "say in PartialRender how the frame depends on \(labels.subtracting(known).sorted())")
        #expect(known.subtracting(labels).isEmpty, "no longer in AppState: \(known.subtracting(labels).sorted())")
        #expect(PartialRender.comparedFields.isDisjoint(with: PartialRender.undrawnFields))
    }

    /// Drawing again starts from the blank a new buffer has.
    @Test func aBlankedRowIsWhatANewBufferHolds() {
        var buffer = Buffer(width: 6, height: 2)
        buffer.write("界ab", x: 1, y: 1, role: .accent)
        buffer.blank(row: 1)
        #expect(buffer == Buffer(width: 6, height: 2))
    }
}
