import XinyuCoreAPI

extension GuardianRecord {
    /// The guardian as the API sends it.
    var message: Xinyu_Directory_V1_Guardian {
        var guardian = Xinyu_Directory_V1_Guardian()
        guardian.id = id
        guardian.studentID = studentID
        guardian.name = name
        guardian.relation = relation
        guardian.phone = phone
        guardian.updatedAtMs = updatedAtMs
        return guardian
    }
}
