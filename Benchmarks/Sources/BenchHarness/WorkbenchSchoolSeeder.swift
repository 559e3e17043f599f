import Foundation
import GRDB

/// One school of 3,000 students with a morning's crisis work and a term's history, for the
/// workbench workload (ListMyWork, issue 12 §8): levels with reviews due and not yet due, cases
/// with and without owners, follow-ups done, due and upcoming, concerns open, escalated and
/// long acknowledged, pending and decided approvals, and returns applied for.
public struct WorkbenchSchoolSeeder: Sendable {
    /// The school's id ("NB-WB"): apart from the city's "NB-S…" schools.
    public static let schoolID = "NB-WB"
    /// Its full-time psych teacher, whose workbench the workload reads.
    public static let psychTeacherID = "T-NB-WB-psych"

    public struct Summary: Sendable, Codable {
        public var students = 0, levelled = 0, openCases = 0, followUps = 0, concerns = 0, approvals = 0, leaves = 0
    }

    public let students: Int
    public let seed: UInt64

    /// A school of `students` students (the issue: 3,000).
    public init(students: Int = 3_000, seed: UInt64 = 20_241_209) {
        self.students = students
        self.seed = seed
    }

    /// Seeds into `db` (the host's shared file) with `today` as the city's day ("YYYY-MM-DD").
    public func seed(_ db: Database, today: Date) throws -> Summary {
        var rng = SplitMix64(seed: seed)
        var summary = Summary()
        let now = Int64(today.timeIntervalSince1970 * 1000)
        let school = Self.schoolID
        func day(_ offset: Int) -> String {
            let formatter = DateFormatter()
            formatter.dateFormat = "yyyy-MM-dd"
            formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
            formatter.locale = Locale(identifier: "en_US_POSIX")
            return formatter.string(from: today.addingTimeInterval(Double(offset) * 86_400))
        }
        let days = Dictionary(uniqueKeysWithValues: (-60...30).map { ($0, day($0)) })

        try db.execute(sql: "INSERT INTO directory_schools (id, name, district, kind, sub_centre, updated_at_ms) VALUES (?, '宁波市工作台测试学校', '海曙区', 'junior', 0, ?)",
                       arguments: [school, now])
        try db.execute(sql: "INSERT INTO directory_staff (id, name, school_id, updated_at_ms) VALUES (?, '陈老师', ?, ?)", arguments: [Self.psychTeacherID, school, now])
        try db.execute(sql: "INSERT INTO directory_staff_roles (staff_id, role) VALUES (?, 'psych_teacher_full_time')", arguments: [Self.psychTeacherID])
        let klass = try db.makeStatement(sql: "INSERT INTO directory_classes (id, school_id, grade, name, homeroom_teacher_id, updated_at_ms) VALUES (?, ?, ?, ?, NULL, ?)")
        let student = try db.makeStatement(sql: "INSERT INTO directory_students (id, name, gender, birth_date, school_id, class_id, updated_at_ms) VALUES (?, ?, ?, '2011-05-01', ?, ?, ?)")
        let level = try db.makeStatement(sql: """
            INSERT INTO crisis_levels (student_id, school_id, class_id, level, explanation, since_day, review_due, source, updated_by, updated_at_ms)
            VALUES (?, ?, ?, ?, 'seeded', ?, ?, 'screening', 'seed', ?)
            """)
        let openCase = try db.makeStatement(sql: """
            INSERT INTO crisis_cases (student_id, school_id, class_id, level, tier, status, owner_id, opened_by, opened_at_ms, assign_due_at_ms, assigned_at_ms, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'seed', ?, ?, ?, 'seeded')
            """)
        let followUp = try db.makeStatement(sql: """
            INSERT INTO crisis_follow_ups (case_id, student_id, school_id, class_id, due_on, done_on, summary, recorded_by, recorded_at_ms, origin)
            VALUES (?, ?, ?, ?, ?, ?, '', '', 0, 'plan')
            """)
        let approval = try db.makeStatement(sql: """
            INSERT INTO crisis_approvals (case_id, student_id, school_id, class_id, subject, status, reason, requested_by, requested_at_ms)
            VALUES (?, ?, ?, ?, 'plan', ?, 'plan saved', 'staff:seed', ?)
            """)
        let concern = try db.makeStatement(sql: """
            INSERT INTO crisis_concerns (student_id, school_id, class_id, description, raised_by, raised_at_ms, acknowledge_due_ms, status, escalated_to, owner_id, centre_due_ms)
            VALUES (?, ?, ?, '情绪低落', 'staff:mentor', ?, ?, ?, ?, ?, ?)
            """)
        let leave = try db.makeStatement(sql: """
            INSERT INTO crisis_leaves (student_id, school_id, class_id, status, started_on, reason, return_applied_on, updated_at_ms) VALUES (?, ?, ?, ?, ?, '病休', ?, ?)
            """)
        let classes = (students + 44) / 45
        for c in 0..<classes { try klass.execute(arguments: ["WB-C\(c)", school, 7 + c % 3, "\(c + 1)班", now]) }
        let minute: Int64 = 60_000
        for n in 0..<students {
            let id = "WB\(n)", classID = "WB-C\(n / 45)"
            try student.execute(arguments: [id, "学生\(n)", n % 2 == 0 ? "female" : "male", school, classID, now])
            summary.students += 1
            // Per mille as in the city: 3 at level 1, 12 at level 2, 35 at level 3.
            let draw = rng.next() % 1000
            let lvl = draw < 3 ? 1 : draw < 15 ? 2 : draw < 50 ? 3 : 0
            // A term of concerns: most long acknowledged, a few waiting, a few escalated.
            if rng.next() % 10 == 0 {
                let kind = rng.next() % 20
                let status = kind == 0 ? "open" : kind == 1 ? "escalated" : "acknowledged"
                let raised = now - Int64(rng.next() % 30_000) * minute
                try concern.execute(arguments: [id, school, classID, raised, raised + 120 * minute, status,
                                                kind == 1 ? "school_psych_lead" : "", kind == 1 ? Self.psychTeacherID : "", kind == 1 ? raised + 240 * minute : 0])
                summary.concerns += 1
            }
            guard lvl > 0 else { continue }
            summary.levelled += 1
            let review = days[Int(rng.next() % 40) - 10]!   // a quarter due or overdue
            try level.execute(arguments: [id, school, classID, lvl, days[-30]!, review, now])
            if lvl == 3 && rng.next() % 10 == 0 {
                try leave.execute(arguments: [id, school, classID, "return_applied", days[-50]!, days[-1]!, now])
                summary.leaves += 1
            }
            guard lvl <= 2 else { continue }
            let assigned = rng.next() % 4 != 0
            let opened = now - Int64(rng.next() % 600) * minute
            try openCase.execute(arguments: [id, school, classID, lvl, lvl == 1 ? 2 : 1, "open", assigned ? Self.psychTeacherID : nil,
                                             opened, opened + (lvl == 1 ? 60 : 1_440) * minute, assigned ? opened : 0])
            let caseID = db.lastInsertedRowID
            summary.openCases += 1
            try approval.execute(arguments: [caseID, id, school, classID, rng.next() % 3 == 0 ? "pending" : "approved", opened])
            summary.approvals += 1
            for week in 0..<8 {
                let due = -35 + week * 7
                try followUp.execute(arguments: [caseID, id, school, classID, days[due]!, due < -3 ? days[due]! : ""])
                summary.followUps += 1
            }
        }
        return summary
    }
}
