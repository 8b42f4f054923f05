import TerminalKit

/// Where things sit on the screen; shared by rendering and mouse hit-testing.
enum Layout {
    static let headerRow = 0
    static let tabRow = 1
    static let titleRow = 2
    static let columnsRow = 3
    static let listTop = 4

    /// The x where the second tab's title starts.
    static func tabSplit(_ state: AppState) -> Int {
        1 + DisplayWidth.of(" 1 \(Tab.connections.title) ") + 1
    }
}
