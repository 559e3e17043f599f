import Foundation
import XinyuCoreAPI
import XinyuPluginSDK

/// `xinyu.host.v1.Host`: the host's own status, its plugins and the methods it routes.
struct HostStatusService: Sendable {
    static let version = "0.1.0"
    let table: @Sendable () -> RoutingTable?
    let startedAt: Date
    let databasePath: String
    let inFlight: @Sendable (String) -> UInt32
    /// Whether the database takes writes (a full disk is shown in Status and Health).
    let storage: StorageCondition

    func register(_ registry: inout ServiceRegistry) {
        registry.service("xinyu.host.v1.Host") { s in
            s.unary("Status", permission: "host.status") { (_: Xinyu_Host_V1_StatusRequest, _) in self.status() }
            s.unary("ListMethods", permission: "") { (_: Xinyu_Host_V1_ListMethodsRequest, _) in self.listMethods() }
            s.unary("Health", permission: "") { (_: Xinyu_Host_V1_HealthRequest, _) in self.health() }
        }
    }

    private func status() -> Xinyu_Host_V1_StatusResponse {
        var response = Xinyu_Host_V1_StatusResponse()
        response.hostVersion = Self.version
        response.startedAtMs = Int64(startedAt.timeIntervalSince1970 * 1000)
        response.uptimeMs = Int64(Date().timeIntervalSince(startedAt) * 1000)
        response.databasePath = databasePath
        response.plugins = (table()?.records ?? []).map { record in
            var p = Xinyu_Host_V1_PluginStatus()
            p.name = record.name
            p.state = record.state.rawValue
            p.version = record.version
            p.pid = record.pid
            p.uptimeMs = record.readySince.map { Int64(Date().timeIntervalSince($0) * 1000) } ?? 0
            p.restarts = record.restarts
            p.lastError = record.lastError
            p.services = record.manifest?.services.map(\.name) ?? []
            p.schemaVersion = record.manifest?.schemaVersion ?? 0
            p.inFlightCalls = inFlight(record.name)
            p.unresponsiveMs = record.unresponsiveSince.map { max(0, Int64(Date().timeIntervalSince($0) * 1000)) } ?? 0
            return p
        }
        response.storage = storageStatus()
        return response
    }

    private func listMethods() -> Xinyu_Host_V1_ListMethodsResponse {
        var response = Xinyu_Host_V1_ListMethodsResponse()
        response.methods = (table()?.allMethods() ?? []).map { entry in
            var m = Xinyu_Host_V1_RoutedMethod()
            m.method = entry.method
            m.servedBy = entry.servedBy
            m.permission = entry.descriptor.permission
            m.mutates = entry.descriptor.mutates
            m.serverStreaming = entry.descriptor.serverStreaming
            m.requestType = entry.descriptor.requestType
            m.responseType = entry.descriptor.responseType
            m.available = entry.available
            return m
        }
        return response
    }

    private func health() -> Xinyu_Host_V1_HealthResponse {
        var response = Xinyu_Host_V1_HealthResponse()
        response.notReady = (table()?.records ?? []).filter { $0.state != .ready }.map { record in
            guard record.state == .degraded, let since = record.unresponsiveSince else { return "\(record.name): \(record.state.rawValue)" }
            return "\(record.name): degraded (not answering for \(String(format: "%.1f", max(0, Date().timeIntervalSince(since)))) s)"
        }
        response.storage = storageStatus()
        if response.storage.state != "ok" { response.notReady.append("storage: \(response.storage.description_p)") }
        response.status = response.notReady.isEmpty ? "serving" : "degraded"
        return response
    }

    private func storageStatus() -> Xinyu_Host_V1_StorageStatus {
        var status = Xinyu_Host_V1_StorageStatus()
        guard let full = storage.full else {
            status.state = "ok"
            status.description_p = "ok"
            return status
        }
        status.state = "full"
        status.fullSinceMs = Int64(full.since.timeIntervalSince1970 * 1000)
        status.database = full.database
        status.reportedBy = full.reportedBy
        status.refusedWrites = UInt32(clamping: full.refusedWrites)
        status.description_p = StorageCondition.describe(full)
        return status
    }
}
