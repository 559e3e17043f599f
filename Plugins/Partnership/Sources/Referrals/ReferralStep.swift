import XinyuPartnershipAPI
import XinyuPartnershipCore
import XinyuPluginSDK

/// What one step of a referral writes, checked against what that step needs.
struct ReferralStep: Sendable {
    var reasonCode: String?
    var appointment: (at: String, place: String, doctor: String)?
    var successful = false
    var outcome: String?

    static func validate(_ request: Xinyu_Partnership_V1_UpdateReferralRequest, to: ReferralState, configuration: PartnershipConfiguration) throws -> ReferralStep {
        var step = ReferralStep()
        let outcome = try Input.optionalText("outcome", request.outcome, max: 500)
        switch to {
        case .declined:
            step.reasonCode = try code(request.reasonCode, from: configuration.declineReasons)
            step.outcome = outcome
        case .appointmentBooked:
            guard request.hasAppointment else { throw RPCError.invalidField("appointment", "is required (at, place, doctor)") }
            step.appointment = (try Input.localTime("appointment.at", request.appointment.at),
                                try Input.text("appointment.place", request.appointment.place, max: 200),
                                try Input.text("appointment.doctor", request.appointment.doctor, max: 100))
        case .completed:
            step.successful = request.successful
            step.reasonCode = request.successful ? "" : try code(request.reasonCode, from: configuration.unsuccessfulReasons)
            step.outcome = outcome
        case .revoked, .withdrawn:
            step.outcome = try Input.text("note", request.note, max: 500)
        case .accepted, .inTreatment:
            step.outcome = outcome.isEmpty ? nil : outcome
        case .requested:
            break  // refused by the lifecycle: nothing goes back to requested
        }
        return step
    }

    private static func code(_ value: String, from list: [String]) throws -> String {
        guard list.contains(value) else {
            throw RPCError.invalidField("reason_code", value.isEmpty ? "is required (one of \(list.joined(separator: ", ")))" : "\"\(value)\" is not one of \(list.joined(separator: ", "))")
        }
        return value
    }
}
