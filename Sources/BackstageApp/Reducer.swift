import BackstageCore
import Glibc
import TerminalKit

/// The only place state changes. No I/O: work is returned as effects.
public enum Reducer {
    public static func reduce(_ state: inout AppState, _ msg: Msg) -> [Effect] {
        let effects = apply(&state, msg)
        for tab in Tab.allCases { scrollIntoView(&state, tab: tab) }
        return effects
    }

    /// Keeps each list's selected row on screen, scrolling no more than needed.
    static func scrollIntoView(_ state: inout AppState, tab: Tab) {
        var list = state.lists[tab.rawValue]
        list.offset = Widgets.visibleRange(count: list.visible.count, selected: list.selected, offset: list.offset, height: state.listHeight).offset
        state.lists[tab.rawValue] = list
    }

    static func apply(_ state: inout AppState, _ msg: Msg) -> [Effect] {
        switch msg {
        case .loaded(let snapshot):
            return load(&state, snapshot.terminalSafe)
        case .loadPrepared(let prepared):
            return loadPreparedElsewhere(&state, prepared)
        case .storeRefreshed(let snapshot):
            return refreshed(&state, snapshot.terminalSafe)
        case .matcherBuilt(let matcher, let linkage, let generation):
            return matcherArrived(&state, matcher, linkage: linkage, generation: generation)
        case .failed(let message):
            state.loading = false
            state.status = StatusLine(text: message, role: .error)
            return []
        case .deleted(let target):
            state.status = StatusLine(text: "Deleted \(target.name)", role: .success)
            return [.load]
        case .input(let event):
            return input(&state, event)
        case .connectionSaved(let connection):
            return editorResult(&state, .connectionSaved(connection.terminalSafe))
        case .commandSaved(let command, let created):
            return editorResult(&state, .commandSaved(command.terminalSafe, created: created))
        case .validationFinished, .saveFailed:
            return editorResult(&state, msg)
        case .connectionConflict(let stored):
            return conflictArrived(&state, .connectionConflict(stored: stored?.terminalSafe))
        case .commandConflict(let stored):
            return conflictArrived(&state, .commandConflict(stored: stored?.terminalSafe))
        case .listValidationFinished(let id, let generation, let result):
            guard state.listValidation?.id == id, state.listValidation?.generation == generation else { return [] }
            state.listValidation = nil
            let name = state.connections.first { $0.id == id }?.name ?? id
            switch result {
            case .success(let details): state.status = StatusLine(text: "Validated connection \(name): \(details)", role: .success)
            case .failure(let error):
                state.status = StatusLine(text: "Connection not validated (\(name)): \(error.reason)", role: .error)
                state.sessionSecrets[id] = nil // a secret typed wrong is asked for again next time
            }
            return [.load]
        case .teamsLoaded(let result):
            return teamsLoaded(&state, result)
        case .secretNeeded(let id, let name, let needsPassword, let purpose):
            return secretNeeded(&state, connectionId: id, name: TerminalText.sanitized(name), needsPassword: needsPassword, purpose: purpose)
        case .tick:
            state.spinnerFrame += 1
            return []
        case .healthChecked(let report, let generation):
            if generation == state.loadGeneration { state.health = report }
            return []
        case .validateAllEvent(let event):
            return validateAllEvent(&state, event)
        case .themeRefused(let warning, let fallback):
            state.status = StatusLine(text: warning, role: .warning)
            if let fallback { state.themeName = fallback }
            return []
        case .bannerAnswered(let generation, let answer):
            bannerAnswer(&state, generation: generation, answer)
            return []
        case .testFired(let lines, let ok):
            guard let trigger = state.running else { return [] }
            state.running = nil
            state.status = nil
            state.push(.runResult(title: "Test-fire /\(trigger) \(ok ? "— OK" : "— FAILED")", lines: lines))
            return []
        }
    }

    /// Up to this many audiences the matcher is built at once (under a few milliseconds);
    /// beyond, in the background, so the lists of a large store show first.
    static let inlineMatcherAudiences = 5_000

    /// `snapshot`: made terminal-safe already.
    static func load(_ state: inout AppState, _ snapshot: StoreSnapshot) -> [Effect] {
        load(&state, PreparedLoad(safe: snapshot, team: state.team?.id, isServer: state.serverMode, now: state.now))
    }

    /// A load prepared elsewhere (the console's first), or here if it was prepared for other lists.
    static func loadPreparedElsewhere(_ state: inout AppState, _ prepared: PreparedLoad) -> [Effect] {
        prepared.fits(state) ? load(&state, prepared) : load(&state, prepared.snapshot)
    }

    static func load(_ state: inout AppState, _ prepared: PreparedLoad) -> [Effect] {
        var selectedConnection = state.selectedConnection?.id
        var selectedCommand = state.selectedCommand?.id
        if let saved = state.selectAfterLoad {
            if saved.tab == .connections { selectedConnection = saved.id } else { selectedCommand = saved.id }
            state.selectAfterLoad = nil
        }
        state.loading = false
        state.connections = prepared.connections
        state.problems = prepared.snapshot.problems
        state.commands = prepared.commands
        state.teamNames = prepared.teamNames
        state.linkageUsers = prepared.linkageUsers
        state.webhooks = prepared.snapshot.webhooks
        state.connectionKeys = prepared.connectionKeys
        state.commandKeys = prepared.commandKeys
        refilter(&state, tab: .connections, keep: selectedConnection)
        refilter(&state, tab: .commands, keep: selectedCommand)
        noteChangesUnderTheForm(&state)
        state.loadGeneration += 1
        guard let matched = prepared.matched else {
            return [.buildMatcher(state.connections, users: state.linkageUsers, webhooks: state.webhooks, generation: state.loadGeneration)]
        }
        return Self.matched(&state, matched.matcher, linkage: matched.linkage, health: matched.health)
    }

    /// A large store's matcher, built off the loop for load `generation`: commands are found by
    /// their linked connection from now on.
    static func matcherArrived(_ state: inout AppState, _ matcher: AudienceMatcher, linkage: Linkage? = nil, generation: Int) -> [Effect] {
        guard generation == state.loadGeneration else { return [] } // a newer load is on its way
        let current = linkage ?? Linkage(connections: state.connections, users: state.linkageUsers, webhooks: state.webhooks, matcher: matcher)
        state.commandKeys = commandKeys(state.commands, matcher: matcher)
        refilter(&state, tab: .commands, keep: state.selectedCommand?.id)
        return Self.matched(&state, matcher, linkage: current, health: nil)
    }

    /// The current load's matcher and linkage replace the previous ones, and an open form's banner
    /// and audience notes are worked out again with them (in server mode the banner asks the
    /// server). `health`: the load's check, if it was made with them; else it is made now or off the loop.
    private static func matched(_ state: inout AppState, _ matcher: AudienceMatcher, linkage: Linkage, health report: HealthReport?) -> [Effect] {
        state.matcher = matcher
        state.matcherGeneration = state.loadGeneration
        state.linkage = linkage
        var health: [Effect] = []
        if let report { state.health = report } else { health = checkHealth(&state, linkage: linkage) }
        switch state.editor {
        case .connection(var editor)?:
            editor.refreshAudienceNotes(matcher: matcher)
            state.editor = .connection(editor)
            return health
        case .command(var editor)?:
            let effects = askBanner(&state, &editor)
            state.editor = .command(editor)
            return health + effects
        default:
            return health
        }
    }

    /// The commands' search keys; with a matcher, each names its linked connection too.
    static func commandKeys(_ commands: [SlashCommand], matcher: AudienceMatcher) -> [[UInt8]] {
        commands.map { searchKey($0, linkedTo: matcher.isEmpty ? nil : matcher.match($0.url)?.connection.name) }
    }

    /// What search finds a connection by: every field the list and details show (URLs as shown,
    /// a password in them masked).
    static func searchKey(_ connection: OutgoingOAuthConnection) -> [UInt8] {
        searchKey([connection.name, connection.clientId, HTTPURL.maskingCredentials(connection.oauthTokenURL)]
                  + connection.audiences.map(HTTPURL.maskingCredentials))
    }

    /// A command by trigger, title, description, Request URL and linked connection.
    static func searchKey(_ command: SlashCommand, linkedTo connection: String?) -> [UInt8] {
        searchKey(["/" + command.trigger, command.displayName, command.description, HTTPURL.maskingCredentials(command.url), connection ?? ""])
    }

    /// The fields a search looks in, one per line, lowercased.
    static func searchKey(_ fields: [String]) -> [UInt8] {
        Array(fields.concatenated(separator: "\n").lowercased().utf8)
    }

    /// Recomputes the visible rows of a list, keeping the same item selected when it is still there.
    /// `within`: rows to search instead of all, when the filter only grew (typing narrows).
    static func refilter(_ state: inout AppState, tab: Tab, keep id: String? = nil, within: [Int]? = nil) {
        var list = state.lists[tab.rawValue]
        let needle = Array(list.filter.lowercased().utf8)
        let keys = tab == .connections ? state.connectionKeys : state.commandKeys
        list.visible = needle.isEmpty ? Array(keys.indices) : (within ?? Array(keys.indices)).filter { Self.contains(keys[$0], needle) }
        if let id {
            let ids = tab == .connections ? state.connections.map { $0.id } : state.commands.map { $0.id }
            if let position = list.visible.firstIndex(where: { ids[$0] == id }) { list.selected = position }
        }
        list.selected = min(max(0, list.selected), max(0, list.visible.count - 1))
        state.lists[tab.rawValue] = list
    }

    static func input(_ state: inout AppState, _ event: InputEvent) -> [Effect] {
        switch event {
        case .resize(let width, let height):
            state.width = width
            state.height = height
            return []
        case .paste(let text):
            switch state.layers.last {
            case .overlay(let overlay)?: return overlay.paste(&state, text)
            case .page?: return pasteIntoEditor(&state, text)
            case nil: if state.filtering { appendToFilter(&state, text) }
            }
            return []
        case .mouse(let mouse):
            return self.mouse(&state, mouse)
        case .key(let key):
            if state.isTooSmall {
                return key == .control("c") || key == .character("q") ? quit(&state) : []
            }
            if let action = Keymaps.global.action(for: key) { return globalKey(&state, action) }
            // The top of the focus stack has the keyboard.
            switch state.layers.last {
            case .overlay(let overlay)?: return overlay.key(&state, key)
            case .page?: return editorKey(&state, key)
            case nil: return state.filtering ? filterKey(&state, key) : listKey(&state, key)
            }
        }
    }

    /// Keys that mean the same on every layer: the help and the message log open over anything
    /// (the same key closes them again).
    static func globalKey(_ state: inout AppState, _ action: GlobalAction) -> [Effect] {
        switch action {
        case .help: toggle(&state, .help)
        case .messageLog: toggle(&state, .messageLog)
        }
        return []
    }

    static func toggle(_ state: inout AppState, _ overlay: Overlay) {
        if state.overlay == overlay {
            state.overlay = nil
            return
        }
        if overlay == .help { state.helpScroll = 0 }
        if overlay == .messageLog { state.logScroll = 0 }
        state.push(overlay)
    }

    static func quit(_ state: inout AppState) -> [Effect] {
        state.quit = true
        return []
    }

    static func filterKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        switch Keymaps.filter.action(for: key) {
        case .keep?:
            state.filtering = false
        case .clear?:
            state.filtering = false
            state.list.filter = ""
            refilter(&state, tab: state.tab, keep: selectedID(state))
        case .erase?:
            if !state.list.filter.isEmpty { state.list.filter.removeLast() }
            refilter(&state, tab: state.tab, keep: selectedID(state))
        case .eraseAll?:
            state.list.filter = ""
            refilter(&state, tab: state.tab, keep: selectedID(state))
        case .forceQuit?:
            return quit(&state)
        case nil:
            if case .character(let character) = key { appendToFilter(&state, String(character)) }
        }
        return []
    }

    /// Substring search on lower-cased UTF-8 bytes (a whole-character needle can only match on
    /// character boundaries): far cheaper than String.contains over 100,000 rows.
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                let first = pin[0], count = pin.count
                var index = 0
                while index <= hay.count - count {
                    if hay[index] == first && memcmp(hay.baseAddress! + index, pin.baseAddress!, count) == 0 { return true }
                    index += 1
                }
                return false
            }
        }
    }

    static func appendToFilter(_ state: inout AppState, _ text: String) {
        let clean = TerminalText.sanitized(text)
        guard !clean.isEmpty else { return }
        let narrowing = !state.list.filter.isEmpty
        state.list.filter += clean
        state.list.selected = 0
        refilter(&state, tab: state.tab, within: narrowing ? state.list.visible : nil)
    }

    static func selectedID(_ state: AppState) -> String? {
        state.tab == .connections ? state.selectedConnection?.id : state.selectedCommand?.id
    }

    static func listKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        guard let action = Keymaps.list.action(for: key) else { return [] }
        if let reason = action.disabledReason(state) {
            state.status = StatusLine(text: reason, role: .warning)
            return []
        }
        state.status = nil
        let page = max(1, state.listHeight - 1)
        switch action {
        case .up: move(&state, by: -1)
        case .down: move(&state, by: 1)
        case .pageUp: move(&state, by: -page)
        case .pageDown: move(&state, by: page)
        case .first: move(&state, to: 0)
        case .last: move(&state, to: state.list.visible.count - 1)
        case .nextTab, .previousTab: return switchTab(&state, to: state.tab == .connections ? .commands : .connections)
        case .firstTab: return switchTab(&state, to: .connections)
        case .secondTab: return switchTab(&state, to: .commands)
        case .filter: state.filtering = true
        case .add, .edit:
            return openEditor(&state, add: action == .add)
        case .delete:
            if var target = deleteTarget(state) {
                if target.tab == .connections, let linkage = state.linkage { target.impact = linkage.impact(of: .delete(id: target.id)).lines }
                state.overlay = .confirmDelete(target)
            }
        case .validateAll: return validateAll(&state)
        case .health:
            state.logScroll = 0
            state.push(.health)
        case .validate:
            guard let connection = state.selectedConnection else { return [] }
            state.backgroundGeneration += 1
            state.listValidation = (connection.id, state.backgroundGeneration)
            state.status = StatusLine(text: "Validating \(connection.name)... (Esc cancels)", role: .muted)
            return [.validateSaved(id: connection.id, generation: state.backgroundGeneration, credentials: state.sessionSecrets[connection.id])]
        case .pickTeam:
            state.status = StatusLine(text: "Loading the teams...", role: .muted)
            return [.loadTeams]
        case .run:
            guard let command = state.selectedCommand else { return [] }
            state.overlay = .runPrompt(commandId: command.id, trigger: command.trigger, text: TextField("", limit: 4000))
        case .help: toggle(&state, .help)
        case .messageLog: toggle(&state, .messageLog)
        case .theme:
            state.themeName = ThemeCatalog.next(after: state.themeName)
            state.status = StatusLine(text: "Theme: \(state.themeName)", role: .muted)
            return [.applyTheme(state.themeName)]
        case .mouse:
            state.mouse.toggle()
            state.status = StatusLine(text: state.mouse ? "Mouse on (hold Shift to select text)" : "Mouse off", role: .muted)
            return [.setMouse(state.mouse)]
        case .reload:
            return reload(&state)
        case .cancel: return cancel(&state)
        case .quit, .forceQuit: return quit(&state)
        case .suspend: return [.suspend]
        case .redraw: return [.redraw]
        }
        return []
    }

    /// Esc in a list: stops work in flight first, else clears a kept search.
    static func cancel(_ state: inout AppState) -> [Effect] {
        if let progress = state.validatingAll {
            state.validatingAll = nil
            state.validatingIds = []
            state.status = StatusLine(text: "Cancelled after \(progress.finished) of \(progress.total): nothing more starts, what had started is recorded", role: .muted)
            return [.cancelValidateAll, .load]
        }
        if state.listValidation != nil || state.running != nil {
            state.listValidation = nil
            state.running = nil
            state.status = StatusLine(text: "Cancelled", role: .muted)
            return [.cancelValidation]
        }
        state.list.filter = ""
        refilter(&state, tab: state.tab, keep: selectedID(state))
        return []
    }

    static func switchTab(_ state: inout AppState, to tab: Tab) -> [Effect] {
        state.tab = tab
        state.filtering = false
        return [.load] // lists reload when you return to them: changes from the CLI or another admin show up
    }

    static func move(_ state: inout AppState, by delta: Int) {
        move(&state, to: state.list.selected + delta)
    }

    static func move(_ state: inout AppState, to position: Int) {
        let count = state.list.visible.count
        state.list.selected = count == 0 ? 0 : min(max(0, position), count - 1)
    }

    static func deleteTarget(_ state: AppState) -> DeleteTarget? {
        switch state.tab {
        case .connections:
            return state.selectedConnection.map { DeleteTarget(tab: .connections, id: $0.id, name: $0.name) }
        case .commands:
            return state.selectedCommand.map { DeleteTarget(tab: .commands, id: $0.id, name: "/" + $0.trigger) }
        }
    }

    static func mouse(_ state: inout AppState, _ event: MouseEvent) -> [Effect] {
        guard state.overlay == nil, state.editor == nil, !state.isTooSmall else { return [] }
        switch event.kind {
        case .wheelUp: move(&state, by: -3)
        case .wheelDown: move(&state, by: 3)
        case .press:
            if event.y == Layout.tabRow {
                let split = Layout.tabSplit(state)
                return switchTab(&state, to: event.x < split ? .connections : .commands)
            }
            let row = event.y - Layout.listTop
            if row >= 0 && row < state.listHeight {
                let range = Widgets.visibleRange(count: state.list.visible.count, selected: state.list.selected,
                                                 offset: state.list.offset, height: state.listHeight)
                move(&state, to: range.offset + row)
            }
        }
        return []
    }
}

extension AppState {
    public var selectedConnection: OutgoingOAuthConnection? {
        let list = lists[Tab.connections.rawValue]
        guard list.selected < list.visible.count else { return nil }
        return connections[list.visible[list.selected]]
    }

    public var selectedCommand: SlashCommand? {
        let list = lists[Tab.commands.rawValue]
        guard list.selected < list.visible.count else { return nil }
        return commands[list.visible[list.selected]]
    }
}

