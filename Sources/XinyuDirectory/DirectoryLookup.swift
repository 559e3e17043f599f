/// What the rules need to know about rows already in the directory.
///
/// The API answers from the database inside its write transaction (``DatabaseLookup``); an
/// import answers from a snapshot fetched once for the ids the file mentions (``RosterSnapshot``).
protocol DirectoryLookup {
    func schoolExists(_ id: String) throws -> Bool
    /// The school of a class, nil when there is no such class.
    func schoolOfClass(_ id: String) throws -> String?
    func studentExists(_ id: String) throws -> Bool
    /// The student whose national student number (全国学籍号) is `nationalID`; nil when none or empty.
    func studentWithNationalID(_ nationalID: String) throws -> String?
    /// The school of a staff member, "" for city-level staff, nil when there is no such staff.
    func schoolOfStaff(_ id: String) throws -> String?
    /// How many students a class has.
    func studentCount(inClass id: String) throws -> Int
    /// The classes a staff member is homeroom teacher of.
    func homeroomClasses(of staffID: String) throws -> [HomeroomClass]
}

/// A class and its school, as seen from its homeroom teacher.
struct HomeroomClass: Sendable, Equatable {
    let classID: String
    let schoolID: String
}
