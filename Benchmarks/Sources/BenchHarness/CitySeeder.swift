import Foundation
import GRDB
import XinyuStore

/// Writes a city-scale data set straight into the shared database, in one transaction.
///
/// The directory (schools, staff, classes, students) always; the crisis plugin's tables
/// (levels and their history, cases, plans, follow-ups, one earlier screening round) when the
/// plugin has migrated them. Writing with GRDB instead of through the protocol keeps seeding
/// to seconds; the protocol's own write paths are what W2 and W3 measure.
///
/// The warning levels follow the spread a city typically reports after a round: about 3.5 %
/// of students at level 3, 1.2 % at level 2 and 0.3 % at level 1; every level 1–2 student has
/// an open case, most of them with an approved plan and scheduled follow-ups.
public struct CitySeeder: Sendable {
    /// What was written, and the keys the workloads draw their requests from.
    public struct Summary: Sendable, Codable {
        public var schools = 0, classes = 0, students = 0, staff = 0
        public var levelled = 0, openCases = 0, followUps = 0, screeningResults = 0
        /// Ids of open cases (W2 records follow-ups on them).
        public var openCaseIDs: [Int64] = []
        public var seconds = 0.0
    }

    public let shape: CityShape
    public let seed: UInt64

    public init(shape: CityShape, seed: UInt64 = 20_241_008) {
        self.shape = shape
        self.seed = seed
    }

    static let districts = ["海曙区", "江北区", "镇海区", "北仑区", "鄞州区", "奉化区", "余姚市", "慈溪市", "宁海县", "象山县"]
    static let kinds = ["primary", "junior", "senior", "vocational"]
    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高")
    static let given = Array("子涵欣怡梓轩浩宇一诺雨桐思远俊杰佳琪明轩诗涵宇航若曦")

    /// Seeds the database at `path` (which the host has already migrated).
    public func seed(path: String) throws -> Summary {
        let started = Date()
        let database = try SharedDatabase.open(path: path)
        var summary = try database.writeSync { db -> Summary in
            var rng = SplitMix64(seed: seed)
            var summary = Summary()
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            try seedDirectory(db, now: now, rng: &rng, summary: &summary)
            if try db.tableExists("crisis_levels") {
                try seedCrisis(db, now: now, rng: &rng, summary: &summary)
            }
            return summary
        }
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    func seedDirectory(_ db: Database, now: Int64, rng: inout SplitMix64, summary: inout Summary) throws {
        let school = try db.makeStatement(sql: "INSERT INTO directory_schools (id, name, district, kind, sub_centre, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?)")
        for s in 0..<shape.schools {
            try school.execute(arguments: [
                CityShape.schoolID(s), "宁波市第\(s + 1)学校", Self.districts[s % Self.districts.count],
                Self.kinds[s % Self.kinds.count], s % 10 == 0 ? 1 : 0, now,
            ])
        }
        let staff = try db.makeStatement(sql: "INSERT INTO directory_staff (id, name, school_id, updated_at_ms) VALUES (?, ?, ?, ?)")
        let role = try db.makeStatement(sql: "INSERT INTO directory_staff_roles (staff_id, role) VALUES (?, ?)")
        // Per school: a principal and two psychology teachers; per class: a homeroom teacher.
        for s in 0..<shape.schools {
            for (k, r) in ["principal", "psych_teacher", "psych_teacher"].enumerated() {
                let id = "T-\(CityShape.schoolID(s))-\(k)"
                try staff.execute(arguments: [id, name(&rng), CityShape.schoolID(s), now])
                try role.execute(arguments: [id, r])
                summary.staff += 1
            }
        }
        let klass = try db.makeStatement(sql: "INSERT INTO directory_classes (id, school_id, grade, name, homeroom_teacher_id, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?)")
        for c in 0..<shape.classes {
            let teacher = "T-\(CityShape.classID(c))"
            let s = shape.school(ofClass: c)
            try staff.execute(arguments: [teacher, name(&rng), CityShape.schoolID(s), now])
            try role.execute(arguments: [teacher, "homeroom_teacher"])
            summary.staff += 1
            let grade = gradeRange(school: s).lowerBound + (c / shape.schools) % gradeRange(school: s).count
            try klass.execute(arguments: [CityShape.classID(c), CityShape.schoolID(s), grade, "\(grade)年级\(c / shape.schools % 12 + 1)班", teacher, now])
        }
        let student = try db.makeStatement(sql: "INSERT INTO directory_students (id, name, gender, birth_date, school_id, class_id, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)")
        for n in 0..<shape.students {
            let c = shape.classOf(student: n)
            let birthYear = 2008 + Int(rng.next() % 10)
            try student.execute(arguments: [
                CityShape.studentID(n), name(&rng), rng.next() % 2 == 0 ? "female" : "male",
                "\(birthYear)-0\(1 + rng.next() % 9)-1\(rng.next() % 9)", CityShape.schoolID(shape.school(ofClass: c)), CityShape.classID(c), now,
            ])
        }
        summary.schools = shape.schools
        summary.classes = shape.classes
        summary.students = shape.students
    }

    func gradeRange(school s: Int) -> ClosedRange<Int> {
        switch Self.kinds[s % Self.kinds.count] {
        case "primary": 1...6
        case "junior": 7...9
        default: 10...12
        }
    }

    func name(_ rng: inout SplitMix64) -> String {
        String(Self.surnames[Int(rng.next() % UInt64(Self.surnames.count))])
            + String(Self.given[Int(rng.next() % UInt64(Self.given.count))])
            + String(Self.given[Int(rng.next() % UInt64(Self.given.count))])
    }
}
