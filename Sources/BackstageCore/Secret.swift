/// A secret value (client secret, password, access token). It never prints itself, has no
/// `Encodable` conformance and is unwrapped only where it is sent: the token request.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String

    public init(_ value: String) { self.value = value }

    public var description: String { "********" }
    public var debugDescription: String { "Secret(********)" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    public var isEmpty: Bool { value.isEmpty }
    /// Length in Unicode scalars, as Mattermost counts runes; for limits and masks, never for display.
    public var runeCount: Int { value.unicodeScalars.count }

    /// The clear text. Call only at the moment of sending it to the identity provider or to
    /// the database column that holds it.
    public func revealForTransmission() -> String { value }
}
