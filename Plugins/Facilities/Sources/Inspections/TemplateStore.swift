import GRDB
import XinyuFacilitiesAPI
import XinyuFacilitiesCore
import XinyuPluginSDK

/// The versioned checklist templates in `facilities_templates`: saving adds a version, never
/// changes one, so an inspection's template version stays what it was.
enum TemplateStore {
    struct Version {
        let definition: ChecklistDefinition
        let version: Int
        let savedAtMs: Int64

        var message: Xinyu_Facilities_V1_ChecklistTemplate {
            var template = Xinyu_Facilities_V1_ChecklistTemplate()
            template.id = definition.id
            template.version = Int32(version)
            template.title = definition.title
            template.savedAtMs = savedAtMs
            template.items = definition.items.map { item in
                var message = Xinyu_Facilities_V1_ChecklistItem()
                message.id = item.id
                message.title = item.title
                message.weight = item.weight
                message.scoring = item.scoring.rawValue
                message.maxScore = Int32(item.maxScore)
                message.measure = item.measure
                return message
            }
            return template
        }
    }

    /// Version `version` of template `id`, or the latest when `version` is 0.
    static func load(_ db: Database, id: String, version: Int = 0) throws -> Version? {
        let row = version == 0
            ? try Row.fetchOne(db, sql: "SELECT * FROM facilities_templates WHERE id = ? ORDER BY version DESC LIMIT 1", arguments: [id])
            : try Row.fetchOne(db, sql: "SELECT * FROM facilities_templates WHERE id = ? AND version = ?", arguments: [id, version])
        guard let row else { return nil }
        let items = try JSONColumn.value([ChecklistItemDefinition].self, from: row["items"])
        return Version(definition: ChecklistDefinition(id: row["id"], title: row["title"], items: items), version: row["version"], savedAtMs: row["saved_at_ms"])
    }

    /// Saves `definition` as the next version of its id and returns it.
    static func save(_ db: Database, _ definition: ChecklistDefinition, by: String, atMs: Int64) throws -> Version {
        let next = (try Int.fetchOne(db, sql: "SELECT MAX(version) FROM facilities_templates WHERE id = ?", arguments: [definition.id]) ?? 0) + 1
        try db.execute(sql: "INSERT INTO facilities_templates (id, version, title, items, saved_by, saved_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [definition.id, next, definition.title, try JSONColumn.text(definition.items), by, atMs])
        return Version(definition: definition, version: next, savedAtMs: atMs)
    }
}
