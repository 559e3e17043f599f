import Foundation
import GRDB
import NIOConcurrencyHelpers
import NIOCore
import SwiftProtobuf
import XinyuCrisisAPI
import XinyuDirectory
import XinyuPluginSDK
import XinyuRPC
import XinyuStore
import XinyuWire

/// A growth-centre supervisor of school B only: may approve, but sees nothing of school A.
let supervisorOfB = Principal(id: "staff:G002", kind: .person, roles: ["growth_centre"], permissions: ["crisis.*"],
                              scopes: [DataScope(kind: "school", ids: ["B"])])

extension CrisisHarness {
    /// Milliseconds on the harness clock now.
    var nowMs: Int64 { Int64(clock.now().timeIntervalSince1970 * 1000) }

    /// Calls `method` with an idempotency key, as a client retrying a call would.
    func call<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: String, _ request: Request, as: Response.Type, key: String, principal: Principal = psych
    ) async throws -> Reply<Response> {
        let sent = NIOLockedValueBox<[ByteBuffer]>([])
        var start = Xinyu_Wire_V1_CallStart()
        start.method = "xinyu.crisis.v1.Crisis/\(method)"
        start.idempotencyKey = key
        let status = await dispatcher.dispatch(method: start.method, request: try ProtobufCoding.encode(request), start: start,
                                               principal: principal, deadline: nil) { b in sent.withLockedValue { $0.append(b) } }
        let messages = try sent.withLockedValue { $0 }.map { try Response(serializedBytes: Array($0.readableBytesView)) }
        return Reply(status: status, messages: messages)
    }

    /// Adds students N1…Nn to class C1 of school A.
    func seedStudents(_ count: Int) throws -> [String] {
        let ids = (1...count).map { "N\($0)" }
        try database.writeSync { db in
            for id in ids {
                try DirectorySeed.student(db, id: id, name: "学生\(id)", gender: "female", birthDate: "2010-01-01", schoolID: "A", classID: "C1")
            }
        }
        return ids
    }

    /// Imports a PHQ-A round CSV and answers the report.
    func importRound(_ csv: String, round: String = "2024-autumn", dryRun: Bool = false) async throws -> Reply<Xinyu_Crisis_V1_ImportScreeningEvent> {
        var request = Xinyu_Crisis_V1_ImportScreeningRoundRequest()
        request.csv = Data(csv.utf8)
        request.roundID = round
        request.instrumentID = "phq-a"
        request.dryRun = dryRun
        return try await call("ImportScreeningRound", request, as: Xinyu_Crisis_V1_ImportScreeningEvent.self)
    }

    /// Open cases, any order.
    func openCases(principal: Principal = psych) async throws -> [Xinyu_Crisis_V1_Case] {
        try await call("ListCases", Xinyu_Crisis_V1_ListCasesRequest.with { $0.openOnly = true; $0.limit = 1000 },
                       as: Xinyu_Crisis_V1_ListCasesResponse.self, principal: principal).value.cases
    }

    /// Pending timers by key prefix.
    func pendingTimers(prefix: String) throws -> Int {
        try database.readSync { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM xinyu_timers WHERE key LIKE ? AND fired_at_ms IS NULL", arguments: [prefix + "%"]) ?? 0
        }
    }

    func setLevel(_ student: String, _ level: Int32, reason: String = "访谈评估") async throws -> Reply<Xinyu_Crisis_V1_WarningLevel> {
        try await call("SetWarningLevel", Xinyu_Crisis_V1_SetWarningLevelRequest.with { $0.studentID = student; $0.level = level; $0.reason = reason },
                       as: Xinyu_Crisis_V1_WarningLevel.self)
    }
}

/// PHQ-A answers with item 9 = 1 and both suicide questions answered no: level 1, no safety review.
let item9Answers: [Int32] = [1, 1, 1, 1, 1, 1, 1, 1, 1]
let answeredExtras = ["suicidal_thoughts_past_month": false, "past_attempt": false]
