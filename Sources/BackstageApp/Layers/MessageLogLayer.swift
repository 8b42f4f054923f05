import Foundation
import TerminalKit

/// `L` / F2: the session's messages, newest first, whole and wrapped (the status line keeps
/// only one line; nothing said is lost).
enum MessageLogLayer {
    static let keymap = Keymaps.log

    static func key(_ state: inout AppState, _ key: Key) -> [Effect] {
        let page = max(1, state.height - 6)
        switch keymap.action(for: key) {
        case .close?: state.overlay = nil
        case .scrollUp?: state.logScroll = max(0, state.logScroll - 1)
        case .scrollDown?: state.logScroll = min(state.logScroll + 1, max(0, lines(state, width: width(state)).count - 1))
        case .pageUp?: state.logScroll = max(0, state.logScroll - page)
        case .pageDown?: state.logScroll = min(state.logScroll + page, max(0, lines(state, width: width(state)).count - 1))
        case .forceQuit?: return Reducer.quit(&state)
        case nil: break
        }
        return []
    }

    static func width(_ state: AppState) -> Int { min(state.width - 2, 110) - 4 }

    /// Each message under its time, wrapped to `width`, newest first.
    static func lines(_ state: AppState, width: Int) -> [(String, Role)] {
        guard !state.messages.isEmpty else { return [("No messages yet in this session.", .muted)] }
        var lines: [(String, Role)] = []
        for message in state.messages.reversed() {
            let time = clockTime(message.at)
            let wrapped = Widgets.wrap(message.text, width: max(10, width - time.count - 2))
            for (index, line) in wrapped.enumerated() {
                lines.append(((index == 0 ? time : String(repeating: " ", count: time.count)) + "  " + line, message.role))
            }
        }
        return lines
    }

    /// HH:MM:SS in the local time zone.
    static func clockTime(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return String(format: "%02d:%02d:%02d", parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    static func draw(_ state: AppState, into buffer: inout Buffer) {
        let area = buffer.bounds.inset(by: 1)
        let inner = Widgets.box(area.centered(width: min(area.width, 110), height: area.height),
                                title: "Messages, newest first (\(state.messages.count))", glyphs: state.glyphs, into: &buffer)
        let all = lines(state, width: inner.width - 2)
        let shown = all.dropFirst(state.logScroll).prefix(max(0, inner.height))
        for (offset, (line, role)) in shown.enumerated() {
            buffer.write(line, x: inner.x + 1, y: inner.y + offset, role: role, limit: inner.width - 2)
        }
        if state.logScroll + shown.count < all.count {
            let more = " more below (j) "
            buffer.write(more, x: inner.maxX - DisplayWidth.of(more) - 1, y: inner.maxY, role: .dialogTitle)
        }
    }
}
