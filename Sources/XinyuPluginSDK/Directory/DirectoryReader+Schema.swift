import XinyuStore

extension DirectoryReader {
    /// The owner under which the directory records its migrations (`DirectoryService.owner`).
    public static let directoryOwner = "directory"

    /// The directory migration this reader was written against: its tables and columns are as
    /// that migration (and those before it) left them. Raise it when the reader starts to use
    /// something a later directory migration adds.
    public static let writtenAgainst = "v3-student-national-id"

    /// Throws, naming the missing migration, when `database` lacks the directory schema the reader
    /// needs (a host older than this plugin, or a file the host never migrated). `PluginRuntime`
    /// calls it at start-up, so a plugin fails there with a clear message instead of on its first call.
    public static func requireSchema(in database: SharedDatabase) throws {
        let applied = try database.appliedMigrations(owner: directoryOwner)
        guard applied.contains(writtenAgainst) else {
            throw PluginStartError(
                "the database \(database.path) lacks the directory migration \(directoryOwner)/\(writtenAgainst) that this plugin's SDK reads the directory with"
                    + (applied.isEmpty ? " (it has no directory tables at all)" : " (it has only \(applied.joined(separator: ", ")))")
                    + "; start the plugin from a host of the same release, which applies it")
        }
    }
}
