import GRDB
import XinyuStore

/// The directory's tables, as named migrations.
///
/// Never edit or rename a migration here once it has shipped: files that already applied it
/// would never see the edit. Append a new "v2-…" migration instead.
enum DirectorySchema {
    /// Migrations in the order they must apply (a table before the tables that reference it).
    static let migrations: [NamedMigration] = [
        NamedMigration("v1-schools") { db in
            // Enum values are stored as their lower-case names, not proto numbers, so other
            // readers of the shared file can make sense of them without the proto.
            try db.execute(sql: """
                CREATE TABLE directory_schools (
                    id TEXT NOT NULL PRIMARY KEY,
                    name TEXT NOT NULL,
                    district TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('primary', 'junior', 'senior', 'vocational')),
                    sub_centre INTEGER NOT NULL DEFAULT 0 CHECK (sub_centre IN (0, 1)),
                    updated_at_ms INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX directory_schools_by_district ON directory_schools (district, id);
                CREATE INDEX directory_schools_by_kind ON directory_schools (kind, id);
                """)
        },
        NamedMigration("v1-staff") { db in
            // Roles live in a join table so ListStaff can filter by role through an index.
            try db.execute(sql: """
                CREATE TABLE directory_staff (
                    id TEXT NOT NULL PRIMARY KEY,
                    name TEXT NOT NULL,
                    school_id TEXT REFERENCES directory_schools (id),  -- NULL: city-level staff
                    updated_at_ms INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX directory_staff_by_school ON directory_staff (school_id, id);
                CREATE TABLE directory_staff_roles (
                    staff_id TEXT NOT NULL REFERENCES directory_staff (id) ON DELETE CASCADE,
                    role TEXT NOT NULL,
                    PRIMARY KEY (staff_id, role)
                ) WITHOUT ROWID;
                CREATE INDEX directory_staff_roles_by_role ON directory_staff_roles (role, staff_id);
                """)
        },
        NamedMigration("v1-classes") { db in
            // UNIQUE (id, school_id) is the target of the students' composite foreign key, which
            // makes "a student's class is in the student's school" a rule the database enforces.
            try db.execute(sql: """
                CREATE TABLE directory_classes (
                    id TEXT NOT NULL PRIMARY KEY,
                    school_id TEXT NOT NULL REFERENCES directory_schools (id),
                    grade INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 12),
                    name TEXT NOT NULL,
                    homeroom_teacher_id TEXT REFERENCES directory_staff (id),
                    updated_at_ms INTEGER NOT NULL,
                    UNIQUE (id, school_id)
                ) WITHOUT ROWID;
                CREATE INDEX directory_classes_by_school ON directory_classes (school_id, grade, id);
                CREATE INDEX directory_classes_by_grade ON directory_classes (grade, id);
                CREATE INDEX directory_classes_by_teacher ON directory_classes (homeroom_teacher_id);
                """)
        },
        NamedMigration("v1-students") { db in
            try db.execute(sql: """
                CREATE TABLE directory_students (
                    id TEXT NOT NULL PRIMARY KEY,
                    name TEXT NOT NULL,
                    gender TEXT NOT NULL CHECK (gender IN ('female', 'male')),
                    birth_date TEXT NOT NULL,
                    school_id TEXT NOT NULL REFERENCES directory_schools (id),
                    class_id TEXT NOT NULL,
                    updated_at_ms INTEGER NOT NULL,
                    FOREIGN KEY (class_id, school_id) REFERENCES directory_classes (id, school_id)
                ) WITHOUT ROWID;
                CREATE INDEX directory_students_by_school ON directory_students (school_id, id);
                CREATE INDEX directory_students_by_class ON directory_students (class_id, id);
                """)
        },
        NamedMigration("v1-guardians") { db in
            // One guardian per (student, name): that is the key a re-imported roster is matched on.
            try db.execute(sql: """
                CREATE TABLE directory_guardians (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    student_id TEXT NOT NULL REFERENCES directory_students (id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    relation TEXT NOT NULL,
                    phone TEXT NOT NULL,
                    updated_at_ms INTEGER NOT NULL,
                    UNIQUE (student_id, name)
                );
                """)
        },
        NamedMigration("v2-grid-members") { db in
            // The heart grid (心网格): which mentor looks after which student. Plugins read it
            // through the SDK's DirectoryReader (and its grid scopes), never directly.
            try db.execute(sql: """
                CREATE TABLE directory_grid_members (
                    mentor_id TEXT NOT NULL REFERENCES directory_staff (id) ON DELETE CASCADE,
                    student_id TEXT NOT NULL REFERENCES directory_students (id) ON DELETE CASCADE,
                    updated_at_ms INTEGER NOT NULL,
                    PRIMARY KEY (mentor_id, student_id)
                );
                CREATE INDEX directory_grid_members_by_student ON directory_grid_members (student_id, mentor_id);
                """)
        },
        NamedMigration("v3-student-national-id") { db in
            // The national student number (全国学籍号) is not the city's student id: the
            // provincial export and the health-data cross-check match on it. Empty when unknown;
            // no two students share one that is set.
            try db.execute(sql: """
                ALTER TABLE directory_students ADD COLUMN national_student_id TEXT NOT NULL DEFAULT '';
                CREATE UNIQUE INDEX directory_students_by_national_id ON directory_students (national_student_id) WHERE national_student_id <> '';
                """)
        },
    ]
}
