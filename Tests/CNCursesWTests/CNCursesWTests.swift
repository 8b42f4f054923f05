import CNCursesW
import Foundation
import Testing

/// The system library module links and its shim works; the console builds on it.
@Suite("CNCursesW")
struct CNCursesWTests {
    @Test func linksAgainstNcursesw() {
        let version = String(cString: curses_version())
        #expect(version.hasPrefix("ncurses"))
    }

    @Test func wcwidthUnderAUTF8LocaleKnowsWideCharacters() {
        #expect(setlocale(LC_CTYPE, "C.UTF-8") != nil)
        #expect(backstage_wcwidth(0x41) == 1)   // A
        #expect(backstage_wcwidth(0x540D) == 2) // 名
        #expect(backstage_wcwidth(0x0301) == 0) // combining acute accent
    }
}
