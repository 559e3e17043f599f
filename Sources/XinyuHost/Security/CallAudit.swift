import Foundation
import XinyuPluginSDK
import XinyuRPC
import XinyuWire

/// What the router reports about one finished call, for the audit trail.
struct CallAudit: Sendable {

    var time: Date
    var principalID: String
    var principalKind: String
    var source: String
    var method: String
    var outcome: String
    var detail: String
    var subjects: [String]

    /// A refused handshake: nobody was identified, so no call ran.
    init(authenticationFailureFrom source: String, reason: String, time: Date = Date()) {
        self.time = time
        self.principalID = "(unauthenticated)"
        self.principalKind = "unknown"
        self.source = source
        self.method = "(handshake)"
        self.outcome = StatusCode.unauthenticated.name
        self.detail = String(reason.prefix(300))
        self.subjects = []
    }

    init(principal: Principal?, source: String, call: InboundCall, status: CallStatus, time: Date = Date()) {
        self.time = time
        self.principalID = principal?.id ?? "(unauthenticated)"
        self.principalKind = principal?.kind.rawValue ?? "unknown"
        self.source = source
        self.method = call.method
        self.outcome = status.code.name
        var notes: [String] = []
        var subjects: [String] = []
        for trailer in status.trailers {
            if trailer.key == AuditTrailer.subjects {
                subjects.append(contentsOf: trailer.value.split(separator: ",").map(String.init).filter { !$0.isEmpty })
            } else if trailer.key == AuditTrailer.note {
                notes.append(trailer.value)
            }
        }
        if principal?.kind == .plugin, let onBehalf = call.start.metadata.first(where: { $0.key == "xinyu-on-behalf-of" })?.value {
            notes.insert("on behalf of \(onBehalf)", at: 0)
        }
        self.detail = String(notes.joined(separator: "; ").prefix(500))
        // De-duplicated, order kept: a handler may report the same student twice.
        var seen = Set<String>()
        self.subjects = subjects.filter { seen.insert($0).inserted }
    }
}

/// Receives every finished call; must not block (the router calls it on the event loop).
typealias CallAuditSink = @Sendable (CallAudit) -> Void
