// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "backstage",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "backstage", targets: ["backstage"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
    ],
    targets: [
        // The only module that may touch ncurses; later issues build the console on it.
        .systemLibrary(name: "CNCursesW", path: "Sources/CNCursesW"),
        // The domain: models, Mattermost's rules, the audience matcher, stores. No terminal code.
        .target(
            name: "BackstageCore",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The scriptable CLI, as a library so tests can reach its pieces.
        .target(
            name: "BackstageCLI",
            dependencies: [
                "BackstageCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "backstage", dependencies: ["BackstageCLI"]),
        .testTarget(
            name: "CNCursesWTests",
            dependencies: ["CNCursesW"]
        ),
        .testTarget(
            name: "BackstageCoreTests",
            dependencies: [
                "BackstageCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "BackstageCLITests",
            dependencies: ["BackstageCLI", "backstage"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
