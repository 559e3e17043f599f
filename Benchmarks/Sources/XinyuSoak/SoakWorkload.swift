import Foundation
import SwiftProtobuf
import XinyuClient
import XinyuCoreAPI
import XinyuCrisisAPI
import XinyuFacilitiesAPI
import XinyuHomeschoolAPI
import XinyuPartnershipAPI
import XinyuRPC
import XinyuTrainingAPI
import XinyuWire

/// The mixed load of a soak: what each worker does, round after round, through the real host.
///
/// One round touches every plugin with the calls its users make most:
/// - crisis: a screening submitted (twice a round: screenings are the bulk of crisis traffic),
///   a level set and a case opened for a student who has none yet (else a case read), the mother's
///   consent recorded in homeschool's registry, a referral requested;
/// - partnership: the hospital lists the referrals that arrived, accepts the oldest and books
///   its appointment;
/// - training: a member of staff enrols in the current session (a new session when all have);
/// - facilities: a duty slot for today, the psych teacher's check-in, the coverage report;
/// - homeschool: a home visit recorded, the student's visits listed.
/// Level changes from screenings and cases also drive the plugins' events (special visits owed).
actor SoakWorkload {
    let city: SoakCity
    let counters: SoakCounters
    private let centre: XinyuClient
    private let teachers: [XinyuClient]
    private let agency: XinyuClient
    private var rooms: [String] = []
    private var courseID: Int64 = 0
    private var session: (id: Int64, nextStaff: Int) = (0, 0)
    private var creatingSession = false
    private var nextCaseStudent = 0
    private var openedCases: [String] = []
    private var claimedReferrals: Set<String> = []
    private var rng = SystemRandomNumberGenerator()

    init(city: SoakCity, counters: SoakCounters, centre: XinyuClient, teachers: [XinyuClient], agency: XinyuClient) {
        self.city = city
        self.counters = counters
        self.centre = centre
        self.teachers = teachers
        self.agency = agency
    }

    static let crisis = "xinyu.crisis.v1.Crisis/"
    static let training = "xinyu.training.v1.Training/"
    static let facilities = "xinyu.facilities.v1.Facilities/"
    static let homeschool = "xinyu.homeschool.v1.Homeschool/"
    static let partnership = "xinyu.partnership.v1.Partnership/"

    /// What every round needs once: a room per school, a course.
    func prepare() async throws {
        for s in 0..<city.schools {
            let room = try await centre.call(Self.facilities + "SaveRoom", Xinyu_Facilities_V1_SaveRoomRequest.with {
                $0.schoolID = city.schoolID(s); $0.name = "心理辅导室"; $0.location = "行政楼三楼"; $0.areaM2 = 60; $0.equipment = ["沙盘"]
            }, as: Xinyu_Facilities_V1_Room.self)
            rooms.append(room.id)
        }
        // The hospital and its signed agreement: crisis refers only to an agency with one.
        _ = try await centre.call(Self.partnership + "CreateAgency", Xinyu_Partnership_V1_CreateAgencyRequest.with {
            $0.id = SoakCity.agency; $0.kind = .hospital; $0.name = "宁波市康宁医院"; $0.contacts = ["心理科 绿色通道"]
        }, as: Xinyu_Partnership_V1_Agency.self)
        _ = try await centre.call(Self.partnership + "SignAgreement", Xinyu_Partnership_V1_SignAgreementRequest.with {
            $0.agencyID = SoakCity.agency; $0.signedOn = Self.day(-30); $0.expiresOn = Self.day(700); $0.scope = "心理危机学生绿色通道转介"
            $0.purposes = ["referral"]
        }, as: Xinyu_Partnership_V1_Agreement.self)
        courseID = try await centre.call(Self.training + "CreateCourse", Xinyu_Training_V1_CreateCourseRequest.with {
            $0.kind = .crisisIntervention; $0.title = "危机识别与干预 轮训"
        }, as: Xinyu_Training_V1_Course.self).id
        session = (try await newSession(), 0)
    }

    /// One round of every plugin's calls.
    func round() async {
        await screening()
        await homeVisit()
        await enrolment()
        await duty()
        await caseAndReferral()
        await hospital()
        await screening()
    }

    // MARK: Crisis

    private func screening() async {
        let student = city.studentID(Int.random(in: 0..<city.students, using: &rng))
        var submission = Xinyu_Crisis_V1_ScreeningSubmission()
        submission.studentID = student
        submission.instrumentID = "phq-a"
        // Mostly low answers, now and then high ones, so levels move and events flow.
        let high = Int.random(in: 0..<20, using: &rng) == 0
        submission.answers = (0..<9).map { _ in Int32.random(in: 0...(high ? 3 : 1), using: &rng) }
        await call("crisis", centre, Self.crisis + "SubmitScreening", Xinyu_Crisis_V1_SubmitScreeningRequest.with { $0.submission = submission },
                   as: Xinyu_Crisis_V1_SubmitScreeningResponse.self)
    }

    private func caseAndReferral() async {
        guard nextCaseStudent < city.students else {
            // Every student has a case: read one instead.
            if let id = openedCases.randomElement(using: &rng) {
                await call("crisis", centre, Self.crisis + "GetCase", Xinyu_Crisis_V1_GetCaseRequest.with { $0.caseID = id }, as: Xinyu_Crisis_V1_CaseDetail.self)
            }
            await call("partnership", agency, Self.partnership + "ListReferrals", Xinyu_Partnership_V1_ListReferralsRequest.with { $0.limit = 20 },
                       as: Xinyu_Partnership_V1_ListReferralsResponse.self)
            return
        }
        let student = city.studentID(nextCaseStudent)
        nextCaseStudent += 1
        // A case is opened for a student in the warning database: a level first, as a psych teacher would set it.
        guard await call("crisis", centre, Self.crisis + "SetWarningLevel", Xinyu_Crisis_V1_SetWarningLevelRequest.with {
            $0.studentID = student; $0.level = 2; $0.reason = "访谈后确认 (soak)"
        }, as: Xinyu_Crisis_V1_WarningLevel.self) != nil else { return }
        guard let opened = await call("crisis", centre, Self.crisis + "OpenCase", Xinyu_Crisis_V1_OpenCaseRequest.with {
            $0.studentID = student; $0.reason = "普测预警 (soak)"
        }, as: Xinyu_Crisis_V1_Case.self) else { return }
        openedCases.append(opened.id)
        // The mother's consent goes into homeschool's registry first: crisis checks it there.
        // Counted with homeschool: the lookup is part of recording the consent.
        guard let guardians = await call("homeschool", centre, "xinyu.directory.v1.Directory/ListGuardians", Xinyu_Directory_V1_ListGuardiansRequest.with {
            $0.studentID = student
        }, as: Xinyu_Directory_V1_ListGuardiansResponse.self), let mother = guardians.guardians.first(where: { $0.relation == "母亲" }) else { return }
        guard await call("homeschool", centre, Self.homeschool + "RecordConsent", Xinyu_Homeschool_V1_RecordConsentRequest.with {
            $0.studentID = student; $0.purpose = "referral"; $0.agency = SoakCity.agency; $0.scope = "筛查结果, 个案摘要"; $0.sensitive = true
            $0.guardianID = mother.id; $0.evidenceRef = "知情同意书 soak"
        }, as: Xinyu_Homeschool_V1_Consent.self) != nil else { return }
        await call("crisis", centre, Self.crisis + "RequestReferral", Xinyu_Crisis_V1_RequestReferralRequest.with {
            $0.caseID = opened.id; $0.agency = SoakCity.agency; $0.reason = "需要精神科评估"; $0.legalBasis = .guardianConsent
        }, as: Xinyu_Crisis_V1_Referral.self)
    }

    // MARK: Partnership

    /// The hospital's side, as its own system would work: list the referrals that arrived
    /// (crisis's request reaches partnership as an event, a moment later), accept the oldest
    /// and book its appointment.
    private func hospital() async {
        guard let waiting = await call("partnership", agency, Self.partnership + "ListReferrals", Xinyu_Partnership_V1_ListReferralsRequest.with {
            $0.status = .requested; $0.limit = 20
        }, as: Xinyu_Partnership_V1_ListReferralsResponse.self),
              let referral = waiting.referrals.last(where: { !claimedReferrals.contains($0.id) }) else { return }
        // Workers share this actor and interleave at each call: one referral, one worker.
        claimedReferrals.insert(referral.id)
        guard await call("partnership", agency, Self.partnership + "UpdateReferral", Xinyu_Partnership_V1_UpdateReferralRequest.with {
            $0.referralID = referral.id; $0.to = .accepted
        }, as: Xinyu_Partnership_V1_Referral.self) != nil else { return }
        await call("partnership", agency, Self.partnership + "UpdateReferral", Xinyu_Partnership_V1_UpdateReferralRequest.with {
            $0.referralID = referral.id; $0.to = .appointmentBooked
            $0.appointment = .with { $0.at = Self.day(3) + " 09:30"; $0.place = "心理科门诊"; $0.doctor = "陈医生" }
        }, as: Xinyu_Partnership_V1_Referral.self)
    }

    // MARK: Training

    private var sessionRequest: Xinyu_Training_V1_CreateSessionRequest {
        .with {
            $0.courseID = courseID; $0.startsOn = "2027-03-02"; $0.endsOn = "2027-03-04"; $0.capacity = 1_000; $0.hours = 24; $0.place = "市心理健康指导中心"
        }
    }

    private func newSession() async throws -> Int64 {
        try await centre.call(Self.training + "CreateSession", sessionRequest, as: Xinyu_Training_V1_Session.self).id
    }

    private func enrolment() async {
        let staff = city.schools * (SoakCity.classesPerSchool + 1)
        if session.nextStaff >= staff {
            // Everyone is enrolled: one worker opens the next session, the others skip a turn.
            guard !creatingSession else { return }
            creatingSession = true
            defer { creatingSession = false }
            guard let created = await call("training", centre, Self.training + "CreateSession", sessionRequest, as: Xinyu_Training_V1_Session.self) else { return }
            session = (created.id, 0)
        }
        let n = session.nextStaff
        session.nextStaff += 1
        let s = n / (SoakCity.classesPerSchool + 1), k = n % (SoakCity.classesPerSchool + 1)
        let staffID = k == SoakCity.classesPerSchool ? city.psychTeacher(s) : city.homeroomTeacher(s, k)
        await call("training", centre, Self.training + "Enrol", Xinyu_Training_V1_EnrolRequest.with { $0.sessionID = session.id; $0.staffID = staffID },
                   as: Xinyu_Training_V1_Enrolment.self)
    }

    // MARK: Facilities

    private func duty() async {
        let s = Int.random(in: 0..<city.schools, using: &rng)
        let slot = await call("facilities", centre, Self.facilities + "AddDutySlot", Xinyu_Facilities_V1_AddDutySlotRequest.with {
            $0.schoolID = city.schoolID(s); $0.teacherID = city.psychTeacher(s); $0.roomID = rooms[s]
            $0.weekday = Int32(Self.cityWeekday()); $0.startsAt = "00:00"; $0.endsAt = "23:59:59"
        }, as: Xinyu_Facilities_V1_DutySlot.self)
        if let slot {
            await call("facilities", teachers[s], Self.facilities + "CheckIn", Xinyu_Facilities_V1_CheckInRequest.with { $0.slotID = slot.id },
                       as: Xinyu_Facilities_V1_DutyCheckIn.self)
        }
        await call("facilities", centre, Self.facilities + "GetCoverage", Xinyu_Facilities_V1_GetCoverageRequest(), as: Xinyu_Facilities_V1_Coverage.self)
    }

    /// The city's day (Asia/Shanghai) `offset` days from today, YYYY-MM-DD.
    static func day(_ offset: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let date = calendar.date(byAdding: .day, value: offset, to: Date())!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    /// Today's weekday in the city (Asia/Shanghai), 1 = Monday … 7 = Sunday.
    static func cityWeekday() -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return (calendar.component(.weekday, from: Date()) + 5) % 7 + 1
    }

    // MARK: Homeschool

    private func homeVisit() async {
        let n = Int.random(in: 0..<city.students, using: &rng)
        let (s, c) = city.placement(ofStudent: n)
        await call("homeschool", centre, Self.homeschool + "RecordVisit", Xinyu_Homeschool_V1_RecordVisitRequest.with {
            $0.studentID = city.studentID(n); $0.mode = .inPerson; $0.met = ["母亲"]; $0.visitors = [city.homeroomTeacher(s, c)]
            $0.notes = "家访 (soak)"
        }, as: Xinyu_Homeschool_V1_Visit.self)
        await call("homeschool", centre, Self.homeschool + "ListVisits", Xinyu_Homeschool_V1_ListVisitsRequest.with { $0.studentID = city.studentID(n); $0.limit = 20 },
                   as: Xinyu_Homeschool_V1_ListVisitsResponse.self)
    }

    // MARK: Calls

    /// Makes one call and counts it for `plugin`; nil when it failed.
    @discardableResult
    private func call<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ plugin: String, _ client: XinyuClient, _ method: String, _ request: Request, as: Response.Type
    ) async -> Response? {
        do {
            let response = try await client.call(method, request, as: Response.self, options: CallOptions(timeout: .seconds(30)))
            counters.record(plugin, ok: true)
            return response
        } catch let error as RPCError {
            counters.record(plugin, ok: false, failure: "\(method.split(separator: "/").last ?? ""): \(error.code.name): \(error.message.prefix(160))")
        } catch {
            counters.record(plugin, ok: false, failure: "\(method.split(separator: "/").last ?? ""): \(error)")
        }
        return nil
    }
}
