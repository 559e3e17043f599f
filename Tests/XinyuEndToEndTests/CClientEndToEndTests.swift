import Foundation
import NIOConcurrencyHelpers
import Testing
import XinyuChildProcess
import XinyuClient
import XinyuCoreAPI
import XinyuCrisisAPI
import XinyuPartnershipAPI

/// The C client for partner agencies (`clients/c/`), built with its own Makefile and run against a
/// real host with crisis and partnership over TCP with mutual TLS: the proof that
/// docs/PROTOCOL.md and Protos/ are enough for a client that is not Swift.
@Suite("C client for agencies over mTLS", .serialized)
struct CClientEndToEndTests {
    static var repository: URL { RunningHost.repositoryConfig.deletingLastPathComponent() }

    /// The host's keepalive interval here: 1 s rather than the suites' 500 ms, so a loaded CI
    /// machine does not starve a connection into a drop, and still short enough to idle through
    /// four and a half intervals.
    static let keepaliveMs = 1000

    /// What the build needs, and the Debian package that brings it (scripts/install-deps.sh).
    static let requiredTools: [(tool: String, package: String)] = [("make", "make"), ("cc", "gcc"), ("protoc-c", "protobuf-c-compiler")]
    static let requiredHeaders: [(path: String, package: String)] = [
        ("/usr/include/protobuf-c/protobuf-c.h", "libprotobuf-c-dev"), ("/usr/include/openssl/ssl.h", "libssl-dev"),
    ]

    /// The absolute path of `tool` on PATH, or nil.
    static func which(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// What a finished child printed and how it ended.
    struct Run: CustomStringConvertible {
        let status: ChildExitStatus
        let stdout: String
        let stderr: String
        var description: String { "\(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    }

    /// A started child whose output is collected as it comes.
    final class Tool: Sendable {
        let child: ChildProcess
        let name: String
        private let out = NIOLockedValueBox("")
        private let err = NIOLockedValueBox("")
        private let changes = ChangeSignal()

        init(_ executable: String, _ arguments: [String]) throws {
            name = "\(URL(fileURLWithPath: executable).lastPathComponent) \(arguments.joined(separator: " "))"
            let (out, err, changes) = (out, err, changes)
            child = try ChildProcess.spawn(
                executable: executable, arguments: arguments,
                standardOutput: .lines { line in out.withLockedValue { $0 += line + "\n" }; changes.ring() },
                standardError: .lines { line in err.withLockedValue { $0 += line + "\n" }; changes.ring() })
            child.onExit { _ in changes.ring() }
        }

        var stdout: String { out.withLockedValue { $0 } }

        /// Waits (woken by each line and the exit) until `condition` holds.
        func wait(for what: String, timeout: Duration = .seconds(30), _ condition: @escaping @Sendable (Tool) -> Bool) async throws {
            try await changes.wait(for: "\(name): \(what)", timeout: timeout) { condition(self) }
        }

        /// Waits for the exit (killing it after `timeout`) and returns what it printed.
        func finish(timeout: Duration = .seconds(60)) async throws -> Run {
            do {
                try await wait(for: "exit", timeout: timeout) { $0.child.exitStatus != nil }
            } catch {
                child.kill()
                _ = await child.waitForExit()
                Issue.record("\(name) still running after \(timeout): stdout \(stdout) stderr \(err.withLockedValue { $0 })")
                throw error
            }
            return Run(status: await child.waitForExit(), stdout: stdout, stderr: err.withLockedValue { $0 })
        }
    }

    /// Runs `executable` to its end (killed after `timeout`), collecting its output.
    static func run(_ executable: String, _ arguments: [String], timeout: Duration = .seconds(60)) async throws -> Run {
        try await Tool(executable, arguments).finish(timeout: timeout)
    }

    /// Builds clients/c into `directory` with its Makefile and returns the path of xinyu-agency.
    /// A missing tool fails the test naming the package to install; it never skips.
    static func buildClient(into directory: URL) async throws -> String {
        for (tool, package) in requiredTools where which(tool) == nil {
            Issue.record("\(tool) not found on PATH: install the package \(package) (scripts/install-deps.sh does)")
        }
        for (header, package) in requiredHeaders where !FileManager.default.fileExists(atPath: header) {
            Issue.record("\(header) not found: install the package \(package) (scripts/install-deps.sh does)")
        }
        let make = try #require(which("make"), "make is needed to build clients/c")
        let build = try await run(make, ["-C", repository.appendingPathComponent("clients/c").path, "BUILD=\(directory.path)"], timeout: .seconds(180))
        try #require(build.status == .exited(0), "make -C clients/c failed: \(build)")
        let agency = directory.appendingPathComponent("xinyu-agency").path
        try #require(FileManager.default.isExecutableFile(atPath: agency), "make did not produce \(agency)")
        return agency
    }

    /// The `change cursor C  referral ID  STATUS …  version V` lines of a watch, as (cursor, status, version).
    static func changes(in output: String) -> [(cursor: String, status: String, version: Int)] {
        output.split(separator: "\n").compactMap { line in
            guard let m = line.firstMatch(of: /^change cursor (\S+)  referral \S+  (\S+)  .*  version (\d+)$/) else { return nil }
            return (String(m.1), String(m.2), Int(m.3) ?? -1)
        }
    }

    @Test("xinyu-agency lists the referral, reports an appointment (back in crisis's archive) and watches the changes over mTLS; also over the Unix socket with a token")
    func agencyRoundTripOverMutualTLS() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("xinyu-cclient-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let agencyTool = try await Self.buildClient(into: scratch.appendingPathComponent("build"))
        let (certificates, stranger) = try await TLSEndToEndTests.makeCertificates(in: scratch)

        let host = try await RunningHost(plugins: ["crisis", "partnership"], sections: """
            [tcp]
            listen = "127.0.0.1:0"
            certificate = "\(certificates)/server.pem"
            private_key = "\(certificates)/server.key"
            client_ca = "\(certificates)/ca.pem"
            client_certificates = "required"
            """, keepaliveMs: Self.keepaliveMs)
        let agencyToken = try await host.createPrincipal(
            "agency:kangning", kind: .agency, name: "宁波市康宁医院", roles: ["agency_hospital"], scopes: [("agency", ["kangning"])],
            agencyKind: "hospital", certificateCN: "kangning")
        let port = try TLSEndToEndTests.tcpPort(host)
        let tls = ["--address", "tcp://localhost:\(port)", "--ca", "\(certificates)/ca.pem",
                   "--cert", "\(certificates)/client-kangning.pem", "--key-file", "\(certificates)/client-kangning.key"]

        // The school refers S1 to kangning, with the guardian's consent.
        let school = try await host.client()
        try await PartnershipEndToEndTests().seedDirectory(school)
        let crisis = PartnershipEndToEndTests.crisis
        var screening = Xinyu_Crisis_V1_ScreeningSubmission()
        screening.studentID = "S1"
        screening.instrumentID = "phq-a"
        screening.answers = [1, 0, 1, 0, 1, 0, 1, 0, 2]
        _ = try await school.call(crisis + "SubmitScreening", Xinyu_Crisis_V1_SubmitScreeningRequest.with { $0.submission = screening },
                                  as: Xinyu_Crisis_V1_SubmitScreeningResponse.self)
        let opened = try await school.call(crisis + "OpenCase", Xinyu_Crisis_V1_OpenCaseRequest.with { $0.studentID = "S1"; $0.reason = "普测一级预警" },
                                           as: Xinyu_Crisis_V1_Case.self)
        try await PartnershipEndToEndTests.signReferralAgreement(host, agency: "kangning", name: "宁波市康宁医院")
        let referral = try await school.call(crisis + "RequestReferral", Xinyu_Crisis_V1_RequestReferralRequest.with {
            $0.caseID = opened.id; $0.agency = "kangning"; $0.reason = "需要精神科评估（绿色通道）"; $0.urgent = true
            $0.legalBasis = .guardianConsent; $0.consentBy = "母亲 李娜"; $0.consentOn = "2024-10-07"; $0.consentRecord = "同意书 2024-031"
        }, as: Xinyu_Crisis_V1_Referral.self)
        // Crisis's event reaches partnership asynchronously: wait until the agency can see it.
        let agencySwift = try await host.client(token: agencyToken)
        try await waitUntil("the referral at partnership", timeout: .seconds(15)) {
            let listed = try? await PartnershipEndToEndTests().referrals(agencySwift)
            return listed?.map(\.id) == [referral.id]
        }

        // 1. referrals: the C client sees it, as the agency its certificate names.
        let listed = try await Self.run(agencyTool, tls + ["referrals"])
        #expect(listed.status == .exited(0), "\(listed)")
        #expect(listed.stderr.contains("as agency:kangning"), "\(listed)")
        #expect(listed.stdout.contains("referral \(referral.id)  requested  urgent  student S1 学生1"), "\(listed)")
        #expect(listed.stdout.contains("legal basis guardian_consent") && listed.stdout.contains("1 open referral"), "\(listed)")

        // 2. appointment: accepted, then booked; Swift reads it back, and crisis's archive has it.
        let booked = try await Self.run(agencyTool, tls + ["appointment", referral.id, "--at", "2030-10-09T14:30", "--place", "康宁医院 门诊3楼", "--doctor", "李医生"])
        #expect(booked.status == .exited(0), "\(booked)")
        #expect(booked.stdout.contains("referral \(referral.id)  accepted") && booked.stdout.contains("appointment 2030-10-09 14:30 at 康宁医院 门诊3楼 with 李医生"), "\(booked)")
        let stored = try await agencySwift.call(PartnershipEndToEndTests.partnership + "GetReferral", Xinyu_Partnership_V1_GetReferralRequest.with { $0.referralID = referral.id },
                                                as: Xinyu_Partnership_V1_Referral.self)
        #expect(stored.status == .appointmentBooked && stored.version == 3)
        #expect(stored.appointment.at == "2030-10-09 14:30" && stored.appointment.place == "康宁医院 门诊3楼" && stored.appointment.doctor == "李医生")
        try await waitUntil("the appointment in crisis's archive", timeout: .seconds(15)) {
            let archive = try? await school.call(crisis + "GetArchive", Xinyu_Crisis_V1_GetArchiveRequest.with { $0.studentID = "S1" }, as: Xinyu_Crisis_V1_GetArchiveResponse.self)
            return archive?.entries.contains { $0.kind == "referral" && $0.summary.contains("referral \(referral.id): appointment_booked") } == true
        }

        // 3. watch: the three changes in order, each with its cursor; resuming after the second
        // gives exactly the third.
        let watched = try await Self.run(agencyTool, tls + ["watch", "--max", "3"])
        #expect(watched.status == .exited(0), "\(watched)")
        let seen = Self.changes(in: watched.stdout)
        #expect(seen.map(\.status) == ["requested", "accepted", "appointment_booked"] && seen.map(\.version) == [1, 2, 3], "\(watched)")
        if seen.count == 3 {
            let resumed = try await Self.run(agencyTool, tls + ["watch", "--cursor", seen[1].cursor, "--max", "1"])
            #expect(resumed.status == .exited(0) && Self.changes(in: resumed.stdout).map(\.version) == [3], "\(resumed)")
        }

        // 4. A live watch stays open through idle keepalive intervals (the host drops a client
        // silent for three, checking once an interval: the C client answers its pings and sends
        // its own), then sees the next step as it commits.
        let live = try Tool(agencyTool, tls + ["watch", "--cursor", seen.last?.cursor ?? "3", "--max", "1"])
        try await host.waitForCallsInFlight("partnership")
        // The idle time is what is under test here, not an ordering: nothing happens during it.
        try await Task.sleep(for: .milliseconds(Self.keepaliveMs * 9 / 2))
        if live.child.exitStatus != nil { Issue.record("the watch ended while idle: \(try await live.finish())") }
        _ = try await PartnershipEndToEndTests().step(agencySwift, referral.id, to: .inTreatment)
        let liveRun = try await live.finish(timeout: .seconds(20))
        #expect(liveRun.status == .exited(0) && Self.changes(in: liveRun.stdout).map(\.status) == ["in_treatment"], "\(liveRun)")

        // Errors: the status code's name and the host's message, and a non-zero exit.
        let missing = try await Self.run(agencyTool, tls + ["appointment", "R-404", "--at", "2030-10-09 14:30", "--place", "门诊", "--doctor", "李医生"])
        #expect(missing.status == .exited(1) && missing.stderr.contains("GetReferral: NOT_FOUND (5): referral R-404 not found"), "\(missing)")
        let strangerCertificate = try await Self.run(agencyTool, ["--address", "tcp://localhost:\(port)", "--ca", "\(certificates)/ca.pem",
                                                                  "--cert", "\(stranger)/client-kangning.pem", "--key-file", "\(stranger)/client-kangning.key", "referrals"])
        #expect(strangerCertificate.status == .exited(1) && strangerCertificate.stderr.contains("UNAVAILABLE (14)"), "\(strangerCertificate)")
        let usage = try await Self.run(agencyTool, tls + ["appointment", referral.id])
        #expect(usage.status == .exited(2) && usage.stderr.contains("appointment needs --at, --place and --doctor") && usage.stderr.contains("usage: xinyu-agency"), "\(usage)")

        // The same library over the local Unix socket with the agency's API token (PROTOCOL.md
        // §2.1), and a bad token refused by the host, named.
        let tokenFile = scratch.appendingPathComponent("agency.token")
        try agencyToken.write(to: tokenFile, atomically: true, encoding: .utf8)
        let local = try await Self.run(agencyTool, ["--address", "unix:\(host.socketPath)", "--token-file", tokenFile.path, "referrals"])
        #expect(local.status == .exited(0) && local.stderr.contains("as agency:kangning") && local.stdout.contains("referral \(referral.id)  in_treatment"), "\(local)")
        try "xyt_000000000000_wrong".write(to: tokenFile, atomically: true, encoding: .utf8)
        let refused = try await Self.run(agencyTool, ["--address", "unix:\(host.socketPath)", "--token-file", tokenFile.path, "referrals"])
        #expect(refused.status == .exited(1) && refused.stderr.contains("UNAUTHENTICATED (16)"), "\(refused)")

        await school.close()
        await agencySwift.close()
        _ = try await host.stop()
    }
}
