import Testing
@testable import BackstageApp
import BackstageCore
import TerminalKit
import SeededRandom

/// A key in the connection form asks again for the warnings of the field it changed only
/// (`refreshWarnings(after:)`, issue 18): after any keys, the form shows what asking for every
/// field's warnings shows.
@Suite("Warnings of the field typed in")
struct FieldWarningsTests {
    @Test func theFieldsWarningsAreTheWholeConnectionsWarnings() throws {
        var checked = 0, warned = 0
        for round in 0..<60 {
            var random = SplitMix(seed: 0x3A11 &+ UInt64(round))
            var state = Fixtures.state()
            _ = Fixtures.press(&state, round % 2 == 0 ? .character("a") : .down)
            if round % 2 == 1 { _ = Fixtures.press(&state, .character("e")) }
            for _ in 0..<120 {
                let roll = Int.random(in: 0..<100, using: &random)
                let message: Msg
                switch roll {
                case 0..<50:
                    let characters: [Character] = [" ", " ", "a", "h", "t", "p", ":", "/", ".", "*", "x", "@", "1"]
                    message = .input(.key(.character(characters.randomElement(using: &random)!)))
                case 50..<80:
                    let keys: [Key] = [.tab, .tab, .backTab, .backspace, .enter, .left, .right, .control("u"), .control("w"), .home, .end, .up, .down]
                    message = .input(.key(keys.randomElement(using: &random)!))
                default:
                    let pastes = ["http://idp.example.com/token", "https://a.example.com/*\nhttps://a.example.com/*", "   ", "https://u:p@b.example.com/x*y", "https://c.example.com/*"]
                    message = .input(.paste(pastes.randomElement(using: &random)!))
                }
                _ = Reducer.reduce(&state, message)
                guard case .connection(let editor)? = state.editor else { break } // closed (Enter on Save, a dialog)
                var whole = editor
                whole.refreshWarnings()
                #expect(editor.form.warnings == whole.form.warnings, "round \(round)")
                if editor.form.warnings != whole.form.warnings { return }
                checked += 1
                if !editor.form.warnings.isEmpty { warned += 1 }
            }
        }
        // Not a test that holds because nothing ever warns.
        #expect(checked > 2_000 && warned > 300, "\(checked) forms checked, \(warned) with warnings")
    }

    @Test func typingInAFieldWithoutWarningsLeavesTheOthersAlone() throws {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("a"))
        Fixtures.type(&state, "   ") // a name of spaces: warned
        _ = Fixtures.press(&state, .tab)
        Fixtures.type(&state, "client")
        guard case .connection(let editor)? = state.editor else {
            Issue.record("no connection form")
            return
        }
        #expect(editor.form.warnings["name"] == ["The name is only spaces; lists will show it blank."])
        #expect(OutgoingOAuthConnection.warningFields == ["name", "credentials_username", "oauth_token_url", "audiences"])
    }
}
