import GUSPAPI
import GUSPCore
import Testing

@testable import GUSPServer

/// Every value of every enum of the contract that the server converts maps to the domain and back, and every value of
/// the domain's enum maps to the contract and back, keeping its raw value (what goes on the wire).
@Suite("Enum mapping between the contract and the domain")
struct EnumMappingTests {
    typealias Schemas = Components.Schemas

    /// Each case of `G` (the contract's) to `D` (the domain's) and back, and each case of `D` to `G` and back.
    static func expectBothWays<G, D>(
        _ contract: G.Type, _ domain: D.Type, _ toDomain: (G) -> D, _ toContract: (D) -> G,
        sourceLocation: SourceLocation = #_sourceLocation
    )
    where
        G: CaseIterable & RawRepresentable & Equatable, G.RawValue == String,
        D: CaseIterable & RawRepresentable & Equatable, D.RawValue == String
    {
        let contractName = String(reflecting: G.self), domainName = String(reflecting: D.self)
        #expect(!G.allCases.isEmpty, "\(contractName) has no case", sourceLocation: sourceLocation)
        for value in G.allCases {
            let mapped = toDomain(value), back = toContract(mapped)
            #expect(
                mapped.rawValue == value.rawValue,
                "\(contractName).\(value) (\"\(value.rawValue)\") maps to \(domainName).\(mapped) (\"\(mapped.rawValue)\")",
                sourceLocation: sourceLocation)
            #expect(back == value, "\(contractName).\(value) comes back from \(domainName).\(mapped) as .\(back)", sourceLocation: sourceLocation)
        }
        for value in D.allCases {
            let mapped = toContract(value), back = toDomain(mapped)
            #expect(
                mapped.rawValue == value.rawValue,
                "\(domainName).\(value) (\"\(value.rawValue)\") maps to \(contractName).\(mapped) (\"\(mapped.rawValue)\")",
                sourceLocation: sourceLocation)
            #expect(back == value, "\(domainName).\(value) comes back from \(contractName).\(mapped) as .\(back)", sourceLocation: sourceLocation)
        }
    }

    // MARK: Identity and places

    @Test func role() { Self.expectBothWays(Schemas.Role.self, Role.self, Role.init, Schemas.Role.init) }

    /// A person's role: `partner_system` is no person's and shows as `resident`; every other role maps both ways.
    @Test func userRole() {
        for value in Schemas.UserRole.allCases {
            let mapped = Role(value)
            #expect(mapped.rawValue == value.rawValue, "Components.Schemas.UserRole.\(value) maps to Role.\(mapped)")
            #expect(Schemas.UserRole(mapped) == value, "Components.Schemas.UserRole.\(value) comes back as .\(Schemas.UserRole(mapped))")
            #expect(value.role == mapped, "Components.Schemas.UserRole.\(value).role is .\(value.role)")
        }
        for value in Role.allCases {
            let mapped = Schemas.UserRole(value)
            if Role.userRoles.contains(value) {
                #expect(mapped.rawValue == value.rawValue, "Role.\(value) maps to Components.Schemas.UserRole.\(mapped)")
                #expect(Role(mapped) == value, "Role.\(value) comes back from Components.Schemas.UserRole.\(mapped) as .\(Role(mapped))")
            } else {
                #expect(mapped == .resident, "Role.\(value), no person's, maps to Components.Schemas.UserRole.\(mapped)")
            }
        }
    }

    @Test func actorKind() {
        Self.expectBothWays(Schemas.Me.KindPayload.self, GUSPCore.Actor.Kind.self, GUSPCore.Actor.Kind.init, Schemas.Me.KindPayload.init)
    }

    @Test func resourceType() {
        Self.expectBothWays(Schemas.ResourceType.self, ResourceType.self, ResourceType.init, Schemas.ResourceType.init)
    }

    @Test func partnerKind() {
        Self.expectBothWays(Schemas.PartnerKind.self, PartnerKind.self, PartnerKind.init, Schemas.PartnerKind.init)
    }

    /// The nullable `default_partner_kind` of a category update: its empty value (a `null`) is no kind.
    @Test func categoryUpdateDefaultPartnerKind() {
        typealias Payload = Schemas.CategoryUpdate.DefaultPartnerKindPayload
        for value in Payload.allCases {
            let name = "Components.Schemas.CategoryUpdate.DefaultPartnerKindPayload.\(value)"
            guard let mapped = PartnerKind(value) else {
                #expect(value == ._empty_, "\(name) maps to no PartnerKind")
                continue
            }
            #expect(mapped.rawValue == value.rawValue, "\(name) maps to PartnerKind.\(mapped)")
            #expect(Payload(mapped) == value, "\(name) comes back from PartnerKind.\(mapped) as .\(Payload(mapped))")
        }
        #expect(PartnerKind(Payload._empty_) == nil, "Components.Schemas.CategoryUpdate.DefaultPartnerKindPayload._empty_ maps to a kind")
        for value in PartnerKind.allCases {
            let mapped = Payload(value)
            #expect(mapped.rawValue == value.rawValue, "PartnerKind.\(value) maps to \(mapped)")
            #expect(PartnerKind(mapped) == value, "PartnerKind.\(value) comes back from .\(mapped) as \(String(describing: PartnerKind(mapped)))")
        }
    }

    @Test func territoryKind() {
        Self.expectBothWays(Schemas.TerritoryKind.self, TerritoryKind.self, TerritoryKind.init, Schemas.TerritoryKind.init)
    }

    @Test func commitmentUnit() {
        Self.expectBothWays(Schemas.CommitmentUnit.self, CommitmentUnit.self, CommitmentUnit.init, Schemas.CommitmentUnit.init)
    }

    // MARK: Signalements

    @Test func signalementStatus() {
        Self.expectBothWays(Schemas.SignalementStatus.self, SignalementStatus.self, SignalementStatus.init, Schemas.SignalementStatus.init)
    }

    @Test func signalementChannel() {
        Self.expectBothWays(Schemas.SignalementChannel.self, SignalementChannel.self, SignalementChannel.init, Schemas.SignalementChannel.init)
    }

    @Test func signalementPriority() {
        Self.expectBothWays(Schemas.SignalementPriority.self, SignalementPriority.self, SignalementPriority.init, Schemas.SignalementPriority.init)
    }

    @Test func commentVisibility() {
        Self.expectBothWays(Schemas.CommentVisibility.self, CommentVisibility.self, CommentVisibility.init, Schemas.CommentVisibility.init)
    }

    // MARK: Conventions and interventions

    @Test func conventionKind() {
        Self.expectBothWays(Schemas.ConventionKind.self, ConventionKind.self, ConventionKind.init, Schemas.ConventionKind.init)
    }

    @Test func conventionStatus() {
        Self.expectBothWays(Schemas.ConventionStatus.self, ConventionStatus.self, ConventionStatus.init, Schemas.ConventionStatus.init)
    }

    @Test func actionSheetStatus() {
        Self.expectBothWays(Schemas.ActionSheetStatus.self, ActionSheetStatus.self, ActionSheetStatus.init, Schemas.ActionSheetStatus.init)
    }

    @Test func interventionStatus() {
        Self.expectBothWays(Schemas.InterventionStatus.self, InterventionStatus.self, InterventionStatus.init, Schemas.InterventionStatus.init)
    }

    @Test func upsertOutcomeHeader() {
        Self.expectBothWays(
            Components.Headers.UpsertOutcome.self, InterventionOutcome.self, InterventionOutcome.init,
            Components.Headers.UpsertOutcome.init)
    }

    /// A batch item's outcome: `error` (a refused item) is no domain outcome; every other maps both ways.
    @Test func interventionBatchOutcome() {
        typealias Payload = Schemas.InterventionBatchResult.OutcomePayload
        for value in Payload.allCases {
            let name = "Components.Schemas.InterventionBatchResult.OutcomePayload.\(value)"
            guard let mapped = InterventionOutcome(value) else {
                #expect(value == .error, "\(name) maps to no InterventionOutcome")
                continue
            }
            #expect(mapped.rawValue == value.rawValue, "\(name) maps to InterventionOutcome.\(mapped)")
            #expect(Payload(mapped) == value, "\(name) comes back from InterventionOutcome.\(mapped) as .\(Payload(mapped))")
        }
        #expect(InterventionOutcome(Payload.error) == nil, "Components.Schemas.InterventionBatchResult.OutcomePayload.error maps to an outcome")
        for value in InterventionOutcome.allCases {
            let mapped = Payload(value)
            #expect(mapped.rawValue == value.rawValue, "InterventionOutcome.\(value) maps to \(mapped)")
            #expect(
                InterventionOutcome(mapped) == value,
                "InterventionOutcome.\(value) comes back from .\(mapped) as \(String(describing: InterventionOutcome(mapped)))")
        }
    }

    // MARK: Escalations and webhooks

    @Test func escalationReason() {
        Self.expectBothWays(
            Schemas.Escalation.ReasonPayload.self, EscalationReason.self, EscalationReason.init,
            Schemas.Escalation.ReasonPayload.init)
    }

    @Test func escalationAudience() {
        Self.expectBothWays(
            Schemas.Escalation.AudiencePayload.self, EscalationAudience.self, EscalationAudience.init,
            Schemas.Escalation.AudiencePayload.init)
    }

    @Test func webhookDeliveryStatus() {
        Self.expectBothWays(
            Schemas.WebhookDelivery.StatusPayload.self, WebhookDeliveryStatus.self, WebhookDeliveryStatus.init,
            Schemas.WebhookDelivery.StatusPayload.init)
    }

    @Test func webhookDeliveryStatusQuery() {
        typealias Query = Operations.ListWebhookDeliveries.Input.Query.StatusPayload
        Self.expectBothWays(Query.self, WebhookDeliveryStatus.self, WebhookDeliveryStatus.init, Query.init)
    }

    // MARK: Indicators

    @Test func indicatorDefinitionUnit() {
        typealias Unit = Schemas.IndicatorDefinition.UnitPayload
        Self.expectBothWays(Unit.self, IndicatorUnit.self, IndicatorUnit.init, Unit.init)
    }

    @Test func indicatorSeriesUnit() {
        typealias Unit = Schemas.IndicatorSeries.UnitPayload
        Self.expectBothWays(Unit.self, IndicatorUnit.self, IndicatorUnit.init, Unit.init)
    }

    @Test func dashboardFigureUnit() {
        typealias Unit = Schemas.DashboardFigure.UnitPayload
        Self.expectBothWays(Unit.self, IndicatorUnit.self, IndicatorUnit.init, Unit.init)
    }

    @Test func indicatorDefinitionGrouping() {
        typealias Grouping = Schemas.IndicatorDefinition.GroupingsPayloadPayload
        Self.expectBothWays(Grouping.self, IndicatorGrouping.self, IndicatorGrouping.init, Grouping.init)
    }

    @Test func indicatorSeriesGroupBy() {
        typealias Grouping = Schemas.IndicatorSeries.GroupByPayload
        Self.expectBothWays(Grouping.self, IndicatorGrouping.self, IndicatorGrouping.init, Grouping.init)
    }

    @Test func indicatorQueryGroupBy() {
        typealias Grouping = Operations.GetIndicator.Input.Query.GroupByPayload
        Self.expectBothWays(Grouping.self, IndicatorGrouping.self, IndicatorGrouping.init, Grouping.init)
    }
}
