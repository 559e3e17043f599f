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
        .executable(name: "fuzz-connection", targets: ["FuzzConnection"]),
        .executable(name: "fuzz-csv", targets: ["FuzzCSV"]),
        .executable(name: "fuzz-imports", targets: ["FuzzImports"]),
        .executable(name: "fuzz-settings", targets: ["FuzzSettings"]),
    ],
    dependencies: [
        // Named, because a path dependency is otherwise known by its folder name.
        .package(name: "Xinyu", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        // libFuzzer's LLVMFuzzerRunDriver, for the `<Module>_main` every harness defines (see its header).
        .target(name: "CFuzzDriver"),
        // Frame decoder, envelope codec and both handshake state machines, on bytes.
        harness("FuzzFrames", [xinyu("XinyuWire"), nioCore]),
        // The whole connection pipeline (codec + handler) on an embedded channel, bytes in, and
        // both ends' connection state machines on the same frames. XinyuRPC brings NIOSSL and
        // swift-crypto, so this, FuzzImports and FuzzSettings compile the two BoringSSL copies
        // (without the sanitizers: see Fuzz/cc.sh).
        harness("FuzzConnection", [
            xinyu("XinyuWire"), xinyu("XinyuRPC"), nioCore,
            .product(name: "NIOEmbedded", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
        ]),
        // CSVReader: encoding detection (UTF-8, BOM, GBK) and RFC 4180 parsing.
        harness("FuzzCSV", [xinyu("XinyuCSV")]),
        // The importers behind the CSV: directory rosters (five kinds), crisis screening rounds.
        harness("FuzzImports", [
            xinyu("XinyuDirectory"), xinyu("XinyuCrisis"), xinyu("XinyuPluginSDK"), xinyu("XinyuCSV"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // TOML: the settings table and toml++ under it, xinyu.toml, roles.toml and every
        // plugin's settings (each plugin's Core comes with its library product).
        harness("FuzzSettings", [
            xinyu("XinyuDomainKit"), xinyu("XinyuHost"), xinyu("XinyuCrisis"), xinyu("XinyuTraining"),
            xinyu("XinyuFacilities"), xinyu("XinyuHomeschool"), xinyu("XinyuPartnership"),
        ]),
    ]
)
