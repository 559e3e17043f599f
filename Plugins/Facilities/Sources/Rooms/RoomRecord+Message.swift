import XinyuFacilitiesAPI

extension RoomRecord {
    /// The API message for this room.
    var message: Xinyu_Facilities_V1_Room {
        var room = Xinyu_Facilities_V1_Room()
        room.id = String(id)
        room.schoolID = schoolID
        room.name = name
        room.location = location
        room.areaM2 = areaM2
        room.openingHours = openingHours
        room.equipment = (try? JSONColumn.value([String].self, from: equipment)) ?? []
        room.certifiedOn = certifiedOn
        room.certificationExpiresOn = expiresOn
        room.updatedAtMs = updatedAtMs
        return room
    }
}
