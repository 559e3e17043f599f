import XinyuPluginSDK

/// How a teacher checked in for duty: in person at the room (the only way the city accepts).
enum CheckInMethod: String, CaseIterable, StoredEnum {
    case inPerson = "in_person"
    static var valueName: String { "check-in method" }
}

/// An inspection is scheduled, then its findings are recorded (once).
enum InspectionStatus: String, CaseIterable, StoredEnum {
    case scheduled, recorded
    static var valueName: String { "inspection status" }
}

/// A rectification task (整改) is open until a re-inspection finds the item in order.
enum RectificationStatus: String, CaseIterable, StoredEnum {
    case open, closed
    static var valueName: String { "rectification status" }
}
