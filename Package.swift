// swift-tools-version:6.0
// Xinyu (心育): a plugin-based modular monolith for a city's student mental-health work.
import PackageDescription

let package = Package(
    name: "Xinyu",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "xinyu-host", targets: ["XinyuHostMain"]),
        .executable(name: "xinyu", targets: ["XinyuCLI"]),
        .library(name: "XinyuClient", targets: ["XinyuClient"]),
        .library(name: "XinyuPluginSDK", targets: ["XinyuPluginSDK"]),
        .library(name: "XinyuWire", targets: ["XinyuWire"]),
        .executable(name: "xinyu-plugin-crisis", targets: ["CrisisPluginMain"]),
        // The shared store, for the benchmark package (Benchmarks/) that seeds and reads it directly.
        .library(name: "XinyuStore", targets: ["XinyuStore"]),
        .library(name: "XinyuRPC", targets: ["XinyuRPC"]),
        .library(name: "XinyuCoreAPI", targets: ["XinyuCoreAPI"]),
        .library(name: "XinyuCrisisAPI", targets: ["XinyuCrisisAPI"]),
        .library(name: "XinyuCrisis", targets: ["XinyuCrisis"]),
        // Test fixture plugins; the host finds xinyu-plugin-<name> beside itself.
        .executable(name: "xinyu-plugin-probe", targets: ["ProbePlugin"]),
        .executable(name: "xinyu-plugin-tally", targets: ["TallyPlugin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
    ],
    targets: [
        // MARK: Wire: frames, envelopes, handshake. Knows no domain.
        .target(
            name: "XinyuWire",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        // MARK: RPC: multiplexed calls over one NIO connection, both directions.
        .target(
            name: "XinyuRPC",
            dependencies: [
                "XinyuWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // MARK: Store: the shared SQLite database, migrations, outbox, idempotency.
        .target(
            name: "XinyuStore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // MARK: Audit: the tamper-evident, append-only trail of every call to the host.
        .target(
            name: "XinyuAudit",
            dependencies: [
                "XinyuStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // MARK: Plugin SDK: what a domain plugin imports. Never imports the host.
        .target(
            name: "XinyuPluginSDK",
            dependencies: [
                "XinyuWire", "XinyuRPC", "XinyuStore",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // MARK: Client library used by the CLI and by other Swift programs.
        .target(
            name: "XinyuClient",
            dependencies: [
                "XinyuWire", "XinyuRPC",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // MARK: Core API messages served by the host itself (host status, directory).
        .target(
            name: "XinyuCoreAPI",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        // MARK: CSV reading with encoding detection (UTF-8, UTF-8 BOM, GBK).
        .target(name: "XinyuCSV"),
        // MARK: Crisis core: screening scores, warning policy, provincial export. Pure, no I/O.
        .target(
            name: "XinyuCrisisCore",
            dependencies: ["XinyuCSV", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        // MARK: Directory: schools, classes, students, guardians, staff. Runs inside the host.
        .target(
            name: "XinyuDirectory",
            dependencies: [
                "XinyuPluginSDK", "XinyuCoreAPI", "XinyuCSV",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // MARK: The host: config, supervisor, router, listeners, outbox delivery.
        .target(
            name: "XinyuHost",
            dependencies: [
                "XinyuWire", "XinyuRPC", "XinyuStore", "XinyuPluginSDK", "XinyuCoreAPI", "XinyuDirectory", "XinyuAudit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "XinyuHostMain",
            dependencies: [
                "XinyuHost",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "XinyuCLI",
            dependencies: [
                "XinyuClient", "XinyuCoreAPI", "XinyuCrisisAPI", "XinyuWire", "XinyuCSV",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),

        // MARK: Crisis plugin: screening, three-level warnings, cases and plans (xinyu-plugin-crisis).
        .target(
            name: "XinyuCrisisAPI",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            path: "Plugins/Crisis/API"
        ),
        .target(
            name: "XinyuCrisis",
            dependencies: [
                "XinyuPluginSDK", "XinyuCrisisAPI", "XinyuCrisisCore", "XinyuCSV",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            path: "Plugins/Crisis/Sources"
        ),
        .executableTarget(name: "CrisisPluginMain", dependencies: ["XinyuCrisis", "XinyuPluginSDK"], path: "Plugins/Crisis/Main"),

        // MARK: Test fixtures: two small plugins that exercise every SDK feature end to end.
        .target(
            name: "XinyuFixtureAPI",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            path: "Tests/Fixtures/FixtureAPI"
        ),
        .executableTarget(
            name: "ProbePlugin",
            dependencies: [
                "XinyuPluginSDK", "XinyuFixtureAPI", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/Fixtures/ProbePlugin"
        ),
        .executableTarget(
            name: "TallyPlugin",
            dependencies: ["XinyuPluginSDK", "XinyuFixtureAPI", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Tests/Fixtures/TallyPlugin"
        ),

        // MARK: Tests
        .testTarget(
            name: "XinyuWireTests",
            dependencies: [
                "XinyuWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "XinyuCSVTests", dependencies: ["XinyuCSV"]),
        .testTarget(name: "XinyuCrisisCoreTests", dependencies: ["XinyuCrisisCore"]),
        .testTarget(
            name: "XinyuDirectoryTests",
            dependencies: [
                "XinyuDirectory", "XinyuPluginSDK", "XinyuCoreAPI", "XinyuStore", "XinyuWire", "XinyuRPC",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "XinyuPluginSDKTests",
            dependencies: [
                "XinyuPluginSDK", "XinyuStore", "XinyuWire", "XinyuRPC",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "XinyuCrisisTests",
            dependencies: [
                "XinyuCrisis", "XinyuCrisisAPI", "XinyuCrisisCore", "XinyuDirectory", "XinyuPluginSDK", "XinyuStore", "XinyuWire", "XinyuRPC",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .testTarget(
            name: "XinyuStoreTests",
            dependencies: ["XinyuStore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "XinyuAuditTests",
            dependencies: [
                "XinyuAudit", "XinyuStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "XinyuHostTests",
            dependencies: [
                "XinyuHost", "XinyuStore", "XinyuPluginSDK", "XinyuWire",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "XinyuEndToEndTests",
            dependencies: [
                "XinyuClient", "XinyuCoreAPI", "XinyuCrisisAPI", "XinyuFixtureAPI", "XinyuWire", "XinyuHost",
                "XinyuAudit", "XinyuStore",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "XinyuTLSTests",
            dependencies: [
                "XinyuRPC", "XinyuWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
    ]
)

