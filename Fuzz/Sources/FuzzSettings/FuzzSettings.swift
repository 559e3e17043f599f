import CFuzzDriver
import XinyuDomainKit

/// The program's entry in a debug build, where SwiftPM points `main` here: runs libFuzzer on
/// ``fuzzSettings(_:_:)``. (A release build links libFuzzer's own `main`, which finds
/// `LLVMFuzzerTestOneInput`.)
@_cdecl("FuzzSettings_main")
public func fuzzSettingsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzSettings(data!, size) }
}

/// libFuzzer entry: the input is a settings file (the first byte is ignored, so the committed
/// seeds keep one layout). It is parsed by ``SettingsTable/parse(_:source:)`` — toml++ through
/// TOMLKit, instrumented too — and then walked: every key of every table read with every typed
/// accessor, as the host's and the plugins' settings readers do.
///
/// A refused file must be refused with a ``SettingsError`` naming the file and the problem;
/// a type mismatch must be an error, not a trap. Any trap is a crash libFuzzer keeps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSettings(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard !bytes.isEmpty else { return 0 }
    let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
    do {
        walk(try SettingsTable.parse(text, source: "fuzz.toml"), depth: 0)
    } catch {
        guard !error.source.isEmpty, !error.problem.isEmpty else { fatalError("a settings error without a place: \(error)") }
        _ = error.description
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
