import GRDB
import XinyuHomeschoolAPI
import XinyuPluginSDK

/// The homeschool plugin's tables (all prefixed `homeschool_`), as named migrations. Never edit one
/// once shipped; append "v2-…". The student's school and class are copied into rows when written
/// so that scope filters and coverage need no join with the directory.
enum HomeschoolSchema {
    static let migrations: [NamedMigration] = [
        NamedMigration("v1-visits") { db in
            try db.execute(sql: """
                CREATE TABLE homeschool_visits (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    student_id TEXT NOT NULL,
                    school_id TEXT NOT NULL,
                    class_id TEXT NOT NULL,
                    school_year INTEGER NOT NULL,
                    status TEXT NOT NULL \(VisitStatus.checkClause("status")),
                    planned_on TEXT NOT NULL DEFAULT '',
                    visited_on TEXT NOT NULL DEFAULT '',
                    mode TEXT NOT NULL \(VisitMode.checkClause("mode")),
                    visitors TEXT NOT NULL,          -- JSON array of staff ids
                    met TEXT NOT NULL DEFAULT '[]',  -- JSON array, e.g. ["母亲"]
                    notes TEXT NOT NULL DEFAULT '',
                    concerns TEXT NOT NULL DEFAULT '',
                    special_visit_id INTEGER,
                    recorded_by TEXT NOT NULL,
                    recorded_at_ms INTEGER NOT NULL
                );
                CREATE INDEX homeschool_visits_coverage ON homeschool_visits (school_year, status, school_id, class_id, student_id);
                CREATE INDEX homeschool_visits_by_student ON homeschool_visits (student_id, id);
                CREATE INDEX homeschool_visits_by_class ON homeschool_visits (class_id, id);
                """)
        },
        NamedMigration("v1-special-visits") { db in
            // `trigger` is unique: a special visit is owed once per trigger (one crisis event, one
            // category), however often the event is delivered.
            try db.execute(sql: """
                CREATE TABLE homeschool_special_visits (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    student_id TEXT NOT NULL,
                    school_id TEXT NOT NULL,
                    class_id TEXT NOT NULL,
                    trigger TEXT NOT NULL UNIQUE,
                    reason TEXT NOT NULL,
                    assignee_id TEXT NOT NULL,
                    due_on TEXT NOT NULL,
                    status TEXT NOT NULL \(SpecialVisitStatus.checkClause("status")),
                    visit_id INTEGER,
                    escalated_at_ms INTEGER NOT NULL DEFAULT 0,
                    escalation_reason TEXT NOT NULL DEFAULT '',
                    created_at_ms INTEGER NOT NULL
                );
                CREATE INDEX homeschool_special_visits_by_student ON homeschool_special_visits (student_id, id);
                CREATE INDEX homeschool_special_visits_due ON homeschool_special_visits (status, due_on, id);
                CREATE TABLE homeschool_acknowledgements (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    visit_id INTEGER NOT NULL REFERENCES homeschool_visits (id),
                    special_visit_id INTEGER NOT NULL REFERENCES homeschool_special_visits (id),
                    responsibility TEXT NOT NULL \(Responsibility.checkClause("responsibility")),
                    guardian_id INTEGER NOT NULL,
                    relation TEXT NOT NULL,
                    acknowledged_on TEXT NOT NULL,
                    evidence_ref TEXT NOT NULL,
                    refused INTEGER NOT NULL
                );
                CREATE INDEX homeschool_acknowledgements_by_visit ON homeschool_acknowledgements (visit_id, id);
                CREATE TABLE homeschool_categories (
                    student_id TEXT NOT NULL,
                    category TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    set_by TEXT NOT NULL,
                    set_at_ms INTEGER NOT NULL,
                    special_visit_id INTEGER NOT NULL,
                    PRIMARY KEY (student_id, category)
                ) WITHOUT ROWID;
                """)
        },
        NamedMigration("v1-consents") { db in
            try db.execute(sql: """
                CREATE TABLE homeschool_consents (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    student_id TEXT NOT NULL,
                    purpose TEXT NOT NULL,
                    agency TEXT NOT NULL,
                    scope TEXT NOT NULL,
                    sensitive INTEGER NOT NULL,
                    guardian_id INTEGER NOT NULL,    -- 0: the student alone (14+, not sensitive)
                    guardian_relation TEXT NOT NULL,
                    given_on TEXT NOT NULL,
                    expires_on TEXT NOT NULL,        -- '' = no expiry
                    evidence_ref TEXT NOT NULL,
                    withdrawn_at_ms INTEGER NOT NULL DEFAULT 0,
                    withdrawal_reason TEXT NOT NULL DEFAULT '',
                    recorded_by TEXT NOT NULL,
                    recorded_at_ms INTEGER NOT NULL
                );
                CREATE INDEX homeschool_consents_lookup ON homeschool_consents (student_id, purpose, agency, id);
                """)
        },
        NamedMigration("v1-parent-education") { db in
            try db.execute(sql: """
                CREATE TABLE homeschool_parent_events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL \(ParentEventKind.checkClause("kind")),
                    title TEXT NOT NULL,
                    school_id TEXT NOT NULL,         -- '' = city-wide
                    held_on TEXT NOT NULL,
                    created_by TEXT NOT NULL,
                    created_at_ms INTEGER NOT NULL
                );
                CREATE INDEX homeschool_parent_events_by_day ON homeschool_parent_events (held_on, id);
                CREATE TABLE homeschool_parent_registrations (
                    event_id INTEGER NOT NULL REFERENCES homeschool_parent_events (id),
                    guardian_id INTEGER NOT NULL,
                    student_id TEXT NOT NULL,
                    school_id TEXT NOT NULL,
                    class_id TEXT NOT NULL,
                    registered_at_ms INTEGER NOT NULL,
                    attended INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (event_id, guardian_id)
                ) WITHOUT ROWID;
                CREATE INDEX homeschool_parent_registrations_by_school ON homeschool_parent_registrations (school_id, event_id);
                """)
        },
        NamedMigration("v2-visit-crisis-concern") { db in
            // The crisis concern raised from a visit's concerns (RaiseVisitConcern): once per visit.
            try db.execute(sql: "ALTER TABLE homeschool_visits ADD COLUMN crisis_concern_id TEXT NOT NULL DEFAULT ''")
        },
        NamedMigration("v2-refusal-reasons") { db in
            // Why the parents refused a responsibility: a configured reason and/or the visitor's note.
            try db.execute(sql: """
                ALTER TABLE homeschool_acknowledgements ADD COLUMN refusal_reason TEXT NOT NULL DEFAULT '';
                ALTER TABLE homeschool_acknowledgements ADD COLUMN refusal_note TEXT NOT NULL DEFAULT '';
                """)
        },
        NamedMigration("v2-category-history") { db in
            // A category a student was taken out of, with who set it and who removed it, when and why.
            try db.execute(sql: """
                CREATE TABLE homeschool_category_history (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    student_id TEXT NOT NULL,
                    category TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    set_by TEXT NOT NULL,
                    set_at_ms INTEGER NOT NULL,
                    special_visit_id INTEGER NOT NULL,
                    removed_by TEXT NOT NULL,
                    removed_at_ms INTEGER NOT NULL,
                    removal_reason TEXT NOT NULL
                );
                CREATE INDEX homeschool_category_history_by_student ON homeschool_category_history (student_id, category, id);
                """)
        },
    ]
}
