import XinyuPluginSDK

/// The facilities plugin's tables (all prefixed `facilities_`), as named migrations. Never edit
/// one once shipped; append "v2-…". School ids are copied into rows for data-scope filters.
enum FacilitiesSchema {
    static let migrations: [NamedMigration] = [
        NamedMigration("v1-rooms") { db in
            try db.execute(sql: """
                CREATE TABLE facilities_rooms (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    school_id TEXT NOT NULL,
                    name TEXT NOT NULL,
                    location TEXT NOT NULL,
                    area_m2 REAL NOT NULL,
                    opening_hours TEXT NOT NULL,
                    equipment TEXT NOT NULL,            -- JSON array of strings
                    certified_on TEXT NOT NULL DEFAULT '',
                    expires_on TEXT NOT NULL DEFAULT '',
                    updated_by TEXT NOT NULL,
                    updated_at_ms INTEGER NOT NULL
                );
                CREATE INDEX facilities_rooms_by_school ON facilities_rooms (school_id, id);
                CREATE INDEX facilities_rooms_by_expiry ON facilities_rooms (expires_on);
                """)
        },
        NamedMigration("v1-duty") { db in
            try db.execute(sql: """
                CREATE TABLE facilities_duty_slots (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    school_id TEXT NOT NULL,
                    teacher_id TEXT NOT NULL,
                    room_id INTEGER NOT NULL REFERENCES facilities_rooms (id),
                    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
                    starts_at INTEGER NOT NULL,         -- seconds after local midnight
                    ends_at INTEGER NOT NULL,
                    from_day TEXT NOT NULL,
                    until_day TEXT NOT NULL DEFAULT '',
                    created_by TEXT NOT NULL,
                    created_at_ms INTEGER NOT NULL
                );
                CREATE INDEX facilities_duty_slots_by_school ON facilities_duty_slots (school_id, teacher_id);
                CREATE TABLE facilities_duty_checkins (
                    slot_id INTEGER NOT NULL REFERENCES facilities_duty_slots (id),
                    day TEXT NOT NULL,
                    teacher_id TEXT NOT NULL,
                    at_ms INTEGER NOT NULL,
                    how TEXT NOT NULL \(CheckInMethod.checkClause("how")),
                    PRIMARY KEY (slot_id, day)
                ) WITHOUT ROWID;
                CREATE TABLE facilities_missed_duties (
                    slot_id INTEGER NOT NULL REFERENCES facilities_duty_slots (id),
                    day TEXT NOT NULL,
                    school_id TEXT NOT NULL,
                    teacher_id TEXT NOT NULL,
                    found_at_ms INTEGER NOT NULL,
                    PRIMARY KEY (slot_id, day)
                ) WITHOUT ROWID;
                CREATE INDEX facilities_missed_by_school ON facilities_missed_duties (school_id, day);
                """)
        },
        NamedMigration("v1-inspections") { db in
            try db.execute(sql: """
                CREATE TABLE facilities_templates (
                    id TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    title TEXT NOT NULL,
                    items TEXT NOT NULL,                -- JSON array of ChecklistItemDefinition
                    saved_by TEXT NOT NULL,
                    saved_at_ms INTEGER NOT NULL,
                    PRIMARY KEY (id, version)
                ) WITHOUT ROWID;
                CREATE TABLE facilities_inspections (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    school_id TEXT NOT NULL,
                    team TEXT NOT NULL,                 -- JSON array of names
                    date TEXT NOT NULL,
                    template_id TEXT NOT NULL,
                    template_version INTEGER NOT NULL,
                    status TEXT NOT NULL \(InspectionStatus.checkClause("status")),
                    reinspection_of INTEGER REFERENCES facilities_inspections (id),
                    score REAL NOT NULL DEFAULT 0,
                    measured TEXT NOT NULL DEFAULT '[]', -- JSON array of MeasuredValue
                    scheduled_by TEXT NOT NULL,
                    recorded_by TEXT NOT NULL DEFAULT '',
                    recorded_at_ms INTEGER NOT NULL DEFAULT 0,
                    FOREIGN KEY (template_id, template_version) REFERENCES facilities_templates (id, version)
                );
                CREATE INDEX facilities_inspections_by_school ON facilities_inspections (school_id, date);
                CREATE TABLE facilities_findings (
                    inspection_id INTEGER NOT NULL REFERENCES facilities_inspections (id),
                    item_id TEXT NOT NULL,
                    position INTEGER NOT NULL,          -- order in the request
                    score INTEGER NOT NULL,
                    note TEXT NOT NULL,
                    evidence_ref TEXT NOT NULL,
                    PRIMARY KEY (inspection_id, item_id)
                ) WITHOUT ROWID;
                CREATE TABLE facilities_rectifications (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    inspection_id INTEGER NOT NULL REFERENCES facilities_inspections (id),
                    school_id TEXT NOT NULL,
                    item_id TEXT NOT NULL,
                    description TEXT NOT NULL,
                    owner_id TEXT NOT NULL,
                    deadline TEXT NOT NULL,
                    status TEXT NOT NULL \(RectificationStatus.checkClause("status")),
                    decided_by_inspection INTEGER,
                    updated_at_ms INTEGER NOT NULL
                );
                CREATE INDEX facilities_rectifications_open ON facilities_rectifications (status, deadline);
                CREATE INDEX facilities_rectifications_by_inspection ON facilities_rectifications (inspection_id);
                """)
        },
        NamedMigration("v2-duty-slot-changes") { db in
            // A changed slot ends and a new one continues it (ChangeDutySlot): the pair is linked
            // both ways, so the roster shows what replaced what while history stays with each slot.
            try db.execute(sql: """
                ALTER TABLE facilities_duty_slots ADD COLUMN replaces INTEGER REFERENCES facilities_duty_slots (id);
                ALTER TABLE facilities_duty_slots ADD COLUMN replaced_by INTEGER REFERENCES facilities_duty_slots (id);
                CREATE INDEX facilities_missed_by_day ON facilities_missed_duties (day, slot_id);
                """)
        },
    ]
}
