import XinyuCoreAPI

extension StaffRecord {
    /// The staff member as the API sends it, without roles (``StaffTable/attachRoles(_:_:)`` adds them).
    var message: Xinyu_Directory_V1_Staff {
        var staff = Xinyu_Directory_V1_Staff()
        staff.id = id
        staff.name = name
        staff.schoolID = schoolID ?? ""
        staff.updatedAtMs = updatedAtMs
        return staff
    }
}
