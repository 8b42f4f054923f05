import BackstageCore
import Foundation
import TerminalKit

/// One entry of the focus stack: a full-screen page (a form, "Setup Successful") or something
/// drawn over what is below (help, dialogs, prompts, results, the message log).
public enum Layer: Sendable, Equatable {
    case page(Editor)
    case overlay(Overlay)

    var isPage: Bool { if case .page = self { return true } else { return false } }
}

/// A status line kept for the message log.
public struct LoggedMessage: Sendable, Equatable {
    public let at: Date
    public let text: String
    public let role: Role
}

extension AppState {
    /// The topmost page (form or confirm page); setting nil closes it and whatever is over it.
    public var editor: Editor? {
        get {
            for layer in layers.reversed() { if case .page(let page) = layer { return page } }
            return nil
        }
        set {
            if let index = layers.lastIndex(where: \.isPage) {
                if let newValue { layers[index] = .page(newValue) } else { layers.removeSubrange(index...) }
            } else if let newValue {
                layers.append(.page(newValue))
            }
        }
    }

    /// The overlay on top, if the top is one; setting replaces it (nil closes it).
    public var overlay: Overlay? {
        get {
            if case .overlay(let overlay)? = layers.last { return overlay }
            return nil
        }
        set {
            if case .overlay? = layers.last { layers.removeLast() }
            if let newValue { layers.append(.overlay(newValue)) }
        }
    }

    /// The question over the open form, when one is on top.
    public var formDialog: FormDialog? {
        if case .formDialog(let dialog)? = overlay { return dialog }
        return nil
    }

    /// Opens an overlay over whatever is on top (help over a form, the log over a result).
    mutating func push(_ overlay: Overlay) { layers.append(.overlay(overlay)) }

    /// The overlays drawn over the topmost page (or over the lists).
    var overlaysOnTop: [Overlay] {
        let start = (layers.lastIndex(where: \.isPage) ?? -1) + 1
        return layers[start...].compactMap { if case .overlay(let overlay) = $0 { return overlay } else { return nil } }
    }
}
