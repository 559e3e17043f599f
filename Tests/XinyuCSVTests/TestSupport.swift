@testable import XinyuCSV

/// UTF-8 bytes of a string literal, for building test files.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Reads a UTF-8 CSV literal with the default reader.
func read(_ text: String, reader: CSVReader = CSVReader()) throws(CSVError) -> CSVTable {
    try reader.read(bytes(text))
}

/// GBK bytes checked by hand with `printf '张伟' | iconv -f UTF-8 -t GBK | xxd`.
enum GBKBytes {
    static let zhangWei: [UInt8] = [0xD5, 0xC5, 0xCE, 0xB0]  // 张伟
    static let liNa: [UInt8] = [0xC0, 0xEE, 0xC4, 0xC8]      // 李娜
    static let xingMing: [UInt8] = [0xD0, 0xD5, 0xC3, 0xFB]  // 姓名
}

