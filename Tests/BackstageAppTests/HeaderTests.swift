import Testing
@testable import BackstageApp
@testable import TerminalKit

/// The header's right side short of room: which file or server, and which team, stay readable.
@Suite("Header")
struct HeaderTests {
    @Test func aPathIsCutInItsMiddleAndKeepsItsFileName() {
        let path = "/home/admin/.local/share/backstage/backstage.sqlite"
        #expect(Render.storeText(path, fitting: 80, ellipsis: "…") == "store: " + path)
        let cut = Render.storeText(path, fitting: 34, ellipsis: "…")
        #expect(cut == "store: /home/adm…/backstage.sqlite")
        #expect(DisplayWidth.of(cut) == 34)
        #expect(Render.storeText(path, fitting: 36, ellipsis: "...") == "store: /home/adm.../backstage.sqlite")
        // Too little room for the name: cut at the end, as any text.
        #expect(Render.storeText(path, fitting: 20, ellipsis: "…") == "store: /home/admin/…")
        // A server's URL is cut at its end.
        #expect(Render.storeText("https://mattermost.example.com", fitting: 20, ellipsis: "…") == "store: https://matt…")
    }

    @Test func aChosenTeamStaysWhenTheStoreGivesWay() {
        var state = AppState(width: 80, height: 24, storeLabel: "https://mattermost.internal.example.com:8065", teamLabel: "platform-ops")
        state.serverMode = true
        let header = Render.screen(state).text.split(separator: "\n", omittingEmptySubsequences: false)[0]
        #expect(header.hasSuffix("team: platform-ops"))
        #expect(header.contains("store: https://"))
    }
}
