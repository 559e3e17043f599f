import ArgumentParser
import Foundation
import SwiftProtobuf
import XinyuClient
import XinyuCoreAPI

/// `xinyu call METHOD --json '{…}'`: any method, JSON in and JSON out.
struct CallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call", abstract: "Call any method with a JSON request; prints the JSON response(s).",
        discussion: "Example: xinyu call xinyu.directory.v1.Directory/ListSchools --json '{}'")

    @Argument(help: "package.Service/Method")
    var method: String

    @Option(help: "The request as protobuf JSON (default {}). Use @file to read it from a file.")
    var json: String = "{}"

    @Option(help: "Idempotency key for a mutating call: a retry with the same key changes nothing more.")
    var idempotencyKey: String?

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await runReportingErrors {
            try await connection.withClient { client in try await call(with: client) }
        }
    }

    private func call(with client: XinyuClient) async throws {
        let list = try await client.call("xinyu.host.v1.Host/ListMethods", Xinyu_Host_V1_ListMethodsRequest(), as: Xinyu_Host_V1_ListMethodsResponse.self, options: connection.callOptions)
        guard let routed = list.methods.first(where: { $0.method == method }) else {
            // Let the host say why (unknown method, or a plugin that is not enabled).
            _ = try await client.callRaw(method, request: [], options: connection.callOptions)
            throw CLIError("the host serves no method \(method); `xinyu methods` lists them")
        }
        let types = Dictionary(MessageCatalog.types.map { ($0.protoMessageName, $0) }, uniquingKeysWith: { a, _ in a })
        guard let requestType = types[routed.requestType], let responseType = types[routed.responseType] else {
            throw CLIError("this xinyu CLI does not know the messages of \(method) (\(routed.requestType)); update the CLI")
        }
        let text = json.hasPrefix("@") ? try String(contentsOfFile: String(json.dropFirst()), encoding: .utf8) : json
        let request: any SwiftProtobuf.Message
        do {
            request = try requestType.init(jsonString: text)
        } catch {
            throw CLIError("--json is not a valid \(routed.requestType): \(error)")
        }
        var options = connection.callOptions
        options.idempotencyKey = idempotencyKey
        let bytes: [UInt8] = try request.serializedBytes()
        var printOptions = JSONEncodingOptions()
        printOptions.preserveProtoFieldNames = true
        if routed.serverStreaming {
            for try await response in client.streamRaw(method, request: bytes, options: options) {
                print(try responseType.init(serializedBytes: response).jsonString(options: printOptions))
            }
        } else {
            let response = try await client.callRaw(method, request: bytes, options: options)
            print(try responseType.init(serializedBytes: response).jsonString(options: printOptions))
        }
    }
}
