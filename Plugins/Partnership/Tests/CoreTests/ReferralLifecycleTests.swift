import Testing
import XinyuDomainKit
import XinyuPartnershipCore

@Suite("Referral lifecycle: allowed steps only, by the right party")
struct ReferralLifecycleTests {
    @Test("the agency's path: requested → accepted → appointment booked → in treatment → completed")
    func agencyPath() throws {
        let path: [ReferralState] = [.requested, .accepted, .appointmentBooked, .inTreatment, .completed]
        for (from, to) in zip(path, path.dropFirst()) {
            try ReferralLifecycle.check(from: from, to: to, by: .agency)
        }
        try ReferralLifecycle.check(from: .requested, to: .declined, by: .agency)
        try ReferralLifecycle.check(from: .appointmentBooked, to: .appointmentBooked, by: .agency)
    }

    @Test("an illegal step is refused naming the allowed ones")
    func illegal() {
        #expect(throws: TransitionRefused(from: .requested, to: .completed, allowed: [.accepted, .declined])) {
            try ReferralLifecycle.check(from: .requested, to: .completed, by: .agency)
        }
        let refused = TransitionRefused(from: .requested, to: .completed, allowed: [.accepted, .declined])
        #expect(refused.description == "cannot go from requested to completed; allowed: accepted, declined")
        #expect(TransitionRefused(from: .completed, to: .accepted, allowed: []).description.contains("final"))
    }

    @Test("the school revokes or withdraws any open referral; nobody moves a finished one", arguments: ReferralState.allCases)
    func schoolSteps(from: ReferralState) {
        let school = ReferralLifecycle.allowed(from: from, by: .school)
        let agency = ReferralLifecycle.allowed(from: from, by: .agency)
        if from.isFinal {
            #expect(school.isEmpty && agency.isEmpty)
        } else {
            #expect(school == [.revoked, .withdrawn])
            #expect(!agency.contains(.revoked) && !agency.contains(.withdrawn) && !agency.contains(.requested))
        }
    }
}

@Suite("Partnership settings")
struct PartnershipConfigurationTests {
    @Test("defaults, overrides, and errors naming the key")
    func parse() throws {
        let defaults = PartnershipConfiguration.default
        #expect(defaults.responseWindowMs(urgent: true) == 240 * 60_000 && defaults.agreementWarningDays == 90)
        let table = try SettingsTable.parse("[response]\nurgent_minutes = 60\n[reasons]\ndecline = [\"full\"]\n", source: "partnership.toml")
        let read = try PartnershipConfiguration.read(table)
        #expect(read.urgentResponseMinutes == 60 && read.declineReasons == ["full"] && read.routineResponseMinutes == defaults.routineResponseMinutes)
        for (text, key) in [("[response]\nurgent_minute = 1\n", "response.urgent_minute"), ("[response]\nurgent_minutes = 0\n", "response.urgent_minutes"),
                            ("[reasons]\ndecline = [\"no capacity\"]\n", "reasons.decline[1]"), ("[agreement]\n", "agreement")] {
            #expect { try PartnershipConfiguration.read(try SettingsTable.parse(text, source: "partnership.toml")) } throws: { error in
                "\(error)".contains("partnership.toml: \(key)")
            }
        }
    }

    @Test("the shipped Config/plugins/partnership.toml reads as the defaults")
    func shipped() throws {
        let path = #filePath.components(separatedBy: "/Plugins/")[0] + "/Config/plugins/partnership.toml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(try PartnershipConfiguration.read(try SettingsTable.parse(text, source: "partnership.toml")) == .default)
    }
}
