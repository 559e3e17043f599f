import CFuzzDriver
import XinyuCrisisCore
import XinyuDomainKit
import XinyuFacilitiesCore
@testable import XinyuHost
import XinyuHomeschoolCore
import XinyuPartnershipCore
import XinyuTrainingCore

/// The program's entry in a debug build, where SwiftPM points `main` here: runs libFuzzer on
/// ``fuzzSettings(_:_:)``. (A release build links libFuzzer's own `main`, which finds
/// `LLVMFuzzerTestOneInput`.)
@_cdecl("FuzzSettings_main")
public func fuzzSettingsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzSettings(data!, size) }
}

/// libFuzzer entry: the input is a settings file behind a reader byte. The first byte picks
/// who reads it: 0 the host's `xinyu.toml` (``HostConfiguration``), 1 `roles.toml`, 2–6 the
/// plugins' settings (crisis, training, facilities, homeschool, partnership), 7 a walk that
/// reads every key of every table with every typed accessor of ``SettingsTable``. Every reader
/// parses through ``SettingsTable/parse(_:source:)``: toml++ through TOMLKit, instrumented too.
///
/// A refused file must be refused with an error naming where the problem is (a
/// ``SettingsError`` with a source and a problem, or a reader's own error with a message);
/// a type mismatch must be an error, not a trap. Any trap is a crash libFuzzer keeps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSettings(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let first = bytes.first else { return 0 }
    let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
    do {
        switch first % 8 {
        case 0: _ = try HostConfiguration.parse(text, source: "xinyu.toml")
        case 1: _ = try RolesFile.parse(text, source: "roles.toml")
        case 2: _ = try CrisisConfiguration.parse(text, source: "crisis.toml")
        case 3: _ = try TrainingConfiguration.parse(text, source: "training.toml")
        case 4: _ = try FacilitiesConfiguration.read(SettingsTable.parse(text, source: "facilities.toml"))
        case 5: _ = try HomeschoolConfiguration.read(SettingsTable.parse(text, source: "homeschool.toml"))
        case 6: _ = try PartnershipConfiguration.read(SettingsTable.parse(text, source: "partnership.toml"))
        default: walk(try SettingsTable.parse(text, source: "walk.toml"), depth: 0)
        }
    } catch let error as SettingsError {
        guard !error.source.isEmpty, !error.problem.isEmpty else { fatalError("a settings error without a place: \(error)") }
        _ = error.description
    } catch {
        guard !"\(error)".isEmpty else { fatalError("an empty settings error (\(type(of: error)))") }
    }
    return 0
}

/// Reads every key of `table` with every accessor; type mismatches must be errors, not traps.
private func walk(_ table: SettingsTable, depth: Int) {
    guard depth < 8 else { return }
    do { try table.allowOnly(["a", "b"]) } catch { guard !error.problem.isEmpty else { fatalError("an unknown key without a problem") } }
    for key in table.keys {
        _ = table.has(key)
        _ = try? table.string(key)
        _ = try? table.bool(key)
        _ = try? table.int(key, in: -100...100)
        _ = try? table.double(key, in: -1.5...1.5)
        _ = try? table.strings(key)
        if let child = try? table.subtable(key) { walk(child, depth: depth + 1) }
        if let children = try? table.tables(key) { for child in children { walk(child, depth: depth + 1) } }
    }
}
