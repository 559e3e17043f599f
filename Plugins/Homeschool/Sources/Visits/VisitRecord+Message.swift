import GRDB
import XinyuHomeschoolAPI
import XinyuPluginSDK

extension VisitRecord {
    /// The visit as the API sends it, without its acknowledgements (``message(_:)`` adds them).
    var message: Xinyu_Homeschool_V1_Visit {
        var v = Xinyu_Homeschool_V1_Visit()
        v.id = String(id)
        v.studentID = studentID
        v.schoolID = schoolID
        v.classID = classID
        v.status = VisitStatus(storedText: status) ?? .unspecified
        v.plannedOn = plannedOn
        v.visitedOn = visitedOn
        v.mode = VisitMode(storedText: mode) ?? .unspecified
        v.visitors = JSONList.decode(visitors)
        v.met = JSONList.decode(met)
        v.notes = notes
        v.concerns = concerns
        v.specialVisitID = specialVisitID.map(String.init) ?? ""
        v.recordedBy = recordedBy
        v.recordedAtMs = recordedAtMs
        v.crisisConcernID = crisisConcernID
        return v
    }

    /// The visit with the acknowledgements recorded on it.
    func message(_ db: Database) throws -> Xinyu_Homeschool_V1_Visit {
        var v = message
        v.acknowledgements = try AcknowledgementRecord.fetchAll(db, sql: "SELECT * FROM homeschool_acknowledgements WHERE visit_id = ? ORDER BY id",
                                                                arguments: [id]).map(\.message)
        return v
    }
}
