/// Graphemes of several scalars, interned so a cell can hold any grapheme as a number. They are
/// rare (flags, emoji with modifiers, letters with combining marks), so one shared, locked table
/// serves every buffer. Past `capacity` distinct clusters a new one shows as U+FFFD.
public enum GraphemeClusters {
    /// Set in a cell's code when the rest is an index into the table (scalars stop at 0x10FFFF).
    public static let mark: UInt32 = 0x8000_0000
    static let capacity = 1 << 16

    private struct Table {
        var clusters: [Character] = []
        var indexes: [Character: UInt32] = [:]
    }

    private static let table = Locked(Table())

    /// The cell code of `character`: its scalar's value when it is one scalar.
    @inline(__always)
    public static func code(of character: Character) -> UInt32 {
        let scalars = character.unicodeScalars
        if let first = scalars.first, scalars.index(after: scalars.startIndex) == scalars.endIndex { return first.value }
        return intern(character)
    }

    private static func intern(_ character: Character) -> UInt32 {
        table.withLock { table in
            if let index = table.indexes[character] { return mark | index }
            guard table.clusters.count < capacity else { return 0xFFFD }
            let index = UInt32(table.clusters.count)
            table.clusters.append(character)
            table.indexes[character] = index
            return mark | index
        }
    }

    public static func character(_ code: UInt32) -> Character {
        if code & mark == 0 { return Character(Unicode.Scalar(code) ?? "\u{FFFD}") }
        let index = Int(code & ~mark)
        return table.withLock { table in index < table.clusters.count ? table.clusters[index] : "\u{FFFD}" }
    }
}
