/// A small, strict JSON reader for theme files. Foundation's JSONSerialization on Linux accepts
/// trailing commas and answers most mistakes with "Unexpected end of file"; a theme author needs
/// the line and column of the mistake instead.
enum ThemeJSONValue: Sendable, Hashable {
    case object([String: ThemeJSONValue])
    case array([ThemeJSONValue])
    case string(String)
    /// The number as written (theme files have no numbers we read).
    case number(String)
    case bool(Bool)
    case null

    /// The value as a short piece of JSON for an error message (strings quoted, long text cut).
    var snippet: String {
        let text: String
        switch self {
        case .object: text = "{...}"
        case .array: text = "[...]"
        case .string(let s): text = "\"" + s + "\""
        case .number(let n): text = n
        case .bool(let b): text = b ? "true" : "false"
        case .null: text = "null"
        }
        // Theme files come from anywhere: no control characters into a terminal.
        let clean = String(String.UnicodeScalarView(text.unicodeScalars.map {
            ($0.value < 0x20 || (0x7f...0x9f).contains($0.value)) ? "?" : $0
        }))
        return clean.count > 48 ? String(clean.prefix(45)) + "..." : clean
    }
}

struct ThemeJSONSyntaxError: Error, Sendable, Equatable {
    var line: Int
    var column: Int
    var message: String

    var description: String { "line \(line), column \(column): \(message)" }
}

struct ThemeJSONParser {
    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    static func parse(_ bytes: [UInt8]) throws(ThemeJSONSyntaxError) -> ThemeJSONValue {
        var parser = ThemeJSONParser(bytes: bytes)
        // A UTF-8 byte order mark is harmless; editors on some systems add one.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.index = 3 }
        parser.skipSpace()
        guard parser.index < bytes.count else { throw parser.error("the file is empty") }
        let value = try parser.value()
        parser.skipSpace()
        guard parser.index == bytes.count else { throw parser.error("unexpected \(parser.found) after the end of the JSON value") }
        return value
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private var found: String {
        guard index < bytes.count else { return "end of file" }
        let byte = bytes[index]
        if byte >= 0x21 && byte < 0x7f { return "'\(Character(UnicodeScalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16))"
    }

    private func error(_ message: String) -> ThemeJSONSyntaxError {
        var line = 1, column = 1, i = 0
        while i < min(index, bytes.count) {
            if bytes[i] == UInt8(ascii: "\n") { line += 1; column = 1 }
            else if bytes[i] & 0xC0 != 0x80 { column += 1 }  // count characters, not UTF-8 bytes
            i += 1
        }
        return ThemeJSONSyntaxError(line: line, column: column, message: message)
    }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private mutating func value() throws(ThemeJSONSyntaxError) -> ThemeJSONValue {
        guard index < bytes.count else { throw error("unexpected end of file, expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw error("unexpected \(found), expected a value")
        }
    }

    private mutating func nest() throws(ThemeJSONSyntaxError) {
        depth += 1
        if depth > 64 { throw error("nested too deeply") }
    }

    private mutating func object() throws(ThemeJSONSyntaxError) -> ThemeJSONValue {
        try nest()
        index += 1
        var members: [String: ThemeJSONValue] = [:]
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; depth -= 1; return .object(members) }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw error("unexpected \(found), expected a key in double quotes")
            }
            let key = try string()
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("unexpected \(found), expected ':' after the key \(ThemeJSONValue.string(key).snippet)") }
            index += 1
            skipSpace()
            members[key] = try value()
            skipSpace()
            guard index < bytes.count else { throw error("unexpected end of file, expected ',' or '}'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { throw error("trailing ',' before '}'") }
                continue
            }
            if bytes[index] == UInt8(ascii: "}") { index += 1; depth -= 1; return .object(members) }
            throw error("unexpected \(found), expected ',' or '}'")
        }
    }

    private mutating func array() throws(ThemeJSONSyntaxError) -> ThemeJSONValue {
        try nest()
        index += 1
        var elements: [ThemeJSONValue] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; depth -= 1; return .array(elements) }
        while true {
            skipSpace()
            elements.append(try value())
            skipSpace()
            guard index < bytes.count else { throw error("unexpected end of file, expected ',' or ']'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { throw error("trailing ',' before ']'") }
                continue
            }
            if bytes[index] == UInt8(ascii: "]") { index += 1; depth -= 1; return .array(elements) }
            throw error("unexpected \(found), expected ',' or ']'")
        }
    }

    private mutating func literal(_ word: String) throws(ThemeJSONSyntaxError) {
        let expected = Array(word.utf8)
        guard bytes.count - index >= expected.count, Array(bytes[index..<index + expected.count]) == expected else {
            throw error("unexpected \(found), expected a value (did you mean \(word)?)")
        }
        index += expected.count
    }

    private mutating func number() throws(ThemeJSONSyntaxError) -> String {
        let start = index
        func digits(_ parser: inout ThemeJSONParser) -> Int {
            let from = parser.index
            while parser.index < parser.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(parser.bytes[parser.index]) { parser.index += 1 }
            return parser.index - from
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        if index < bytes.count, bytes[index] == UInt8(ascii: "0") { index += 1 }
        else if digits(&self) == 0 { throw error("unexpected \(found) in a number") }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            if digits(&self) == 0 { throw error("unexpected \(found) in a number") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            if digits(&self) == 0 { throw error("unexpected \(found) in a number") }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func string() throws(ThemeJSONSyntaxError) -> String {
        index += 1  // the opening quote
        var scalars = String.UnicodeScalarView()
        var run = index  // start of the current run of plain bytes
        func flush(_ parser: ThemeJSONParser, _ upTo: Int, into scalars: inout String.UnicodeScalarView) {
            scalars.append(contentsOf: String(decoding: parser.bytes[run..<upTo], as: UTF8.self).unicodeScalars)
        }
        while true {
            guard index < bytes.count else { throw error("unexpected end of file inside a string") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                flush(self, index, into: &scalars)
                index += 1
                return String(scalars)
            }
            if byte < 0x20 { throw error("a control character (such as a line break) inside a string") }
            if byte != UInt8(ascii: "\\") { index += 1; continue }
            flush(self, index, into: &scalars)
            index += 1
            guard index < bytes.count else { throw error("unexpected end of file inside a string") }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800...0xDBFF).contains(code), bytes.count - index >= 6,
                   bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                    index += 2
                    let low = try hex4()
                    if (0xDC00...0xDFFF).contains(low) { code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00) }
                }
                scalars.append(UnicodeScalar(code) ?? "\u{FFFD}")
            default:
                index -= 2
                throw error("unknown escape in a string (use \\\\ for a backslash)")
            }
            run = index
        }
    }

    private mutating func hex4() throws(ThemeJSONSyntaxError) -> UInt32 {
        guard bytes.count - index >= 4 else { throw error("unexpected end of file in a \\u escape") }
        var code: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Character(UnicodeScalar(bytes[index])).hexDigitValue else { throw error("unexpected \(found) in a \\u escape") }
            code = code << 4 | UInt32(digit)
            index += 1
        }
        return code
    }
}
