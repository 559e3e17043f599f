import GRDB
import XinyuPluginSDK
import XinyuTrainingAPI
import XinyuTrainingCore

/// ListCertificates, ListCertificateGaps: who holds which certificate, who still lacks one and
/// whose expires soon.
struct CertificateHandlers: Sendable {
    let configuration: TrainingConfiguration

    func register(_ s: inout ServiceBuilder) {
        s.unary("ListCertificates", permission: TrainingPermissions.read, handler: list)
        s.unary("ListCertificateGaps", permission: TrainingPermissions.read, handler: gaps)
    }

    @Sendable func list(_ request: Xinyu_Training_V1_ListCertificatesRequest, _ context: CallContext) async throws -> Xinyu_Training_V1_ListCertificatesResponse {
        let page = PageRequest(list: "training.certificates", filters: [request.staffID, request.schoolID],
                               size: PageRequest.clampedSize(request.limit, default: 100, maximum: 1000), token: request.pageToken)
        return try await context.store.read { db in
            var q = KeysetQuery(select: "t.*", from: "training_certificates t", orderBy: [.init("t.id", as: "id")])
            if !request.staffID.isEmpty {
                let staff = try StaffLookup.visible(db, id: request.staffID, field: "staff_id", context: context)
                q.filter("t.staff_id = ?", [staff.id])
            } else {
                let school = try RequestText.required("school_id", request.schoolID, max: 64)
                try context.requireScope(ScopeTarget(schoolID: school), what: "school \(school)", hideExistence: true)
                let ids = try context.directory.staffMembers(ofSchool: school, in: db).map(\.id)
                q.filter("t.staff_id IN (SELECT value FROM json_each(?))", [JSONArgument.strings(ids)])
            }
            let found = try q.page(db, page, as: CertificateRecord.self)
            var reply = Xinyu_Training_V1_ListCertificatesResponse()
            reply.certificates = found.items.map(\.message)
            reply.nextPageToken = found.nextPageToken
            return reply
        }
    }

    @Sendable func gaps(_ request: Xinyu_Training_V1_ListCertificateGapsRequest, _ context: CallContext) async throws -> Xinyu_Training_V1_ListCertificateGapsResponse {
        let school = try RequestText.required("school_id", request.schoolID, max: 64)
        let days = request.withinDays == 0 ? configuration.expiringWithinDays : Int(request.withinDays)
        guard (1...366).contains(days) else { throw RPCError.invalidField("within_days", "\(days) is outside 1…366") }
        let today = context.today
        return try await context.store.read { db in
            guard try context.directory.school(school, in: db) != nil else { throw RPCError(.notFound, "field school_id: no school \(school)") }
            try context.requireScope(ScopeTarget(schoolID: school), what: "school \(school)", hideExistence: true)
            let staff = try context.directory.staffMembers(ofSchool: school, in: db)
            let valid = try StatisticsHandlers.validHolders(db, today: today.description)
            var reply = Xinyu_Training_V1_ListCertificateGapsResponse()
            reply.lackingC = staff.filter { !valid.c.contains($0.id) && !valid.b.contains($0.id) }.map(\.id)
            reply.classTeachersLackingB = staff.filter { $0.roles.contains("class_teacher") && !valid.b.contains($0.id) }.map(\.id)
            reply.expiring = try CertificateRecord.fetchAll(db, sql: """
                SELECT * FROM training_certificates WHERE staff_id IN (SELECT value FROM json_each(?))
                AND expires_on <> '' AND expires_on >= ? AND expires_on <= ? ORDER BY expires_on, id
                """, arguments: [JSONArgument.strings(staff.map(\.id)), today.description, today.adding(days: days).description]).map(\.message)
            return reply
        }
    }
}
