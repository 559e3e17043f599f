import XinyuPluginSDK
import XinyuTrainingAPI

/// Writes heart-grid membership through the host's directory (`xinyu.directory.v1.Directory/SetGrid`),
/// the one store that grid data scopes read. The plugin never writes `directory_*` tables: it
/// calls the directory as `plugin:training` on behalf of its caller, after checking the caller's
/// own permission and scope itself.
enum DirectoryGridWriter {
    static let method = "xinyu.directory.v1.Directory/SetGrid"

    /// Replaces mentor `mentorID`'s grid with `studentIDs`.
    static func setGrid(mentor mentorID: String, students studentIDs: [String], context: CallContext) async throws {
        var request = Xinyu_Training_V1_DirectorySetGridRequest()
        request.grid.mentorID = mentorID
        request.grid.studentIds = studentIDs.sorted()
        _ = try await context.call(method, request, as: Xinyu_Training_V1_DirectoryGrid.self, timeout: .seconds(10))
    }
}
