import TerminalKit

extension AppState {
    /// The Alt bindings of the layer that gets the next key, in the reducer's order: the
    /// terminal reads ESC then x at once as Alt-x only for these, and as Escape then x otherwise
    /// (`KeyDecoder.altKeys`). Today the only Alt bindings are a text field's word motions
    /// (Alt-b, Alt-f), live while a text field has the keyboard; each layer's key table is
    /// included, so an Alt binding added to a table is live on its layer without touching this.
    public var liveAltKeys: Set<Character> {
        if isTooSmall { return [] }
        let layerKeys: Set<Character>
        switch layers.last {
        case .page(.connection(let editor))?: layerKeys = Self.formAltKeys(editor)
        case .page(.command(let editor))?: layerKeys = Self.formAltKeys(editor)
        case .page(let page)?: layerKeys = EditorScreen.keymaps(page)[0].altKeys
        case .overlay(let overlay)?: layerKeys = overlay.keymap.altKeys.union(overlay.hasTextField ? TextField.altKeys : [])
        // The search line takes characters only (no text field): no Alt binding there.
        case nil: layerKeys = filtering ? Keymaps.filter.altKeys : Keymaps.list.altKeys
        }
        return layerKeys.union(Keymaps.global.altKeys)
    }

    private static func formAltKeys<E: ItemEditing>(_ editor: E) -> Set<Character> {
        E.keymap.altKeys.union(editor.form.focused.textField != nil ? TextField.altKeys : [])
    }
}

extension Keymap {
    /// The characters this table binds with Alt.
    var altKeys: Set<Character> {
        Set(bindings.flatMap { $0.keys.compactMap { if case .alt(let character) = $0 { return character } else { return nil } } })
    }
}
