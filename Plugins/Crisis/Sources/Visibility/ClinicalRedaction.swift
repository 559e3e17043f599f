import XinyuCrisisAPI
import XinyuPluginSDK

/// Field-level visibility of clinical content: the one rule, applied to every reply of the
/// crisis service (registered with `filterReplies` in `CrisisPlugin.register`).
///
/// A caller with `crisis.clinical.read` (psych staff, the growth centre) sees everything their
/// method and data scope allow. Anyone else who reaches a case (a class teacher 班主任, a
/// principal) sees the clinical minimum: the level, that a plan exists and its status, the
/// measures they are responsible for, and due dates. Left out (emptied):
///
/// | Message | Fields left out |
/// | --- | --- |
/// | WarningLevel | explanation (how the level was reached) |
/// | LevelChange | explanation, reason, evidence |
/// | Case / CaseEvent | reason |
/// | Plan | goals; measures of other staff (`restricted_view = true`) |
/// | FollowUp | summary |
/// | Approval | reason, comment |
/// | Referral | reason, outcome, consent_by, consent_on, consent_record, emergency_reason |
/// | Leave | reason, assessment_summary; prevention-plan measures of other staff |
/// | TimelineEntry (archive) | the clinical part of the summary (see ``timelineSummary(kind:_:)``) |
///
/// Lists and composite replies (CaseDetail, ListCasesResponse, GetArchiveResponse, …) are
/// redacted message by message. docs/CRISIS.md ("Clinical minimum") is the user-facing table.
enum ClinicalRedaction {
    /// True when `principal` sees clinical content.
    static func seesClinical(_ principal: Principal) -> Bool {
        principal.has(CrisisPermissions.clinicalRead)
    }

    /// The reply as `principal` may see it, or nil when it carries nothing clinical.
    static func redacted(_ reply: any ReplyMessage, for principal: Principal) -> (any ReplyMessage)? {
        guard var message = reply as? any ClinicallyRedactable else { return nil }
        message.redactClinical(for: Viewer(principal))
        return message
    }

    /// Who a reply is redacted for: the staff id decides which measures are "theirs".
    struct Viewer {
        let staffID: String
        init(_ principal: Principal) {
            staffID = principal.id.hasPrefix("staff:") ? String(principal.id.dropFirst("staff:".count)) : principal.id
        }
        init(staffID: String) { self.staffID = staffID }
    }

    /// An archive entry's summary without its clinical part. Summaries are written as
    /// "<what happened>: <detail>"; the detail (a level's reason, a case reason, a follow-up's
    /// summary) is clinical. A screening keeps only its instrument (the band and score are
    /// clinical), a referral only that there is one. Home visits (the homeschool plugin's own
    /// non-clinical summary), concerns, leave and plan steps are kept whole.
    static func timelineSummary(kind: String, _ summary: String) -> String {
        switch kind {
        case "visit", "concern", "leave", "plan": return summary
        case "screening": return "screening " + (summary.split(separator: " ").first.map(String.init) ?? "")
        case "referral": return "referral"
        default:
            guard let colon = summary.range(of: ": ") else { return summary }
            return String(summary[..<colon.lowerBound])
        }
    }
}

/// A crisis message with clinical fields; see ``ClinicalRedaction`` for the table.
protocol ClinicallyRedactable: ReplyMessage {
    /// Empties the clinical fields for a viewer without clinical rights.
    mutating func redactClinical(for viewer: ClinicalRedaction.Viewer)
}

extension Array where Element: ClinicallyRedactable {
    mutating func redactClinical(for viewer: ClinicalRedaction.Viewer) {
        for index in indices { self[index].redactClinical(for: viewer) }
    }
}
