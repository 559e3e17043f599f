// swift-tools-version:6.0
// Xinyu benchmarks (issue 5): a separate package so that the main build and CI do not pay for
// gRPC. Depends on the main package by path for the client, wire codec and store.
import PackageDescription

let package = Package(
    name: "XinyuBenchmarks",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "xinyu-bench", targets: ["XinyuBench"]),
        .executable(name: "bench-floor", targets: ["BenchFloor"]),
        .executable(name: "bench-grpc-peer", targets: ["BenchGRPCPeer"]),
        .executable(name: "xinyu-soak", targets: ["XinyuSoak"]),
    ],
    dependencies: [
        // Named, because a path dependency is otherwise known by its folder name (wt-bench, xinyu, …).
        .package(name: "Xinyu", path: ".."),
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.1"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        // MARK: Messages and gRPC stubs of the peer's bench.proto (generated, committed).
        .target(
            name: "BenchAPI",
            dependencies: [
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
            ]
        ),
        // MARK: Shared by the driver and the servers: handler work, seeding, histograms, RSS.
        .target(
            name: "BenchHarness",
            dependencies: [
                .product(name: "XinyuStore", package: "Xinyu"),
                .product(name: "XinyuWire", package: "Xinyu"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .executableTarget(
            name: "XinyuBench",
            dependencies: [
                "BenchAPI", "BenchHarness",
                .product(name: "XinyuClient", package: "Xinyu"),
                .product(name: "XinyuRPC", package: "Xinyu"),
                .product(name: "XinyuCoreAPI", package: "Xinyu"),
                .product(name: "XinyuPluginSDK", package: "Xinyu"),
                .product(name: "XinyuCrisis", package: "Xinyu"),
                .product(name: "XinyuCrisisAPI", package: "Xinyu"),
                .product(name: "XinyuTrainingAPI", package: "Xinyu"),
                .product(name: "XinyuHomeschoolAPI", package: "Xinyu"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "XinyuWire", package: "Xinyu"),
                .product(name: "XinyuStore", package: "Xinyu"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // MARK: Floor: Xinyu frames echoed back by plain NIO, no routing, no work.
        .executableTarget(
            name: "BenchFloor",
            dependencies: [
                .product(name: "XinyuWire", package: "Xinyu"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // MARK: Peer: a grpc-swift-2 server (HTTP/2) doing the same handler work.
        .executableTarget(
            name: "BenchGRPCPeer",
            dependencies: [
                "BenchAPI", "BenchHarness",
                .product(name: "XinyuStore", package: "Xinyu"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // MARK: Soak: minutes of mixed load on every plugin; RSS and throughput over time (scripts/soak.sh).
        .executableTarget(
            name: "XinyuSoak",
            dependencies: [
                "BenchHarness",
                .product(name: "XinyuClient", package: "Xinyu"),
                .product(name: "XinyuRPC", package: "Xinyu"),
                .product(name: "XinyuCoreAPI", package: "Xinyu"),
                .product(name: "XinyuCrisisAPI", package: "Xinyu"),
                .product(name: "XinyuTrainingAPI", package: "Xinyu"),
                .product(name: "XinyuFacilitiesAPI", package: "Xinyu"),
                .product(name: "XinyuHomeschoolAPI", package: "Xinyu"),
                .product(name: "XinyuPartnershipAPI", package: "Xinyu"),
                .product(name: "XinyuWire", package: "Xinyu"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ]
)
