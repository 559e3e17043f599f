import Foundation
import GRDB

extension CitySeeder {
    /// Levels, history, cases, plans, follow-ups and one earlier screening round.
    func seedCrisis(_ db: Database, now: Int64, rng: inout SplitMix64, summary: inout Summary) throws {
        let level = try db.makeStatement(sql: """
            INSERT INTO crisis_levels (student_id, school_id, class_id, level, explanation, since_day, review_due, source, updated_by, updated_at_ms)
            VALUES (?, ?, ?, ?, ?, '2024-10-08', ?, 'screening', 'seed', ?)
            """)
        let change = try db.makeStatement(sql: """
            INSERT INTO crisis_level_changes (student_id, school_id, class_id, from_level, to_level, explanation, reason, evidence, source, changed_by, changed_at_ms)
            VALUES (?, ?, ?, 0, ?, ?, 'screening round 2024-spring', 'screening', 'screening', 'seed', ?)
            """)
        let openCase = try db.makeStatement(sql: """
            INSERT INTO crisis_cases (student_id, school_id, class_id, level, tier, status, owner_id, opened_by, opened_at_ms, assign_due_at_ms, assigned_at_ms, reason)
            VALUES (?, ?, ?, ?, ?, 'open', ?, 'seed', ?, ?, ?, 'level from screening')
            """)
        let plan = try db.makeStatement(sql: """
            INSERT INTO crisis_plans (case_id, goals, measures, status, updated_by, updated_at_ms, approved_by)
            VALUES (?, '["weekly check-in"]', '[]', ?, 'seed', ?, ?)
            """)
        let followUp = try db.makeStatement(sql: """
            INSERT INTO crisis_follow_ups (case_id, student_id, school_id, class_id, due_on, done_on, summary, recorded_by, recorded_at_ms, origin)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'plan')
            """)
        let result = try db.makeStatement(sql: """
            INSERT INTO crisis_screening_results (student_id, school_id, class_id, round_id, instrument_id, instrument_version, answers, extras, total, prorated, band, flags, explanation, suggested_level, taken_on, recorded_by, recorded_at_ms)
            VALUES (?, ?, ?, '2024-spring', 'phq-a', '1', ?, '{}', ?, 0, ?, '', ?, ?, '2024-04-10', 'seed', ?)
            """)
        for n in 0..<shape.students {
            let c = shape.classOf(student: n)
            let student = CityShape.studentID(n)
            let school = CityShape.schoolID(shape.school(ofClass: c))
            let klass = CityShape.classID(c)
            // Per mille: 3 at level 1, 12 at level 2, 35 at level 3.
            let draw = rng.next() % 1000
            let lvl = draw < 3 ? 1 : draw < 15 ? 2 : draw < 50 ? 3 : 0
            var answers = (0..<9).map { _ in Int(rng.next() % 2) }
            if lvl > 0 { answers = answers.map { $0 + (3 - lvl) } }
            let total = answers.reduce(0, +)
            try result.execute(arguments: [
                student, school, klass, "[" + answers.map(String.init).joined(separator: ",") + "]", total,
                lvl == 0 ? "minimal" : "moderate", "PHQ-A total \(total)", lvl, now,
            ])
            summary.screeningResults += 1
            guard lvl > 0 else { continue }
            let explanation = "PHQ-A total \(total) → level \(lvl)"
            try level.execute(arguments: [student, school, klass, lvl, explanation, "2025-0\(lvl + 1)-08", now])
            try change.execute(arguments: [student, school, klass, lvl, explanation, now])
            summary.levelled += 1
            guard lvl <= 2 else { continue }
            let owner = "T-\(school)-1"
            try openCase.execute(arguments: [student, school, klass, lvl, lvl == 1 ? 3 : 2, owner, now, now + 86_400_000, now])
            let caseID = db.lastInsertedRowID
            summary.openCases += 1
            summary.openCaseIDs.append(caseID)
            // 70 % approved plans, 20 % pending, 10 % none yet.
            let p = rng.next() % 10
            if p < 9 { try plan.execute(arguments: [caseID, p < 7 ? "approved" : "pending_approval", now, p < 7 ? "T-\(school)-0" : ""]) }
            for week in 1...4 {
                let done = week <= 2
                try followUp.execute(arguments: [
                    caseID, student, school, klass, "2024-10-\(7 + week * 5)", done ? "2024-10-\(7 + week * 5)" : "",
                    done ? "talked with student" : "", done ? owner : "", done ? now : 0,
                ])
                summary.followUps += 1
            }
        }
    }
}
