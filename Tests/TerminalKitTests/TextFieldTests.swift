import Testing
@testable import TerminalKit

@Suite("Text field")
struct TextFieldTests {
    func field(_ text: String, cursor: Int? = nil, masked: Bool = false, limit: Int? = nil) -> TextField {
        var field = TextField(text, limit: limit, masked: masked)
        if let cursor { for _ in 0..<(text.count - cursor) { _ = field.handle(.left) } }
        return field
    }

    @Test func readlineKeys() {
        var f = field("hello big world")
        _ = f.handle(.control("w"))
        #expect(f.text == "hello big ")
        _ = f.handle(.alt("b"))
        #expect(f.cursor == 6)
        _ = f.handle(.control("k"))
        #expect(f.text == "hello ")
        _ = f.handle(.control("a"))
        _ = f.handle(.character(">"))
        #expect(f.text == ">hello ")
        _ = f.handle(.alt("f"))
        #expect(f.cursor == 6)
        _ = f.handle(.control("e"))
        _ = f.handle(.backspace)
        #expect(f.text == ">hello")
        _ = f.handle(.home)
        _ = f.handle(.delete)
        #expect(f.text == "hello")
        _ = f.handle(.end)
        _ = f.handle(.control("u"))
        #expect(f.text.isEmpty)
        let tabEdits = f.handle(.tab)
        #expect(!tabEdits) // not an editing key: the form moves on
    }

    /// The key decoder reads ESC then x as Alt-x only for the Alt keys a field has: the set must be
    /// exactly the Alt keys `handle` takes.
    @Test func altKeysAreExactlyTheAltKeysHandled() {
        for character in "abcdefghijklmnopqrstuvwxyzBF0123456789.<>" {
            var f = field("one two", cursor: 4)
            #expect(f.handle(.alt(character)) == TextField.altKeys.contains(character), "Alt-\(character)")
        }
        #expect(TextField.altKeys == ["b", "f"])
    }

    @Test func maskedWordMotionsRevealNoWordBoundaries() {
        var f = field("correct horse battery", masked: true)
        _ = f.handle(.alt("b"))
        #expect(f.cursor == 0)
        _ = f.handle(.alt("f"))
        #expect(f.cursor == f.text.count)
        _ = f.handle(.control("w"))
        #expect(f.text.isEmpty)
    }

    @Test func aPastePastTheLimitIsCutAndSaysSo() {
        var f = TextField("ab", limit: 5)
        let inserted = f.insert("cdefgh")
        #expect(inserted)
        #expect(f.text == "abcde")
        #expect(f.notice == "Cut to the limit of 5 characters")
        _ = f.handle(.backspace)
        #expect(f.notice == nil)
        #expect(!TextField("12345", limit: 5).isEmpty)
        var single = TextField()
        single.insert("line one\nline two\u{1B}[31m")
        #expect(single.text == "line oneline two[31m") // one-line fields drop newlines and controls
    }

    @Test func multilineMovesByLines() {
        var f = TextField("https://a.example.com/*\nhttps://b.example.com/hook", multiline: true)
        #expect(f.cursorLine.line == 1)
        let movedUp = f.handle(.up)
        #expect(movedUp && f.cursorLine.line == 0)
        let pastTop = f.handle(.up)
        #expect(!pastTop) // at the top: the form takes Up
        _ = f.handle(.end)
        _ = f.handle(.enter)
        f.insert("https://c.example.com/")
        #expect(f.lines == ["https://a.example.com/*", "https://c.example.com/", "https://b.example.com/hook"])
    }

    @Test func theWidgetScrollsToKeepTheCursorVisibleAndMasks() {
        var buffer = Buffer(width: 12, height: 2)
        let long = TextField("https://idp.example.com/token")
        let column = Widgets.textField(long, in: Rect(x: 1, y: 0, width: 10, height: 1), focused: true, into: &buffer)
        #expect(column == 10)
        #expect(buffer.text.split(separator: "\n").first == " com/token")
        let secret = TextField("s3cret", masked: true)
        Widgets.textField(secret, in: Rect(x: 1, y: 1, width: 10, height: 1), focused: false, into: &buffer)
        #expect(buffer.text.split(separator: "\n").last == " ••••••")
        #expect(!buffer.text.contains("s3cret"))
    }
}
