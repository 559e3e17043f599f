import XinyuPluginSDK
import GRDB

/// The crisis plugin's tables (all prefixed `crisis_`), as named migrations.
///
/// Never edit a migration once shipped; append "v2-…". Student facts (school, class) are copied
/// into each row when it is written so that data-scope filters need no join and history keeps
/// the school a record was made in. Directory tables are read, never written.
enum CrisisSchema {
    static let migrations: [NamedMigration] = [
        NamedMigration("v1-screening") { db in
            try db.execute(sql: """
                CREATE TABLE crisis_screening_results (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    student_id TEXT NOT NULL,
                    school_id TEXT NOT NULL,
                    class_id TEXT NOT NULL,
                    round_id TEXT NOT NULL DEFAULT '',
                    instrument_id TEXT NOT NULL,
                    instrument_version TEXT NOT NULL,
                    answers TEXT NOT NULL,          -- JSON array, -1 = unanswered
                    extras TEXT NOT NULL,           -- JSON object of yes/no answers
                    total INTEGER,                  -- NULL: invalid or not summed
                    prorated INTEGER NOT NULL,
                    band TEXT NOT NULL,
                    flags TEXT NOT NULL,            -- comma-separated flag ids
                    explanation TEXT NOT NULL,
                    suggested_level INTEGER NOT NULL,  -- 0 = none
                    taken_on TEXT NOT NULL,
                    recorded_by TEXT NOT NULL,
                    recorded_at_ms INTEGER NOT NULL
                );
                CREATE INDEX crisis_screening_by_student ON crisis_screening_results (student_id, id);
                CREATE INDEX crisis_screening_by_round ON crisis_screening_results (round_id, school_id, student_id);
                """)
        },
        NamedMigration("v1-levels") { db in
            // The current level per student, plus every change ever made (never deleted).
            try db.execute(sql: """
                CREATE TABLE crisis_levels (
                    student_id TEXT NOT NULL PRIMARY KEY,
                    school_id TEXT NOT NULL,
                    class_id TEXT NOT NULL,
                    level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 3),
                    explanation TEXT NOT NULL,
                    since_day TEXT NOT NULL,
                    review_due TEXT NOT NULL,       -- '' for level 0
                    source TEXT NOT NULL,
                    updated_by TEXT NOT NULL,
                    updated_at_ms INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX crisis_levels_by_school ON crisis_levels (school_id, level);
                CREATE INDEX crisis_levels_by_review ON crisis_levels (review_due);
                CREATE TABLE crisis_level_changes (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    student_id TEXT NOT NULL,
                    school_id TEXT NOT NULL,
                    class_id TEXT NOT NULL,
                    from_level INTEGER NOT NULL,
                    to_level INTEGER NOT NULL,
                    explanation TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    evidence TEXT NOT NULL,
                    source TEXT NOT NULL,
                    changed_by TEXT NOT NULL,
                    changed_at_ms INTEGER NOT NULL
                );
                CREATE INDEX crisis_level_changes_by_student ON crisis_level_changes (student_id, id);
                """)
        },
        NamedMigration("v1-concerns") { db in
            try db.execute(sql: """
                CREATE TABLE crisis_concerns (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    student_id TEXT NOT NULL,
                    school_id TEXT NOT NULL,
                    class_id TEXT NOT NULL,
                    description TEXT NOT NULL,
                    raised_by TEXT NOT NULL,
                    raised_at_ms INTEGER NOT NULL,
                    acknowledge_due_ms INTEGER NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'escalated')),
                    acknowledged_by TEXT NOT NULL DEFAULT '',
                    acknowledged_at_ms INTEGER NOT NULL DEFAULT 0,
                    acknowledge_note TEXT NOT NULL DEFAULT '',
                    escalated_at_ms INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX crisis_concerns_open ON crisis_concerns (status, acknowledge_due_ms);
                CREATE INDEX crisis_concerns_by_student ON crisis_concerns (student_id);
                """)
        },
        NamedMigration("v1-cases") { db in
            // At most one open case per student: the partial unique index enforces 一人一案.
            try db.execute(sql: """
                CREATE TABLE crisis_cases (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    student_id TEXT NOT NULL,
                    school_id TEXT NOT NULL,
                    class_id TEXT NOT NULL,
                    level INTEGER NOT NULL,
                    tier INTEGER NOT NULL CHECK (tier BETWEEN 1 AND 3),
                    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
                    owner_id TEXT,
                    opened_by TEXT NOT NULL,
                    opened_at_ms INTEGER NOT NULL,
                    assign_due_at_ms INTEGER NOT NULL,
                    assigned_at_ms INTEGER NOT NULL DEFAULT 0,
                    closed_at_ms INTEGER NOT NULL DEFAULT 0,
                    reason TEXT NOT NULL
                );
                CREATE UNIQUE INDEX crisis_cases_one_open ON crisis_cases (student_id) WHERE status = 'open';
                CREATE INDEX crisis_cases_unassigned ON crisis_cases (status, owner_id, assign_due_at_ms);
                CREATE INDEX crisis_cases_by_school ON crisis_cases (school_id, status);
                CREATE TABLE crisis_case_events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id INTEGER NOT NULL REFERENCES crisis_cases (id),
                    kind TEXT NOT NULL,
                    from_tier INTEGER NOT NULL,
                    to_tier INTEGER NOT NULL,
                    reason TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    at_ms INTEGER NOT NULL
                );
                CREATE INDEX crisis_case_events_by_case ON crisis_case_events (case_id, id);
                """)
        },
        NamedMigration("v1-plans") { db in
            try db.execute(sql: """
                CREATE TABLE crisis_plans (
                    case_id INTEGER NOT NULL PRIMARY KEY REFERENCES crisis_cases (id),
                    goals TEXT NOT NULL,            -- JSON array of strings
                    measures TEXT NOT NULL,         -- JSON array of {description, responsible_id}
                    status TEXT NOT NULL CHECK (status IN ('pending_approval', 'approved', 'rejected')),
                    updated_by TEXT NOT NULL,
                    updated_at_ms INTEGER NOT NULL,
                    approved_by TEXT NOT NULL DEFAULT ''
                );
                CREATE TABLE crisis_follow_ups (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id INTEGER REFERENCES crisis_cases (id),   -- NULL: after return, no open case
                    student_id TEXT NOT NULL,
                    school_id TEXT NOT NULL,
                    class_id TEXT NOT NULL,
                    due_on TEXT NOT NULL,
                    done_on TEXT NOT NULL DEFAULT '',
                    summary TEXT NOT NULL DEFAULT '',
                    recorded_by TEXT NOT NULL DEFAULT '',
                    recorded_at_ms INTEGER NOT NULL DEFAULT 0,
                    origin TEXT NOT NULL CHECK (origin IN ('plan', 'return', 'extra'))
                );
                CREATE INDEX crisis_follow_ups_due ON crisis_follow_ups (done_on, due_on);
                CREATE INDEX crisis_follow_ups_by_case ON crisis_follow_ups (case_id, due_on);
                CREATE INDEX crisis_follow_ups_by_student ON crisis_follow_ups (student_id);
                CREATE TABLE crisis_approvals (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id INTEGER NOT NULL REFERENCES crisis_cases (id),
                    subject TEXT NOT NULL CHECK (subject IN ('plan', 'closure', 'removal')),
                    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
                    reason TEXT NOT NULL,
                    requested_by TEXT NOT NULL,
                    requested_at_ms INTEGER NOT NULL,
                    decided_by TEXT NOT NULL DEFAULT '',
                    decided_at_ms INTEGER NOT NULL DEFAULT 0,
                    comment TEXT NOT NULL DEFAULT ''
                );
                CREATE INDEX crisis_approvals_by_case ON crisis_approvals (case_id, id);
                """)
        },
        NamedMigration("v1-notes-referrals-leave") { db in
            try db.execute(sql: """
                CREATE TABLE crisis_notes (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id INTEGER NOT NULL REFERENCES crisis_cases (id),
                    student_id TEXT NOT NULL,
                    text TEXT NOT NULL,
                    author TEXT NOT NULL,
                    written_at_ms INTEGER NOT NULL
                );
                CREATE INDEX crisis_notes_by_case ON crisis_notes (case_id, id);
                CREATE TABLE crisis_referrals (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id INTEGER NOT NULL REFERENCES crisis_cases (id),
                    student_id TEXT NOT NULL,
                    school_id TEXT NOT NULL,
                    class_id TEXT NOT NULL,
                    agency TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    urgent INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    outcome TEXT NOT NULL DEFAULT '',
                    requested_by TEXT NOT NULL,
                    requested_at_ms INTEGER NOT NULL,
                    updated_at_ms INTEGER NOT NULL
                );
                CREATE INDEX crisis_referrals_by_case ON crisis_referrals (case_id);
                CREATE INDEX crisis_referrals_by_student ON crisis_referrals (student_id);
                CREATE TABLE crisis_leaves (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    student_id TEXT NOT NULL,
                    school_id TEXT NOT NULL,
                    class_id TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('on_leave', 'return_applied', 'assessed', 'returned')),
                    started_on TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    return_applied_on TEXT NOT NULL DEFAULT '',
                    return_note TEXT NOT NULL DEFAULT '',
                    assessed_on TEXT NOT NULL DEFAULT '',
                    assessment_fit INTEGER NOT NULL DEFAULT 0,
                    assessment_summary TEXT NOT NULL DEFAULT '',
                    prevention_plan TEXT NOT NULL DEFAULT '[]',
                    returned_on TEXT NOT NULL DEFAULT '',
                    updated_at_ms INTEGER NOT NULL
                );
                CREATE UNIQUE INDEX crisis_leaves_one_active ON crisis_leaves (student_id) WHERE status <> 'returned';
                CREATE TABLE crisis_external_entries (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    student_id TEXT NOT NULL,
                    kind TEXT NOT NULL,             -- 'visit' or 'referral'
                    at_ms INTEGER NOT NULL,
                    summary TEXT NOT NULL,
                    ref TEXT NOT NULL
                );
                CREATE INDEX crisis_external_by_student ON crisis_external_entries (student_id, at_ms);
                """)
        },
        NamedMigration("v2-screening-round-students") { db in
            // GetStatistics counts distinct students per round. With (round_id, school_id,
            // student_id) alone SQLite sorted every row of the round in a temporary B-tree:
            // 230 ms at 400,000 results. In (round_id, student_id) order the count streams: 80 ms.
            try db.execute(sql: "CREATE INDEX crisis_screening_round_students ON crisis_screening_results (round_id, student_id)")
        },
        NamedMigration("v2-referral-legal-basis") { db in
            // Nothing leaves the school without a recorded basis: consent or an emergency.
            try db.execute(sql: """
                ALTER TABLE crisis_referrals ADD COLUMN legal_basis TEXT NOT NULL DEFAULT '';
                ALTER TABLE crisis_referrals ADD COLUMN consent_by TEXT NOT NULL DEFAULT '';
                ALTER TABLE crisis_referrals ADD COLUMN consent_on TEXT NOT NULL DEFAULT '';
                ALTER TABLE crisis_referrals ADD COLUMN consent_record TEXT NOT NULL DEFAULT '';
                ALTER TABLE crisis_referrals ADD COLUMN emergency_reason TEXT NOT NULL DEFAULT '';
                """)
        },
    ] + CrisisSchemaRound2.migrations + [
        // After round 2: its rebuild of crisis_approvals would drop an index made before it.
        NamedMigration("v3-concern-outcomes-and-owners") { db in
            // The heart-grid loop closes: what psych staff concluded, and whose list an escalated
            // concern is on (the school's psych lead, then the growth centre). Indexes serve a
            // mentor's own list and the owners' lists.
            try db.execute(sql: """
                ALTER TABLE crisis_concerns ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
                ALTER TABLE crisis_concerns ADD COLUMN outcome_note TEXT NOT NULL DEFAULT '';
                ALTER TABLE crisis_concerns ADD COLUMN outcome_by TEXT NOT NULL DEFAULT '';
                ALTER TABLE crisis_concerns ADD COLUMN outcome_at_ms INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE crisis_concerns ADD COLUMN outcome_case_id INTEGER;
                ALTER TABLE crisis_concerns ADD COLUMN outcome_referral_id INTEGER;
                ALTER TABLE crisis_concerns ADD COLUMN escalated_to TEXT NOT NULL DEFAULT '';
                ALTER TABLE crisis_concerns ADD COLUMN owner_id TEXT NOT NULL DEFAULT '';
                ALTER TABLE crisis_concerns ADD COLUMN centre_due_ms INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE crisis_concerns ADD COLUMN centre_escalated_at_ms INTEGER NOT NULL DEFAULT 0;
                CREATE INDEX crisis_concerns_by_raiser ON crisis_concerns (raised_by, id);
                CREATE INDEX crisis_concerns_by_owner ON crisis_concerns (owner_id, status);
                CREATE INDEX crisis_concerns_by_escalation ON crisis_concerns (status, escalated_to);
                """)
        },
        NamedMigration("v3-workbench-indexes") { db in
            // ListMyWork reads each source by school within the caller's scope (≤ 20 ms p99 for a
            // school of 3,000 students): these keep every source an index search, not a scan.
            try db.execute(sql: """
                CREATE INDEX crisis_concerns_by_school ON crisis_concerns (school_id, status, acknowledge_due_ms);
                CREATE INDEX crisis_follow_ups_by_school_due ON crisis_follow_ups (school_id, done_on, due_on);
                CREATE INDEX crisis_approvals_pending_by_case ON crisis_approvals (status, case_id);
                CREATE INDEX crisis_leaves_by_status ON crisis_leaves (status, school_id);
                """)
        },
    ]
}
