import ArgumentParser
import BenchAPI
import BenchHarness
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import XinyuStore

/// The peer baseline: a grpc-swift-2 server (HTTP/2, plaintext) doing the crisis handlers'
/// work on the same SQLite file, with the store's ordinary one-transaction-per-write path.
@main
struct BenchGRPCPeer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-grpc-peer", abstract: "grpc-swift-2 server doing the crisis handlers' work (benchmark peer).")

    @Option(help: "Unix socket path to listen on.") var unix: String
    @Option(help: "The shared SQLite database (already migrated and seeded).") var database: String

    func run() async throws {
        let store = try SharedDatabase.open(path: database)
        let server = GRPCServer(
            transport: .http2NIOPosix(address: .unixDomainSocket(path: unix), transportSecurity: .plaintext),
            services: [PeerService(store: store)]
        )
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await server.serve() }
            if let address = try await server.listeningAddress {
                // The driver waits for this line before it connects.
                print("listening: \(address)")
                fflush(nil)
            }
        }
    }
}
