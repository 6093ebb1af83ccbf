import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Testing

/// A cellule de veille over QPV A: its agenda comes from what is wrong, its decisions act, its minutes
/// go to the signatories, and the next meeting follows what it promised.
@Suite("Meetings")
struct MeetingStoryTests {
    static let hour: TimeInterval = 3_600
    static let day: TimeInterval = 86_400

    @Test("an agenda from live data, decisions that act, minutes for signatories, the next meeting", arguments: TestDatabases.engines)
    func story(engine: Engine) async throws {
        let clock = ManualClock()
        try await TestDatabases.withStore(engine, clock: clock) { store in
            let f = try await Fixture.make(store)
            let people = try await f.signatories()
            let places = people.places
            let coordinator = try await f.actor(.coordinator)
            let resident = try await f.actor(.resident)
            let technician = try await f.actor(.technician)
            let technicianB = try await f.actor(of: f.technicianB)
            let lifts = try await f.category("parties_communes")
            let proprete = try await f.category("proprete")
            let tranquillite = try await f.category("tranquillite")
            let convention = try await f.signedConvention(
                people,
                f.guspConvention(
                    people, commitments: [ServiceCommitment(categoryId: lifts, partnerId: nil, delay: Commitment(amount: 10, unit: .hours))]))

            // Three lifts out of order, 100 m apart, routed to bailleur A, escalated to level 2 (10 h, then 5 h more).
            var lateOnes: [Signalement] = []
            for step in 0..<3 {
                lateOnes.append(
                    try await store.createSignalement(
                        NewSignalement(
                            categoryId: lifts, description: "Ascenseur en panne, bâtiment \(step + 1)",
                            location: Position(long: 4.905 + Double(step) * 0.0015, lat: 44.925)),
                        by: resident
                    ).signalement)
            }
            #expect(lateOnes.allSatisfy { $0.partnerId == f.partnerA.id })
            clock.advance(10 * Self.hour)
            #expect(try await store.sweepEscalations().escalated == 3)
            clock.advance(5 * Self.hour)
            #expect(try await store.sweepEscalations().escalated == 3)
            // A category nobody has by default waits for arbitration; tranquillité goes to the watch meeting.
            let orphan = try await store.createCategory(
                NewCategory(
                    code: "mobilier_urbain", label: "Mobilier urbain", parentId: nil, commitment: Commitment(amount: 5, unit: .days),
                    residentFileable: true),
                by: Fixture.root)
            let arbitrated = try await store.createSignalement(
                NewSignalement(categoryId: orphan.id, description: "Banc arraché", location: Position(long: 4.915, lat: 44.935)), by: resident
            ).signalement
            #expect(arbitrated.status == .needsArbitration && arbitrated.dueAt != nil)
            let quiet = try await store.createSignalement(
                NewSignalement(categoryId: tranquillite, description: "Regroupements nocturnes", location: Position(long: 4.902, lat: 44.938)),
                by: resident
            ).signalement
            // Three dumps within 50 m of each other: a hot spot.
            var dumps: [Signalement] = []
            for step in 0..<3 {
                dumps.append(
                    try await store.createSignalement(
                        NewSignalement(
                            categoryId: proprete, description: "Dépôt sauvage \(step + 1)",
                            location: Position(long: 4.9185 + Double(step) * 0.0002, lat: 44.9215)),
                        by: resident
                    ).signalement)
            }

            let meeting = try await store.createMeeting(
                NewMeeting(
                    kind: .celluleDeVeille, title: "Cellule de veille des Hauts de Valence", territoryIds: [f.qpvA.id],
                    conventionId: convention.id, startsAt: clock.now().addingTimeInterval(Self.day), chairPartnerId: places.villeA.id,
                    invitedPartnerIds: [f.partnerA.id]),
                by: coordinator)
            #expect(meeting.id.hasPrefix("mtg_") && meeting.status == .planned)
            let agenda = try await store.generateAgenda(meeting.id, by: coordinator)
            #expect(agenda.map(\.kind) == [.escalation, .escalation, .escalation, .tranquillite, .arbitration, .hotSpot], "\(agenda.map(\.title))")
            #expect(Set(agenda.prefix(3).compactMap(\.signalementId)) == Set(lateOnes.map(\.id)))
            #expect(agenda[3].signalementId == quiet.id && agenda[3].isConfidential)
            #expect(agenda[4].signalementId == arbitrated.id && agenda[4].title.contains("Mobilier urbain"))
            #expect(agenda[5].targetId == dumps[0].id && agenda[5].title.hasPrefix("Point noir : 3 signalements « Propreté"))
            #expect(try await store.generateAgenda(meeting.id, by: coordinator).isEmpty, "nothing new")
            await #expect(throws: DomainError.self) { try await store.generateAgenda(meeting.id, by: technician) }

            // The next day the meeting is held; the bailleur and the city are present.
            clock.advance(Self.day)
            _ = try await store.transitionMeeting(meeting.id, to: .held, note: nil, ifVersion: nil, by: coordinator)
            _ = try await store.updateMeeting(
                meeting.id, MeetingChanges(presentPartnerIds: [f.partnerA.id, places.villeA.id]), ifVersion: nil, by: coordinator)
            // The arbitration is settled: the city has it, its due date as it was, the event names the meeting.
            let assigned = try await store.decide(
                meeting.id, itemId: agenda[4].id, NewDecision(kind: .assign, partnerId: places.villeA.id), by: coordinator)
            let settled = try await store.signalement(arbitrated.id, by: coordinator)
            #expect(assigned.kind == .assign && settled.partnerId == places.villeA.id && settled.status == .assigned)
            #expect(settled.dueAt == arbitrated.dueAt)
            let events = try await store.signalementEvents(arbitrated.id, page: try PageRequest(), by: coordinator).items
            #expect(events.contains { $0.action == "meeting_decision" && ($0.note ?? "").contains(meeting.id) })
            // The bailleur takes the hot spot on, due in 14 days.
            let due = LandParcel.day(of: clock.now().addingTimeInterval(14 * Self.day))
            let promised = try await store.decide(
                meeting.id, itemId: agenda[5].id,
                NewDecision(
                    kind: .engagement,
                    engagement: NewEngagement(
                        title: "Enclos à encombrants rue des Tilleuls", territoryId: f.qpvA.id, leadPartnerId: f.partnerA.id, dueDate: due)),
                by: coordinator)
            let engagement = try await store.engagement(promised.engagementId!, by: coordinator)
            #expect(engagement.source == .meeting && engagement.sourceId == meeting.id && engagement.dueDate == due)
            #expect(engagement.signalementIds == [dumps[0].id], "linked to the hot spot's signalement")
            _ = try await store.decide(meeting.id, itemId: agenda[0].id, NewDecision(kind: .acknowledge), by: coordinator)
            let reviewed = try await store.escalations(
                EscalationFilter(signalementId: agenda[0].signalementId), page: try PageRequest(), by: coordinator)
            #expect(reviewed.items.filter { $0.level == 2 }.allSatisfy { $0.acknowledgedAt != nil })
            await #expect(throws: ValidationFailure(field: "note", message: "is required")) {
                try await store.decide(meeting.id, itemId: agenda[1].id, NewDecision(kind: .noAction), by: coordinator)
            }
            await #expect(throws: ValidationFailure(field: "engagement", message: "is only for a decision of kind engagement")) {
                try await store.decide(
                    meeting.id, itemId: agenda[1].id,
                    NewDecision(
                        kind: .noAction, note: "Vu",
                        engagement: NewEngagement(title: "x", territoryId: f.qpvA.id, leadPartnerId: "ptn_nope", dueDate: due)),
                    by: coordinator)
            }
            // Before the minutes are approved, the decisions are the coordination's.
            await #expect(throws: DomainError.notFound("minutes not found")) { try await store.decisions(meeting.id, by: technician) }
            await #expect(throws: DomainError.conflict("this item is about no escalation: there is nothing to acknowledge")) {
                try await store.decide(meeting.id, itemId: agenda[4].id, NewDecision(kind: .acknowledge), by: coordinator)
            }

            // The city's own notes on its signalement stay its own.
            _ = try await store.commentSignalement(arbitrated.id, body: "Voir avec le service des sports", visibility: .internal, by: coordinator)
            // What the bailleur's technician sees: the items about its signalements, not the city's.
            let seen = try await store.agenda(meeting.id, by: technician)
            #expect(Set(seen.map(\.id)) == Set(agenda.prefix(3).map(\.id)), "\(seen.map(\.title))")
            await #expect(throws: DomainError.notFound("agenda item not found")) {
                try await store.agendaItem(meeting.id, agenda[4].id, by: technician)
            }
            await #expect(throws: DomainError.self) {
                try await store.signalementComments(arbitrated.id, page: try PageRequest(), by: technician)
            }
            await #expect(throws: DomainError.notFound("meeting not found")) { try await store.meeting(meeting.id, by: technicianB) }

            // The minutes, approved for the signatories.
            await #expect(throws: DomainError.conflict("the minutes are written (PUT …/minutes) before they are approved")) {
                try await store.transitionMeeting(meeting.id, to: .minutesApproved, note: nil, ifVersion: nil, by: coordinator)
            }
            _ = try await store.setMeetingMinutes(
                meeting.id, text: "Trois ascenseurs en panne depuis hier.\n\nLe banc arraché est confié à la Ville.", visibility: .signatories,
                ifVersion: nil, by: coordinator)
            let approved = try await store.transitionMeeting(meeting.id, to: .minutesApproved, note: nil, ifVersion: nil, by: coordinator)
            #expect(approved.status == .minutesApproved && approved.minutesApprovedAt != nil)
            await #expect(throws: DomainError.conflict("the agenda of a meeting that is minutes_approved is closed")) {
                try await store.reorderAgenda(meeting.id, itemIds: agenda.map(\.id).reversed(), by: coordinator)
            }
            #expect(try await store.decisions(meeting.id, by: technician).map(\.kind) == [.acknowledge])
            let minutes = try await store.meetingMinutes(meeting.id, by: technician)
            #expect(
                minutes.text?.hasPrefix("Trois ascenseurs") == true && minutes.items.count == 3 && minutes.decisions.map(\.kind) == [.acknowledge])
            #expect(!minutes.html.contains("Mobilier urbain") && minutes.html.contains("<p>Le banc arraché est confié à la Ville.</p>"))
            let full = try await store.meetingMinutes(meeting.id, by: coordinator)
            #expect(full.decisions.count == 3 && full.markdown.contains("Confié à Ville de Valence"))
            // Residents: not these minutes, not the confidential item.
            await #expect(throws: DomainError.notFound("minutes not found")) { try await store.meetingMinutes(meeting.id, by: resident) }
            await #expect(throws: DomainError.notFound("meeting not found")) { try await store.agendaItem(meeting.id, agenda[3].id, by: resident) }

            // The next cellule starts with what is still open: the engagement and the undecided items.
            let next = try await store.createMeeting(
                NewMeeting(
                    kind: .celluleDeVeille, title: "Cellule de veille suivante", territoryIds: [f.qpvA.id], conventionId: convention.id,
                    startsAt: clock.now().addingTimeInterval(30 * Self.day), chairPartnerId: places.villeA.id, invitedPartnerIds: [f.partnerA.id],
                    previousMeetingId: meeting.id),
                by: coordinator)
            let carried = try await store.agenda(next.id, by: coordinator)
            #expect(carried.contains { $0.kind == .engagement && $0.targetId == engagement.id })
            #expect(Set(carried.compactMap(\.carriedFrom)) == Set([agenda[1].id, agenda[2].id, agenda[3].id]))
            // Generating it adds only what the carried items and the open engagement do not already cover.
            #expect(try await store.generateAgenda(next.id, by: coordinator).isEmpty)

            // The bailleur keeps its promise; a month later, the indicators of September, by hand.
            _ = try await store.updateEngagement(engagement.id, EngagementChanges(status: .done), ifVersion: nil, by: coordinator)
            clock.advance(31 * Self.day)
            func figure(_ code: String, _ grouping: IndicatorGrouping? = nil, by actor: Actor? = nil) async throws -> IndicatorResult {
                try await store.indicator(code, IndicatorQuery(from: "2026-09-01", to: "2026-09-30", groupBy: grouping), by: actor ?? coordinator)
            }
            #expect(try await figure("meetings_held").total.value == 1, "the next one is not held")
            #expect(try await figure("meetings_held", .kind).rows == [IndicatorRow(key: "cellule_de_veille", value: 1, sample: 1)])
            #expect(try await figure("meeting_partner_attendance_rate", .partner).rows == [IndicatorRow(key: f.partnerA.id, value: 1, sample: 1)])
            let reviewed30 = try await figure("escalations_reviewed_30_days").total
            #expect(reviewed30.value == 1.0 / 3.0 && reviewed30.sample == 3, "one of the three level-2 escalations reviewed")
            let arbitration = try await figure("arbitration_to_assignment_median_hours").total
            #expect(arbitration.value == 24 && arbitration.sample == 1, "filed one day, settled at the meeting the next")
            #expect(try await figure("meeting_engagements_on_time").total == IndicatorRow(key: "total", value: 1, sample: 1))
            // Each reader counts what it may see: a foreign bailleur none of these meetings; residents no unpublished one.
            #expect(try await figure("meetings_held", by: technicianB).total.value == 0)
            #expect(try await figure("meetings_held", by: resident).total.value == 0)
            await #expect(throws: DomainError.self) { try await figure("escalations_reviewed_30_days", by: resident) }
        }
    }

    @Test("the chair's and invited partners' subscriptions receive meeting.scheduled and .minutes_approved", arguments: TestDatabases.engines)
    func outbox(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            _ = try await store.createWebhookSubscription(
                NewWebhookSubscription(partnerId: f.partnerA.id, url: "https://93.184.216.34/hook", eventTypes: ["*"]), by: Fixture.root)
            let coordinator = try await f.actor(.coordinator)
            let meeting = try await store.createMeeting(
                NewMeeting(
                    kind: .comiteTechnique, title: "Comité technique", territoryIds: [f.qpvA.id],
                    startsAt: Date(timeIntervalSince1970: 1_790_100_000),
                    chairPartnerId: places.villeA.id, invitedPartnerIds: [f.partnerA.id]),
                by: coordinator)
            _ = try await store.transitionMeeting(meeting.id, to: .held, note: nil, ifVersion: nil, by: coordinator)
            _ = try await store.setMeetingMinutes(
                meeting.id, text: "Relevé de décisions confidentiel", visibility: .internal, ifVersion: nil, by: coordinator)
            _ = try await store.transitionMeeting(meeting.id, to: .minutesApproved, note: nil, ifVersion: nil, by: coordinator)
            let rows = try await store.database.read { db in
                try await db.raw("SELECT event_type, partner_ids, payload FROM outbox ORDER BY created_at, id").all()
            }
            #expect(try rows.map { try $0.decode(column: "event_type", as: String.self) } == ["meeting.scheduled", "meeting.minutes_approved"])
            #expect(try rows.allSatisfy { try $0.decode(column: "partner_ids", as: String.self).contains(f.partnerA.id) })
            let payloads = try rows.map { try $0.decode(column: "payload", as: String.self) }.joined()
            #expect(!payloads.contains("Comité technique") && !payloads.contains("confidentiel"), "ids and states only")
        }
    }

    @Test("a meeting acts on its own territories only, and residents read only the public part", arguments: TestDatabases.engines)
    func boundaries(engine: Engine) async throws {
        try await TestDatabases.withStore(engine, clock: ManualClock()) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let coordinator = try await f.actor(.coordinator)
            let resident = try await f.actor(.resident)
            let starts = Date(timeIntervalSince1970: 1_790_100_000)
            let rennes = try await store.createSignalement(
                NewSignalement(categoryId: try await f.category("voirie"), description: "Nid-de-poule", location: places.inCommuneB), by: resident
            ).signalement
            let quiet = try await store.createSignalement(
                NewSignalement(categoryId: try await f.category("tranquillite"), description: "Rodéos", location: places.inQPV), by: resident
            ).signalement
            let foreign = try await store.createMeeting(
                NewMeeting(
                    kind: .comiteTechnique, title: "Comité de Rennes", territoryIds: [f.communeB.id], startsAt: starts, chairPartnerId: f.partnerB.id),
                by: Fixture.root)
            // Another territory's meeting cannot be carried into one's own.
            await #expect(throws: ValidationFailure(field: "previous_meeting_id", message: "is not a meeting of territories you coordinate")) {
                try await store.createMeeting(
                    NewMeeting(
                        kind: .celluleDeVeille, title: "Cellule", territoryIds: [f.qpvA.id], startsAt: starts, chairPartnerId: places.villeA.id,
                        previousMeetingId: foreign.id),
                    by: coordinator)
            }
            let meeting = try await store.createMeeting(
                NewMeeting(kind: .celluleDeVeille, title: "Cellule", territoryIds: [f.qpvA.id], startsAt: starts, chairPartnerId: places.villeA.id),
                by: coordinator)
            // A manual item names a signalement of the meeting's territories only; about tranquillité, it is confidential.
            await #expect(throws: ValidationFailure(field: "signalement_id", message: "is not a signalement of the meeting's territories")) {
                try await store.addAgendaItem(meeting.id, NewAgendaItem(title: "Voirie de Rennes", signalementId: rennes.id), by: coordinator)
            }
            let manual = try await store.addAgendaItem(meeting.id, NewAgendaItem(title: "Les rodéos", signalementId: quiet.id), by: coordinator)
            #expect(manual.isConfidential)
            _ = try await store.transitionMeeting(meeting.id, to: .held, note: nil, ifVersion: nil, by: coordinator)
            let open = try await store.addAgendaItem(meeting.id, NewAgendaItem(title: "Les bancs du square"), by: coordinator)
            let decided = try await store.decide(
                meeting.id, itemId: open.id,
                NewDecision(
                    kind: .engagement,
                    engagement: NewEngagement(title: "Bancs", territoryId: f.qpvA.id, leadPartnerId: places.villeA.id, dueDate: "2026-12-01")),
                by: coordinator)
            _ = try await store.setMeetingMinutes(meeting.id, text: "Relevé", visibility: .public, ifVersion: nil, by: coordinator)
            _ = try await store.transitionMeeting(meeting.id, to: .minutesApproved, note: nil, ifVersion: nil, by: coordinator)
            // Public minutes: the open item and its decision, not the confidential item, not the engagement (not public).
            let minutes = try await store.meetingMinutes(meeting.id, by: resident)
            #expect(minutes.items.map(\.id) == [open.id] && minutes.decisions.map(\.id) == [decided.id])
            #expect(minutes.decisions[0].engagementId == nil && !minutes.html.contains("Les rodéos"))
            #expect(try await store.meetingMinutes(meeting.id, by: coordinator).decisions[0].engagementId == decided.engagementId)
        }
    }
}
