import XinyuPluginSDK
import XinyuTrainingAPI

extension SessionRecord {
    /// The API message.
    var message: Xinyu_Training_V1_Session {
        var m = Xinyu_Training_V1_Session()
        m.id = id
        m.courseID = courseID
        m.kind = Xinyu_Training_V1_CourseKind(storedText: kind) ?? .unspecified
        m.title = title
        m.startsOn = startsOn
        m.endsOn = endsOn
        m.place = place
        m.trainer = trainer
        m.capacity = Int32(capacity)
        m.hours = hours
        m.enrolled = Int32(enrolled)
        m.waitlisted = Int32(waitlisted)
        return m
    }
}
