import Foundation
import Testing
@testable import TerminalKit

/// The repository's themes/ folder, found from this file's own path.
private let themesFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // TerminalKitTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()  // the repository
    .appendingPathComponent("themes")

@Suite("Theme catalog")
struct ThemeCatalogTests {
    /// The console builds its themes from the table, not from the text: the same theme either way.
    @Test func aBuiltInThemeIsWhatParsingItsFileGives() throws {
        for index in ThemeCatalog.names.indices {
            let file = ThemeBuiltins.file(at: index)
            #expect(ThemeCatalog.builtIn(at: index) == (try Theme.load(json: file.json, source: "themes/" + file.name)), "\(file.name)")
        }
    }

    @Test("the built-in copies are byte-identical to themes/*.json", arguments: ThemeBuiltins.files.map(\.name))
    func builtInsMirrorFiles(file: String) throws {
        let onDisk = try Data(contentsOf: themesFolder.appendingPathComponent(file))
        let builtIn = try #require(ThemeBuiltins.files.first { $0.name == file })
        #expect(Data(builtIn.json.utf8) == onDisk, "Sources/TerminalKit/ThemeBuiltins.swift differs from themes/\(file)")
    }

    @Test("themes/ holds exactly the five built-in themes")
    func folderContents() throws {
        let jsonFiles = try FileManager.default.contentsOfDirectory(atPath: themesFolder.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(jsonFiles == ThemeBuiltins.files.map(\.name).sorted())
        #expect(ThemeCatalog.builtIns.map(\.name) == ThemeCatalog.names)
    }

    @Test("each theme file loads by path like its built-in copy", arguments: ThemeCatalog.names)
    func filesLoad(name: String) throws {
        let path = themesFolder.appendingPathComponent(name.lowercased() + ".json").path
        #expect(try Theme.load(path: path) == ThemeCatalog.builtIn(named: name))
    }

    @Test("resolve: built-in names in any case")
    func resolveNames() {
        for name in ThemeCatalog.names {
            for spelling in [name, name.lowercased(), name.uppercased(), " \(name) "] {
                let (theme, warning) = ThemeCatalog.resolve(nameOrPath: spelling)
                #expect(theme.name == name)
                #expect(warning == nil)
            }
        }
        let (theme, warning) = ThemeCatalog.resolve(nameOrPath: "")
        #expect(theme == ThemeCatalog.defaultTheme)
        #expect(warning == nil)
    }

    @Test("resolve: a file path, and Denim with the reason when the file is bad")
    func resolvePaths() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("theme-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let good = directory.appendingPathComponent("team.json")
        try Data(ThemeBuiltins.onyx.replacingOccurrences(of: "\"Onyx\"", with: "\"custom\"").utf8).write(to: good)
        let (custom, noWarning) = ThemeCatalog.resolve(nameOrPath: good.path)
        #expect(custom.name == "team")
        #expect(custom.palette == ThemeCatalog.builtIn(named: "onyx")?.palette)
        #expect(noWarning == nil)

        let badColour = directory.appendingPathComponent("x.json")
        try Data(ThemeBuiltins.denim.replacingOccurrences(of: "\"#1e325c\"", with: "\"#12345\"").utf8).write(to: badColour)
        let (fallback, warning) = ThemeCatalog.resolve(nameOrPath: badColour.path)
        #expect(fallback == ThemeCatalog.defaultTheme)
        #expect(warning == "\(badColour.path): key \"sidebarBg\": \"#12345\" is not a colour (#rgb, #rrggbb or rgb(...))")

        let badJSON = directory.appendingPathComponent("broken.json")
        try Data("{\"sidebarBg\": \"#1e325c\",}".utf8).write(to: badJSON)
        let (_, jsonWarning) = ThemeCatalog.resolve(nameOrPath: badJSON.path)
        #expect(jsonWarning?.hasPrefix("\(badJSON.path): not valid JSON (line 1, column 25") == true)

        let missing = directory.appendingPathComponent("gone.json").path
        let (_, missingWarning) = ThemeCatalog.resolve(nameOrPath: missing)
        #expect(missingWarning == "\(missing): cannot read the theme file (no such file)")
    }

    @Test("resolve: an unknown bare name says which names exist")
    func resolveUnknownName() {
        let (theme, warning) = ThemeCatalog.resolve(nameOrPath: "solarized")
        #expect(theme == ThemeCatalog.defaultTheme)
        #expect(warning == "unknown theme \"solarized\": use one of denim, sapphire, quartz, indigo, onyx, or the path of a Mattermost theme .json file")
        #expect(ThemeCatalog.load(nameOrPath: "solarized") == .failure(.unknownTheme(name: "solarized")))
        // With a .json suffix it is a path.
        #expect(ThemeCatalog.load(nameOrPath: "solarized.json") == .failure(.unreadable(source: "solarized.json", reason: "no such file")))
    }

    @Test("t cycles Denim → Sapphire → Quartz → Indigo → Onyx → Denim")
    func cycle() {
        #expect(ThemeCatalog.next(after: "Denim") == "Sapphire")
        #expect(ThemeCatalog.next(after: "sapphire") == "Quartz")
        #expect(ThemeCatalog.next(after: "Quartz") == "Indigo")
        #expect(ThemeCatalog.next(after: "Indigo") == "Onyx")
        #expect(ThemeCatalog.next(after: "ONYX") == "Denim")
        #expect(ThemeCatalog.next(after: "themes/our-team.json") == "Denim")

        var theme = ThemeCatalog.defaultTheme
        var seen: [String] = []
        for _ in 0..<5 {
            theme = ThemeCatalog.next(after: theme)
            seen.append(theme.name)
        }
        #expect(seen == ["Sapphire", "Quartz", "Indigo", "Onyx", "Denim"])
        #expect(ThemeCatalog.next(after: ThemeCatalog.defaultTheme.usingTerminalBackground(true)).useTerminalBackground)
    }
}
