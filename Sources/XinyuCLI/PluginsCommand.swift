import ArgumentParser
import Foundation
import XinyuCoreAPI

/// `xinyu plugins`: each plugin's state, version, pid, uptime and restarts, and the storage
/// condition when the database's disk is full.
struct PluginsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plugins", abstract: "List plugins with state, version, pid, uptime and restarts.")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await runReportingErrors {
            let status = try await connection.withClient { client in
                try await client.call("xinyu.host.v1.Host/Status", Xinyu_Host_V1_StatusRequest(), as: Xinyu_Host_V1_StatusResponse.self, options: connection.callOptions)
            }
            print("host \(status.hostVersion), up \(Duration.milliseconds(status.uptimeMs).compact), database \(status.databasePath)")
            if status.hasStorage && status.storage.state != "ok" { print("storage: \(status.storage.description_p)") }
            if status.plugins.isEmpty {
                print("no plugins enabled (plugins.enabled in the host configuration)")
                return
            }
            var rows = [["PLUGIN", "STATE", "VERSION", "PID", "UPTIME", "RESTARTS", "LAST ERROR"]]
            for p in status.plugins {
                // "degraded 3.2s": how long it has not answered the host's pings.
                let state = p.state == "degraded" && p.unresponsiveMs > 0 ? "degraded \(Duration.milliseconds(p.unresponsiveMs).compact)" : p.state
                rows.append([p.name, state, p.version.isEmpty ? "-" : p.version, p.pid == 0 ? "-" : String(p.pid),
                             p.uptimeMs == 0 ? "-" : Duration.milliseconds(p.uptimeMs).compact, String(p.restarts),
                             p.lastError.isEmpty ? "-" : p.lastError])
            }
            print(TextTable.render(rows))
        }
    }
}

extension Duration {
    /// "3d4h", "2h05m", "4m12s", "9.3s".
    var compact: String {
        let ms = components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
        let s = ms / 1000
        switch s {
        case ..<60: return String(format: "%.1fs", Double(ms) / 1000)
        case ..<3600: return "\(s / 60)m\(String(format: "%02d", s % 60))s"
        case ..<86400: return "\(s / 3600)h\(String(format: "%02d", (s % 3600) / 60))m"
        default: return "\(s / 86400)d\((s % 86400) / 3600)h"
        }
    }
}

/// Left-aligned columns separated by two spaces, wide characters counted as two cells.
enum TextTable {
    static func render(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { cells($0[column]) }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, text in
                index == row.count - 1 ? text : text + String(repeating: " ", count: widths[index] - cells(text))
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// Display width: CJK characters take two terminal cells.
    static func cells(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 && ($1.properties.isIdeographic || (0xFF00...0xFFEF).contains($1.value)) ? 2 : 1) }
    }
}
