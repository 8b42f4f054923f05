import BackstageCore
import TerminalKit

/// `r`: the text after /trigger, before a test-fire.
enum RunPromptLayer {
    static let keymap = Keymaps.prompt

    static func key(_ state: inout AppState, id: String, trigger: String, text: TextField, _ key: Key) -> [Effect] {
        var text = text
        switch keymap.action(for: key) {
        case .forceQuit?: return Reducer.quit(&state)
        case .cancel?: state.overlay = nil
        case .submit?:
            state.overlay = nil
            state.running = trigger
            state.status = StatusLine(text: "Running /\(trigger)... (Esc cancels)", role: .muted)
            let url = state.commands.first { $0.id == id }?.url ?? ""
            return [.testFire(commandId: id, text: text.text, credentials: Reducer.sessionCredentials(state, for: url))]
        case nil:
            _ = text.handle(key)
            state.overlay = .runPrompt(commandId: id, trigger: trigger, text: text)
        }
        return []
    }

    static func draw(trigger: String, text: TextField, _ state: AppState, into buffer: inout Buffer) -> (x: Int, y: Int)? {
        let box = buffer.bounds.centered(width: min(state.width - 4, 72), height: 5)
        let inner = Widgets.box(box, title: "Test-fire /\(trigger)", glyphs: state.glyphs, into: &buffer)
        buffer.write("Text after /\(trigger) (Enter sends, Esc cancels):", x: inner.x + 1, y: inner.y, role: .dialog, limit: inner.width - 2)
        let column = Widgets.textField(text, in: Rect(x: inner.x + 1, y: inner.y + 2, width: inner.width - 2, height: 1), focused: true, into: &buffer)
        return column.map { ($0, inner.y + 2) }
    }
}
