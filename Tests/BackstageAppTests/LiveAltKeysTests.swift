import Testing
@testable import BackstageApp
import TerminalKit

/// Which Alt keys the console tells the key decoder are bound: ESC then x at once is Alt-x only
/// for these, otherwise Escape then x.
@Suite("Live Alt keys")
struct LiveAltKeysTests {
    let wordMotions: Set<Character> = ["b", "f"]

    @Test func listsSearchHelpAndDialogsBindNoAltKey() {
        var state = Fixtures.state()
        #expect(state.liveAltKeys.isEmpty)
        _ = Fixtures.press(&state, .character("/"))
        Fixtures.type(&state, "we")
        #expect(state.filtering)
        #expect(state.liveAltKeys.isEmpty)
        _ = Fixtures.press(&state, .enter, .character("?"))
        #expect(state.overlay == .help)
        #expect(state.liveAltKeys.isEmpty)
        _ = Fixtures.press(&state, .escape, .character("d"))
        guard case .confirmDelete? = state.overlay else { Issue.record("no delete dialog: \(String(describing: state.overlay))"); return }
        #expect(state.liveAltKeys.isEmpty)
    }

    @Test func everyTextFieldOfBothFormsBindsTheWordMotionsOtherFieldsNone() {
        for tab in Tab.allCases {
            var state = Fixtures.state()
            _ = Fixtures.press(&state, tab == .connections ? .character("1") : .character("2"), .character("a"))
            var seenText = false, seenOther = false
            for _ in 0..<30 {
                let form: FormState
                switch state.editor {
                case .connection(let editor)?: form = editor.form
                case .command(let editor)?: form = editor.form
                default: Issue.record("no form open on \(tab)"); return
                }
                let isText = form.focused.textField != nil
                if isText { seenText = true } else { seenOther = true }
                #expect(state.liveAltKeys == (isText ? wordMotions : []), "\(tab) field \(form.focused.id)")
                _ = Fixtures.press(&state, .tab)
            }
            #expect(seenText && seenOther)
        }
    }

    @Test func aFormDialogTakesTheAltKeysAway() {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("a"))
        Fixtures.type(&state, "Payroll")
        #expect(state.liveAltKeys == wordMotions)
        _ = Fixtures.press(&state, .escape)
        guard case .connection? = state.editor, state.formDialog == .discard else {
            Issue.record("no discard dialog"); return
        }
        #expect(state.liveAltKeys.isEmpty)
        _ = Fixtures.press(&state, .character("n"))
        #expect(state.liveAltKeys == wordMotions)
    }

    @Test func theRunAndSecretPromptsBindTheWordMotions() {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("2"), .character("r"))
        guard case .runPrompt? = state.overlay else { Issue.record("no run prompt: \(String(describing: state.overlay))"); return }
        #expect(state.liveAltKeys == wordMotions)
        state.overlay = .secretPrompt(SecretPrompt(connectionId: "conn1weather00000000000000", connectionName: "Weather IdP",
                                                   purpose: .validate(generation: 1), needsPassword: false))
        #expect(state.liveAltKeys == wordMotions)
    }

    @Test func aTooSmallTerminalBindsNothing() {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("a"))
        #expect(state.liveAltKeys == wordMotions)
        _ = Reducer.reduce(&state, .input(.resize(width: 50, height: 12)))
        #expect(state.liveAltKeys.isEmpty)
    }
}
