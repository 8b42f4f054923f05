// swift-tools-version: 5.10
// The floor for the first-frame figures (benchmarks/terminal.py, issue 18): the least a Swift
// console with this toolchain pays to show a store's list. Both open the store with SQLite's C API,
// read the connections' names and draw them with ncursesw, linked as backstage's release is
// (static Swift runtime, lld, packed relocations, nothing exported); one also loads Foundation,
// as backstage must.
import PackageDescription

let linked: [LinkerSetting] = [.unsafeFlags(["-static-stdlib", "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                                              "-Xlinker", "--no-export-dynamic"])]
let package = Package(
    name: "floor",
    targets: [
        .systemLibrary(name: "CFloor", path: "Sources/CFloor"),
        .executableTarget(name: "floor-swift", dependencies: ["CFloor"], linkerSettings: linked),
        .executableTarget(name: "floor-foundation", dependencies: ["CFloor"], swiftSettings: [.define("FLOOR_FOUNDATION")], linkerSettings: linked),
    ]
)
