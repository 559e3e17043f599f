import GRDB
import XinyuEventsAPI
import XinyuHomeschoolCore
import XinyuPluginSDK

/// What makes a special visit owed without a person asking: crisis publishing that a student
/// reached level 1 or 2, and the due-day timer that escalates one nobody made in time.
struct SpecialVisitTriggers: Sendable {
    let configuration: HomeschoolConfiguration

    func register(_ registry: inout ServiceRegistry) {
        let days = configuration.specialVisitDays
        registry.subscribe(HomeschoolTopics.levelChanged, as: Xinyu_Events_V1_LevelChanged.self) { event, info, context in
            // A special visit is owed when the student reaches level 1 or 2 (a rise, or a first level).
            guard (1...2).contains(event.toLevel), event.fromLevel == 0 || event.fromLevel > event.toLevel else { return }
            try await context.store.write { db in
                guard let student = try context.directory.student(event.studentID, in: db) else {
                    context.logger.warning("a level change names a student the directory does not have", metadata: ["event": "\(info.eventID)"])
                    return
                }
                try SpecialVisitStore.owe(db, student: student, trigger: "crisis.level:\(info.eventID)",
                                          reason: "warning level \(event.toLevel)", days: days, context: context)
            }
        }
        registry.onTimer(SpecialVisitStore.overdueTopic, as: SpecialVisitDue.self) { due, _, context in
            try await context.store.write { db in
                guard let visit = try SpecialVisitRecord.find(db, id: due.specialVisitID),
                      SpecialVisitStatus(storedText: visit.status) == .open, visit.escalatedAtMs == 0,
                      let dueOn = CalendarDay(visit.dueOn), dueOn < context.today else { return }
                try SpecialVisitStore.escalate(db, visit, cause: "overdue", reason: "not visited by \(visit.dueOn)", context: context)
            }
        }
    }
}
