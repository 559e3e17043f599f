import XinyuCoreAPI

extension SchoolRecord {
    /// The school as the API sends it.
    var message: Xinyu_Directory_V1_School {
        var school = Xinyu_Directory_V1_School()
        school.id = id
        school.name = name
        school.district = district
        school.kind = Xinyu_Directory_V1_SchoolKind(storedText: kind) ?? .unspecified
        school.subCentre = subCentre
        school.updatedAtMs = updatedAtMs
        return school
    }
}
