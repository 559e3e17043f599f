import GRDB
import XinyuFacilitiesAPI
import XinyuFacilitiesCore
import XinyuPluginSDK

/// A row of `facilities_duty_slots`: one weekly duty slot of a school's roster.
struct DutySlotRecord: Decodable, FetchableRecord {
    let id: Int64
    let schoolID: String
    let teacherID: String
    let roomID: Int64
    let weekday: Int
    let startsAt: Int
    let endsAt: Int
    let fromDay: String
    let untilDay: String
    let replaces: Int64?
    let replacedBy: Int64?

    enum CodingKeys: String, CodingKey {
        case id, weekday, replaces
        case replacedBy = "replaced_by"
        case schoolID = "school_id"
        case teacherID = "teacher_id"
        case roomID = "room_id"
        case startsAt = "starts_at"
        case endsAt = "ends_at"
        case fromDay = "from_day"
        case untilDay = "until_day"
    }

    static func find(_ db: Database, id: Int64) throws -> DutySlotRecord? {
        try fetchOne(db, sql: "SELECT * FROM facilities_duty_slots WHERE id = ?", arguments: [id])
    }

    static func ofSchool(_ db: Database, schoolID: String) throws -> [DutySlotRecord] {
        try fetchAll(db, sql: "SELECT * FROM facilities_duty_slots WHERE school_id = ? ORDER BY id", arguments: [schoolID])
    }

    /// The slot as the roster rules see it.
    var plan: DutySlotPlan {
        DutySlotPlan(id: String(id), teacherID: teacherID, weekday: weekday, startsAt: TimeOfDay(seconds: startsAt),
                     endsAt: TimeOfDay(seconds: endsAt), from: CalendarDay(fromDay) ?? CalendarDay(year: 2000, month: 1, day: 1)!,
                     until: CalendarDay(untilDay))
    }

    var message: Xinyu_Facilities_V1_DutySlot {
        var slot = Xinyu_Facilities_V1_DutySlot()
        slot.id = String(id)
        slot.schoolID = schoolID
        slot.teacherID = teacherID
        slot.roomID = String(roomID)
        slot.weekday = Int32(weekday)
        slot.startsAt = TimeOfDay(seconds: startsAt).description
        slot.endsAt = TimeOfDay(seconds: endsAt).description
        slot.from = fromDay
        slot.until = untilDay
        slot.replaces = replaces.map(String.init) ?? ""
        slot.replacedBy = replacedBy.map(String.init) ?? ""
        return slot
    }
}
