import CFuzzDriver
@testable import XinyuCSV

/// The program's entry in a debug build, where SwiftPM points `main` here: runs libFuzzer on
/// ``fuzzCSV(_:_:)``. (A release build links libFuzzer's own `main`, which finds
/// `LLVMFuzzerTestOneInput`.)
@_cdecl("FuzzCSV_main")
public func fuzzCSVMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzCSV(data!, size) }
}

/// libFuzzer entry: the input is an uploaded CSV file (UTF-8, UTF-8 with a BOM, GBK or junk),
/// read by ``CSVReader`` with a small field limit (first byte) so the "too wide" paths run too.
///
/// Invariants checked on every table read:
/// - no row keeps more than `maxFields` fields, and none is counted with fewer than it keeps;
/// - rows are in file order (strictly increasing lines) and the header names are non-empty,
///   trimmed and unique once normalised, and each is found by `column(_:)`;
/// - written back out as RFC 4180 (every field quoted), the table reads back the same.
/// Errors must describe themselves. Any trap or failed invariant is a crash libFuzzer keeps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let first = bytes.first else { return 0 }
    let maxFields = Int(first % 8) + 1
    let file = Array(bytes.dropFirst())
    let reader = CSVReader(maxBytes: 1 << 20, maxFields: maxFields)
    let table: CSVTable
    do {
        table = try reader.read(file)
    } catch {
        _ = error.description
        return 0
    }
    check(table, maxFields: maxFields)

    let again: CSVTable
    do {
        again = try CSVReader(maxBytes: 8 << 20, maxFields: maxFields).read(written(table))
    } catch {
        fatalError("a table written back out does not read: \(error)")
    }
    guard again.header == table.header else { fatalError("header changed on a round trip: \(table.header) -> \(again.header)") }
    guard again.rows.map(\.fields) == table.rows.filter(keepsAValue).map(\.fields) else { fatalError("rows changed on a round trip") }
    return 0
}

private func check(_ table: CSVTable, maxFields: Int) {
    guard !table.header.isEmpty, table.header.count <= maxFields else { fatalError("header of \(table.header.count) names, limit \(maxFields)") }
    var seen = Set<String>()
    for (index, name) in table.header.enumerated() {
        guard !name.isEmpty, HeaderKey.trim(name) == name else { fatalError("header name \(index) is empty or untrimmed") }
        guard seen.insert(HeaderKey.normalize(name)).inserted else { fatalError("duplicate header name passed") }
        guard let found = table.column(name), found <= index else { fatalError("header name \(index) not found by column()") }
    }
    var line = 0
    for row in table.rows {
        guard row.line > line else { fatalError("row lines out of order: \(row.line) after \(line)") }
        line = row.line
        guard row.fields.count <= maxFields, row.foundFieldCount >= row.fields.count else {
            fatalError("row keeps \(row.fields.count) fields of \(row.foundFieldCount), limit \(maxFields)")
        }
        guard row.fields.contains(where: { !$0.isEmpty }) || row.foundFieldCount > maxFields else { fatalError("a blank row was kept") }
        _ = table.shapeProblem(of: row)
        _ = row[-1]
        _ = row[maxFields]
    }
}

/// The table as a UTF-8 CSV file with every field quoted. Built on bytes, not Characters: a
/// quote followed by a combining mark is one Character but still a quote to the parser.
private func written(_ table: CSVTable) -> [UInt8] {
    var out: [UInt8] = []
    func row(_ fields: [String]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(0x2C) }
            out.append(0x22)
            for byte in field.utf8 {
                out.append(byte)
                if byte == 0x22 { out.append(0x22) }
            }
            out.append(0x22)
        }
        out.append(contentsOf: [0x0D, 0x0A])
    }
    row(table.header)
    // A row whose kept fields are all empty (its values were past the limit) reads back as blank.
    for r in table.rows where keepsAValue(r) { row(r.fields) }
    return out
}

private func keepsAValue(_ row: CSVRow) -> Bool { row.fields.contains { !$0.isEmpty } }
