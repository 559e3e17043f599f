/// The names of the directory's tables in the shared database.
///
/// The one place outside `Sources/XinyuDirectory` that names them: plugins read the directory
/// through ``DirectoryReader`` only, so a directory migration that renames a table or column
/// breaks the reader's test (`Tests/XinyuDirectoryTests/DirectoryReaderTests.swift`), not a plugin.
enum DirectoryTables {
    static let schools = "directory_schools"
    static let staff = "directory_staff"
    static let staffRoles = "directory_staff_roles"
    static let classes = "directory_classes"
    static let students = "directory_students"
    static let guardians = "directory_guardians"
    static let gridMembers = "directory_grid_members"
}
