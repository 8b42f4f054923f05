#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place display width is decided, as ncursesw decides it: `wcwidth` under a UTF-8
/// locale, per grapheme cluster. CJK and emoji take two columns, combining marks none.
public enum DisplayWidth {
    /// Makes `wcwidth` answer for Unicode: the environment's locale if it is UTF-8, else C.UTF-8.
    /// Returns false when no UTF-8 locale exists (draw ASCII then).
    @discardableResult
    public static func prepareLocale() -> Bool { localeIsUTF8 }

    private static let localeIsUTF8: Bool = {
        if let current = setlocale(LC_CTYPE, ""), isUTF8(String(cString: current)) { return true }
        for candidate in ["C.UTF-8", "C.utf8", "en_US.UTF-8"] where setlocale(LC_CTYPE, candidate) != nil {
            return true
        }
        return false
    }()

    /// libc's wcwidth, looked up once: Swift's Glibc module does not declare it.
    private static let wcwidth: @convention(c) (Int32) -> Int32 = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "wcwidth") else { return { _ in 1 } }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
    }()

    private static func isUTF8(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return lowered.contains("utf-8") || lowered.contains("utf8")
    }

    /// Columns one grapheme takes: 0, 1 or 2.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.isASCII { return first.value >= 0x20 && first.value != 0x7F ? 1 : 0 }
        _ = localeIsUTF8
        // Emoji shown as pictures are two columns wide, whatever wcwidth says of the pieces. No
        // scalar below U+231A (⌚) is one, nor a box-drawing or block character: a lone one there
        // (most of what the console draws) skips the property lookup.
        let alone = scalars.index(after: scalars.startIndex) == scalars.endIndex
        if alone && (first.value < 0x231A || (0x2500..<0x25FD).contains(first.value)) {
            let width = Int(wcwidth(Int32(bitPattern: first.value)))
            if width < 0 { return first.properties.generalCategory == .control ? 0 : 1 }
            return min(width, 2)
        }
        if first.properties.isEmojiPresentation || (scalars.count > 1 && scalars.contains { $0.value == 0xFE0F || $0.value == 0x200D } && first.properties.isEmoji) {
            return 2
        }
        let width = Int(wcwidth(Int32(bitPattern: first.value)))
        if width < 0 { return first.properties.generalCategory == .control ? 0 : 1 }
        return min(width, 2)
    }

    /// Columns a string takes.
    public static func of(_ text: String) -> Int {
        // ASCII (most text) needs no grapheme breaking: printable bytes are a column each.
        var printable = 0
        for byte in text.utf8 {
            if byte >= 0x80 { return ofGraphemes(text) }
            if byte >= 0x20 && byte != 0x7F { printable += 1 }
        }
        return printable
    }

    private static func ofGraphemes(_ text: String) -> Int {
        var total = 0
        for character in text { total += of(character) }
        return total
    }

    /// The longest prefix of `text` that fits in `columns`, and its width.
    public static func prefix(_ text: String, fitting columns: Int) -> (String, Int) {
        var used = 0
        var bytes = 0 // where the prefix ends, in UTF-8: each grapheme is broken out once
        for character in text {
            let width = of(character)
            if used + width > columns { break }
            used += width
            bytes += character.utf8.count
        }
        return (String(text[..<text.utf8.index(text.utf8.startIndex, offsetBy: bytes)]), used)
    }

    /// `text` cut to `columns`, ending with `ellipsis` ("…", or "..." in ASCII) when it was cut.
    public static func truncated(_ text: String, to columns: Int, ellipsis: String = "…") -> String {
        guard columns > 0 else { return "" }
        // No grapheme is wider than its UTF-8 bytes: a short text fits without measuring.
        if text.utf8.count <= columns || of(text) <= columns { return text }
        let mark = of(ellipsis) <= columns ? ellipsis : ""
        let (head, _) = prefix(text, fitting: columns - of(mark))
        return head + mark
    }
}
