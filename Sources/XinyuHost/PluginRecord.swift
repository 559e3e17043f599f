import Foundation
import XinyuRPC
import XinyuWire

/// What the host knows about one plugin at this moment.
struct PluginRecord: Sendable {
    enum State: String, Sendable {
        case starting, ready, restarting, failed, stopped, disabled
        /// Connected but not answering pings (``PluginLivenessMonitor``): new calls fail fast.
        case degraded
    }

    let name: String
    var state: State = .starting
    var version = ""
    var pid: Int32 = 0
    var readySince: Date?
    var restarts: UInt32 = 0
    var lastError = ""
    var manifest: Xinyu_Wire_V1_PluginManifest?
    var connection: RPCConnection?
    /// When the plugin will next be started, while restarting.
    var nextStart: Date?
    /// Since when it has not answered pings, while degraded.
    var unresponsiveSince: Date?
}
