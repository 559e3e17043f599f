/// The size of the seeded city and how its ids are spelled, shared by the seeder and the load
/// generators so that every request names a student or case that exists.
public struct CityShape: Sendable, Codable {
    /// Number of schools (the issue: about 150).
    public var schools: Int
    /// Number of students (the issue: about 200,000).
    public var students: Int
    /// Students per class; the number of classes follows.
    public var studentsPerClass: Int = 45

    /// Creates a shape.
    public init(schools: Int, students: Int) {
        self.schools = schools
        self.students = students
    }

    /// Classes in the whole city.
    public var classes: Int { (students + studentsPerClass - 1) / studentsPerClass }

    /// The id of school `n` (0-based), e.g. "NB-S007".
    public static func schoolID(_ n: Int) -> String { "NB-S" + pad(n, 3) }
    /// The id of class `n` (0-based).
    public static func classID(_ n: Int) -> String { "NB-C" + pad(n, 5) }
    /// The student number of student `n` (0-based).
    public static func studentID(_ n: Int) -> String { "S" + pad(n, 7) }

    /// The school a class belongs to: classes are dealt to schools in turn.
    public func school(ofClass c: Int) -> Int { c % schools }
    /// The class a student is in.
    public func classOf(student s: Int) -> Int { s / studentsPerClass }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
