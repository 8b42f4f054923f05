import BackstageCore
import TerminalKit

/// A test-fire's outcome, line by line.
enum RunResultLayer {
    static let keymap = Keymaps.result

    static func key(_ state: inout AppState, _ key: Key) -> [Effect] {
        switch keymap.action(for: key) {
        case .close?: state.overlay = nil
        case .forceQuit?: return Reducer.quit(&state)
        case nil: break
        }
        return []
    }

    static func draw(title: String, lines: [StatusLine], _ state: AppState, into buffer: inout Buffer) {
        let area = buffer.bounds.inset(by: 1)
        let inner = Widgets.box(area, title: title + " (Esc closes)", glyphs: state.glyphs, into: &buffer)
        var y = inner.y
        for line in lines {
            for piece in Widgets.wrap(line.text, width: inner.width - 2) where y < inner.maxY {
                buffer.write(piece, x: inner.x + 1, y: y, role: line.role, limit: inner.width - 2)
                y += 1
            }
        }
    }
}
