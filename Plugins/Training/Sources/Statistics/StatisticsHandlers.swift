import GRDB
import XinyuPluginSDK
import XinyuTrainingAPI
import XinyuTrainingCore

/// GetStatistics: certificate coverage, psych-teacher coverage, training hours, grid coverage
/// and mentor load, per school and for the city (the schools in the caller's scope).
struct StatisticsHandlers: Sendable {
    let configuration: TrainingConfiguration

    func register(_ s: inout ServiceBuilder) {
        s.unary("GetStatistics", permission: TrainingPermissions.statsRead, handler: statistics)
    }

    @Sendable func statistics(_ request: Xinyu_Training_V1_GetStatisticsRequest, _ context: CallContext) async throws -> Xinyu_Training_V1_Statistics {
        let year = request.year == 0 ? context.today.year : Int(request.year)
        guard (2000...2100).contains(year) else { throw RPCError.invalidField("year", "\(year) is outside 2000…2100") }
        let formula = configuration.assessment
        let today = context.today.description
        return try await context.store.read { db in
            var schools = try context.directory.schools(within: context.principal.scopes, in: db).map(\.id)
            if !request.schoolID.isEmpty {
                guard schools.contains(request.schoolID) else {
                    throw RPCError(.notFound, "field school_id: no school \(request.schoolID) in your data scope")
                }
                schools = [request.schoolID]
            }
            let wanted = Set(schools)
            let staff = try context.directory.staffMembers(ofSchool: request.schoolID.isEmpty ? nil : request.schoolID, in: db)
            var staffBySchool: [String: [StaffFacts]] = [:]
            for member in staff {
                guard let school = member.schoolID, wanted.contains(school) else { continue }
                staffBySchool[school, default: []].append(StaffFacts(id: member.id, schoolID: school, roles: member.roles))
            }
            let valid = try Self.validHolders(db, today: today)
            let hours = try Self.hours(db, year: year)
            let students = try context.directory.studentCountsBySchool(in: db)
            let loads = try context.directory.gridLoads(in: db)
            let calculator = CoverageCalculator()
            var reply = Xinyu_Training_V1_Statistics()
            reply.year = Int32(year)
            var city = SchoolFigures()
            for school in schools {
                let figures = calculator.figures(schoolID: school, staff: staffBySchool[school] ?? [], cHolders: valid.c, bHolders: valid.b,
                                                 hours: hours, students: students[school] ?? 0, mentorLoads: loads)
                city.add(figures)
                reply.schools.append(Self.message(figures, formula: formula))
                if figures.fullTimePsychTeachers == 0 { reply.schoolsWithoutPsychTeacher.append(school) }
            }
            reply.city = Self.message(city, formula: formula)
            return reply
        }
    }

    /// Staff holding a certificate valid today, by level.
    static func validHolders(_ db: Database, today: String) throws -> (c: Set<String>, b: Set<String>) {
        var c = Set<String>()
        var b = Set<String>()
        let rows = try Row.fetchCursor(db, sql: "SELECT DISTINCT staff_id, level FROM training_certificates WHERE expires_on = '' OR expires_on >= ?", arguments: [today])
        while let row = try rows.next() {
            let level: String = row[1]
            if level == "B" { b.insert(row[0]) } else { c.insert(row[0]) }
        }
        return (c, b)
    }

    /// Training hours completed in `year`, per member of staff.
    static func hours(_ db: Database, year: Int) throws -> [String: Double] {
        var hours: [String: Double] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT staff_id, SUM(hours) FROM training_completions WHERE completed_on BETWEEN ? AND ? GROUP BY staff_id
            """, arguments: ["\(year)-01-01", "\(year)-12-31"])
        while let row = try rows.next() { hours[row[0]] = row[1] }
        return hours
    }

    static func message(_ f: SchoolFigures, formula: AssessmentFormula) -> Xinyu_Training_V1_Figures {
        var m = Xinyu_Training_V1_Figures()
        m.schoolID = f.schoolID
        m.schools = Int64(f.schools)
        m.schoolsWithPsychTeacher = Int64(f.schoolsWithPsychTeacher)
        m.teachers = Int64(f.teachers)
        m.teachersWithC = Int64(f.teachersWithC)
        m.cShare = f.cShare
        m.classTeachers = Int64(f.classTeachers)
        m.classTeachersWithB = Int64(f.classTeachersWithB)
        m.bShare = f.bShare
        m.assessmentScore = formula.score(bShare: f.bShare)
        m.fullTimePsychTeachers = Int64(f.fullTimePsychTeachers)
        m.trainingHoursPerTeacher = f.trainingHoursPerTeacher
        m.students = Int64(f.students)
        m.studentsWithMentor = Int64(f.studentsWithMentor)
        m.gridCoverage = f.gridCoverage
        m.mentors = Int64(f.mentors)
        m.meanMentorLoad = f.meanMentorLoad
        m.maxMentorLoad = Int64(f.maxMentorLoad)
        return m
    }
}
