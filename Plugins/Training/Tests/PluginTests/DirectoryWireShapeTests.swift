import Foundation
import SwiftProtobuf
import Testing
import XinyuCoreAPI
import XinyuTrainingAPI

/// The plugin's copy of the directory's SetGrid messages is the directory's, byte for byte.
@Suite("Directory wire shape")
struct DirectoryWireShapeTests {
    @Test("DirectorySetGridRequest decodes as the directory's SetGridRequest and Grid back")
    func sameBytes() throws {
        var ours = Xinyu_Training_V1_DirectorySetGridRequest()
        ours.grid.mentorID = "M1"
        ours.grid.studentIds = ["S1", "学生2"]
        ours.grid.updatedAtMs = 42
        let theirs = try Xinyu_Directory_V1_SetGridRequest(serializedBytes: try ours.serializedBytes() as [UInt8])
        #expect(theirs.grid.mentorID == "M1" && theirs.grid.studentIds == ["S1", "学生2"] && theirs.grid.updatedAtMs == 42)
        #expect(try theirs.serializedBytes() as [UInt8] == (try ours.serializedBytes() as [UInt8]))
        let back = try Xinyu_Training_V1_DirectoryGrid(serializedBytes: try theirs.grid.serializedBytes() as [UInt8])
        #expect(back == ours.grid)
    }
}
