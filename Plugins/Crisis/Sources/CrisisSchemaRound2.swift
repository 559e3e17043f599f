import GRDB
import XinyuPluginSDK

/// The migrations of crisis round 2 (issue 12 §1, §3, §6), appended after ``CrisisSchema``'s.
/// Never edit one once shipped; append another.
enum CrisisSchemaRound2 {
    static let migrations: [NamedMigration] = [
        NamedMigration("v3-case-detection") { db in
            // How a case began, and when the level that opened it was detected: the assignment
            // deadline runs from detection, not from a manual OpenCase (issue 12 §1).
            try db.execute(sql: """
                ALTER TABLE crisis_cases ADD COLUMN origin TEXT NOT NULL DEFAULT 'manual';
                ALTER TABLE crisis_cases ADD COLUMN detected_at_ms INTEGER NOT NULL DEFAULT 0;
                UPDATE crisis_cases SET detected_at_ms = opened_at_ms;
                CREATE TABLE crisis_case_needs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    student_id TEXT NOT NULL,
                    school_id TEXT NOT NULL,
                    class_id TEXT NOT NULL,
                    level INTEGER NOT NULL,
                    tier INTEGER NOT NULL CHECK (tier BETWEEN 1 AND 3),
                    detected_at_ms INTEGER NOT NULL,
                    due_at_ms INTEGER NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('open', 'opened', 'withdrawn')),
                    case_id INTEGER REFERENCES crisis_cases (id),
                    reason TEXT NOT NULL,
                    resolved_by TEXT NOT NULL DEFAULT '',
                    resolved_at_ms INTEGER NOT NULL DEFAULT 0
                );
                CREATE UNIQUE INDEX crisis_case_needs_one_open ON crisis_case_needs (student_id) WHERE status = 'open';
                CREATE INDEX crisis_case_needs_due ON crisis_case_needs (status, due_at_ms);
                """)
        },
        NamedMigration("v3-approvals-by-student") { db in
            // A removal may concern a student who never had a case (case_id NULL), and the inbox
            // filters approvals by scope without a join: the table is rebuilt with the student's
            // ids and the plan version an approval decides.
            try db.execute(sql: """
                CREATE TABLE crisis_approvals_v3 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id INTEGER REFERENCES crisis_cases (id),   -- NULL: removal of a student without a case
                    student_id TEXT NOT NULL,
                    school_id TEXT NOT NULL,
                    class_id TEXT NOT NULL,
                    subject TEXT NOT NULL CHECK (subject IN ('plan', 'closure', 'removal')),
                    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
                    reason TEXT NOT NULL,
                    requested_by TEXT NOT NULL,
                    requested_at_ms INTEGER NOT NULL,
                    decided_by TEXT NOT NULL DEFAULT '',
                    decided_at_ms INTEGER NOT NULL DEFAULT 0,
                    comment TEXT NOT NULL DEFAULT '',
                    plan_version INTEGER NOT NULL DEFAULT 0
                );
                INSERT INTO crisis_approvals_v3 (id, case_id, student_id, school_id, class_id, subject, status, reason,
                    requested_by, requested_at_ms, decided_by, decided_at_ms, comment)
                SELECT a.id, a.case_id, c.student_id, c.school_id, c.class_id, a.subject, a.status, a.reason,
                    a.requested_by, a.requested_at_ms, a.decided_by, a.decided_at_ms, a.comment
                FROM crisis_approvals a JOIN crisis_cases c ON c.id = a.case_id;
                DROP TABLE crisis_approvals;
                ALTER TABLE crisis_approvals_v3 RENAME TO crisis_approvals;
                CREATE INDEX crisis_approvals_by_case ON crisis_approvals (case_id, id);
                CREATE INDEX crisis_approvals_by_student ON crisis_approvals (student_id, subject, status);
                CREATE INDEX crisis_approvals_pending ON crisis_approvals (status, requested_at_ms, id);
                """)
        },
        NamedMigration("v3-plan-revisions") { db in
            // Every saved version of a plan, and what became of it (issue 12 §3). Plans saved
            // before this migration become version 1 with their current status.
            try db.execute(sql: """
                CREATE TABLE crisis_plan_revisions (
                    case_id INTEGER NOT NULL REFERENCES crisis_cases (id),
                    version INTEGER NOT NULL,
                    goals TEXT NOT NULL,
                    measures TEXT NOT NULL,
                    follow_up_start TEXT NOT NULL DEFAULT '',
                    follow_up_interval_days INTEGER NOT NULL DEFAULT 0,
                    follow_up_count INTEGER NOT NULL DEFAULT 0,
                    status TEXT NOT NULL CHECK (status IN ('pending_approval', 'approved', 'rejected', 'superseded')),
                    saved_by TEXT NOT NULL,
                    saved_at_ms INTEGER NOT NULL,
                    decided_by TEXT NOT NULL DEFAULT '',
                    decided_at_ms INTEGER NOT NULL DEFAULT 0,
                    comment TEXT NOT NULL DEFAULT '',
                    PRIMARY KEY (case_id, version)
                ) WITHOUT ROWID;
                INSERT INTO crisis_plan_revisions (case_id, version, goals, measures, status, saved_by, saved_at_ms, decided_by)
                SELECT case_id, 1, goals, measures, status, updated_by, updated_at_ms, approved_by FROM crisis_plans;
                UPDATE crisis_approvals SET plan_version = 1 WHERE subject = 'plan';
                """)
        },
        NamedMigration("v3-safety-reviews") { db in
            // A review a psych teacher owes when a screening's safety questions were left
            // unanswered (issue 12 §6): at most one open per student.
            try db.execute(sql: """
                CREATE TABLE crisis_safety_reviews (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    student_id TEXT NOT NULL,
                    school_id TEXT NOT NULL,
                    class_id TEXT NOT NULL,
                    result_id INTEGER NOT NULL REFERENCES crisis_screening_results (id),
                    flags TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    requested_at_ms INTEGER NOT NULL,
                    due_at_ms INTEGER NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('open', 'done')),
                    done_by TEXT NOT NULL DEFAULT '',
                    done_at_ms INTEGER NOT NULL DEFAULT 0,
                    summary TEXT NOT NULL DEFAULT ''
                );
                CREATE UNIQUE INDEX crisis_safety_reviews_one_open ON crisis_safety_reviews (student_id) WHERE status = 'open';
                CREATE INDEX crisis_safety_reviews_due ON crisis_safety_reviews (status, due_at_ms);
                """)
        },
        NamedMigration("v3-screening-round-duplicates") { db in
            // Importing a round again skips rows whose student and instrument the round already
            // holds (issue 12 §6): looked up by (round, student, instrument).
            try db.execute(sql: """
                CREATE INDEX crisis_screening_round_student_instrument ON crisis_screening_results (round_id, student_id, instrument_id)
                """)
        },
    ]
}
