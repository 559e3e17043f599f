import XinyuFacilitiesAPI
import XinyuFacilitiesCore
import XinyuPluginSDK

/// SaveTemplate, GetTemplate, and the start task that saves the configured default template.
struct TemplateHandlers: Sendable {
    let configuration: FacilitiesConfiguration

    func register(_ s: inout ServiceBuilder) {
        s.unary("SaveTemplate", permission: FacilitiesPermissions.inspect, mutates: true, handler: save)
        s.unary("GetTemplate", permission: FacilitiesPermissions.read, handler: get)
    }

    func registerStart(_ registry: inout ServiceRegistry) {
        registry.atStart("save-default-template", handler: saveDefault)
    }

    /// The default template of facilities.toml becomes a new version when it differs from the
    /// latest saved version of its id (version 1 on a fresh database); otherwise nothing happens.
    @Sendable func saveDefault(_ context: CallContext) async throws {
        let definition = configuration.defaultTemplate
        try await context.store.write { db in
            if try TemplateStore.load(db, id: definition.id)?.definition != definition {
                _ = try TemplateStore.save(db, definition, by: "plugin:facilities", atMs: context.nowMs)
            }
        }
    }

    @Sendable func save(_ request: Xinyu_Facilities_V1_SaveTemplateRequest, _ context: CallContext) async throws -> Xinyu_Facilities_V1_ChecklistTemplate {
        var items: [ChecklistItemDefinition] = []
        for (index, item) in request.items.enumerated() {
            guard let scoring = ItemScoring(rawValue: item.scoring.isEmpty ? "points" : item.scoring) else {
                throw RPCError.invalidField("items[\(index)].scoring", "'\(item.scoring)' is not one of points, pass_fail")
            }
            items.append(ChecklistItemDefinition(id: item.id, title: item.title, weight: item.weight, scoring: scoring,
                                                 maxScore: Int(item.maxScore), measure: item.measure))
        }
        let definition = ChecklistDefinition(id: request.id, title: request.title.isEmpty ? request.id : request.title, items: items)
        if let (field, problem) = definition.problem() { throw RPCError.invalidField(field, problem) }
        return try await context.store.write { db in
            try TemplateStore.save(db, definition, by: context.principal.id, atMs: context.nowMs).message
        }
    }

    @Sendable func get(_ request: Xinyu_Facilities_V1_GetTemplateRequest, _ context: CallContext) async throws -> Xinyu_Facilities_V1_ChecklistTemplate {
        guard !request.id.isEmpty else { throw RPCError.invalidField("id", "is required") }
        return try await context.store.read { db in
            guard let found = try TemplateStore.load(db, id: request.id, version: Int(request.version)) else {
                throw RPCError(.notFound, "field id: no template \(request.id)" + (request.version == 0 ? "" : " version \(request.version)"))
            }
            return found.message
        }
    }
}
