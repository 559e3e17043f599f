import GRDB
import XinyuPartnershipAPI
import XinyuPluginSDK

/// Fills in what a referral message shows beyond its row: the student's name, gender and birth
/// date and the school's name from the directory (read now, never copied into partnership's
/// tables), and whether a diagnosis summary exists.
enum ReferralView {
    static func complete(_ referrals: [Xinyu_Partnership_V1_Referral], _ db: Database, context: CallContext) throws -> [Xinyu_Partnership_V1_Referral] {
        guard !referrals.isEmpty else { return [] }
        let students = try context.directory.students(Set(referrals.map(\.studentID)), in: db)
        let schools = try context.directory.schools(Set(referrals.map(\.schoolID)), in: db)
        let summarised = Set(try String.fetchAll(db, sql: "SELECT referral_id FROM partnership_clinical_summaries WHERE referral_id IN (SELECT value FROM json_each(?))",
                                                 arguments: [JSONArgument.strings(referrals.map(\.id))]))
        context.touched(subjects: Array(Set(referrals.map(\.studentID))).sorted())
        return referrals.map { referral in
            var r = referral
            if let student = students[r.studentID] {
                r.studentName = student.name
                r.studentGender = student.gender
                r.studentBirthDate = student.birthDate
            }
            r.schoolName = schools[r.schoolID]?.name ?? ""
            r.hasClinicalSummary_p = summarised.contains(r.id)
            return r
        }
    }
}
