import BenchHarness
import Foundation
import NIOCore
import XinyuRPC
import XinyuClient
import XinyuCoreAPI
import XinyuHomeschoolAPI
import XinyuTrainingAPI

/// Seeds a city for the training and homeschool workloads (W6, W7) through the host's public
/// methods only: the directory's `ImportRoster` (schools, staff, classes, students, as a city's
/// roster files arrive), then the plugins' own methods (certificate import, courses, enrolment,
/// attendance and completion, `BuildGrid`, which writes the heart grids through the directory's
/// `SetGrid`, and `RecordVisit`). Nothing here writes a table with SQL.
///
/// Shape, per school (the issue's 200,000 students and 12,000 staff over 150 schools): a
/// principal; two full-time psych teachers except in every tenth school (which the statistics
/// list as without one); a class teacher per class who is also a mentor; the rest mentors or,
/// one in five, subject teachers only. About 80 % of staff hold a valid C or B certificate,
/// some expired, some expiring soon; a quarter completed a training session this year; every
/// school's grid is built at 1:15; three students in four had their home visit this year.
struct PluginCity: Sendable {
    let shape: CityShape
    /// Staff across the city (12,000 for 200,000 students).
    let staff: Int

    /// What was seeded and how long each part took.
    struct Summary: Sendable, Codable {
        var schools = 0, classes = 0, students = 0, staff = 0, certificates = 0, completions = 0, gridStudents = 0, visits = 0
        var seconds: [String: Double] = [:]
        var line: String {
            let parts = seconds.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.1f", $0.value)) s" }.joined(separator: ", ")
            return "\(schools) schools, \(classes) classes, \(students) students, \(staff) staff, \(certificates) certificates, "
                + "\(completions) completions, \(gridStudents) students in grids, \(visits) home visits (\(parts))"
        }
    }

    init(shape: CityShape) {
        self.shape = shape
        staff = max(shape.schools * 8, shape.students * 12_000 / 200_000)
    }

    var staffPerSchool: Int { max(staff / shape.schools, classesPerSchool + 8) }
    var classesPerSchool: Int { (shape.classes + shape.schools - 1) / shape.schools }

    static func staffID(school s: Int, _ k: Int) -> String { "T-\(CityShape.schoolID(s))-\(k)" }

    /// The classes of school `s` in order (classes are dealt to schools in turn).
    func classes(ofSchool s: Int) -> [Int] { Array(stride(from: s, to: shape.classes, by: shape.schools)) }

    /// Roles of staff member `k` of school `s`; class teachers are k = 3 …
    func roles(school s: Int, _ k: Int, classes: Int) -> [String] {
        switch k {
        case 0: return ["principal"]
        case 1, 2: return s % 10 == 9 ? ["subject_teacher", "mentor"] : ["psych_teacher_full_time"]
        case 3..<(3 + classes): return ["class_teacher", "mentor"]
        default: return k % 5 == 0 ? ["subject_teacher"] : ["mentor"]
        }
    }

    /// Seeds everything; `operatorClient` imports the roster, `seeder` (class teacher and
    /// growth centre, city scope) calls the plugins.
    func seed(operatorClient: XinyuClient, seeder: @escaping @Sendable () async throws -> XinyuClient, today: String) async throws -> Summary {
        var summary = Summary()
        var t0 = Date()
        try await importRosters(operatorClient, &summary)
        summary.seconds["directory import"] = Date().timeIntervalSince(t0)
        let clients = try await (0..<8).asyncMap { _ in try await seeder() }
        defer { Task { for c in clients { await c.close() } } }
        t0 = Date()
        summary.certificates = try await importCertificates(clients[0], today: today)
        summary.completions = try await trainSessions(clients, today: today)
        summary.seconds["training"] = Date().timeIntervalSince(t0)
        t0 = Date()
        summary.gridStudents = try await buildGrids(clients)
        summary.seconds["grids"] = Date().timeIntervalSince(t0)
        t0 = Date()
        summary.visits = try await recordVisits(clients, today: today)
        summary.seconds["home visits"] = Date().timeIntervalSince(t0)
        return summary
    }

    // MARK: The directory, through ImportRoster

    func importRosters(_ client: XinyuClient, _ summary: inout Summary) async throws {
        let kinds = ["primary", "junior", "senior", "vocational"]
        var schools = ["school_id,name,district,kind"]
        for s in 0..<shape.schools { schools.append("\(CityShape.schoolID(s)),宁波市第\(s + 1)学校,\(Self.districts[s % Self.districts.count]),\(kinds[s % 4])") }
        try await Self.importRoster(client, .schools, schools)
        var staffRows = ["staff_id,name,school_id,roles"]
        var rng = SplitMix64(seed: 2026)
        for s in 0..<shape.schools {
            let n = classes(ofSchool: s).count
            for k in 0..<staffPerSchool {
                staffRows.append("\(Self.staffID(school: s, k)),\(Self.name(&rng)),\(CityShape.schoolID(s)),\(roles(school: s, k, classes: n).joined(separator: ";"))")
            }
        }
        for chunk in staffRows.dropFirst().chunked(20_000) { try await Self.importRoster(client, .staff, [staffRows[0]] + chunk) }
        var classRows = ["class_id,school_id,grade,name,homeroom_teacher_id"]
        for s in 0..<shape.schools {
            let grades: ClosedRange<Int> = kinds[s % 4] == "primary" ? 1...6 : kinds[s % 4] == "junior" ? 7...9 : 10...12
            for (j, c) in classes(ofSchool: s).enumerated() {
                let grade = grades.lowerBound + j % grades.count
                classRows.append("\(CityShape.classID(c)),\(CityShape.schoolID(s)),\(grade),\(j / grades.count + 1)班,\(Self.staffID(school: s, 3 + j))")
            }
        }
        try await Self.importRoster(client, .classes, classRows)
        var studentRows = ["student_id,name,gender,birth_date,school_id,class_id"]
        for n in 0..<shape.students {
            let c = shape.classOf(student: n)
            let year = 2008 + Int(rng.next() % 10)
            studentRows.append("\(CityShape.studentID(n)),\(Self.name(&rng)),\(rng.next() % 2 == 0 ? "女" : "男"),\(year)-0\(1 + rng.next() % 9)-1\(rng.next() % 9),"
                               + "\(CityShape.schoolID(shape.school(ofClass: c))),\(CityShape.classID(c))")
        }
        // Files of 25,000 rows keep each request well under the host's 4 MiB frame limit.
        for chunk in studentRows.dropFirst().chunked(25_000) { try await Self.importRoster(client, .students, [studentRows[0]] + chunk) }
        summary.schools = shape.schools
        summary.classes = shape.classes
        summary.students = shape.students
        summary.staff = staffRows.count - 1
    }

    static func importRoster(_ client: XinyuClient, _ kind: Xinyu_Directory_V1_RosterKind, _ lines: [String]) async throws {
        var request = Xinyu_Directory_V1_ImportRosterRequest()
        request.kind = kind
        request.csv = Data(lines.joined(separator: "\n").utf8)
        var options = CallOptions()
        options.timeout = .seconds(600)
        var report: Xinyu_Directory_V1_ImportReport?
        for try await event in try client.stream("xinyu.directory.v1.Directory/ImportRoster", request, as: Xinyu_Directory_V1_ImportRosterEvent.self, options: options) {
            if case .report(let r)? = event.event { report = r }
        }
        guard let report, !report.nothingChanged, report.imported == lines.count - 1 else {
            throw BenchError("roster import (\(kind)) failed: \(report.map { "\($0.imported) of \(lines.count - 1) imported; \($0.errors.prefix(3))" } ?? "no report")")
        }
    }

    // MARK: Training, through the plugin's methods

    func importCertificates(_ client: XinyuClient, today: String) async throws -> Int {
        var rows: [String] = []
        for s in 0..<shape.schools {
            let n = classes(ofSchool: s).count
            for k in 0..<staffPerSchool {
                let id = Self.staffID(school: s, k)
                let roll = (s * 131 + k * 17) % 100
                let classTeacher = (3..<(3 + n)).contains(k)
                // Class teachers: 70 % B; others: 80 % C; of those, one in ten expired, one in ten expiring soon.
                guard roll < (classTeacher ? 70 : 80) else { continue }
                let expires = roll % 10 == 1 ? "2025-06-30" : roll % 10 == 2 ? Self.daysAfter(today, 45) : ""
                rows.append("\(id),\(classTeacher ? "B" : "C"),BENCH-\(s)-\(k),2024-03-01,\(expires)")
            }
        }
        for chunk in rows.chunked(5_000) {
            var request = Xinyu_Training_V1_ImportCertificatesRequest()
            request.csv = Data((["staff_id,level,number,issued_on,expires_on"] + chunk).joined(separator: "\n").utf8)
            var options = CallOptions()
            options.timeout = .seconds(600)
            var report: Xinyu_Training_V1_ImportReport?
            for try await event in try client.stream("xinyu.training.v1.Training/ImportCertificates", request, as: Xinyu_Training_V1_ImportCertificatesEvent.self, options: options) {
                if case .report(let r)? = event.event { report = r }
            }
            guard let report, !report.nothingChanged else { throw BenchError("certificate import failed: \(report.map { "\($0.errors.prefix(3))" } ?? "no report")") }
        }
        return rows.count
    }

    /// A quarter of the staff enrol in a themed training session today, attend and complete it.
    func trainSessions(_ clients: [XinyuClient], today: String) async throws -> Int {
        let trainees = (0..<shape.schools).flatMap { s in (0..<staffPerSchool).filter { $0 % 4 == 1 }.map { Self.staffID(school: s, $0) } }
        var course = Xinyu_Training_V1_CreateCourseRequest()
        course.kind = .themed
        course.title = "心理健康教育专题培训"
        let created = try await clients[0].call("xinyu.training.v1.Training/CreateCourse", course, as: Xinyu_Training_V1_Course.self)
        let perSession = 500
        var sessions: [Int64] = []
        for _ in stride(from: 0, to: trainees.count, by: perSession) {
            var session = Xinyu_Training_V1_CreateSessionRequest()
            session.courseID = created.id
            session.startsOn = today
            session.endsOn = today
            session.place = "宁波市学生成长指导中心"
            session.trainer = "市心理教研员"
            session.capacity = Int32(perSession)
            session.hours = 12
            sessions.append(try await clients[0].call("xinyu.training.v1.Training/CreateSession", session, as: Xinyu_Training_V1_Session.self).id)
        }
        let sessionIDs = sessions
        try await concurrently(trainees.count, clients) { client, i in
            var enrol = Xinyu_Training_V1_EnrolRequest()
            enrol.sessionID = sessionIDs[i / perSession]
            enrol.staffID = trainees[i]
            _ = try await client.call("xinyu.training.v1.Training/Enrol", enrol, as: Xinyu_Training_V1_Enrolment.self)
        }
        for (index, session) in sessions.enumerated() {
            var attendance = Xinyu_Training_V1_RecordAttendanceRequest()
            attendance.sessionID = session
            attendance.day = today
            attendance.staffIds = Array(trainees[(index * perSession)..<min(trainees.count, (index + 1) * perSession)])
            _ = try await clients[0].call("xinyu.training.v1.Training/RecordAttendance", attendance, as: Xinyu_Training_V1_RecordAttendanceResponse.self)
        }
        try await concurrently(trainees.count, clients) { client, i in
            var complete = Xinyu_Training_V1_CompleteRequest()
            complete.sessionID = sessionIDs[i / perSession]
            complete.staffID = trainees[i]
            _ = try await client.call("xinyu.training.v1.Training/Complete", complete, as: Xinyu_Training_V1_Completion.self)
        }
        return trainees.count
    }

    /// Every school's heart grid, built by the plugin (which writes it through SetGrid).
    func buildGrids(_ clients: [XinyuClient]) async throws -> Int {
        let placed = Counter()
        try await concurrently(shape.schools, Array(clients.prefix(2))) { client, s in
            var build = Xinyu_Training_V1_BuildGridRequest()
            build.schoolID = CityShape.schoolID(s)
            build.reason = "学期初建网格"
            var options = CallOptions()
            options.timeout = .seconds(300)
            let report = try await client.call("xinyu.training.v1.Training/BuildGrid", build, as: Xinyu_Training_V1_GridBuildReport.self, options: options)
            placed.add(Int(report.students - report.unassigned))
        }
        return placed.value
    }

    /// Three students in four visited at home this school year.
    func recordVisits(_ clients: [XinyuClient], today: String) async throws -> Int {
        let visited = (0..<shape.students).filter { $0 % 4 != 3 }
        try await concurrently(visited.count, clients, inFlight: 8) { client, i in
            var visit = Xinyu_Homeschool_V1_RecordVisitRequest()
            visit.studentID = CityShape.studentID(visited[i])
            visit.visitedOn = today
            visit.mode = i % 5 == 0 ? .online : .inPerson
            visit.met = ["母亲"]
            visit.notes = "了解学生在家情况"
            _ = try await client.call("xinyu.homeschool.v1.Homeschool/RecordVisit", visit, as: Xinyu_Homeschool_V1_Visit.self)
        }
        return visited.count
    }

    // MARK: Helpers

    /// Runs `body` for 0..<count with `inFlight` calls in flight per client; the first error ends it.
    func concurrently(_ count: Int, _ clients: [XinyuClient], inFlight: Int = 4, _ body: @escaping @Sendable (XinyuClient, Int) async throws -> Void) async throws {
        let next = Counter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for slot in 0..<(clients.count * inFlight) {
                let client = clients[slot % clients.count]
                group.addTask {
                    while true {
                        let i = next.take()
                        guard i < count else { return }
                        try await body(client, i)
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    static let districts = ["海曙区", "江北区", "镇海区", "北仑区", "鄞州区", "奉化区", "余姚市", "慈溪市", "宁海县", "象山县"]
    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高")
    static let given = Array("子涵欣怡梓轩浩宇一诺雨桐思远俊杰佳琪明轩诗涵宇航若曦")

    static func name(_ rng: inout SplitMix64) -> String {
        String(Self.surnames[Int(rng.next() % UInt64(Self.surnames.count))])
            + String(Self.given[Int(rng.next() % UInt64(Self.given.count))])
            + String(Self.given[Int(rng.next() % UInt64(Self.given.count))])
    }

    /// ISO day `days` after `day`.
    static func daysAfter(_ day: String, _ days: Int) -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        f.locale = Locale(identifier: "en_US_POSIX")
        guard let date = f.date(from: day) else { return day }
        return f.string(from: date.addingTimeInterval(Double(days) * 86_400))
    }

    /// Today in the city's calendar (Asia/Shanghai), as the plugins see it.
    static func today() -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        f.locale = Locale(identifier: "en_US_POSIX")
        return f.string(from: Date())
    }
}

/// A counter shared by tasks.
final class Counter: @unchecked Sendable {
    // Safe: `count` is read and written only inside `lock.withLock`.
    private let lock = NSLock()
    private var count = 0
    /// The next index (0, 1, 2 …).
    func take() -> Int { lock.withLock { defer { count += 1 }; return count } }
    func add(_ n: Int) { lock.withLock { count += n } }
    var value: Int { lock.withLock { count } }
}

extension Array {
    /// The array in consecutive pieces of at most `size` elements.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min(count, $0 + size)] }
    }
}

extension ArraySlice {
    /// The slice in consecutive pieces of at most `size` elements.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: startIndex, to: endIndex, by: size).map { self[$0..<Swift.min(endIndex, $0 + size)] }
    }
}

extension Sequence {
    /// Maps with an async transform, one element after another.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for e in self { out.append(try await transform(e)) }
        return out
    }
}
