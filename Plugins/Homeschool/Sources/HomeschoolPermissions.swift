/// The permission names the homeschool plugin declares in its manifest; Config/roles.toml maps
/// roles to them, so never rename one.
enum HomeschoolPermissions {
    static let read = "homeschool.read"
    static let statsRead = "homeschool.stats.read"
    static let visitWrite = "homeschool.visit.write"
    static let categoryWrite = "homeschool.category.write"
    static let consentWrite = "homeschool.consent.write"
    static let consentCheck = "homeschool.consent.check"
    static let parentEducationWrite = "homeschool.parented.write"
}

/// Topics the plugin publishes and subscribes to (messages in `xinyu.events.v1`).
enum HomeschoolTopics {
    static let visitRecorded = "homeschool.visit.recorded"
    static let specialVisitEscalated = "homeschool.special_visit.escalated"
    static let consentWithdrawn = "homeschool.consent.withdrawn"
    static let levelChanged = "crisis.level.changed"
    static let published = [visitRecorded, specialVisitEscalated, consentWithdrawn]
}
