/// A student with the school and class they are in now.
public struct DirectoryPlacement: Sendable, Hashable {
    public let student: DirectoryStudent
    public let school: DirectorySchool
    public let schoolClass: DirectoryClass
}
