import BackstageCore
import TerminalKit

/// `d`: Mattermost's delete confirmation.
enum DeleteLayer {
    static let keymap = Keymaps.dialog

    static func key(_ state: inout AppState, _ target: DeleteTarget, _ key: Key) -> [Effect] {
        switch keymap.action(for: key) {
        case .confirm?:
            state.overlay = nil
            return [.delete(target)]
        case .cancel?: state.overlay = nil
        case .forceQuit?: return Reducer.quit(&state)
        case nil: break
        }
        return []
    }

    static func draw(_ target: DeleteTarget, _ state: AppState, into buffer: inout Buffer) {
        let message: [(String, Role)]
        let title: String
        switch target.tab {
        case .connections:
            title = "Delete Outgoing OAuth Connection"
            message = [("Are you sure you want to delete \(target.name)?", .dialog),
                       ("Deleting this connection will break any integrations using it", .warning)] + ImpactLines.of(target.impact)
        case .commands:
            title = "Delete Slash Command"
            message = [("This action permanently deletes the slash command \(target.name) and breaks any integrations using it. Are you sure you want to delete it?", .dialog)]
        }
        Widgets.dialog(title: title, message: message, buttons: [Keymaps.dialog.button("Delete", .confirm), Keymaps.dialog.button("Cancel", .cancel)], in: buffer.bounds, glyphs: state.glyphs, into: &buffer)
    }

}
