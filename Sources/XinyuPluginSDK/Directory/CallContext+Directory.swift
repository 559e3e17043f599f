extension CallContext {
    /// The host's directory (students, schools, classes, staff, guardians, heart grids), read
    /// only, inside this call's `store.read` / `store.write` transaction: see ``DirectoryReader``.
    public var directory: DirectoryReader { DirectoryReader() }
}
