import GRDB

/// One schema change an owner applies exactly once to the shared database, identified by its name.
///
/// Once shipped, a migration's name and body must never change: the database remembers only the name,
/// so an edited body would never run on files that already applied the old one. Add a new migration instead.
/// The body runs inside its own IMMEDIATE transaction with foreign-key enforcement deferred to the end of it
/// (so tables can be rebuilt without cascading deletes); it must not begin or commit transactions itself.
public struct NamedMigration: Sendable {
    /// Unique within its owner; recorded in `xinyu_migrations` once applied.
    public let name: String
    /// The schema change.
    public let apply: @Sendable (Database) throws -> Void

    /// Creates a migration named `name` that runs `apply`.
    public init(_ name: String, _ apply: @escaping @Sendable (Database) throws -> Void) {
        self.name = name
        self.apply = apply
    }
}
