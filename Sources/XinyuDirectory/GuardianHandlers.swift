import GRDB
import XinyuCoreAPI
import XinyuPluginSDK
import XinyuWire

/// CreateGuardian, UpdateGuardian, ListGuardians. The student a guardian belongs to is the
/// data subject reported through `touched(subjects:)`.
enum GuardianHandlers {
    static func register(_ service: inout ServiceBuilder) {
        service.unary("CreateGuardian", permission: DirectoryService.writePermission, mutates: true, handler: create)
        service.unary("UpdateGuardian", permission: DirectoryService.writePermission, mutates: true, handler: update)
        service.unary("ListGuardians", permission: DirectoryService.readPermission, handler: list)
    }

    @Sendable static func create(_ request: Xinyu_Directory_V1_CreateGuardianRequest, _ context: CallContext) async throws -> Xinyu_Directory_V1_Guardian {
        var guardian = request.guardian
        var problems: [FieldProblem] = []
        if guardian.id != 0 {
            problems.add("id", "is assigned by the server: leave it 0 (use UpdateGuardian to change guardian \(guardian.id))")
        }
        problems += GuardianRules.normalise(&guardian)
        try problems.throwIfAny(in: "guardian")
        let valid = guardian
        let now = context.nowMs
        let saved = try await context.store.write { db in
            try GuardianRules.referenceProblems(valid, DatabaseLookup(db: db)).throwIfAny(in: "guardian")
            if let other = try GuardianTable.id(db, studentID: valid.studentID, name: valid.name) {
                throw RPCError(.alreadyExists, "student \(valid.studentID) already has a guardian with this name (guardian \(other)); use UpdateGuardian to change it")
            }
            let id = try GuardianTable.insert(db, valid, now: now)
            return try GuardianTable.fetch(db, id: id)!
        }
        context.touched(subjects: [saved.studentID])
        context.logger.info("guardian created", metadata: ["guardian_id": "\(saved.id)"])
        return saved
    }

    @Sendable static func update(_ request: Xinyu_Directory_V1_UpdateGuardianRequest, _ context: CallContext) async throws -> Xinyu_Directory_V1_Guardian {
        var guardian = request.guardian
        var problems: [FieldProblem] = []
        if guardian.id <= 0 { problems.add("id", guardian.id == 0 ? "is required" : "\(guardian.id) is not a guardian id") }
        problems += GuardianRules.normalise(&guardian)
        try problems.throwIfAny(in: "guardian")
        let valid = guardian
        let now = context.nowMs
        let (saved, previousStudent) = try await context.store.write { db in
            guard let current = try GuardianTable.fetch(db, id: valid.id) else {
                throw RPCError(.notFound, "no guardian \(valid.id); use CreateGuardian to add one")
            }
            try GuardianRules.referenceProblems(valid, DatabaseLookup(db: db)).throwIfAny(in: "guardian")
            if let other = try GuardianTable.id(db, studentID: valid.studentID, name: valid.name), other != valid.id {
                throw RPCError(.alreadyExists, "student \(valid.studentID) already has another guardian with this name (guardian \(other))")
            }
            try GuardianTable.update(db, valid, now: now)
            return (try GuardianTable.fetch(db, id: valid.id)!, current.studentID)
        }
        // Moving a guardian to another student touches both children's records.
        context.touched(subjects: previousStudent == saved.studentID ? [saved.studentID] : [previousStudent, saved.studentID])
        context.logger.info("guardian updated", metadata: ["guardian_id": "\(saved.id)"])
        return saved
    }

    @Sendable static func list(_ request: Xinyu_Directory_V1_ListGuardiansRequest, _ context: CallContext) async throws -> Xinyu_Directory_V1_ListGuardiansResponse {
        let studentID = try RequestChecks.id("student_id", request.studentID)
        let placement = try await context.store.read { db -> [String?]? in
            try Row.fetchOne(db, sql: "SELECT school_id, class_id FROM directory_students WHERE id = ?", arguments: [studentID])
                .map { [$0["school_id"], $0["class_id"]] }
        }
        guard let placement else { throw RPCError(.notFound, "student \(studentID) not found") }
        try context.requireScope(ScopeTarget(schoolID: placement[0], classID: placement[1], studentID: studentID),
                                 what: "student \(studentID)", hideExistence: true)
        let guardians = try await context.store.read { db in
            try GuardianTable.list(db, studentID: studentID)
        }
        context.touched(subjects: [studentID])
        var response = Xinyu_Directory_V1_ListGuardiansResponse()
        response.guardians = guardians
        return response
    }
}
