import XinyuCoreAPI
import XinyuPluginSDK
import XinyuWire

/// ImportRoster: server streaming of `ImportRosterEvent` (progress events, then one report).
enum RosterImportHandler {
    static func register(_ service: inout ServiceBuilder) {
        service.serverStreaming(
            "ImportRoster", permission: DirectoryService.importPermission, mutates: true,
            response: Xinyu_Directory_V1_ImportRosterEvent.self, handler: importRoster)
    }

    @Sendable static func importRoster(
        _ request: Xinyu_Directory_V1_ImportRosterRequest, _ stream: ResponseStream<Xinyu_Directory_V1_ImportRosterEvent>, _ context: CallContext
    ) async throws {
        switch request.kind {
        case .schools: try await RosterImporter<SchoolRoster>(request: request, stream: stream, context: context).run()
        case .classes: try await RosterImporter<ClassRoster>(request: request, stream: stream, context: context).run()
        case .students: try await RosterImporter<StudentRoster>(request: request, stream: stream, context: context).run()
        case .guardians: try await RosterImporter<GuardianRoster>(request: request, stream: stream, context: context).run()
        case .staff: try await RosterImporter<StaffRoster>(request: request, stream: stream, context: context).run()
        case .unspecified:
            throw RPCError.invalidField("kind", "is required (schools, classes, students, guardians or staff)")
        case .UNRECOGNIZED(let number):
            throw RPCError.invalidField("kind", "\(number) is not a roster kind (schools, classes, students, guardians or staff)")
        }
    }
}
