/// Text that came from a server or a store may hold escape sequences. Before it reaches a
/// terminal, whole escape sequences are removed as a terminal would parse them (ECMA-48, xterm's
/// ctlseqs): CSI, OSC, DCS, SOS, PM, APC, SS2/SS3 and the short `ESC` ones, in their 7-bit and C1
/// forms, so that no residue such as `]0;title` or `[31m` is left. Then the remaining C0 and C1
/// control characters and DEL go; tabs and newlines become spaces so one value stays on one line.
public enum TerminalText {
    public static func sanitized(_ text: String) -> String {
        clean(text, keepingLines: false)
    }

    /// Like `sanitized` but keeps line breaks (`\n`, and `\r\n` as one), for multi-line bodies.
    /// A line break inside an escape sequence is part of the sequence and goes with it.
    public static func sanitizedKeepingLines(_ text: String) -> String {
        clean(text, keepingLines: true)
    }

    /// Where the parser is: outside a sequence, or inside one of the kinds.
    private enum State {
        case ground
        case escape                    // after ESC
        case escapeIntermediate        // ESC 0x20–0x2F…, waiting for a final 0x30–0x7E
        case controlSequence           // CSI: parameters and intermediates, waiting for a final 0x40–0x7E
        case controlString(bellEnds: Bool) // OSC (BEL ends it too), DCS, SOS, PM, APC: up to ST
        case controlStringEscape       // ESC inside a control string: `\` makes ST
        case singleShift               // SS2/SS3: the next character is theirs
    }

    private static func clean(_ text: String, keepingLines: Bool) -> String {
        if isClean(text, keepingLines: keepingLines) { return text }
        var output = ""
        output.reserveCapacity(text.utf8.count)
        var state = State.ground
        var pendingCarriageReturn = false
        var scalars = text.unicodeScalars.makeIterator()
        var current = scalars.next()
        while let scalar = current {
            let value = scalar.value
            // false: the scalar ended a sequence without belonging to it; read it again from ground.
            var consumed = true
            switch state {
            case .ground:
                if pendingCarriageReturn {
                    pendingCarriageReturn = false
                    if value != 0x0A { output.unicodeScalars.append(" ") }
                }
                switch value {
                case 0x1B: state = .escape
                case 0x9B: state = .controlSequence
                case 0x9D: state = .controlString(bellEnds: true)
                case 0x90, 0x98, 0x9E, 0x9F: state = .controlString(bellEnds: false)
                case 0x8E, 0x8F: state = .singleShift
                case 0x0A: output.unicodeScalars.append(keepingLines ? "\n" : " ")
                case 0x0D:
                    if keepingLines { pendingCarriageReturn = true } else { output.unicodeScalars.append(" ") }
                case 0x09: output.unicodeScalars.append(" ")
                case 0x00...0x1F, 0x7F...0x9F: break
                default:
                    if value < 0x061C || !isInvisible(value) { output.unicodeScalars.append(scalar) }
                }
            case .escape:
                switch value {
                case 0x5B: state = .controlSequence                       // [
                case 0x5D: state = .controlString(bellEnds: true)         // ]
                case 0x50, 0x58, 0x5E, 0x5F: state = .controlString(bellEnds: false) // P X ^ _
                case 0x4E, 0x4F: state = .singleShift                     // N O
                case 0x20...0x2F: state = .escapeIntermediate
                case 0x30...0x7E: state = .ground
                default: state = .ground; consumed = false
                }
            case .escapeIntermediate:
                switch value {
                case 0x20...0x2F: break
                case 0x30...0x7E: state = .ground
                default: state = .ground; consumed = false
                }
            case .controlSequence:
                switch value {
                case 0x20...0x3F: break
                case 0x40...0x7E: state = .ground
                default: state = .ground; consumed = false
                }
            case .controlString(let bellEnds):
                switch value {
                case 0x07 where bellEnds, 0x9C: state = .ground
                case 0x1B: state = .controlStringEscape
                default: break
                }
            case .controlStringEscape:
                if value == 0x5C { state = .ground } else { state = .escape; consumed = false }
            case .singleShift:
                state = .ground
                if value < 0x20 || (0x7F...0x9F).contains(value) { consumed = false }
            }
            if consumed { current = scalars.next() }
        }
        if pendingCarriageReturn { output.unicodeScalars.append(" ") }
        return output
    }

    /// True when `text` has nothing to remove or replace: the common case, answered without
    /// building a new string (ASCII by bytes, the rest by scalars).
    private static func isClean(_ text: String, keepingLines: Bool) -> Bool {
        var ascii = true
        for byte in text.utf8 {
            if byte < 0x20 {
                if !(keepingLines && byte == 0x0A) { return false }
            } else if byte >= 0x7F {
                if byte == 0x7F { return false }
                ascii = false
                break
            }
        }
        if ascii { return true }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x20 {
                if !(keepingLines && value == 0x0A) { return false }
            } else if value >= 0x7F && (value <= 0x9F || (value >= 0x061C && isInvisible(value))) {
                return false
            }
        }
        return true
    }

    /// Scalars that are invisible but change the line: bidi overrides would reorder it, and
    /// joiners, marks, selectors and skin tones make terminals (and ncurses, one spacing character
    /// per cell) disagree on the width of what they join (tmux: ❤️ 1 column, 👍🏽 4, a ZWJ family
    /// 2 or 6), so the columns after them would shift.
    @inline(__always)
    private static func isInvisible(_ value: UInt32) -> Bool {
        switch value {
        case 0x202A...0x202E, 0x2066...0x2069: true
        case 0x200B...0x200F, 0x2060...0x2064, 0xFEFF, 0x061C, 0x180E, 0xFE00...0xFE0F, 0x1F3FB...0x1F3FF, 0xE0000...0xE007F: true
        default: false
        }
    }
}
