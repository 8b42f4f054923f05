// swift-tools-version: 6.1
import PackageDescription

// Release (issue 18, benchmarks/RESULTS.md): the Swift runtime linked in, and GCC's C++ runtime and
// unwinder, SQLite, ncurses and zlib too (scripts/link-static), relative relocations packed (RELR)
// and no symbol exported that the loader need not see: less for ld.so to do; start-up code placed
// together (scripts/startup-order): fewer pages touched before the first frame.
let releaseLink: [LinkerSetting] = [
    .unsafeFlags(["-static-stdlib", "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                  "-Xlinker", "--no-export-dynamic",
                  "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/scripts/startup-order.txt",
                  "-Xlinker", "--no-warn-symbol-ordering",
                  "-L", "\(Context.packageDirectory)/scripts/link-static", "-Xclang-linker", "-static-libgcc"],
                 .when(platforms: [.linux], configuration: .release)),
]

// Release: concrete generic types reached by direct metadata calls, not by mangled names the runtime
// must demangle (each first one checks its conformances by scanning every record in the binary);
// a section per function, so that the link's symbol order can place each one.
let releaseSwift: [SwiftSetting] = [
    .unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors", "-Xfrontend", "-function-sections"],
                 .when(configuration: .release)),
]

let package = Package(
    name: "backstage",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "backstage", targets: ["backstage"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
        // profiles.yaml (issue 12): line numbers in its errors come from Yams' marks.
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        // backstage serve (issue 17): the console over SSH; Crypto (already in the graph) for its keys.
        .package(url: "https://github.com/apple/swift-nio-ssh", exact: "0.15.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
    ],
    targets: [
        // The only module that may touch ncurses; later issues build the console on it.
        .systemLibrary(name: "CNCursesW", path: "Sources/CNCursesW"),
        // The domain: models, Mattermost's rules, the audience matcher, stores. No terminal code.
        .target(
            name: "BackstageCore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: releaseSwift
        ),
        // A curses-free UI toolkit: cells, buffer, widths, keys, keymap, widgets, themes.
        .target(name: "TerminalKit", swiftSettings: releaseSwift),
        // The only code that touches ncurses: session, input, painting.
        .target(name: "TerminalCurses", dependencies: ["CNCursesW", "TerminalKit"], swiftSettings: releaseSwift),
        // The console: state, messages, reducer, effects, screens.
        .target(name: "BackstageApp", dependencies: ["BackstageCore", "TerminalKit"], swiftSettings: releaseSwift),
        // backstage serve: the SSH server, its keys, authorized_keys, and the sessions it spawns.
        .target(
            name: "BackstageServe",
            dependencies: [
                "BackstageCore",
                .product(name: "NIOSSH", package: "swift-nio-ssh"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: releaseSwift
        ),
        // The scriptable CLI, as a library so tests can reach its pieces.
        .target(
            name: "BackstageCLI",
            dependencies: [
                "BackstageCore",
                "BackstageServe",
                "BackstageApp",
                "TerminalCurses",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: releaseSwift
        ),
        .executableTarget(name: "backstage", dependencies: ["BackstageCLI"], swiftSettings: releaseSwift, linkerSettings: releaseLink),
        // The first-frame floor with all of backstage linked in (benchmarks/terminal.py): benchmarks/floor's
        // program (a link to its source, which reads C globals as Swift 5 allows); and validate's floors (network.py).
        .executableTarget(
            name: "floor-libraries",
            dependencies: ["BackstageCLI", "CNCursesW", .product(name: "GRDBSQLite", package: "GRDB.swift"),
                           .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: [.define("FLOOR_FOUNDATION"), .define("FLOOR_LIBRARIES"), .swiftLanguageMode(.v5)],
            linkerSettings: releaseLink
        ),
        // In-process figures for benchmarks/run (matcher, banner, render, filter at scale).
        .executableTarget(name: "backstage-bench", dependencies: ["BackstageCore", "BackstageApp", "TerminalKit"]),
        // libFuzzer targets (fuzz/run); a plain build makes them corpus replayers.
        .target(name: "FuzzSupport", path: "Sources/FuzzSupport"),
        .executableTarget(name: "fuzz-urls", dependencies: ["BackstageCore", "FuzzSupport"]),
        .executableTarget(name: "fuzz-themes", dependencies: ["TerminalKit", "FuzzSupport"]),
        .executableTarget(name: "fuzz-keys", dependencies: ["BackstageApp", "BackstageCore", "TerminalKit", "FuzzSupport"]),
        // Real HTTP servers on 127.0.0.1 for tests (token endpoints, command receivers).
        .target(
            name: "TestSupport",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Tests/Support"
        ),
        // A seeded generator for the property tests (no dependencies, so every test target can use it).
        .target(name: "SeededRandom", path: "Tests/SeededRandom"),
        .testTarget(name: "TerminalKitTests", dependencies: ["TerminalKit", "SeededRandom"]),
        .testTarget(
            name: "BackstageAppTests",
            dependencies: ["BackstageApp", "BackstageCore", "TerminalKit", "TestSupport", "SeededRandom"],
            exclude: ["__Snapshots__"]
        ),
        // The real binary in a real terminal (tmux).
        .testTarget(name: "ConsoleEndToEndTests", dependencies: ["backstage", "TestSupport"]),
        .testTarget(
            name: "CNCursesWTests",
            dependencies: ["CNCursesW"]
        ),
        .testTarget(
            name: "BackstageCoreTests",
            dependencies: [
                "BackstageCore",
                "TestSupport",
                "SeededRandom",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(name: "BackstageServeTests", dependencies: ["BackstageServe", .product(name: "NIOSSH", package: "swift-nio-ssh")]),
        .testTarget(
            name: "BackstageCLITests",
            dependencies: ["BackstageCLI", "backstage", "backstage-bench", "TestSupport", "SeededRandom"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
