import Testing
import TerminalKit

@Suite("Key decoder")
struct KeyDecoderTests {
    let codes = KeyDecoder.KeyCodes.ncurses

    /// Feeds reads as one batch (what curses had waiting), then the end of the batch.
    func decode(_ reads: [KeyDecoder.Input], decoder: inout KeyDecoder) -> [KeyDecoder.Decoded] {
        reads.flatMap { decoder.feed($0) } + decoder.finish()
    }

    /// With `altKeys`: the Alt bindings of the layer on top (a text field has Alt-b and Alt-f).
    func events(_ reads: [KeyDecoder.Input], altKeys: Set<Character> = []) -> [InputEvent] {
        var decoder = KeyDecoder(codes: codes)
        decoder.altKeys = altKeys
        return decode(reads, decoder: &decoder).compactMap { if case .event(let event) = $0 { return event } else { return nil } }
    }

    func chars(_ text: String) -> [KeyDecoder.Input] { text.unicodeScalars.map { .character($0.value) } }

    @Test func controlBytesBecomeNamedKeys() {
        #expect(events([.character(13), .character(10), .character(9), .character(127), .character(8)])
            == [.key(.enter), .key(.enter), .key(.tab), .key(.backspace), .key(.backspace)])
        #expect(events([.character(1), .character(19), .character(26), .character(0)])
            == [.key(.control("a")), .key(.control("s")), .key(.control("z")), .key(.control(" "))])
        #expect(events([.character(28), .character(31)]) == [])
    }

    @Test func printableCharactersIncludingWideOnes() {
        #expect(events(chars("aé界🙂")) == [.key(.character("a")), .key(.character("é")), .key(.character("界")), .key(.character("🙂"))])
        // Not a Unicode scalar (a lone surrogate, beyond U+10FFFF): dropped, not a crash.
        #expect(events([.character(0xD800), .character(0x110000), .character(65)]) == [.key(.character("A"))])
    }

    @Test func functionKeysFromTheTable() {
        #expect(events([.functionKey(codes.up), .functionKey(codes.pageDown), .functionKey(codes.backTab), .functionKey(codes.delete),
                        .functionKey(codes.enter), .functionKey(Int32(0o410 + 5))])
            == [.key(.up), .key(.pageDown), .key(.backTab), .key(.delete), .key(.enter), .key(.function(5))])
        #expect(events([.functionKey(9999), .functionKey(-1)]) == [])
        var decoder = KeyDecoder(codes: codes)
        #expect(decode([.functionKey(codes.resize), .functionKey(codes.mouse)], decoder: &decoder) == [.resize, .mouse])
    }

    @Test func escapeThenABoundCharacterIsAlt() {
        #expect(events([.character(27), .character(98)], altKeys: ["b", "f"]) == [.key(.alt("b"))])
        #expect(events([.character(27), .character(102)], altKeys: ["b", "f"]) == [.key(.alt("f"))])
        #expect(events([.character(27), .character(0x754C)], altKeys: ["界"]) == [.key(.alt("界"))])
        // ESC on its own at the end of what was waiting: the Escape key.
        #expect(events([.character(27)]) == [.key(.escape)])
        #expect(events([.character(27)], altKeys: ["b"]) == [.key(.escape)])
        #expect(events([.character(97), .character(27)]) == [.key(.character("a")), .key(.escape)])
    }

    @Test func escapeThenAnUnboundCharacterIsEscapeThenThatKey() {
        // Esc then 2 in one read (SSH lag): leave the search line, then switch to tab 2.
        #expect(events([.character(27), .character(50)]) == [.key(.escape), .key(.character("2"))])
        // Alt-b is live only where a text field has the keyboard.
        #expect(events([.character(27), .character(98)]) == [.key(.escape), .key(.character("b"))])
        #expect(events([.character(27), .character(97)], altKeys: ["b", "f"]) == [.key(.escape), .key(.character("a"))])
        #expect(events([.character(27), .character(0x754C)]) == [.key(.escape), .key(.character("界"))])
        // Not a Unicode scalar after ESC: Escape, and the read is dropped as it would be alone.
        #expect(events([.character(27), .character(0xD800)]) == [.key(.escape)])
        // The key after is decoded as it would be alone: another ESC after it still waits for its own next read.
        #expect(events([.character(27), .character(50), .character(27), .character(98)], altKeys: ["b"])
            == [.key(.escape), .key(.character("2")), .key(.alt("b"))])
    }

    @Test func theAltKeysInForceWhenTheNextReadArrivesDecide() {
        var decoder = KeyDecoder(codes: codes)
        decoder.altKeys = ["b"]
        #expect(decoder.feed(.character(27)) == [])
        #expect(decoder.feed(.character(98)) == [.event(.key(.alt("b")))])
        decoder.altKeys = []
        #expect(decoder.feed(.character(27)) == [])
        #expect(decoder.feed(.character(98)) == [.event(.key(.escape)), .event(.key(.character("b")))])
        #expect(decoder.finish() == [])
    }

    @Test func anEscapeAfterOtherReadsIsHeldOnlyOutsideAPaste() {
        var decoder = KeyDecoder(codes: codes)
        #expect(decoder.holdsEscape(.character(27)))
        #expect(!decoder.holdsEscape(.character(98)))
        _ = decoder.feed(.character(27))
        #expect(!decoder.holdsEscape(.character(27))) // the second ESC decides the first
        _ = decoder.finish()
        _ = decoder.feed(.functionKey(codes.pasteStart))
        #expect(!decoder.holdsEscape(.character(27))) // text inside a paste
    }

    @Test func escapeThenAControlCharacterIsOnlyEscape() {
        // Alt-Enter must not turn into Esc + Enter: that would confirm "Discard unsaved changes?".
        #expect(events([.character(27), .character(13)]) == [.key(.escape)])
        #expect(events([.character(27), .character(13)], altKeys: ["b", "f"]) == [.key(.escape)])
        #expect(events([.character(27), .character(27)]) == [.key(.escape)])
        #expect(events([.character(27), .character(27), .character(27)]) == [.key(.escape), .key(.escape)])
        // DEL (Alt-Backspace) is a control character too.
        #expect(events([.character(27), .character(127)]) == [.key(.escape)])
    }

    @Test func escapeThenAFunctionKeyIsEscapeThenThatKey() {
        #expect(events([.character(27), .functionKey(codes.left)]) == [.key(.escape), .key(.left)])
        #expect(events([.character(27), .functionKey(Int32(0o410 + 1))], altKeys: ["b", "f"]) == [.key(.escape), .key(.function(1))])
        // A code nobody knows: the Escape still counts.
        #expect(events([.character(27), .functionKey(9999)]) == [.key(.escape)])
    }

    @Test func escapeThenAResizeOrAMouseEventKeepsBoth() {
        var decoder = KeyDecoder(codes: codes)
        // Esc then a resize at once (help open): the help still closes.
        #expect(decode([.character(27), .functionKey(codes.resize)], decoder: &decoder) == [.event(.key(.escape)), .resize])
        #expect(decode([.character(27), .functionKey(codes.mouse)], decoder: &decoder) == [.event(.key(.escape)), .mouse])
    }

    @Test func escapeThenAPasteIsEscapeThenThePaste() {
        let reads = [.character(27), .functionKey(codes.pasteStart)] + chars("https://x.example/") + [.functionKey(codes.pasteEnd)]
        #expect(events(reads) == [.key(.escape), .paste("https://x.example/")])
        #expect(events(reads, altKeys: ["b", "f"]) == [.key(.escape), .paste("https://x.example/")])
    }

    @Test func bracketedPasteArrivesWhole() {
        let pasted = [.functionKey(codes.pasteStart)] + chars("a\rb\u{1B}x\t界") + [.functionKey(codes.pasteEnd)]
        #expect(events(pasted + chars("z")) == [.paste("a\nb\u{1B}x\t界"), .key(.character("z"))])
        #expect(events([.functionKey(codes.pasteStart), .functionKey(codes.pasteEnd)]) == [.paste("")])
        // An end marker without a start is nothing.
        #expect(events([.functionKey(codes.pasteEnd)]) == [])
    }

    @Test func aPasteSpansBatches() {
        var decoder = KeyDecoder(codes: codes)
        #expect(decode([.functionKey(codes.pasteStart)] + chars("first "), decoder: &decoder) == [])
        #expect(decoder.isPasting)
        #expect(decode(chars("second") + [.functionKey(codes.pasteEnd)], decoder: &decoder) == [.event(.paste("first second"))])
        #expect(!decoder.isPasting)
    }
}
