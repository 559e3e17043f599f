// swift-tools-version:6.0
// Xinyu fuzzing (issue 17): libFuzzer harnesses for what reads hostile bytes — the frame
// decoder, envelopes and the handshake, the connection handler, the CSV importers and the TOML
// settings. A separate package, like Benchmarks/, so that the normal `swift build` and tests
// never see it; it depends on the main package by path.
//
// Build and run through scripts/fuzz.sh, which passes the flags every module needs
// (`-sanitize=fuzzer,address` for coverage and bounds, `-enable-testing` for @testable imports
// of internal parsers). See docs/FUZZING.md.
import PackageDescription

/// The flags of a harness target itself: libFuzzer supplies `main`, so the harness file is
/// compiled as a library (no top-level code) and only exports `LLVMFuzzerTestOneInput`.
let harnessSwift: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

func harness(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(name: name, dependencies: ["CFuzzDriver"] + dependencies, swiftSettings: harnessSwift)
}

let xinyu = { (product: String) -> Target.Dependency in .product(name: product, package: "Xinyu") }
let nioCore: Target.Dependency = .product(name: "NIOCore", package: "swift-nio")

let package = Package(
    name: "XinyuFuzz",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "fuzz-frames", targets: ["FuzzFrames"]),
        .executable(name: "fuzz-csv", targets: ["FuzzCSV"]),
        .executable(name: "fuzz-settings", targets: ["FuzzSettings"]),
    ],
    dependencies: [
        // Named, because a path dependency is otherwise known by its folder name.
        .package(name: "Xinyu", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
    ],
    targets: [
        // libFuzzer's LLVMFuzzerRunDriver, for the `<Module>_main` every harness defines (see its header).
        .target(name: "CFuzzDriver"),
        // Frame decoder, envelope codec and both handshake state machines, on bytes.
        harness("FuzzFrames", [xinyu("XinyuWire"), nioCore]),
        // CSVReader: encoding detection (UTF-8, BOM, GBK) and RFC 4180 parsing.
        harness("FuzzCSV", [xinyu("XinyuCSV")]),
        // TOML: the settings table every settings reader is built on, and toml++ under it.
        harness("FuzzSettings", [xinyu("XinyuDomainKit")]),
    ]
)
