import Foundation

/// Who is responsible for a signalement, and why (the reason is recorded in the "created" event).
package struct RoutingDecision: Equatable {
    package var partnerId: String?
    package var reason: String
}

/// A category with its ancestors, nearest first, as routing and commitments need them (from `ReferenceSnapshot`).
package struct CategoryChain {
    package struct Link {
        var id: String, code: String, residentFileable: Int, defaultPartnerKind: String?
        var commitmentAmount: Int?, commitmentUnit: String?
    }

    package var links: [Link]

    package var category: Link? { links.first }
    package var ids: [String] { links.map(\.id) }
    /// The nearest default partner kind up the tree.
    var defaultPartnerKind: String? { links.lazy.compactMap(\.defaultPartnerKind).first }
    /// The category's own commitment (a subcategory without one has none: it is a decision, not an oversight).
    var commitment: Commitment? {
        guard let amount = category?.commitmentAmount, let unit = category?.commitmentUnit.flatMap(CommitmentUnit.init(rawValue:)) else {
            return nil
        }
        return Commitment(amount: amount, unit: unit)
    }
}

/// Routing by domanialité, in this order:
/// 1. land parcels valid today whose contour contains the point and that cover the category (or one of
///    its ancestors, or all categories): one partner among them → that partner; several → arbitration;
/// 2. else the category's default partner kind (its own or its nearest ancestor's): partners of that kind
///    working in the signalement's territory, or failing that in the nearest enclosing territory that
///    has any: exactly one → that partner; several → arbitration;
/// 3. else (no kind, no territory, nobody of that kind) → arbitration.
package enum SignalementRouting {
    package static func route(
        _ categories: CategoryChain, location: Position?, territoryId: String?, at now: Date,
        reference: ReferenceSnapshot
    ) -> RoutingDecision {
        if let location {
            let partners = reference.parcelPartners(containing: location, categories: categories.ids, on: LandParcel.day(of: now))
            if partners.count == 1 { return RoutingDecision(partnerId: partners[0], reason: "land parcel") }
            if partners.count > 1 {
                return RoutingDecision(partnerId: nil, reason: "several land parcels of different partners")
            }
        }
        guard let kind = categories.defaultPartnerKind else {
            return RoutingDecision(partnerId: nil, reason: "the category has no default partner kind")
        }
        guard let territoryId else { return RoutingDecision(partnerId: nil, reason: "no territory") }
        guard let partners = reference.partners(ofKind: kind, around: territoryId) else {
            return RoutingDecision(partnerId: nil, reason: "no partner of kind \(kind) in this territory")
        }
        if partners.count == 1 { return RoutingDecision(partnerId: partners[0], reason: "default partner (\(kind))") }
        return RoutingDecision(partnerId: nil, reason: "several partners of kind \(kind)")
    }
}
