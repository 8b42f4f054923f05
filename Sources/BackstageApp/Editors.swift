import BackstageCore
import TerminalKit

/// The Validate Connection button's states, as Mattermost's form has them.
public enum ValidationStatus: Sendable, Equatable {
    case initial, dirty
    case validating(generation: Int)
    case validated(details: String)
    case failed(reason: String)
}

public enum FormDialog: Sendable, Equatable {
    /// "This connection has not been validated, Do you want to save anyway?"
    case saveAnyway
    /// "Your changes may break any existing integrations using this connection..."
    case audienceChange
    /// "Discard unsaved changes?"
    case discard
    /// Ctrl-C with unsaved changes: "Discard unsaved changes and quit?"
    case quit
    /// The save was refused: someone else changed the item since the form opened (the editor's
    /// `theirs` holds their version). Reload, Overwrite or keep editing.
    case conflict
    /// The save was refused: someone else deleted the item. Save as new, discard or keep editing.
    case deletedElsewhere
}

extension Role {
    /// The banner's tones as the theme's roles.
    static func of(_ tone: Banner.Tone) -> Role {
        switch tone {
        case .linked: return .bannerLinked
        case .unlinked: return .bannerUnlinked
        case .nearMiss, .warning: return .warning
        case .muted: return .muted
        }
    }
}

public enum Editor: Sendable, Equatable {
    case connection(ConnectionEditor)
    case command(CommandEditor)
    /// Mattermost's confirm page after a new command: its token.
    case commandCreated(SlashCommand)
    /// Mattermost's confirm page after a new connection: its Client ID, URLs and a masked secret.
    case connectionCreated(OutgoingOAuthConnection)
}
