/// Computes a school's figures from its staff, their valid certificates, their training hours,
/// its student count and its mentors' loads. Pure: the handlers read the facts, this counts.
///
/// - teachers: every member of staff of the school (the directory's staff list);
/// - C coverage: teachers holding a valid C or B certificate (B is the higher level);
/// - B coverage: staff with the role `class_teacher` holding a valid B certificate;
/// - full-time psych teachers: the role `psych_teacher_full_time`;
/// - mentors: the role `mentor`; their loads are their heart grids' sizes.
public struct CoverageCalculator: Sendable {
    /// Creates a calculator.
    public init() {}

    /// The figures of `schoolID`.
    public func figures(schoolID: String, staff: [StaffFacts], cHolders: Set<String>, bHolders: Set<String>,
                        hours: [String: Double], students: Int, mentorLoads: [String: Int]) -> SchoolFigures {
        var f = SchoolFigures(schoolID: schoolID)
        f.schools = 1
        f.students = students
        for member in staff {
            f.teachers += 1
            if cHolders.contains(member.id) || bHolders.contains(member.id) { f.teachersWithC += 1 }
            if member.roles.contains("class_teacher") {
                f.classTeachers += 1
                if bHolders.contains(member.id) { f.classTeachersWithB += 1 }
            }
            if member.roles.contains("psych_teacher_full_time") { f.fullTimePsychTeachers += 1 }
            if member.roles.contains("mentor") {
                f.mentors += 1
                let load = mentorLoads[member.id] ?? 0
                f.mentorLoadTotal += load
                f.maxMentorLoad = max(f.maxMentorLoad, load)
            }
            f.trainingHours += hours[member.id] ?? 0
        }
        f.studentsWithMentor = min(f.mentorLoadTotal, students)
        f.schoolsWithPsychTeacher = f.fullTimePsychTeachers > 0 ? 1 : 0
        return f
    }
}
