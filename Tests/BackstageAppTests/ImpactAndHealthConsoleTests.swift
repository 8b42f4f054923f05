@testable import BackstageCore
import Foundation
import Testing
@testable import BackstageApp
@testable import TerminalKit

/// Issue 16 in the console: what uses a connection, what a change breaks, `V`, and the health line.
@Suite("Impact and health in the console")
struct ImpactAndHealthConsoleTests {
    /// Runs the health check the reducer asked for, as the runtime does.
    static func checked(_ state: inout AppState, _ effects: [Effect]) {
        for case .checkHealth(let input, let generation) in effects {
            _ = Reducer.reduce(&state, .healthChecked(input.report(), generation: generation))
        }
    }

    @Test func theDetailsSayWhatUsesAConnection() {
        var state = Fixtures.state()
        let screen = Render.screen(state).text // Broad: /payslip resolves to the longer 給与システム prefix, not to Broad
        #expect(screen.contains("Used by no slash command (outgoing webhooks not checked)"), "\(screen)")
        _ = Fixtures.press(&state, .down, .down)
        #expect(Render.screen(state).text.contains("Used by 1 slash command: /payslip (main)"))
    }

    @Test func theAudienceChangeDialogListsWhatTheSaveChanges() {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .down, .character("e")) // Weather IdP
        guard case .connection(var editor)? = state.editor else { Issue.record("no form"); return }
        editor.form.setText("audiences", "https://elsewhere.example.com/*")
        state.editor = .connection(editor)
        _ = Fixtures.press(&state, .control("s"))
        guard case .connection? = state.editor, state.formDialog == .audienceChange else { Issue.record("no dialog: \(String(describing: state.editor))"); return }
        let screen = Render.screen(state).text
        #expect(screen.contains("Your changes may break any existing integrations"))
        #expect(screen.contains("/weather: \"Weather IdP\" → not linked"), "\(screen)")
    }

    @Test func aCommandFormSaysWhenItsURLChangesItsConnection() {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("2"), .character("G"), .character("e")) // weather
        guard case .command(var editor)? = state.editor else { Issue.record("no form"); return }
        #expect(editor.original?.trigger == "weather")
        editor.form.setText("url", "https://payroll.example.jp/api/weathe")
        editor.form.focus("url")
        state.editor = .command(editor)
        _ = Reducer.reduce(&state, .input(.key(.character("r")))) // a keystroke in the field recomputes
        let notes = FormTests.commandEditor(state)?.form.notes["url"]?.map(\.text) ?? []
        #expect(notes.contains { $0.contains("Saving changes its connection: /weather: \"Weather IdP\" → \"給与システム\"") }, "\(notes)")
    }

    @Test func theHeaderSaysHowHealthyAndHShowsTheFixes() {
        var state = Fixtures.state(loaded: nil)
        state.now = Date(timeIntervalSince1970: 1_800_000_000)
        Self.checked(&state, Reducer.reduce(&state, .loaded(Fixtures.snapshot)))
        let report = try! #require(state.health)
        #expect(!report.findings.isEmpty)
        let header = Render.screen(state).text.split(separator: "\n")[0]
        #expect(header.contains(report.summary + " (h)"), "\(header)")
        _ = Fixtures.press(&state, .character("h"))
        #expect(state.overlay == .health)
        let lines = HealthLayer.lines(state, width: 90).map(\.0)
        // Every line fits the width it was laid out for, continuation lines and their indent included:
        // the box cuts nothing.
        for width in [30, 57, 90, 106] {
            let wide = HealthLayer.lines(state, width: width).map(\.0).filter { DisplayWidth.of($0) > width }
            #expect(wide.isEmpty, "wider than \(width): \(wide)")
        }
        #expect(lines.contains { $0.contains("more than 7 days") }, "\(lines)")
        // /forecast differs from Weather IdP's audience only by the host's letter case: an error with its fix.
        #expect(lines.contains { $0.hasPrefix("error:") && $0.contains("forecast") }, "\(lines)")
        #expect(lines.contains { $0.contains("Fix:") })
        Snapshot.expectStyled(state, named: "styled-health") // a fixed clock: the golden does not age
        // A health check of an older load is dropped.
        _ = Reducer.reduce(&state, .healthChecked(HealthReport(findings: [], webhooksNote: nil, linkageIsPrediction: false), generation: state.loadGeneration - 1))
        #expect(state.health == report)
    }

    @Test func validateAllUpdatesRowsAsAnswersArriveAndEscCancels() {
        var state = Fixtures.state()
        let effects = Fixtures.press(&state, .character("V"))
        guard case .validateAll(let connections, _)? = effects.first else { Issue.record("\(effects)"); return }
        #expect(connections.count == 3)
        let broad = AudienceMatcher.ref(state.connections[0])
        _ = Reducer.reduce(&state, .validateAllEvent(.started(broad, ValidateAll.Progress(total: 3, finished: 0, failed: 0, skipped: 0, running: 1, cancelled: 0))))
        var screen = Render.screen(state).text
        #expect(screen.contains("checking"), "the row turns its spinner")
        // Keys keep working meanwhile.
        _ = Fixtures.press(&state, .down)
        #expect(state.selectedConnection?.name == "Weather IdP")
        let record = ValidationRecord(at: 1_800_000_000_000, ok: false, message: "401: invalid_client")
        let failed = ValidateAll.Result(connection: broad, status: .failed(reason: "401: invalid_client", failure: nil), record: record)
        _ = Reducer.reduce(&state, .validateAllEvent(.finished(failed, ValidateAll.Progress(total: 3, finished: 1, failed: 1, skipped: 0, running: 1, cancelled: 0))))
        #expect(state.connections[0].lastValidation == record, "the row shows its outcome at once")
        screen = Render.screen(state).text
        #expect(screen.contains(ValidateAll.Progress(total: 3, finished: 1, failed: 1, skipped: 0, running: 1, cancelled: 0).line), "\(screen)")
        #expect(Fixtures.press(&state, .escape) == [.cancelValidateAll, .load])
        #expect(state.validatingAll == nil && !state.isBusy)
        _ = Fixtures.press(&state, .character("2"), .character("V"))
        #expect(state.status?.text.hasPrefix("V validates every connection") == true)
    }
}
