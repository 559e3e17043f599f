import XinyuPluginSDK
import XinyuStore

/// The city directory of schools, classes, students, guardians and staff, served by the host
/// through the same SDK handler abstraction plugins use.
///
/// ```swift
/// let directory = DirectoryService()
/// try database.migrate(owner: DirectoryService.owner, directory.migrations)
/// var registry = ServiceRegistry()
/// directory.register(&registry)
/// ```
public struct DirectoryService: Sendable {
    /// Owner name for migrations: "directory".
    public static let owner = "directory"
    /// The service's full name, as methods are addressed: "xinyu.directory.v1.Directory/GetStudent".
    public static let serviceName = "xinyu.directory.v1.Directory"
    /// Needed by Get and List methods.
    public static let readPermission = "directory.read"
    /// Needed by Create and Update methods.
    public static let writePermission = "directory.write"
    /// Needed by ImportRoster.
    public static let importPermission = "directory.import"

    /// Creates the service. It holds no state: everything lives in the shared database.
    public init() {}

    /// The directory's tables, as named migrations (all "v1-…"). Never edit one once shipped.
    public var migrations: [NamedMigration] { DirectorySchema.migrations }

    /// Registers every directory method under ``serviceName``, in the order the proto lists them.
    public func register(_ registry: inout ServiceRegistry) {
        registry.service(Self.serviceName) { service in
            SchoolHandlers.register(&service)
            ClassHandlers.register(&service)
            StudentHandlers.register(&service)
            GuardianHandlers.register(&service)
            StaffHandlers.register(&service)
            GridHandlers.register(&service)
            RosterImportHandler.register(&service)
        }
    }
}
