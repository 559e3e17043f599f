import GRDB
import XinyuPartnershipAPI
import XinyuPartnershipCore
import XinyuPluginSDK

/// The partnership plugin's tables, all prefixed `partnership_`. Never edit a shipped migration.
enum PartnershipSchema {
    static var migrations: [NamedMigration] {
        [
            NamedMigration("v1-agencies-referrals-sessions-hotline") { db in
                try db.execute(sql: """
                    CREATE TABLE partnership_agencies (
                        id TEXT PRIMARY KEY,
                        kind TEXT NOT NULL \(Xinyu_Partnership_V1_AgencyKind.checkClause("kind")),
                        name TEXT NOT NULL,
                        contacts TEXT NOT NULL,          -- JSON array of strings
                        created_at_ms INTEGER NOT NULL
                    );
                    CREATE TABLE partnership_agreements (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        agency_id TEXT NOT NULL REFERENCES partnership_agencies (id),
                        signed_on TEXT NOT NULL,
                        expires_on TEXT NOT NULL,
                        scope TEXT NOT NULL
                    );
                    CREATE INDEX partnership_agreements_by_expiry ON partnership_agreements (expires_on, id);
                    CREATE TABLE partnership_stations (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        kind TEXT NOT NULL \(Xinyu_Partnership_V1_StationKind.checkClause("kind")),
                        agency_id TEXT NOT NULL REFERENCES partnership_agencies (id),
                        school_id TEXT NOT NULL,
                        name TEXT NOT NULL,
                        opened_on TEXT NOT NULL
                    );
                    CREATE TABLE partnership_referrals (
                        id TEXT PRIMARY KEY,             -- crisis's referral id
                        case_id TEXT NOT NULL,
                        agency_id TEXT NOT NULL,
                        student_id TEXT NOT NULL,
                        school_id TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        urgent INTEGER NOT NULL,
                        legal_basis TEXT NOT NULL CHECK (legal_basis IN ('guardian_consent', 'emergency')),
                        status TEXT NOT NULL \(ReferralState.checkClause("status")),
                        requested_at_ms INTEGER NOT NULL,
                        respond_by_ms INTEGER NOT NULL,
                        overdue INTEGER NOT NULL DEFAULT 0,
                        appointment_at TEXT NOT NULL DEFAULT '',
                        appointment_place TEXT NOT NULL DEFAULT '',
                        appointment_doctor TEXT NOT NULL DEFAULT '',
                        reason_code TEXT NOT NULL DEFAULT '',
                        successful INTEGER NOT NULL DEFAULT 0,
                        outcome TEXT NOT NULL DEFAULT '',
                        updated_at_ms INTEGER NOT NULL,
                        version INTEGER NOT NULL DEFAULT 1
                    );
                    CREATE INDEX partnership_referrals_by_agency ON partnership_referrals (agency_id, requested_at_ms, id);
                    CREATE INDEX partnership_referrals_overdue ON partnership_referrals (overdue, respond_by_ms);
                    -- One row per step of every referral, in commit order: WatchReferrals' cursor is seq.
                    CREATE TABLE partnership_referral_changes (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        referral_id TEXT NOT NULL REFERENCES partnership_referrals (id),
                        agency_id TEXT NOT NULL,
                        school_id TEXT NOT NULL,
                        student_id TEXT NOT NULL,
                        status TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        at_ms INTEGER NOT NULL,
                        snapshot BLOB NOT NULL           -- the Referral message as it stood after the step
                    );
                    CREATE INDEX partnership_referral_changes_by_agency ON partnership_referral_changes (agency_id, seq);
                    CREATE TABLE partnership_clinical_summaries (
                        referral_id TEXT PRIMARY KEY REFERENCES partnership_referrals (id),
                        diagnosis_summary TEXT NOT NULL,
                        return_recommendations TEXT NOT NULL,
                        written_by TEXT NOT NULL,
                        written_at_ms INTEGER NOT NULL
                    );
                    CREATE TABLE partnership_sessions (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        kind TEXT NOT NULL \(Xinyu_Partnership_V1_SessionKind.checkClause("kind")),
                        agency_id TEXT NOT NULL REFERENCES partnership_agencies (id),
                        starts_at TEXT NOT NULL,
                        experts TEXT NOT NULL,           -- JSON array of strings
                        capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 50)
                    );
                    CREATE TABLE partnership_bookings (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        session_id INTEGER NOT NULL REFERENCES partnership_sessions (id),
                        student_id TEXT NOT NULL,
                        school_id TEXT NOT NULL,
                        status TEXT NOT NULL \(Xinyu_Partnership_V1_BookingStatus.checkClause("status")),
                        booked_by TEXT NOT NULL,
                        at_ms INTEGER NOT NULL
                    );
                    CREATE INDEX partnership_bookings_by_session ON partnership_bookings (session_id, status, id);
                    CREATE TABLE partnership_hotline_calls (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        at_ms INTEGER NOT NULL,
                        caller_kind TEXT NOT NULL \(Xinyu_Partnership_V1_CallerKind.checkClause("caller_kind")),
                        topic TEXT NOT NULL,
                        risk TEXT NOT NULL \(Xinyu_Partnership_V1_CallRisk.checkClause("risk")),
                        counsellor TEXT NOT NULL,
                        student_id TEXT NOT NULL DEFAULT '',
                        school_id TEXT NOT NULL DEFAULT '',
                        concern_id TEXT NOT NULL DEFAULT ''
                    );
                    CREATE INDEX partnership_hotline_calls_by_time ON partnership_hotline_calls (at_ms, id);
                    """)
            },
            // The purposes an agreement covers (a referral goes only to an agency whose agreement
            // in force covers its purpose); '[]' covers every purpose, as agreements signed before did.
            NamedMigration("v2-agreement-purposes") { db in
                try db.execute(sql: "ALTER TABLE partnership_agreements ADD COLUMN purposes TEXT NOT NULL DEFAULT '[]'")
                try db.execute(sql: "CREATE INDEX partnership_agreements_by_agency ON partnership_agreements (agency_id, expires_on, id)")
            },
        ]
    }
}
