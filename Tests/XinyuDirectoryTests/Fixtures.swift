import XinyuCoreAPI

// Valid records to start from; tests change one field at a time.

func makeSchool(_ id: String = "S001", name: String = "宁波市第一中学", district: String = "海曙区",
                kind: Xinyu_Directory_V1_SchoolKind = .junior, subCentre: Bool = false) -> Xinyu_Directory_V1_School {
    var school = Xinyu_Directory_V1_School()
    school.id = id
    school.name = name
    school.district = district
    school.kind = kind
    school.subCentre = subCentre
    return school
}

func makeClass(_ id: String = "C001", school: String = "S001", grade: Int32 = 7, name: String = "3班",
               teacher: String = "") -> Xinyu_Directory_V1_SchoolClass {
    var schoolClass = Xinyu_Directory_V1_SchoolClass()
    schoolClass.id = id
    schoolClass.schoolID = school
    schoolClass.grade = grade
    schoolClass.name = name
    schoolClass.homeroomTeacherID = teacher
    return schoolClass
}

func makeStudent(_ id: String = "G001", name: String = "张伟", gender: Xinyu_Directory_V1_Gender = .male,
                 birthDate: String = "2011-04-23", school: String = "S001", schoolClass: String = "C001") -> Xinyu_Directory_V1_Student {
    var student = Xinyu_Directory_V1_Student()
    student.id = id
    student.name = name
    student.gender = gender
    student.birthDate = birthDate
    student.schoolID = school
    student.classID = schoolClass
    return student
}

func makeGuardian(id: Int64 = 0, student: String = "G001", name: String = "李娜", relation: String = "母亲",
                  phone: String = "13800000000") -> Xinyu_Directory_V1_Guardian {
    var guardian = Xinyu_Directory_V1_Guardian()
    guardian.id = id
    guardian.studentID = student
    guardian.name = name
    guardian.relation = relation
    guardian.phone = phone
    return guardian
}

func makeStaff(_ id: String = "T001", name: String = "王老师", school: String = "S001",
               roles: [String] = ["class_teacher"]) -> Xinyu_Directory_V1_Staff {
    var staff = Xinyu_Directory_V1_Staff()
    staff.id = id
    staff.name = name
    staff.schoolID = school
    staff.roles = roles
    return staff
}

/// Request builders, so tests read as what they do.
enum Requests {
    static func create(_ school: Xinyu_Directory_V1_School) -> Xinyu_Directory_V1_CreateSchoolRequest { .with { $0.school = school } }
    static func update(_ school: Xinyu_Directory_V1_School) -> Xinyu_Directory_V1_UpdateSchoolRequest { .with { $0.school = school } }
    static func create(_ c: Xinyu_Directory_V1_SchoolClass) -> Xinyu_Directory_V1_CreateClassRequest { .with { $0.class = c } }
    static func update(_ c: Xinyu_Directory_V1_SchoolClass) -> Xinyu_Directory_V1_UpdateClassRequest { .with { $0.class = c } }
    static func create(_ s: Xinyu_Directory_V1_Student) -> Xinyu_Directory_V1_CreateStudentRequest { .with { $0.student = s } }
    static func update(_ s: Xinyu_Directory_V1_Student) -> Xinyu_Directory_V1_UpdateStudentRequest { .with { $0.student = s } }
    static func create(_ g: Xinyu_Directory_V1_Guardian) -> Xinyu_Directory_V1_CreateGuardianRequest { .with { $0.guardian = g } }
    static func update(_ g: Xinyu_Directory_V1_Guardian) -> Xinyu_Directory_V1_UpdateGuardianRequest { .with { $0.guardian = g } }
    static func create(_ s: Xinyu_Directory_V1_Staff) -> Xinyu_Directory_V1_CreateStaffRequest { .with { $0.staff = s } }
    static func update(_ s: Xinyu_Directory_V1_Staff) -> Xinyu_Directory_V1_UpdateStaffRequest { .with { $0.staff = s } }
}
