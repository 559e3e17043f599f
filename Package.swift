// swift-tools-version:6.0
// Xinyu (心育): a plugin-based modular monolith for a city's student mental-health work.
//
// Adding a domain plugin: create Plugins/<Name>/ (see docs/PLUGINS.md) and add its name to
// `domainPlugins` below. Its targets, products and the CLI's access to its messages follow.
import PackageDescription

/// The domain plugins, each a folder `Plugins/<Name>/` with the layout `domainPlugin(_:)` declares.
let domainPlugins: [String] = ["Crisis", "Training", "Homeschool", "Facilities", "Partnership"]

let nio: [Target.Dependency] = [.product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")]
let nioLocks: Target.Dependency = .product(name: "NIOConcurrencyHelpers", package: "swift-nio")
let protobuf: Target.Dependency = .product(name: "SwiftProtobuf", package: "swift-protobuf")
let grdb: Target.Dependency = .product(name: "GRDB", package: "GRDB.swift")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let crypto: Target.Dependency = .product(name: "Crypto", package: "swift-crypto")
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")
let serviceLifecycle: Target.Dependency = .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")

/// The targets of one domain plugin, all under `Plugins/<Name>/`:
///
/// | folder | target | may import |
/// | --- | --- | --- |
/// | `API/` | `Xinyu<Name>API` (generated messages) | SwiftProtobuf |
/// | `Core/` | `Xinyu<Name>Core` (pure rules: no SDK, no SQL) | Foundation, XinyuDomainKit |
/// | `Sources/` | `Xinyu<Name>` (handlers, stores, schema) | XinyuPluginSDK, its API and Core, XinyuEventsAPI, GRDB |
/// | `Main/` | `<Name>PluginMain`, the executable `xinyu-plugin-<name>` | XinyuPluginSDK, `Xinyu<Name>` |
/// | `Tests/CoreTests/` | `Xinyu<Name>CoreTests` | Core |
/// | `Tests/PluginTests/` | `Xinyu<Name>Tests`: handlers against an in-memory host | anything |
///
/// End-to-end tests (the real host and plugin processes over real sockets) live together in
/// `Tests/XinyuEndToEndTests/`, since they start the host with every plugin a flow crosses.
///
/// `scripts/check-imports.py` (run by CI) holds plugins to the "may import" column.
func domainPlugin(_ name: String) -> [Target] {
    let root = "Plugins/\(name)"
    return [
        .target(name: "Xinyu\(name)API", dependencies: [protobuf], path: "\(root)/API"),
        .target(name: "Xinyu\(name)Core", dependencies: [.byName(name: "XinyuDomainKit")], path: "\(root)/Core"),
        .target(
            name: "Xinyu\(name)",
            dependencies: [.byName(name: "XinyuPluginSDK"), .byName(name: "Xinyu\(name)API"), .byName(name: "Xinyu\(name)Core"), "XinyuEventsAPI", grdb],
            path: "\(root)/Sources"
        ),
        .executableTarget(name: "\(name)PluginMain", dependencies: [.byName(name: "Xinyu\(name)"), .byName(name: "XinyuPluginSDK")], path: "\(root)/Main"),
        .testTarget(name: "Xinyu\(name)CoreTests", dependencies: [.byName(name: "Xinyu\(name)Core"), .byName(name: "XinyuDomainKit")], path: "\(root)/Tests/CoreTests"),
        .testTarget(
            name: "Xinyu\(name)Tests",
            dependencies: [
                .byName(name: "Xinyu\(name)"), .byName(name: "Xinyu\(name)API"), .byName(name: "Xinyu\(name)Core"), "XinyuEventsAPI", "XinyuPluginSDK",
                "XinyuDirectory", "XinyuCoreAPI", "XinyuStore", "XinyuWire", "XinyuRPC", grdb, protobuf, logging, nioLocks,
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "\(root)/Tests/PluginTests"
        ),
    ]
}

func domainPluginProducts(_ name: String) -> [Product] {
    [
        .executable(name: "xinyu-plugin-\(name.lowercased())", targets: ["\(name)PluginMain"]),
        .library(name: "Xinyu\(name)API", targets: ["Xinyu\(name)API"]),
        .library(name: "Xinyu\(name)", targets: ["Xinyu\(name)"]),
    ]
}

let package = Package(
    name: "Xinyu",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "xinyu-host", targets: ["XinyuHostMain"]),
        .executable(name: "xinyu", targets: ["XinyuCLI"]),
        .library(name: "XinyuClient", targets: ["XinyuClient"]),
        .library(name: "XinyuPluginSDK", targets: ["XinyuPluginSDK"]),
        .library(name: "XinyuWire", targets: ["XinyuWire"]),
        // The shared store, for the benchmark package (Benchmarks/) that seeds and reads it directly.
        .library(name: "XinyuStore", targets: ["XinyuStore"]),
        .library(name: "XinyuRPC", targets: ["XinyuRPC"]),
        .library(name: "XinyuCoreAPI", targets: ["XinyuCoreAPI"]),
        .library(name: "XinyuEventsAPI", targets: ["XinyuEventsAPI"]),
        // CSV reading and settings as libraries, for the fuzz package (Fuzz/) that drives their parsers directly.
        .library(name: "XinyuCSV", targets: ["XinyuCSV"]),
        .library(name: "XinyuDomainKit", targets: ["XinyuDomainKit"]),
        // The directory (its roster checks) and the host (its settings readers), for the fuzz package's harnesses.
        .library(name: "XinyuDirectory", targets: ["XinyuDirectory"]),
        .library(name: "XinyuHost", targets: ["XinyuHost"]),
        // Test fixture plugins; the host finds xinyu-plugin-<name> beside itself.
        .executable(name: "xinyu-plugin-probe", targets: ["ProbePlugin"]),
        .executable(name: "xinyu-plugin-tally", targets: ["TallyPlugin"]),
    ] + domainPlugins.flatMap(domainPluginProducts),
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // The host's Prometheus metrics (docs/METRICS.md).
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // MARK: Wire: frames, envelopes, handshake. Knows no domain.
        .target(name: "XinyuWire", dependencies: [.product(name: "NIOCore", package: "swift-nio"), protobuf]),
        // MARK: RPC: multiplexed calls over one NIO connection, both directions.
        .target(
            name: "XinyuRPC",
            dependencies: ["XinyuWire", logging, crypto, nioLocks, .product(name: "NIOSSL", package: "swift-nio-ssl")] + nio
        ),
        // MARK: Store: the shared SQLite database, migrations, outbox, idempotency.
        .target(name: "XinyuStore", dependencies: [grdb, crypto]),
        // MARK: Audit: the tamper-evident, append-only trail of every call to the host.
        .target(name: "XinyuAudit", dependencies: ["XinyuStore", grdb, crypto, logging]),
        // MARK: Domain kit: calendar days, settings files, CSV. Pure; a plugin's Core may import it.
        .target(name: "XinyuDomainKit", dependencies: ["XinyuCSV", .product(name: "TOMLKit", package: "TOMLKit")]),
        // MARK: Events that more than one plugin publishes or consumes (Protos/xinyu/events/v1).
        .target(name: "XinyuEventsAPI", dependencies: [protobuf]),
        // MARK: Plugin SDK: what a domain plugin imports. Never imports the host.
        .target(
            name: "XinyuPluginSDK",
            dependencies: ["XinyuWire", "XinyuRPC", "XinyuStore", "XinyuDomainKit", protobuf, logging, grdb, nioLocks] + nio
        ),
        // MARK: Client library used by the CLI and by other Swift programs.
        .target(name: "XinyuClient", dependencies: ["XinyuWire", "XinyuRPC", protobuf, logging] + nio),
        // MARK: Core API messages served by the host itself (host status, directory, admin).
        .target(name: "XinyuCoreAPI", dependencies: [protobuf]),
        // MARK: CSV reading with encoding detection (UTF-8, UTF-8 BOM, GBK).
        .target(name: "XinyuCSV"),
        // MARK: Directory: schools, classes, students, guardians, staff. Runs inside the host.
        .target(
            name: "XinyuDirectory",
            dependencies: ["XinyuPluginSDK", "XinyuCoreAPI", "XinyuCSV", "XinyuStore", "XinyuWire", grdb]
        ),
        // MARK: Child processes: posix_spawn, reaped through a pidfd, output as lines (no Foundation Process).
        .target(name: "CXinyuChildProcess"),
        .target(name: "XinyuChildProcess", dependencies: ["CXinyuChildProcess", nioLocks]),
        // MARK: The host: config, supervisor, router, listeners, outbox delivery.
        .target(
            name: "XinyuHost",
            dependencies: [
                "XinyuWire", "XinyuRPC", "XinyuStore", "XinyuPluginSDK", "XinyuCoreAPI", "XinyuDirectory", "XinyuAudit",
                logging, grdb, crypto, nioLocks, serviceLifecycle, protobuf, "XinyuChildProcess",
                .product(name: "CoreMetrics", package: "swift-metrics"), .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ] + nio
        ),
        .executableTarget(name: "XinyuHostMain", dependencies: ["XinyuHost", argumentParser, logging, serviceLifecycle]),
        .executableTarget(
            name: "XinyuCLI",
            dependencies: ["XinyuClient", "XinyuCoreAPI", "XinyuEventsAPI", "XinyuWire", "XinyuRPC", "XinyuCSV", argumentParser, protobuf]
                + domainPlugins.map { .byName(name: "Xinyu\($0)API") }
        ),

        // MARK: Test fixtures: two small plugins that exercise every SDK feature end to end.
        .target(name: "XinyuFixtureAPI", dependencies: [protobuf], path: "Tests/Fixtures/FixtureAPI"),
        .executableTarget(
            name: "ProbePlugin",
            dependencies: ["XinyuPluginSDK", "XinyuFixtureAPI", grdb],
            path: "Tests/Fixtures/ProbePlugin"
        ),
        .executableTarget(
            name: "TallyPlugin",
            dependencies: ["XinyuPluginSDK", "XinyuFixtureAPI", grdb],
            path: "Tests/Fixtures/TallyPlugin"
        ),

        // Starts a host and holds it (then gets killed), or spawns many children, for XinyuChildProcessTests and the e2e tests.
        .executableTarget(name: "ChildProcessFixture", dependencies: ["XinyuChildProcess"], path: "Tests/ChildProcessFixture"),

        // What several test targets share: replayable randomness.
        .target(name: "XinyuTestSupport", path: "Tests/Support"),

        // MARK: Tests
        .testTarget(
            name: "XinyuWireTests",
            dependencies: [
                "XinyuWire", "XinyuTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "XinyuRPCTests",
            dependencies: [
                "XinyuRPC", "XinyuWire", logging, nioLocks,
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "XinyuCSVTests", dependencies: ["XinyuCSV", "XinyuTestSupport"]),
        .testTarget(name: "XinyuDomainKitTests", dependencies: ["XinyuDomainKit", "XinyuTestSupport"]),
        .testTarget(
            name: "XinyuDirectoryTests",
            dependencies: [
                "XinyuDirectory", "XinyuPluginSDK", "XinyuCoreAPI", "XinyuStore", "XinyuWire", "XinyuRPC",
                grdb, logging, protobuf, .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "XinyuPluginSDKTests",
            dependencies: [
                "XinyuPluginSDK", "XinyuStore", "XinyuWire", "XinyuRPC", grdb, logging, nioLocks,
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "XinyuStoreTests", dependencies: ["XinyuStore", grdb]),
        .testTarget(name: "XinyuChildProcessTests", dependencies: ["XinyuChildProcess", nioLocks]),
        .testTarget(name: "XinyuAuditTests", dependencies: ["XinyuAudit", "XinyuStore", "XinyuTestSupport", grdb, crypto, logging]),
        .testTarget(
            name: "XinyuHostTests",
            dependencies: ["XinyuHost", "XinyuCoreAPI", "XinyuStore", "XinyuPluginSDK", "XinyuWire", "XinyuRPC", grdb, logging, nioLocks, serviceLifecycle] + nio
        ),
        .testTarget(
            name: "XinyuEndToEndTests",
            dependencies: [
                "XinyuClient", "XinyuCoreAPI", "XinyuEventsAPI", "XinyuFixtureAPI", "XinyuWire", "XinyuRPC", "XinyuHost",
                "XinyuAudit", "XinyuStore", protobuf, grdb, nioLocks, "XinyuChildProcess", .product(name: "NIOCore", package: "swift-nio"),
            ] + domainPlugins.map { .byName(name: "Xinyu\($0)API") }
        ),
        .testTarget(
            name: "XinyuTLSTests",
            dependencies: ["XinyuRPC", "XinyuWire", logging, nioLocks, .product(name: "NIOSSL", package: "swift-nio-ssl")] + nio
        ),
    ] + domainPlugins.flatMap(domainPlugin)
)
