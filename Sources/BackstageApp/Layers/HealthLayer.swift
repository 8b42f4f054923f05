import BackstageCore
import TerminalKit

/// `h`: the health check's findings, errors first, each naming the item and its fix.
enum HealthLayer {
    static let keymap = Keymaps.health

    static func key(_ state: inout AppState, _ key: Key) -> [Effect] {
        let last = max(0, lines(state, width: width(state)).count - 1)
        let page = max(1, state.height - 6)
        switch keymap.action(for: key) {
        case .close?: state.overlay = nil
        case .scrollUp?: state.logScroll = max(0, state.logScroll - 1)
        case .scrollDown?: state.logScroll = min(state.logScroll + 1, last)
        case .pageUp?: state.logScroll = max(0, state.logScroll - page)
        case .pageDown?: state.logScroll = min(state.logScroll + page, last)
        case .forceQuit?: return Reducer.quit(&state)
        case nil: break
        }
        return []
    }

    static func width(_ state: AppState) -> Int { min(state.width - 2, 110) - 4 }

    static func lines(_ state: AppState, width: Int) -> [(String, Role)] {
        if let reason = state.healthUnchecked, let unread = state.unreadList {
            // The list's own advice: F5 for what may pass, the setting or licence for what will not.
            return Widgets.wrap("Could not check: " + reason, width: width).map { ($0, .warning) }
                + Widgets.wrap("The check needs both lists. " + unread.problem.advice, width: width).map { ($0, .muted) }
        }
        guard let report = state.health else { return [("The health check has not finished yet.", .muted)] }
        var lines: [(String, Role)] = []
        if report.findings.isEmpty { lines.append(("Every connection and command looks wired right.", .success)) }
        for finding in report.findings {
            let role: Role = finding.severity == .error ? .error : .warning
            // Lines after the first are indented by two: wrapped two narrower, so none is cut.
            for (index, line) in Widgets.wrap("\(finding.severity.rawValue): \(finding.message)", width: width - 2).enumerated() {
                lines.append(((index == 0 ? "" : "  ") + line, role))
            }
            for line in Widgets.wrap("Fix: \(finding.fix)", width: width - 2) { lines.append(("  " + line, .muted)) }
        }
        if let note = report.webhooksNote {
            for line in Widgets.wrap(note, width: width) { lines.append((line, .muted)) }
        }
        if state.serverMode {
            lines.append(("On a server the linkage is a prediction by Mattermost's matching rules.", .muted))
        }
        return lines
    }

    static func draw(_ state: AppState, into buffer: inout Buffer) {
        let area = buffer.bounds.inset(by: 1)
        let title = "Health: " + (state.healthUnchecked != nil ? "not checked" : state.health?.summary ?? "checking")
        let inner = Widgets.box(area.centered(width: min(area.width, 110), height: area.height), title: title, glyphs: state.glyphs, into: &buffer)
        let all = lines(state, width: inner.width - 2)
        let shown = all.dropFirst(state.logScroll).prefix(max(0, inner.height))
        for (offset, (line, role)) in shown.enumerated() {
            buffer.write(line, x: inner.x + 1, y: inner.y + offset, role: role, limit: inner.width - 2)
        }
        if state.logScroll + shown.count < all.count {
            buffer.write(" more below (j) ", x: inner.maxX - 17, y: inner.maxY, role: .dialogTitle)
        }
    }
}
