import GRDB
import XinyuPluginSDK
import XinyuTrainingAPI

/// The training plugin's tables (all prefixed `training_`), as named migrations.
///
/// Never edit a migration once shipped; append "v2-…". Staff facts (school, roles) and heart-grid
/// membership are read from the directory, never copied here: a teacher who changes school is
/// counted at the new one, and grid data scopes have one source of truth.
enum TrainingSchema {
    static let migrations: [NamedMigration] = [
        NamedMigration("v1-courses") { db in
            try db.execute(sql: """
                CREATE TABLE training_courses (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL \(Xinyu_Training_V1_CourseKind.checkClause("kind")),
                    title TEXT NOT NULL,
                    created_by TEXT NOT NULL,
                    created_at_ms INTEGER NOT NULL
                );
                CREATE TABLE training_sessions (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    course_id INTEGER NOT NULL REFERENCES training_courses (id),
                    starts_on TEXT NOT NULL,
                    ends_on TEXT NOT NULL,
                    place TEXT NOT NULL,
                    trainer TEXT NOT NULL,
                    capacity INTEGER NOT NULL CHECK (capacity > 0),
                    hours REAL NOT NULL CHECK (hours > 0),
                    created_at_ms INTEGER NOT NULL
                );
                CREATE INDEX training_sessions_by_course ON training_sessions (course_id, id);
                """)
        },
        NamedMigration("v1-enrolments") { db in
            // One row per person and session. `seq` orders the waitlist (first come, first served).
            try db.execute(sql: """
                CREATE TABLE training_enrolments (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    session_id INTEGER NOT NULL REFERENCES training_sessions (id),
                    staff_id TEXT NOT NULL,
                    status TEXT NOT NULL \(Xinyu_Training_V1_EnrolmentStatus.checkClause("status")),
                    enrolled_at_ms INTEGER NOT NULL,
                    updated_at_ms INTEGER NOT NULL,
                    UNIQUE (session_id, staff_id)
                );
                CREATE INDEX training_enrolments_by_status ON training_enrolments (session_id, status, id);
                CREATE INDEX training_enrolments_by_staff ON training_enrolments (staff_id);
                CREATE TABLE training_attendance (
                    session_id INTEGER NOT NULL REFERENCES training_sessions (id),
                    staff_id TEXT NOT NULL,
                    day TEXT NOT NULL,
                    recorded_by TEXT NOT NULL,
                    PRIMARY KEY (session_id, staff_id, day)
                ) WITHOUT ROWID;
                CREATE TABLE training_completions (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    session_id INTEGER NOT NULL REFERENCES training_sessions (id),
                    staff_id TEXT NOT NULL,
                    hours REAL NOT NULL,
                    completed_on TEXT NOT NULL,
                    completed_by TEXT NOT NULL,
                    UNIQUE (session_id, staff_id)
                );
                CREATE INDEX training_completions_by_day ON training_completions (completed_on, staff_id);
                """)
        },
        NamedMigration("v1-certificates") { db in
            // completion_id is UNIQUE: one completion issues at most one certificate, whatever retries.
            try db.execute(sql: """
                CREATE TABLE training_certificates (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    number TEXT NOT NULL UNIQUE,
                    staff_id TEXT NOT NULL,
                    level TEXT NOT NULL \(Xinyu_Training_V1_CertificateLevel.checkClause("level")),
                    issued_on TEXT NOT NULL,
                    expires_on TEXT NOT NULL DEFAULT '',
                    session_id INTEGER NOT NULL DEFAULT 0,
                    completion_id INTEGER UNIQUE REFERENCES training_completions (id),
                    recorded_by TEXT NOT NULL,
                    recorded_at_ms INTEGER NOT NULL
                );
                CREATE INDEX training_certificates_by_staff ON training_certificates (staff_id, level, expires_on);
                CREATE INDEX training_certificates_by_expiry ON training_certificates (expires_on);
                """)
        },
        NamedMigration("v1-grid-log") { db in
            // Why grids changed (builds and manual reassignments). Membership itself lives in the
            // directory (directory_grid_members), written through its SetGrid.
            try db.execute(sql: """
                CREATE TABLE training_grid_changes (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    school_id TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('build', 'reassign')),
                    student_id TEXT NOT NULL DEFAULT '',
                    from_mentor TEXT NOT NULL DEFAULT '',
                    to_mentor TEXT NOT NULL DEFAULT '',
                    moved INTEGER NOT NULL,
                    reason TEXT NOT NULL,
                    changed_by TEXT NOT NULL,
                    changed_at_ms INTEGER NOT NULL
                );
                CREATE INDEX training_grid_changes_by_school ON training_grid_changes (school_id, id);
                """)
        },
        NamedMigration("v1-activities") { db in
            try db.execute(sql: """
                CREATE TABLE training_activities (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    school_id TEXT NOT NULL,           -- '' for a city activity
                    kind TEXT NOT NULL \(Xinyu_Training_V1_ActivityKind.checkClause("kind")),
                    title TEXT NOT NULL,
                    held_on TEXT NOT NULL,
                    term TEXT NOT NULL,
                    audience TEXT NOT NULL \(Xinyu_Training_V1_Audience.checkClause("audience")),
                    participants INTEGER NOT NULL,
                    recorded_by TEXT NOT NULL,
                    recorded_at_ms INTEGER NOT NULL
                );
                CREATE INDEX training_activities_by_term ON training_activities (term, school_id, kind);
                """)
        },
    ]
}
