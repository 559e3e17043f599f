import Testing
import XinyuDomainKit
import XinyuTrainingCore

/// Coverage figures, the assessment formula, terms, certificate rows and settings.
@Suite("Coverage and rules")
struct CoverageTests {
    @Test("a small known roster: C share, B share of class teachers, psych teacher, grid coverage, hours")
    func knownRoster() {
        let staff = [
            StaffFacts(id: "T1", schoolID: "A", roles: ["class_teacher"]),
            StaffFacts(id: "T2", schoolID: "A", roles: ["class_teacher", "mentor"]),
            StaffFacts(id: "T3", schoolID: "A", roles: ["psych_teacher_full_time"]),
            StaffFacts(id: "T4", schoolID: "A", roles: ["mentor"]),
        ]
        let f = CoverageCalculator().figures(schoolID: "A", staff: staff, cHolders: ["T1", "T3"], bHolders: ["T2"],
                                             hours: ["T1": 24, "T2": 16], students: 40, mentorLoads: ["T2": 15, "T4": 10, "X9": 7])
        #expect(f.teachers == 4 && f.teachersWithC == 3 && f.cShare == 0.75)
        #expect(f.classTeachers == 2 && f.classTeachersWithB == 1 && f.bShare == 0.5)
        #expect(f.fullTimePsychTeachers == 1 && f.schoolsWithPsychTeacher == 1)
        #expect(f.trainingHoursPerTeacher == 10)
        #expect(f.mentors == 2 && f.studentsWithMentor == 25 && f.gridCoverage == 0.625 && f.meanMentorLoad == 12.5 && f.maxMentorLoad == 15)
        var city = SchoolFigures()
        city.add(f)
        city.add(CoverageCalculator().figures(schoolID: "B", staff: [StaffFacts(id: "U1", schoolID: "B", roles: [])], cHolders: [], bHolders: [],
                                              hours: [:], students: 10, mentorLoads: [:]))
        #expect(city.schools == 2 && city.schoolsWithPsychTeacher == 1 && city.teachers == 5 && city.cShare == 0.6)
    }

    @Test("the assessment figure is full marks × min(1, share / target), 0 below the floor", arguments: [
        (0.3, 5.0), (0.6, 10.0), (0.9, 10.0), (0.0, 0.0),
    ])
    func assessment(share: Double, expected: Double) {
        #expect(abs(AssessmentFormula().score(bShare: share) - expected) < 1e-9)
        #expect(AssessmentFormula(fullMarks: 10, targetShare: 0.6, floorShare: 0.4).score(bShare: 0.3) == 0)
    }

    @Test("settings: defaults, overrides, and a misspelt key named")
    func settings() throws {
        #expect(try TrainingConfiguration.parse("", source: "training.toml") == .default)
        let c = try TrainingConfiguration.parse("grid_ratio = 12\n[assessment]\ntarget_share = 0.5\n", source: "training.toml")
        #expect(c.gridRatio == 12 && c.assessment.targetShare == 0.5)
        #expect(throws: SettingsError.self) { try TrainingConfiguration.parse("grid_ration = 12", source: "training.toml") }
        #expect(throws: SettingsError.self) { try TrainingConfiguration.parse("grid_ratio = 0", source: "training.toml") }
    }

    @Test("terms: September–January is the first, February–August the second; months so far")
    func terms() {
        #expect(SchoolTerm(containing: CalendarDay("2026-01-15")!).description == "2025-2026-1")
        #expect(SchoolTerm(containing: CalendarDay("2026-03-02")!).description == "2025-2026-2")
        #expect(SchoolTerm(containing: CalendarDay("2026-09-01")!).description == "2026-2027-1")
        #expect(SchoolTerm("2025-2026-2")!.months(through: CalendarDay("2026-04-10")!) == ["2026-02", "2026-03", "2026-04"])
        #expect(SchoolTerm("2025-2027-1") == nil)
    }

    @Test("certificate rows: level, dates and required columns checked by column")
    func certificateRows() {
        let good = CertificateRow(line: 2, values: ["staff_id": "T1", "level": "B证", "number": "N1", "issued_on": "2024/5/6"], shapeProblem: nil)
        #expect(good.problems.isEmpty && good.level == "B" && good.issuedOn?.description == "2024-05-06")
        let bad = CertificateRow(line: 3, values: ["staff_id": "T1", "level": "A", "number": "", "issued_on": "2024-05-06", "expires_on": "2020-01-01"], shapeProblem: nil)
        #expect(Set(bad.problems.map(\.field)) == ["level", "number", "expires_on"])
        #expect(CertificateNumber.expiry(issuedOn: CalendarDay("2024-02-29")!, years: 5)?.description == "2029-02-27")
    }
}
