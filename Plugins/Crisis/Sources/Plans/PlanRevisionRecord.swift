import GRDB
import XinyuPluginSDK
import XinyuCrisisCore

/// A row of `crisis_plan_revisions`: one saved version of a case's plan. The one decoding of that table.
struct PlanRevisionRecord: Decodable, FetchableRecord, Sendable {
    let caseID: Int64
    let version: Int
    /// JSON array of strings (``JSONText/strings(_:)``).
    let goals: String
    /// JSON array of {description, responsible_id} (``JSONText/measures(_:)``).
    let measures: String
    /// ISO day of the first follow-up; "" for a version saved before revisions were kept.
    let followUpStart: String
    let followUpIntervalDays: Int
    let followUpCount: Int
    /// ``PlanRevisionStatus``'s stored text.
    let status: String
    let savedBy: String
    let savedAtMs: Int64
    let decidedBy: String
    let decidedAtMs: Int64
    let comment: String

    enum CodingKeys: String, CodingKey {
        case version, goals, measures, status, comment
        case caseID = "case_id"
        case followUpStart = "follow_up_start"
        case followUpIntervalDays = "follow_up_interval_days"
        case followUpCount = "follow_up_count"
        case savedBy = "saved_by"
        case savedAtMs = "saved_at_ms"
        case decidedBy = "decided_by"
        case decidedAtMs = "decided_at_ms"
    }

    /// What a reader sees of this version: everything (`full`), or no goals and only the
    /// measures `staffID` is responsible for.
    func content(full: Bool, staffID: String) -> PlanContent {
        PlanContent(
            goals: full ? JSONText.decodeStrings(goals) : [],
            measures: JSONText.decodeMeasures(measures).filter { full || $0.responsible == staffID }
                .map { PlanContent.Measure(description: $0.description, responsible: $0.responsible) },
            schedule: followUpStart.isEmpty ? "" : "every \(followUpIntervalDays) days × \(followUpCount) from \(followUpStart)")
    }
}

/// The fate of a plan version (`crisis_plan_revisions.status`; a string in the API).
enum PlanRevisionStatus: String, CaseIterable, StoredEnum {
    case pendingApproval = "pending_approval"
    case approved
    case rejected
    /// Saved again before anyone decided this version.
    case superseded
}
