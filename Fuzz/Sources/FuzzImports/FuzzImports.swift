import CFuzzDriver
import Foundation
import GRDB
@testable import XinyuCrisis
import XinyuCrisisCore
@testable import XinyuDirectory
import XinyuCSV
import XinyuPluginSDK

/// The program's entry in a debug build, where SwiftPM points `main` here: runs libFuzzer on
/// ``fuzzImports(_:_:)``. (A release build links libFuzzer's own `main`, which finds
/// `LLVMFuzzerTestOneInput`.)
@_cdecl("FuzzImports_main")
public func fuzzImportsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzImports(data!, size) }
}

/// libFuzzer entry: the input is one import file behind a kind byte. The first byte picks what
/// reads it: 0–4 a directory roster (schools, classes, students, guardians, staff) checked the way
/// `ImportRoster` checks it — columns, every row, references against a small seeded directory,
/// duplicates — and 5 a crisis screening round read and scored the way `ImportScreeningRound` does.
///
/// Nothing is written: what is fuzzed is the reading and checking of hostile files, which runs
/// before any write. A whole-file problem must be an `RPCError` naming a field, as callers see it.
/// Any trap is a crash libFuzzer keeps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImports(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let first = bytes.first else { return 0 }
    let file = Array(bytes.dropFirst())
    let table: CSVTable
    do {
        table = try CSVReader(maxBytes: 1 << 20, maxFields: 64).read(file)
    } catch {
        return 0
    }
    do {
        switch first % 6 {
        case 0: try checkRoster(SchoolRoster.self, table)
        case 1: try checkRoster(ClassRoster.self, table)
        case 2: try checkRoster(StudentRoster.self, table)
        case 3: try checkRoster(GuardianRoster.self, table)
        case 4: try checkRoster(StaffRoster.self, table)
        default: try checkScreening(table)
        }
    } catch let error as RPCError {
        guard error.code == .invalidArgument, !error.message.isEmpty else { fatalError("an import file was refused with \(error.code): \(error.message)") }
    } catch {
        fatalError("an import file failed with \(type(of: error)): \(error)")
    }
    return 0
}

private let today = CalendarDay("2026-09-01")!

/// A directory of one school with one class, a student, a homeroom teacher and a counsellor, so
/// rows that name them pass the reference checks and go on to the duplicate checks.
private let directory: DatabaseQueue = {
    do {
        let queue = try DatabaseQueue()
        try queue.write { db in
            for migration in DirectorySchema.migrations { try migration.apply(db) }
            try DirectorySeed.school(db, id: "SCH1", name: "第一中学", district: "东城区", kind: "junior")
            try DirectorySeed.staff(db, id: "T1", name: "王老师", schoolID: "SCH1", roles: ["class_teacher"])
            try DirectorySeed.staff(db, id: "T2", name: "李老师", schoolID: "SCH1", roles: ["psych_teacher"])
            try DirectorySeed.schoolClass(db, id: "C1", schoolID: "SCH1", grade: 7, name: "初一(1)班", homeroomTeacherID: "T1")
            try DirectorySeed.student(db, id: "S1", name: "张小明", gender: "male", birthDate: "2013-04-23", schoolID: "SCH1", classID: "C1")
        }
        return queue
    } catch {
        fatalError("could not seed the fuzz directory: \(error)")
    }
}()

private func checkRoster<Format: RosterFormat>(_ format: Format.Type, _ table: CSVTable) throws {
    let columns = try ResolvedColumns(Format.columns, in: table, kind: Format.kind)
    // The ids the file refers to, as `RosterImporter.referencedIDs` collects them.
    var wanted: [RosterReference: Set<String>] = [:]
    for column in Format.columns {
        guard let reference = column.references, let index = columns.index(of: column.field) else { continue }
        for row in table.rows { if let value = row[index] { wanted[reference, default: []].insert(FieldRules.trimmed(value)) } }
    }
    let snapshot = try directory.read { db in try RosterSnapshot.load(db, wanted: wanted) }
    let validator = RosterRowValidator<Format>(table: table, columns: columns, snapshot: snapshot, today: today)
    _ = validator.absentFields
    var reported = 0
    let outcome = try validator.run { done in
        guard done == reported + 1 else { fatalError("progress went from \(reported) to \(done)") }
        reported = done
    }
    guard outcome.good.count + outcome.badRows == table.rows.count else {
        fatalError("\(outcome.good.count) good + \(outcome.badRows) bad rows of \(table.rows.count)")
    }
    guard (outcome.badRows == 0) == (outcome.errors.count == 0) else { fatalError("bad rows without errors, or errors without bad rows") }
    for error in outcome.errors.report where error.problem.isEmpty { fatalError("a row error without a problem on line \(error.line)") }
    // Every good record has the identity the duplicate check keys it by.
    for record in outcome.good where Format.identity(record).key.isEmpty { fatalError("a good \(Format.kind) row without an identity") }
}

/// The crisis plugin's settings as shipped, with the built-in instruments.
private let crisis: CrisisConfiguration = {
    let path = String(#filePath).split(separator: "/").dropLast(4).joined(separator: "/")
    do {
        return try CrisisConfiguration.parse(try String(contentsOfFile: "/\(path)/Config/plugins/crisis.toml", encoding: .utf8), source: "crisis.toml")
    } catch {
        fatalError("could not read Config/plugins/crisis.toml: \(error)")
    }
}()

private func checkScreening(_ table: CSVTable) throws {
    let columns = try ScreeningRoundImport.Columns(table: table, defaultInstrument: "phq-9", catalog: crisis.catalog)
    let scorer = ScreeningScorer(configuration: crisis)
    let known = StudentFacts(id: "S1", schoolID: "SCH1", classID: "C1")
    for row in table.rows {
        let entry = columns.entry(from: row, table: table, roundID: "2026-autumn")
        guard entry.line == Int64(row.line) else { fatalError("entry of line \(row.line) says line \(entry.line)") }
        for problem in entry.readProblems where problem.field.isEmpty || problem.message.isEmpty {
            fatalError("a read problem without a field or message on line \(row.line)")
        }
        let outcome = scorer.score(
            studentID: entry.studentID, instrumentID: entry.instrumentID, answers: entry.answers, extras: entry.extras,
            roundID: entry.roundID, takenOn: entry.takenOn, student: entry.studentID == "S1" ? known : nil, today: today)
        switch outcome {
        case .rejected(let problems):
            if problems.isEmpty { fatalError("a row was rejected without a problem") }
        case .scored(let submission):
            guard submission.student.id == "S1" else { fatalError("a row of an unknown student was scored") }
        }
    }
}
