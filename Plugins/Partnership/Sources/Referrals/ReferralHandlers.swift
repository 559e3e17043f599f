import GRDB
import XinyuPartnershipAPI
import XinyuPartnershipCore
import XinyuPluginSDK

/// Referrals as agencies and schools work them: list, read, take a step, see what is overdue.
struct ReferralHandlers: Sendable {
    let configuration: PartnershipConfiguration
    let changes: ReferralChangeBell

    func register(_ s: inout ServiceBuilder) {
        s.unary("ListReferrals", permission: PartnershipPermissions.referralRead, handler: list)
        s.unary("GetReferral", permission: PartnershipPermissions.referralRead, handler: get)
        s.unary("UpdateReferral", permission: PartnershipPermissions.referralWrite, mutates: true, handler: update)
        s.unary("ListOverdueReferrals", permission: PartnershipPermissions.referralRead, handler: overdue)
    }

    /// The columns a referral's visibility is checked against: an agency sees those sent to it,
    /// staff those of students in their scope.
    static let scopeColumns = ScopeColumns(school: "r.school_id", agency: "r.agency_id", student: "r.student_id")

    /// The referral if the caller's scopes cover it; NOT_FOUND (recorded as a scope violation in
    /// the audit trail) for one addressed to another agency or outside a school's scope.
    static func visible(_ db: Database, id: String, context: CallContext) throws -> ReferralRecord {
        guard !id.isEmpty else { throw RPCError.invalidField("referral_id", "is required") }
        guard let referral = try ReferralRecord.find(db, id: id) else { throw RPCError(.notFound, "referral \(id) not found") }
        try context.requireScope(try referral.scopeTarget(db, context: context), what: "referral \(id)", hideExistence: true, in: db)
        return referral
    }

    @Sendable func list(_ request: Xinyu_Partnership_V1_ListReferralsRequest, _ context: CallContext) async throws -> Xinyu_Partnership_V1_ListReferralsResponse {
        let status = request.status == .unspecified ? "" : try Xinyu_Partnership_V1_ReferralStatus.storedText(of: request.status, field: "status")
        let page = PageRequest(list: "partnership.referrals", filters: [status, request.openOnly ? "open" : ""],
                               size: PageRequest.clampedSize(request.limit, default: 100, maximum: 500), token: request.pageToken)
        return try await context.store.read { db in
            var q = KeysetQuery(select: "r.*", from: "partnership_referrals r",
                                orderBy: [.init("r.requested_at_ms", as: "at"), .init("r.id", as: "id")], descending: true)
            let scope = context.scopeFilter(Self.scopeColumns)
            q.filter(scope.sql, arguments: scope.arguments)
            if !status.isEmpty { q.filter("r.status = ?", [status]) }
            if request.openOnly {
                let open = ReferralState.allCases.filter { !$0.isFinal }.map(\.rawValue)
                q.filter("r.status IN (SELECT value FROM json_each(?))", [JSONArgument.strings(open)])
            }
            let found = try q.page(db, page, as: ReferralRecord.self)
            var reply = Xinyu_Partnership_V1_ListReferralsResponse()
            reply.referrals = try ReferralView.complete(found.items.map(\.message), db, context: context)
            reply.nextPageToken = found.nextPageToken
            return reply
        }
    }

    @Sendable func get(_ request: Xinyu_Partnership_V1_GetReferralRequest, _ context: CallContext) async throws -> Xinyu_Partnership_V1_Referral {
        try await context.store.read { db in
            let referral = try Self.visible(db, id: request.referralID, context: context)
            return try ReferralView.complete([referral.message], db, context: context)[0]
        }
    }

    /// Takes one step of the lifecycle. The agency accepts, declines, books, starts and completes;
    /// the school (any other caller) revokes or records that consent was withdrawn. A step the
    /// lifecycle does not allow is FAILED_PRECONDITION naming the allowed ones.
    @Sendable func update(_ request: Xinyu_Partnership_V1_UpdateReferralRequest, _ context: CallContext) async throws -> Xinyu_Partnership_V1_Referral {
        guard let to = request.to.state else {
            throw RPCError.invalidField("to", Xinyu_Partnership_V1_ReferralStatus.problem(request.to) ?? "is not a referral status")
        }
        let actor: ReferralActor = context.principal.kind == .agency ? .agency : .school
        let step = try ReferralStep.validate(request, to: to, configuration: configuration)
        let now = context.nowMs
        let reply = try await context.store.write { db -> Xinyu_Partnership_V1_Referral in
            let referral = try Self.visible(db, id: request.referralID, context: context)
            do {
                try ReferralLifecycle.check(from: referral.state, to: to, by: actor)
            } catch let refused as TransitionRefused {
                throw RPCError(.failedPrecondition, "referral \(referral.id): \(refused.description)")
            }
            try db.execute(sql: """
                UPDATE partnership_referrals SET status = ?, reason_code = ?, appointment_at = ?, appointment_place = ?, appointment_doctor = ?,
                       successful = ?, outcome = ?, updated_at_ms = ?, version = version + 1 WHERE id = ?
                """, arguments: [to.rawValue, step.reasonCode ?? referral.reasonCode,
                                 step.appointment?.at ?? referral.appointmentAt, step.appointment?.place ?? referral.appointmentPlace,
                                 step.appointment?.doctor ?? referral.appointmentDoctor,
                                 step.successful, step.outcome ?? referral.outcome, now, referral.id])
            if referral.state == .requested {
                _ = try context.cancelTimer(key: ReferralStore.responseTimerKey(referral.id), in: db)
            }
            let after = try ReferralStore.recordChange(db, id: referral.id, actor: context.principal.id, atMs: now, statusChanged: true, context: context)
            return try ReferralView.complete([after.message], db, context: context)[0]
        }
        await changes.ring()
        return reply
    }

    @Sendable func overdue(_ request: Xinyu_Partnership_V1_ListOverdueReferralsRequest, _ context: CallContext) async throws -> Xinyu_Partnership_V1_ListReferralsResponse {
        let now = context.nowMs
        let page = PageRequest(list: "partnership.referrals.overdue", size: PageRequest.clampedSize(request.limit, default: 100, maximum: 500), token: request.pageToken)
        return try await context.store.read { db in
            var q = KeysetQuery(select: "r.*", from: "partnership_referrals r",
                                orderBy: [.init("r.respond_by_ms", as: "due"), .init("r.id", as: "id")])
            let scope = context.scopeFilter(Self.scopeColumns)
            q.filter(scope.sql, arguments: scope.arguments)
            q.filter("r.status = 'requested' AND r.respond_by_ms <= ?", [now])
            let found = try q.page(db, page, as: ReferralRecord.self)
            var reply = Xinyu_Partnership_V1_ListReferralsResponse()
            reply.referrals = try ReferralView.complete(found.items.map { record in
                var m = record.message
                m.overdue = true
                return m
            }, db, context: context)
            reply.nextPageToken = found.nextPageToken
            return reply
        }
    }
}
