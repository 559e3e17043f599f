/// The permission names the facilities plugin declares. Roles in Config/roles.toml grant them,
/// so never rename one.
enum FacilitiesPermissions {
    /// Rooms, coverage, rosters, compliance, inspections, rectifications, reports.
    static let read = "facilities.read"
    /// A school records its rooms and duty roster (principal, psych teacher).
    static let write = "facilities.write"
    /// The teacher on duty checks in (psych teacher).
    static let checkIn = "facilities.duty.checkin"
    /// The inspection team (专项督查组): certify rooms, templates, inspections, findings.
    static let inspect = "facilities.inspect"
}
