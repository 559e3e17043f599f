/// The permission names the partnership plugin declares. Config/roles.toml maps roles to them
/// (agencies, psych staff, the growth centre), so never rename one.
enum PartnershipPermissions {
    static let read = "partnership.read"
    static let write = "partnership.write"
    static let referralRead = "partnership.referral.read"
    static let referralWrite = "partnership.referral.write"
    static let clinicalRead = "partnership.clinical.read"
    static let sessionBook = "partnership.session.book"
    static let hotlineWrite = "partnership.hotline.write"
    static let hotlineRead = "partnership.hotline.read"
}

/// Topics the plugin publishes and subscribes to (messages in `xinyu.events.v1`).
enum PartnershipTopics {
    static let referralRequested = "crisis.referral.requested"
    static let referralUpdated = "partnership.referral.updated"
    /// Durable timer: an agency's answer to a referral is due.
    static let responseDue = "partnership.referral.response-due"
}
