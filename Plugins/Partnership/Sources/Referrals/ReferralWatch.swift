import Foundation
import GRDB
import XinyuPartnershipAPI
import XinyuPluginSDK

/// WatchReferrals: every change to the caller's referrals after a cursor, in commit order, then
/// each new one as it commits, until the caller cancels or its deadline passes.
///
/// The cursor is the change's sequence number in `partnership_referral_changes`, which grows in
/// commit order (one writer at a time), so resuming from the last cursor seen neither misses nor
/// repeats a change. Each change carries the referral as it stood after that step.
struct ReferralWatch: Sendable {
    let changes: ReferralChangeBell
    static let batch = 200

    func register(_ s: inout ServiceBuilder) {
        s.serverStreaming("WatchReferrals", permission: PartnershipPermissions.referralRead, response: Xinyu_Partnership_V1_ReferralChange.self, handler: watch)
    }

    @Sendable func watch(_ request: Xinyu_Partnership_V1_WatchReferralsRequest, _ stream: ResponseStream<Xinyu_Partnership_V1_ReferralChange>, _ context: CallContext) async throws {
        var cursor: Int64 = 0
        if !request.cursor.isEmpty {
            guard let parsed = Int64(request.cursor), parsed >= 0 else {
                throw RPCError.invalidField("cursor", "\"\(request.cursor)\" is not a cursor this stream sent")
            }
            cursor = parsed
        }
        // Listen before the first read, so a change committed between the read and the wait rings.
        var wake = await changes.listen().makeAsyncIterator()
        while true {
            try context.checkCancellation()
            let after = cursor
            let found = try await context.store.read { db in try Self.changes(after: after, db, context: context) }
            for change in found { try stream.send(change) }
            if let last = found.last { cursor = Int64(last.cursor) ?? cursor }
            if found.count == Self.batch { continue }
            guard await wake.next() != nil else { return }  // nil: the call was cancelled or its deadline passed
        }
    }

    static func changes(after cursor: Int64, _ db: Database, context: CallContext) throws -> [Xinyu_Partnership_V1_ReferralChange] {
        let scope = context.scopeFilter(ScopeColumns(school: "c.school_id", agency: "c.agency_id", student: "c.student_id"))
        let rows = try Row.fetchAll(db, sql: """
            SELECT c.seq, c.snapshot FROM partnership_referral_changes c WHERE c.seq > ? AND \(scope.sql) ORDER BY c.seq LIMIT \(batch)
            """, arguments: [cursor] + scope.arguments)
        let referrals = try rows.map { try Xinyu_Partnership_V1_Referral(serializedBytes: [UInt8](($0["snapshot"] as Data?) ?? Data())) }
        let completed = try ReferralView.complete(referrals, db, context: context)
        return zip(rows, completed).map { row, referral in
            var change = Xinyu_Partnership_V1_ReferralChange()
            change.cursor = String(row["seq"] as Int64)
            change.referral = referral
            return change
        }
    }
}
