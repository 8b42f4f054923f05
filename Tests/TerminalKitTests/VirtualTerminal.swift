@testable import TerminalKit

/// A small ECMA-48 terminal for checking what `ScreenPainter` writes: it understands exactly the
/// sequences a terminal would (CUP, CUF, SGR, cursor visibility, erase display) and prints like
/// xterm, including the pending wrap at the last column. Anything else fails the test.
struct VirtualTerminal {
    struct Pen: Equatable {
        var bold = false, underline = false, reverse = false
        var foreground = "39", background = "49"
    }
    struct Slot: Equatable {
        var text: Character = " "
        var pen = Pen()
    }
    struct Unexpected: Error, CustomStringConvertible {
        let description: String
    }

    let width: Int
    let height: Int
    /// Erasing fills with the current background (terminfo `bce`); without it, the default.
    let bce: Bool
    private(set) var slots: [Slot]
    private(set) var x = 0
    private(set) var y = 0
    private(set) var cursorVisible = true
    private var pen = Pen()
    private var pendingWrap = false

    init(width: Int, height: Int, bce: Bool = false) {
        self.width = width
        self.height = height
        self.bce = bce
        slots = Array(repeating: Slot(), count: width * height)
    }

    subscript(x: Int, y: Int) -> Slot { slots[y * width + x] }

    var cursor: (x: Int, y: Int) { (x, y) }

    mutating func feed(_ bytes: [UInt8]) throws {
        let text = String(decoding: bytes, as: UTF8.self)
        var characters = Substring(text)
        while let first = characters.first {
            if first == "\u{1B}" {
                guard characters.dropFirst().first == "[" else { throw Unexpected(description: "ESC not followed by [") }
                let body = characters.dropFirst(2)
                guard let end = body.firstIndex(where: { $0.isLetter }) else { throw Unexpected(description: "unterminated CSI") }
                try control(String(body[..<end]), final: body[end])
                characters = body[body.index(after: end)...]
            } else {
                print(first)
                characters = characters.dropFirst()
            }
        }
    }

    private mutating func control(_ parameters: String, final: Character) throws {
        let numbers = parameters.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) }
        switch (final, parameters) {
        case ("H", _):
            y = min(max((numbers.first.flatMap { $0 } ?? 1) - 1, 0), height - 1)
            x = min(max((numbers.count > 1 ? numbers[1] ?? 1 : 1) - 1, 0), width - 1)
            pendingWrap = false
        case ("C", _):
            x = min(x + (numbers.first.flatMap { $0 } ?? 1), width - 1)
            pendingWrap = false
        case ("J", "2"):
            slots = Array(repeating: erased, count: width * height)
        case ("K", ""):
            for column in x..<width { slots[y * width + column] = erased }
        case ("h", "?25"): cursorVisible = true
        case ("l", "?25"): cursorVisible = false
        case ("m", _): try select(parameters)
        default: throw Unexpected(description: "unexpected sequence CSI \(parameters)\(final)")
        }
    }

    private var erased: Slot { Slot(pen: Pen(foreground: pen.foreground, background: bce ? pen.background : "49")) }

    private mutating func select(_ parameters: String) throws {
        var values = parameters.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }[...]
        while let value = values.popFirst() {
            switch value {
            case 0: pen = Pen()
            case 1: pen.bold = true
            case 4: pen.underline = true
            case 7: pen.reverse = true
            case 30...37, 90...97, 39: pen.foreground = String(value)
            case 40...47, 100...107, 49: pen.background = String(value)
            case 38, 48:
                let mode = values.popFirst()
                let count = mode == 5 ? 1 : 3
                let rest = values.prefix(count).map(String.init)
                values = values.dropFirst(count)
                let name = ([String(value), String(mode ?? -1)] + rest).joined(separator: ";")
                if value == 38 { pen.foreground = name } else { pen.background = name }
            default: throw Unexpected(description: "unexpected SGR \(value)")
            }
        }
    }

    private mutating func print(_ character: Character) {
        let columns = max(DisplayWidth.of(character), 1)
        if pendingWrap || x + columns > width {
            x = 0
            y = min(y + 1, height - 1)
            pendingWrap = false
        }
        slots[y * width + x] = Slot(text: character, pen: pen)
        if columns == 2 && x + 1 < width { slots[y * width + x + 1] = Slot(text: "\0", pen: pen) }
        if x + columns >= width {
            x = width - 1
            pendingWrap = true
        } else {
            x += columns
        }
    }
}
