import XinyuCoreAPI

extension StudentRecord {
    /// The student as the API sends it.
    var message: Xinyu_Directory_V1_Student {
        var student = Xinyu_Directory_V1_Student()
        student.id = id
        student.name = name
        student.gender = Xinyu_Directory_V1_Gender(storedText: gender) ?? .unspecified
        student.birthDate = birthDate
        student.schoolID = schoolID
        student.classID = classID
        student.updatedAtMs = updatedAtMs
        student.nationalStudentID = nationalStudentID
        return student
    }
}
