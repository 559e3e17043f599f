import XinyuCoreAPI

extension ClassRecord {
    /// The class as the API sends it.
    var message: Xinyu_Directory_V1_SchoolClass {
        var schoolClass = Xinyu_Directory_V1_SchoolClass()
        schoolClass.id = id
        schoolClass.schoolID = schoolID
        schoolClass.grade = Int32(grade)
        schoolClass.name = name
        schoolClass.homeroomTeacherID = homeroomTeacherID ?? ""
        schoolClass.updatedAtMs = updatedAtMs
        return schoolClass
    }
}
