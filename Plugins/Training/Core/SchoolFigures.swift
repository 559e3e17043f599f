/// The counts behind one school's (or the city's) coverage and statistics, and the shares and
/// figures computed from them (docs/TRAINING.md, "Coverage formulas").
public struct SchoolFigures: Sendable, Equatable {
    /// "" for the city.
    public var schoolID: String = ""
    public var schools = 0
    public var schoolsWithPsychTeacher = 0
    public var teachers = 0
    public var teachersWithC = 0
    public var classTeachers = 0
    public var classTeachersWithB = 0
    public var fullTimePsychTeachers = 0
    public var trainingHours = 0.0
    public var students = 0
    public var studentsWithMentor = 0
    public var mentors = 0
    public var mentorLoadTotal = 0
    public var maxMentorLoad = 0

    /// Creates empty figures.
    public init(schoolID: String = "") { self.schoolID = schoolID }

    /// Teachers with a valid C (or B) certificate / teachers (持证上岗).
    public var cShare: Double { Self.share(teachersWithC, teachers) }
    /// Class teachers with a valid B certificate / class teachers.
    public var bShare: Double { Self.share(classTeachersWithB, classTeachers) }
    /// Training hours completed this year / teachers.
    public var trainingHoursPerTeacher: Double { teachers == 0 ? 0 : trainingHours / Double(teachers) }
    /// Students with a mentor / students.
    public var gridCoverage: Double { Self.share(studentsWithMentor, students) }
    /// Students in grids / mentors.
    public var meanMentorLoad: Double { mentors == 0 ? 0 : Double(mentorLoadTotal) / Double(mentors) }

    /// Adds another school's counts (for the city).
    public mutating func add(_ other: SchoolFigures) {
        schools += other.schools
        schoolsWithPsychTeacher += other.schoolsWithPsychTeacher
        teachers += other.teachers
        teachersWithC += other.teachersWithC
        classTeachers += other.classTeachers
        classTeachersWithB += other.classTeachersWithB
        fullTimePsychTeachers += other.fullTimePsychTeachers
        trainingHours += other.trainingHours
        students += other.students
        studentsWithMentor += other.studentsWithMentor
        mentors += other.mentors
        mentorLoadTotal += other.mentorLoadTotal
        maxMentorLoad = max(maxMentorLoad, other.maxMentorLoad)
    }

    static func share(_ part: Int, _ whole: Int) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) }
}
