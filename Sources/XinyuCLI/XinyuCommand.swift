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
        abstract: "Operate a Xinyu (心育) host: plugins, methods, calls, the directory, administration and the audit log.",
        subcommands: [PluginsCommand.self, MethodsCommand.self, HealthCommand.self, CallCommand.self, DirectoryCommand.self,
                      AdminCommand.self, AuditCommand.self, CrisisCommand.self])
}

/// Where to reach the host; shared by every subcommand.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: "Host address: a Unix socket path, or HOST:PORT for TCP (default: $XINYU_SOCKET or var/run/xinyu.sock).")
    var socket: String?

    @Option(name: .long, help: "File holding an API token (default: $XINYU_TOKEN_FILE). $XINYU_TOKEN is read too. Without a token the local socket identifies you as the operator.")
    var tokenFile: String?

    @Option(name: .long, help: "TCP: CA certificate (PEM) that signed the host's certificate (default: $XINYU_TLS_CA).")
    var tlsCA: String?

    @Option(name: .long, help: "TCP: client certificate (PEM) for mutual TLS (default: $XINYU_TLS_CERT).")
    var tlsCert: String?

    @Option(name: .long, help: "TCP: private key (PEM) of the client certificate (default: $XINYU_TLS_KEY).")
    var tlsKey: String?

    @Flag(name: .long, help: "TCP without TLS (only a host listening on loopback with insecure_no_tls accepts this).")
    var noTLS = false

    @Option(name: .long, help: "Seconds to wait for an answer.")
    var timeout: Double = 30

    func connect() async throws -> XinyuClient {
        let environment = ProcessInfo.processInfo.environment
        let text = socket ?? environment["XINYU_SOCKET"] ?? "var/run/xinyu.sock"
        let address = try PeerAddress(parsing: text)
        let token = try readToken(environment)
        var tls: TLSClientSettings? = nil
        if case .tcp = address, !noTLS {
            // The host name (or IP address) connected to is what the certificate is checked against.
            tls = TLSClientSettings(
                trustedCAPath: tlsCA ?? environment["XINYU_TLS_CA"], certificatePath: tlsCert ?? environment["XINYU_TLS_CERT"],
                privateKeyPath: tlsKey ?? environment["XINYU_TLS_KEY"], serverName: nil)
        }
        do {
            return try await XinyuClient.connect(to: address, name: "xinyu-cli", token: token, tls: tls)
        } catch let error as RPCError where error.code == .unavailable && error.message.contains("TLS handshake failed") {
            throw CLIError("\(error.message) while connecting to \(address); give the CA that signed the host's certificate with --tls-ca (and for mutual TLS --tls-cert and --tls-key)")
        } catch let error as RPCError where error.code == .unavailable {
            throw CLIError("cannot reach the host at \(address): is xinyu-host running? (start it with scripts/run-host.sh) [\(error.message)]")
        }
    }

    /// Connects, runs `body`, and closes the client (awaited) whichever way `body` ends.
    func withClient<Result>(_ body: (XinyuClient) async throws -> Result) async throws -> Result {
        try await connect().closing(body)
    }

    /// The token from --token-file, $XINYU_TOKEN_FILE or $XINYU_TOKEN; nil for none. Never echoed.
    private func readToken(_ environment: [String: String]) throws -> String? {
        if let path = tokenFile ?? environment["XINYU_TOKEN_FILE"] {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw CLIError("cannot read the token file \(path)")
            }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return environment["XINYU_TOKEN"].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
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
