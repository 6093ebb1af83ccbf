import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Testing

/// Engagements as a coordinator writes them down and a partner reports on them.
@Suite("Engagements")
struct EngagementTests {
    static let day: TimeInterval = 86_400

    /// An engagement of QPV A led by bailleur A, due in a week (the manual clock's 2026-09-29).
    static func planned(_ f: Fixture, public isPublic: Bool = false, due: String = "2026-09-29") async throws -> Engagement {
        try await f.store.createEngagement(
            NewEngagement(
                title: "Éclairer le passage entre le 12 et le 14", description: "Deux candélabres", territoryId: f.qpvA.id,
                leadPartnerId: f.partnerA.id, partnerIds: [f.partnerB.id], dueDate: due, isPublic: isPublic),
            by: try await f.actor(.coordinator))
    }

    @Test("a coordinator writes one down: planned, its terms, a created event", arguments: TestDatabases.engines)
    func create(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let made = try await Self.planned(f)
            #expect(made.id.hasPrefix("eng_") && made.status == .planned && made.source == .other && made.version == 1)
            #expect(made.title == "Éclairer le passage entre le 12 et le 14" && made.partnerIds == [f.partnerB.id])
            #expect(made.dueDate == "2026-09-29" && made.escalationLevel == 0 && !made.isOverdue(at: made.createdAt))
            let read = try await store.engagement(made.id, by: try await f.actor(.technician))
            #expect(read == made)
            let events = try await store.events(
                resourceType: .engagement, resourceId: made.id, page: try PageRequest(), by: try await f.actor(.coordinator))
            #expect(events.items.map(\.action) == ["created"])
        }
    }

    @Test("bad terms are refused, each field named, nothing written", arguments: TestDatabases.engines)
    func badInput(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let coordinator = try await f.actor(.coordinator)
            do {
                _ = try await store.createEngagement(
                    NewEngagement(
                        title: " ", territoryId: "ter_nope", leadPartnerId: f.partnerA.id, partnerIds: [f.partnerA.id, "prt_nope"],
                        dueDate: "2026-09-21"),
                    by: coordinator)
                Issue.record("accepted")
            } catch let failure as ValidationFailure {
                #expect(
                    Set(failure.errors.map(\.field)) == ["title", "territory_id", "partner_ids[1]", "partner_ids", "due_date"])
                #expect(failure.errors.first { $0.field == "due_date" }?.message == "must not be in the past")
            }
            await #expect(throws: ValidationFailure(field: "signalement_ids[0]", message: "is not a signalement you can see")) {
                try await store.createEngagement(
                    NewEngagement(
                        title: "Réunion", territoryId: f.qpvA.id, leadPartnerId: f.partnerA.id, dueDate: "2026-10-01",
                        signalementIds: ["sig_nope"]), by: coordinator)
            }
            // Another territory's engagements are its coordinators'.
            await #expect(throws: DomainError.self) {
                try await store.createEngagement(
                    NewEngagement(title: "Réunion", territoryId: f.communeB.id, leadPartnerId: f.partnerB.id, dueDate: "2026-10-01"),
                    by: coordinator)
            }
            // Roles that never make engagements.
            for role in [Role.technician, .elected, .resident] {
                await #expect(throws: DomainError.self) {
                    try await store.createEngagement(
                        NewEngagement(title: "Réunion", territoryId: f.qpvA.id, leadPartnerId: f.partnerA.id, dueDate: "2026-10-01"),
                        by: try await f.actor(role))
                }
            }
            #expect(try await store.engagements(EngagementFilter(), page: try PageRequest(), by: Fixture.root).items.isEmpty)
        }
    }

    @Test("who reads, who reports, who changes the terms", arguments: TestDatabases.engines)
    func access(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let made = try await Self.planned(f)
            let technicianA = try await f.actor(.technician)
            let technicianB = try await f.actor(of: f.technicianB)
            let coordinatorB = try await f.actor(of: f.coordinatorB)
            // The lead partner reports its status; its staff do not rewrite the promise.
            let started = try await store.updateEngagement(made.id, EngagementChanges(status: .inProgress), ifVersion: 1, by: technicianA)
            #expect(started.status == .inProgress && started.version == 2)
            await #expect(throws: DomainError.forbidden("your role (technician) may not do engagement.update")) {
                try await store.updateEngagement(made.id, EngagementChanges(title: "Autre"), ifVersion: nil, by: technicianA)
            }
            // A partner taking part reads it but does not report its status.
            #expect(try await store.engagement(made.id, by: technicianB).id == made.id)
            await #expect(throws: DomainError.self) {
                try await store.updateEngagement(made.id, EngagementChanges(status: .done), ifVersion: nil, by: technicianB)
            }
            // Elected officials of the territory read, never write.
            #expect(try await store.engagement(made.id, by: try await f.actor(.elected)).id == made.id)
            await #expect(throws: DomainError.forbidden("your role (elected) may not do engagement.report")) {
                try await store.updateEngagement(made.id, EngagementChanges(status: .done), ifVersion: nil, by: try await f.actor(.elected))
            }
            // Another territory's coordinator does not even see it.
            await #expect(throws: DomainError.notFound("engagement not found")) { try await store.engagement(made.id, by: coordinatorB) }
            await #expect(throws: DomainError.notFound("engagement not found")) {
                try await store.updateEngagement(made.id, EngagementChanges(status: .done), ifVersion: nil, by: coordinatorB)
            }
            // Residents see public engagements only.
            let resident = try await f.actor(.resident)
            await #expect(throws: DomainError.notFound("engagement not found")) { try await store.engagement(made.id, by: resident) }
            #expect(try await store.engagements(EngagementFilter(), page: try PageRequest(), by: resident).items.isEmpty)
            let shown = try await store.updateEngagement(
                made.id, EngagementChanges(isPublic: true), ifVersion: nil, by: try await f.actor(.coordinator))
            #expect(try await store.engagements(EngagementFilter(), page: try PageRequest(), by: resident).items.map(\.id) == [shown.id])
            await #expect(throws: DomainError.self) {
                try await store.events(resourceType: .engagement, resourceId: made.id, page: try PageRequest(), by: resident)
            }
            // A stale version is refused.
            await #expect(throws: DomainError.versionMismatch(current: 3)) {
                try await store.updateEngagement(made.id, EngagementChanges(status: .done), ifVersion: 2, by: technicianA)
            }
        }
    }

    @Test("statuses move as the machine says; dropping needs a reason", arguments: TestDatabases.engines)
    func statuses(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let coordinator = try await f.actor(.coordinator)
            let made = try await Self.planned(f)
            await #expect(throws: ValidationFailure(field: "status_note", message: "is required to drop an engagement")) {
                try await store.updateEngagement(made.id, EngagementChanges(status: .dropped), ifVersion: nil, by: coordinator)
            }
            let done = try await store.updateEngagement(made.id, EngagementChanges(status: .done), ifVersion: nil, by: coordinator)
            #expect(done.status == .done && done.doneAt != nil && done.doneOnTime == true)
            await #expect(throws: DomainError.conflict("an engagement that is done cannot become dropped")) {
                try await store.updateEngagement(made.id, EngagementChanges(status: .dropped, statusNote: "x"), ifVersion: nil, by: coordinator)
            }
            let reopened = try await store.updateEngagement(made.id, EngagementChanges(status: .inProgress), ifVersion: nil, by: coordinator)
            #expect(reopened.doneAt == nil)
            let dropped = try await store.updateEngagement(
                made.id, EngagementChanges(status: .dropped, statusNote: "Le bailleur démolit l'immeuble"), ifVersion: nil, by: coordinator)
            #expect(dropped.status == .dropped && dropped.statusNote == "Le bailleur démolit l'immeuble")
            await #expect(throws: DomainError.conflict("the engagement was dropped")) {
                try await store.addEngagementUpdate(made.id, day: "2026-09-22", note: "Rien", by: coordinator)
            }
            let events = try await store.events(resourceType: .engagement, resourceId: made.id, page: try PageRequest(), by: coordinator).items
            #expect(
                events.filter { $0.action == "status_changed" }.map { "\($0.fromStatus ?? "")>\($0.toStatus ?? "")" } == [
                    "planned>done", "done>in_progress", "in_progress>dropped",
                ])
        }
    }

    @Test("dated updates from the lead partner, never in the future", arguments: TestDatabases.engines)
    func updates(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let made = try await Self.planned(f)
            let technician = try await f.actor(.technician)
            let updated = try await store.addEngagementUpdate(made.id, day: "2026-09-22", note: "Devis demandé", by: technician)
            #expect(updated.updates.map(\.note) == ["Devis demandé"] && updated.version == 2)
            await #expect(throws: ValidationFailure(field: "date", message: "must not be after today")) {
                try await store.addEngagementUpdate(made.id, day: "2026-09-23", note: "Demain", by: technician)
            }
            await #expect(throws: DomainError.notFound("engagement not found")) {
                try await store.addEngagementUpdate(made.id, day: "2026-09-22", note: "x", by: try await f.actor(of: f.coordinatorB))
            }
        }
    }

    @Test("lists filter by territory, partner, status, overdue and due date, and page", arguments: TestDatabases.engines)
    func lists(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let f = try await Fixture.make(store)
            let soon = try await Self.planned(f, due: "2026-09-22")
            let later = try await Self.planned(f, due: "2026-12-01")
            let other = try await store.createEngagement(
                NewEngagement(title: "Encombrants", territoryId: f.communeB.id, leadPartnerId: f.partnerB.id, dueDate: "2026-10-01"),
                by: try await f.actor(of: f.coordinatorB))
            let coordinator = try await f.actor(.coordinator)
            let technicianB = try await f.actor(of: f.technicianB)
            clock.advance(Self.day)
            func ids(_ filter: EngagementFilter, _ actor: Actor) async throws -> [String] {
                try await store.engagements(filter, page: try PageRequest(), by: actor).items.map(\.id)
            }
            #expect(try await ids(EngagementFilter(), coordinator) == [soon.id, later.id])
            #expect(try await ids(EngagementFilter(overdue: true), coordinator) == [soon.id])
            #expect(try await ids(EngagementFilter(overdue: false), coordinator) == [later.id])
            #expect(try await ids(EngagementFilter(dueBefore: "2026-10-01"), Fixture.root) == [soon.id, other.id])
            #expect(try await ids(EngagementFilter(territoryId: f.communeA.id), Fixture.root) == [soon.id, later.id])
            // Partner B leads one and takes part in the others.
            #expect(try await ids(EngagementFilter(), technicianB) == [soon.id, later.id, other.id])
            #expect(try await ids(EngagementFilter(partnerId: f.partnerA.id), Fixture.root) == [soon.id, later.id])
            #expect(try await ids(EngagementFilter(status: .done), Fixture.root).isEmpty)
            let first = try await store.engagements(EngagementFilter(), page: try PageRequest(limit: 2), by: Fixture.root)
            #expect(first.items.count == 2 && first.nextCursor != nil)
            let second = try await store.engagements(EngagementFilter(), page: try PageRequest(limit: 2, cursor: first.nextCursor), by: Fixture.root)
            #expect(second.items.map(\.id) == [other.id] && second.nextCursor == nil)
            await #expect(throws: ValidationFailure(field: "due_before", message: "must be a date YYYY-MM-DD")) {
                try await store.engagements(EngagementFilter(dueBefore: "demain"), page: try PageRequest(), by: coordinator)
            }
        }
    }

    @Test("past its due day it escalates: level 1 the lead partner, level 2 the coordinators, each once", arguments: TestDatabases.engines)
    func escalation(engine: Engine) async throws {
        // 2026-09-22 10:00 Paris; due 2026-09-24, late from 2026-09-25 00:00 Paris (2026-09-24 22:00 UTC).
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let f = try await Fixture.make(store)
            let made = try await Self.planned(f, due: "2026-09-24")
            let coordinator = try await f.actor(.coordinator)
            let technician = try await f.actor(.technician)
            #expect(try await store.sweepEngagementEscalations().examined == 0)
            clock.advance(2 * Self.day + 14 * 3_600 - 1)
            #expect(try await store.sweepEngagementEscalations().examined == 0)
            clock.advance(1)
            #expect(try await store.sweepEngagementEscalations() == SweepResult(examined: 1, escalated: 1))
            #expect(try await store.sweepEngagementEscalations().examined == 0, "a level happens once")
            #expect(try await store.engagement(made.id, by: Fixture.root).escalationLevel == 1)
            // Level 2: half of the delay (2 days 14 hours) later, at least a day.
            clock.advance(31 * 3_600 - 1)
            #expect(try await store.sweepEngagementEscalations().examined == 0)
            clock.advance(1)
            #expect(try await store.sweepEngagementEscalations().escalated == 1)
            clock.advance(100 * Self.day)
            #expect(try await store.sweepEngagementEscalations().examined == 0, "nothing after level 2")
            let events = try await store.events(resourceType: .engagement, resourceId: made.id, page: try PageRequest(), by: Fixture.root).items
            #expect(
                events.filter { $0.action == "escalated" }.map(\.note) == [
                    "level 1 (overdue) to the partner", "level 2 (overdue) to the coordinators",
                ])
            // A new due date is a renegotiated promise: a new schedule, from level 0.
            let moved = try await store.updateEngagement(
                made.id, EngagementChanges(dueDate: "2027-01-15"), ifVersion: nil, by: coordinator)
            #expect(moved.escalationLevel == 0)
            clock.advance(200 * Self.day)
            #expect(try await store.sweepEngagementEscalations().escalated == 1)
            // Done stops it.
            _ = try await store.updateEngagement(made.id, EngagementChanges(status: .done), ifVersion: nil, by: technician)
            clock.advance(100 * Self.day)
            #expect(try await store.sweepEngagementEscalations().examined == 0)
        }
    }

    @Test("partners' subscriptions receive engagement.created, .status_changed, .updated and .escalated", arguments: TestDatabases.engines)
    func outbox(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let f = try await Fixture.make(store)
            _ = try await store.createWebhookSubscription(
                NewWebhookSubscription(partnerId: f.partnerB.id, url: "https://93.184.216.34/hook", eventTypes: ["*"]), by: Fixture.root)
            let technician = try await f.actor(.technician)
            let made = try await Self.planned(f, due: "2026-09-22")
            _ = try await store.updateEngagement(made.id, EngagementChanges(status: .inProgress), ifVersion: nil, by: technician)
            _ = try await store.addEngagementUpdate(made.id, day: "2026-09-22", note: "Devis", by: technician)
            clock.advance(Self.day)
            _ = try await store.sweepEngagementEscalations()
            let rows = try await store.database.read { db in
                try await db.raw("SELECT event_type, partner_ids, payload FROM outbox ORDER BY created_at, id").all()
            }
            let types = try rows.map { try $0.decode(column: "event_type", as: String.self) }
            #expect(types == ["engagement.created", "engagement.status_changed", "engagement.updated", "engagement.escalated"])
            // Partner B takes part: its subscription is among those concerned; the payload names no text.
            #expect(try rows.allSatisfy { try $0.decode(column: "partner_ids", as: String.self).contains(f.partnerB.id) })
            let payloads = try rows.map { try $0.decode(column: "payload", as: String.self) }.joined()
            #expect(!payloads.contains("Éclairer") && !payloads.contains("Devis"))
        }
    }

    @Test("the lead is never among the others; a dropped engagement's terms stay; links must be the caller's", arguments: TestDatabases.engines)
    func terms(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let coordinator = try await f.actor(.coordinator)
            let made = try await Self.planned(f)
            await #expect(throws: ValidationFailure(field: "partner_ids", message: "must not list the lead partner")) {
                try await store.updateEngagement(made.id, EngagementChanges(partnerIds: [f.partnerA.id]), ifVersion: nil, by: coordinator)
            }
            await #expect(throws: ValidationFailure(field: "lead_partner_id", message: "is one of the other partners: send partner_ids without it")) {
                try await store.updateEngagement(made.id, EngagementChanges(leadPartnerId: f.partnerB.id), ifVersion: nil, by: coordinator)
            }
            let swapped = try await store.updateEngagement(
                made.id, EngagementChanges(leadPartnerId: f.partnerB.id, partnerIds: [f.partnerA.id]), ifVersion: nil, by: coordinator)
            #expect(swapped.leadPartnerId == f.partnerB.id && swapped.partnerIds == [f.partnerA.id])
            // A fiche-action that does not exist (or is not the caller's to read) is one and the same answer.
            await #expect(
                throws: ValidationFailure(
                    field: "action_sheet_id", message: "is not a fiche-action of a convention you can read covering this territory")
            ) {
                try await store.updateEngagement(made.id, EngagementChanges(actionSheetId: .some("fa_nope")), ifVersion: nil, by: coordinator)
            }
            _ = try await store.updateEngagement(
                made.id, EngagementChanges(status: .dropped, statusNote: "Abandonné"), ifVersion: nil, by: coordinator)
            await #expect(throws: DomainError.conflict("the engagement was dropped: its terms no longer change")) {
                try await store.updateEngagement(made.id, EngagementChanges(dueDate: "2026-12-01"), ifVersion: nil, by: coordinator)
            }
        }
    }

    @Test("a fiche-action is linked only within its convention's territories; residents do not see the link", arguments: TestDatabases.engines)
    func actionSheetLink(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let people = try await f.signatories()
            let convention = try await f.signedConvention(people, f.guspConvention(people))
            let sheet = try #require(convention.actionSheets.first?.terms.id)
            let linked = try await store.createEngagement(
                NewEngagement(
                    title: "Halls", territoryId: f.qpvA.id, leadPartnerId: f.partnerA.id, dueDate: "2026-10-31", actionSheetId: sheet,
                    isPublic: true),
                by: try await f.actor(.coordinator))
            #expect(linked.actionSheetId == sheet && linked.conventionId == convention.id)
            let seen = try await store.engagement(linked.id, by: try await f.actor(.resident))
            #expect(seen.actionSheetId == nil && seen.conventionId == nil)
            // Commune B's coordinator cannot tie its engagement to side A's fiche-action.
            await #expect(
                throws: ValidationFailure(
                    field: "action_sheet_id", message: "is not a fiche-action of a convention you can read covering this territory")
            ) {
                try await store.createEngagement(
                    NewEngagement(
                        title: "Halls", territoryId: f.communeB.id, leadPartnerId: f.partnerB.id, dueDate: "2026-10-31", actionSheetId: sheet),
                    by: try await f.actor(of: f.coordinatorB))
            }
        }
    }
}
