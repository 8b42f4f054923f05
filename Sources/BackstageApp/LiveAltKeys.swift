import TerminalKit

extension AppState {
    /// The Alt bindings of the layer that gets the next key, in the reducer's order: the
    /// terminal reads ESC then x at once as Alt-x only for these, and as Escape then x otherwise
    /// (`KeyDecoder.altKeys`). Today the only Alt bindings are a text field's word motions
    /// (Alt-b, Alt-f), live while a text field has the keyboard; each layer's key table is
    /// included, so an Alt binding added to a table is live on its layer without touching this.
    public var liveAltKeys: Set<Character> {
        if isTooSmall { return [] }
        // The search line takes characters only (no text field): no Alt binding there.
        if layers.isEmpty { return filtering ? LiveAltKeySets.filter : LiveAltKeySets.list }
        // Asked before every read of the keyboard: the top layer is read in place, not copied out.
        return layers[layers.count - 1].liveAltKeys
    }
}

extension Layer {
    fileprivate var liveAltKeys: Set<Character> {
        switch self {
        case .page(.connection(let editor)):
            return editor.form.focusTakesText ? LiveAltKeySets.connectionFormTyping : LiveAltKeySets.connectionForm
        case .page(.command(let editor)):
            return editor.form.focusTakesText ? LiveAltKeySets.commandFormTyping : LiveAltKeySets.commandForm
        case .page(let page): return EditorScreen.keymaps(page)[0].altKeys.union(LiveAltKeySets.global)
        case .overlay(let overlay):
            return overlay.keymap.altKeys.union(overlay.hasTextField ? TextField.altKeys : []).union(LiveAltKeySets.global)
        }
    }
}

/// The lists' and the forms' sets, made once.
private enum LiveAltKeySets {
    static let global = Keymaps.global.altKeys
    static let list = Keymaps.list.altKeys.union(global)
    static let filter = Keymaps.filter.altKeys.union(global)
    static let connectionForm = ConnectionEditor.keymap.altKeys.union(global)
    static let connectionFormTyping = connectionForm.union(TextField.altKeys)
    static let commandForm = CommandEditor.keymap.altKeys.union(global)
    static let commandFormTyping = commandForm.union(TextField.altKeys)
}
