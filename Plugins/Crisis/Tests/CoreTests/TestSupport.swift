@testable import XinyuCrisisCore
import XinyuDomainKit

/// Item answers adding up to `total`, filling items from the first with `max`
/// each, so the last item (PHQ item 9) stays 0 until the others are full.
func answers(total: Int, items: Int, max: Int = 3) -> [Int?] {
    var left = total
    return (0..<items).map { _ in
        let value = min(max, left)
        left -= value
        return value
    }
}

func score(_ id: String, _ items: [Int?], extras: [String: Bool] = [:]) throws -> ScoreResult {
    try InstrumentCatalog.builtIn.score(instrumentID: id, answers: ScreeningAnswers(items: items, extras: extras))
}

/// Catches the error thrown by `body` as `E`, or nil.
func caught<E: Error, T>(_ type: E.Type, _ body: () throws -> T) -> E? {
    do {
        _ = try body()
        return nil
    } catch let error as E {
        return error
    } catch {
        return nil
    }
}
