import ArgumentParser
import Foundation
import XinyuClient
import XinyuRPC
import XinyuWire

/// `xinyu`: the operator's command line for a Xinyu host.
@main
struct XinyuCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xinyu",
        abstract: "Operate a Xinyu (心育) host: plugins, methods, calls and the directory.",
        subcommands: [PluginsCommand.self, MethodsCommand.self, HealthCommand.self, CallCommand.self, DirectoryCommand.self])
}

/// Where to reach the host; shared by every subcommand.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: "Host address: unix:/path or a socket path (default: $XINYU_SOCKET or var/run/xinyu.sock).")
    var socket: String?

    @Option(name: .long, help: "Seconds to wait for an answer.")
    var timeout: Double = 30

    func connect() async throws -> XinyuClient {
        let text = socket ?? ProcessInfo.processInfo.environment["XINYU_SOCKET"] ?? "var/run/xinyu.sock"
        let address = try PeerAddress(parsing: text)
        do {
            return try await XinyuClient.connect(to: address, name: "xinyu-cli")
        } catch let error as RPCError where error.code == .unavailable {
            throw CLIError("cannot reach the host at \(address): is xinyu-host running? (start it with scripts/run-host.sh)")
        }
    }

    var callOptions: CallOptions { CallOptions(timeout: .milliseconds(Int64(timeout * 1000))) }
}

/// An error the CLI prints as one line and exits non-zero with.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs a command body, turning call errors into a clear line on stderr and exit code 1.
func runReportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as RPCError {
        FileHandle.standardError.write(Data("error: \(error.code.name): \(error.message)\n".utf8))
        throw ExitCode(1)
    } catch let error as CLIError {
        FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
        throw ExitCode(1)
    }
}
