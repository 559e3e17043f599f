import Foundation
import XinyuClient
import XinyuCoreAPI

/// The small city a soak runs on, written through the directory's ImportRoster (the API, not
/// SQL): `schools` senior schools, ten grade-10 classes each with a homeroom teacher, a psych
/// teacher per school, `studentsPerClass` students per class. And the principals that call:
/// a growth-centre account holding every plugin's permissions (city scope), each school's psych
/// teacher (school scope, to check in on duty) and a partner hospital (agency scope).
struct SoakCity: Sendable {
    let schools: Int
    let studentsPerClass: Int
    static let classesPerSchool = 10
    static let agency = "kangning"

    func schoolID(_ s: Int) -> String { "SK-\(s + 1)" }
    func classID(_ s: Int, _ c: Int) -> String { "SK-\(s + 1)-C\(c + 1)" }
    func homeroomTeacher(_ s: Int, _ c: Int) -> String { "HT-\(s + 1)-\(c + 1)" }
    func psychTeacher(_ s: Int) -> String { "PT-\(s + 1)" }
    func studentID(_ n: Int) -> String { String(format: "STU%06d", n + 1) }
    var students: Int { schools * Self.classesPerSchool * studentsPerClass }
    /// School and class of student `n`.
    func placement(ofStudent n: Int) -> (school: Int, klass: Int) {
        let classIndex = n / studentsPerClass
        return (classIndex / Self.classesPerSchool, classIndex % Self.classesPerSchool)
    }

    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高")
    static let given = Array("子涵欣怡梓轩浩宇一诺雨桐思远俊杰佳琪明轩诗涵宇航若曦")
    func name(_ n: Int) -> String {
        String(Self.surnames[n % Self.surnames.count]) + String(Self.given[(n / 7) % Self.given.count]) + String(Self.given[(n / 3) % Self.given.count])
    }

    /// The roster files, in the order they must be imported.
    var rosters: [(Xinyu_Directory_V1_RosterKind, String)] {
        var schoolsCSV = "school_id,name,district,kind\n"
        var staffCSV = "staff_id,name,school_id\n"
        var classesCSV = "class_id,school_id,grade,name,homeroom_teacher_id\n"
        var studentsCSV = "student_id,name,gender,birth_date,school_id,class_id\n"
        var guardiansCSV = "student_id,name,relation,phone\n"
        for s in 0..<schools {
            schoolsCSV += "\(schoolID(s)),宁波市第\(s + 1)高级中学,海曙区,senior\n"
            staffCSV += "\(psychTeacher(s)),\(name(s * 31 + 5))老师,\(schoolID(s))\n"
            for c in 0..<Self.classesPerSchool {
                staffCSV += "\(homeroomTeacher(s, c)),\(name(s * 17 + c))老师,\(schoolID(s))\n"
                classesCSV += "\(classID(s, c)),\(schoolID(s)),10,高一(\(c + 1))班,\(homeroomTeacher(s, c))\n"
            }
        }
        for n in 0..<students {
            let (s, c) = placement(ofStudent: n)
            studentsCSV += "\(studentID(n)),\(name(n)),\(n % 2 == 0 ? "女" : "男"),2010-\(String(format: "%02d", n % 12 + 1))-\(String(format: "%02d", n % 28 + 1)),\(schoolID(s)),\(classID(s, c))\n"
            // The mother, whose consent a referral needs (homeschool's consent registry).
            guardiansCSV += "\(studentID(n)),\(name(n + 11))母亲,母亲,139\(String(format: "%08d", n))\n"
        }
        return [(.schools, schoolsCSV), (.staff, staffCSV), (.classes, classesCSV), (.students, studentsCSV), (.guardians, guardiansCSV)]
    }

    /// Imports the rosters; fails naming the first row error.
    func importRosters(_ client: XinyuClient) async throws {
        for (kind, csv) in rosters {
            var request = Xinyu_Directory_V1_ImportRosterRequest()
            request.kind = kind
            request.csv = Data(csv.utf8)
            var imported: Int64 = -1
            for try await event in try client.stream("xinyu.directory.v1.Directory/ImportRoster", request, as: Xinyu_Directory_V1_ImportRosterEvent.self) {
                if case .report(let report)? = event.event {
                    if let error = report.errors.first { throw SoakError("roster \(kind) line \(error.line): \(error.field): \(error.problem)") }
                    imported = report.imported
                }
            }
            guard imported > 0 else { throw SoakError("roster \(kind) imported nothing") }
        }
    }

    /// Tokens of the principals the load calls as.
    struct Tokens: Sendable {
        var centre: String
        var teachers: [String]
        var agency: String
    }

    /// Creates the soak role and principals through the admin API and issues their tokens.
    func principals(_ admin: XinyuClient) async throws -> Tokens {
        var role = Xinyu_Admin_V1_CreateRoleRequest()
        role.name = "soak_all"
        role.description_p = "soak run: every plugin's permissions"
        role.permissions = ["host.status", "directory.*", "crisis.*", "training.*", "facilities.*", "homeschool.*", "partnership.*"]
        _ = try await admin.call("xinyu.admin.v1.Admin/CreateRole", role, as: Xinyu_Admin_V1_RoleRecord.self)
        func principal(_ id: String, kind: Xinyu_Admin_V1_PrincipalKind, roles: [String], scope: (String, [String]), agencyKind: String = "") async throws -> String {
            var request = Xinyu_Admin_V1_CreatePrincipalRequest()
            request.id = id
            request.kind = kind
            request.displayName = "soak \(id)"
            request.roles = roles
            request.scopes = [Xinyu_Admin_V1_Scope.with { $0.kind = scope.0; $0.ids = scope.1 }]
            request.agencyKind = agencyKind
            _ = try await admin.call("xinyu.admin.v1.Admin/CreatePrincipal", request, as: Xinyu_Admin_V1_PrincipalRecord.self)
            var issue = Xinyu_Admin_V1_IssueTokenRequest()
            issue.principalID = id
            issue.label = "soak"
            issue.validDays = 1
            return try await admin.call("xinyu.admin.v1.Admin/IssueToken", issue, as: Xinyu_Admin_V1_IssuedToken.self).token
        }
        let centre = try await principal("soak:centre", kind: .service, roles: ["soak_all"], scope: ("city", []))
        var teachers: [String] = []
        for s in 0..<schools {
            teachers.append(try await principal("staff:\(psychTeacher(s))", kind: .person, roles: ["soak_all"], scope: ("school", [schoolID(s)])))
        }
        let agency = try await principal("agency:\(Self.agency)", kind: .agency, roles: ["agency_hospital"], scope: ("agency", [Self.agency]), agencyKind: "hospital")
        return Tokens(centre: centre, teachers: teachers, agency: agency)
    }
}
