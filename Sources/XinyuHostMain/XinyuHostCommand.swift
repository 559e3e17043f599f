import ArgumentParser
import Foundation
import Logging
import XinyuHost

/// `xinyu-host`: runs the Xinyu host service in the foreground.
@main
struct XinyuHostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xinyu-host",
        abstract: "Runs the Xinyu (心育) host: the shared database, the plugins and the operator socket.",
        discussion: "Stops gracefully on SIGTERM or SIGINT: clients get go_away, calls in flight finish, plugins stop.")

    @Option(name: .shortAndLong, help: "Configuration file (TOML). Without it the built-in defaults apply (see Config/xinyu.toml).")
    var config: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    @Flag(help: "Stop gracefully when standard input reaches end of file: for a parent process (a supervisor, a test harness) that holds the other end of a pipe, so the host never outlives it.")
    var stopAtStdinEOF = false

    func run() async throws {
        // Everything the host and its plugins create (the database, its WAL, keys, tokens,
        // sockets) holds or guards children's sensitive data: owner-only, always.
        umask(0o077)
        // A write to a plugin that has just exited must fail with EPIPE, not kill the host.
        signal(SIGPIPE, SIG_IGN)
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "xinyu.host")
        let configuration: HostConfiguration
        let server: HostServer
        do {
            configuration = try config.map(HostConfiguration.load(path:)) ?? HostConfiguration()
            server = try HostServer(configuration: configuration, configurationPath: config, logger: logger)
        } catch let error as ConfigurationError {
            FileHandle.standardError.write(Data("xinyu-host: configuration error: \(error.description)\n".utf8))
            throw ExitCode(78)
        }
        do {
            // SIGTERM and SIGINT start a graceful shutdown of the host's service group.
            try await server.run(handleSignals: true, stopAtStandardInputEOF: stopAtStdinEOF) { line in
                // Written straight to fd 1 so it is seen at once even when stdout is a pipe.
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
        } catch {
            FileHandle.standardError.write(Data("xinyu-host: cannot start: \(error)\n".utf8))
            throw ExitCode(70)
        }
    }
}
