import BackstageCore
import TerminalKit

/// Draws the open form and the confirm page (a form's dialogs are layers: FormDialogLayer).
enum EditorScreen {
    static func area(_ state: AppState) -> Rect { Rect(x: 0, y: Layout.titleRow, width: state.width, height: state.height - Layout.titleRow - 2) }

    /// `layout`: where a form's blocks went (nil for a confirm page).
    static func draw(_ state: AppState, into buffer: inout Buffer, cursor: inout (x: Int, y: Int)?, layout: inout FormLayout?) {
        let rect = area(state)
        guard let page = state.editor else { return }
        if let view = page.formView(state) {
            (cursor, layout) = FormRender.draw(view, in: rect, glyphs: state.glyphs, into: &buffer)
            return
        }
        switch page {
        case .commandCreated(let command): confirmPage(commandCreatedPage(command), in: rect, into: &buffer)
        case .connectionCreated(let connection): confirmPage(connectionCreatedPage(connection), in: rect, into: &buffer)
        case .connection, .command: break
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

extension Editor {
    /// A form as drawn; nil for a confirm page.
    func formView(_ state: AppState) -> FormView? {
        switch self {
        case .connection(let editor): return editor.view(state)
        case .command(let editor): return editor.view(state)
        case .commandCreated, .connectionCreated: return nil
        }
    }
}
