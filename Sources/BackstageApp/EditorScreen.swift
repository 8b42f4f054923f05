import BackstageCore
import TerminalKit

/// Draws the open form and the confirm page (a form's dialogs are layers: FormDialogLayer).
enum EditorScreen {
    static func area(_ state: AppState) -> Rect { Rect(x: 0, y: Layout.titleRow, width: state.width, height: state.height - Layout.titleRow - 2) }

    static func draw(_ state: AppState, into buffer: inout Buffer, cursor: inout (x: Int, y: Int)?) {
        let rect = area(state)
        switch state.editor {
        case .connection(let editor)?: cursor = editor.draw(state, in: rect, into: &buffer)
        case .command(let editor)?: cursor = editor.draw(state, in: rect, into: &buffer)
        case .commandCreated(let command)?: confirmPage(commandCreatedPage(command), in: rect, into: &buffer)
        case .connectionCreated(let connection)?: confirmPage(connectionCreatedPage(connection), in: rect, into: &buffer)
        case nil:
            break
        }
    }

    /// The table of an open page.
    static func keymaps(_ page: Editor) -> [AnyKeymapLines] {
        switch page {
        case .commandCreated: return [KeymapLines.commandCreated]
        case .connectionCreated: return [KeymapLines.connectionCreated]
        case .connection: return [KeymapLines.connectionForm]
        case .command: return [KeymapLines.commandForm]
        }
    }
}
