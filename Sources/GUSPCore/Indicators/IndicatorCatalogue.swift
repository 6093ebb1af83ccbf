import Foundation

/// The indicators gusp computes. Periods are Europe/Paris calendar days; "received in the period" means
/// filed on one of its days. Rates over the signalements received in a period are cohort rates: they
/// follow what became of those signalements, so a month's rate can still move after the month.
public enum IndicatorCatalogue {
    static let periods: [IndicatorGrouping] = [.day, .week, .month]
    static let signalementGroupings: [IndicatorGrouping] = periods + [.category, .territory, .partner]
    /// Walks fall in the period of the Paris day they started.
    static let walkGroupings: [IndicatorGrouping] = periods + [.territory, .kind, .timeOfDay]

    private static func walk(
        _ code: String, _ label: String, _ definition: String, _ formula: String, _ unit: IndicatorUnit,
        _ more: [IndicatorGrouping] = []
    ) -> IndicatorDefinition {
        IndicatorDefinition(
            code: code, label: label, definition: definition, formula: formula, unit: unit, isSnapshot: false, source: .walks,
            groupings: walkGroupings + more, isPublic: true)
    }

    /// Meetings fall in the period of the Paris day they started.
    private static func meeting(
        _ code: String, _ label: String, _ definition: String, _ formula: String, _ unit: IndicatorUnit, _ more: [IndicatorGrouping] = [],
        isPublic: Bool = false
    ) -> IndicatorDefinition {
        IndicatorDefinition(
            code: code, label: label, definition: definition, formula: formula, unit: unit, isSnapshot: false, source: .meetings,
            groupings: periods + [.territory, .kind] + more, isPublic: isPublic)
    }

    private static func walkEngagements(days: Int, onTime: Bool) -> IndicatorDefinition {
        walk(
            "walk_engagements_\(onTime ? "on_time" : "done")_\(days)_days",
            onTime ? "Engagements de marche tenus dans le délai à \(days) jours" : "Engagements de marche réalisés à \(days) jours",
            "Part des engagements pris à la suite des marches de la période qui étaient réalisés \(days) jours après la marche"
                + (onTime ? ", et au plus tard à leur échéance" : "") + " (marches d'au moins \(days) jours seulement).",
            "count(engagement done, done_at ≤ walk start + \(days) d\(onTime ? ", done_at ≤ due" : "")) / count(engagement from walks in period"
                + " that started \(days) days ago or more)",
            .rate)
    }

    private static func rollup(_ code: String, _ label: String, _ definition: String, _ formula: String, _ unit: IndicatorUnit) -> IndicatorDefinition
    {
        IndicatorDefinition(
            code: code, label: label, definition: definition, formula: formula, unit: unit, isSnapshot: false,
            source: .rollups, groupings: signalementGroupings, isPublic: true)
    }

    private static func cohortRate(_ code: String, _ label: String, _ what: String, _ condition: String) -> IndicatorDefinition {
        intake(
            rollup(
                code, label, "Part des signalements reçus pendant la période qui \(what).",
                "count(received in period and \(condition)) / count(received in period)", .rate))
    }

    /// Figures of the signalements received in the period also break down by channel.
    private static func intake(_ definition: IndicatorDefinition) -> IndicatorDefinition {
        var definition = definition
        definition.groupings.append(.channel)
        return definition
    }

    /// Questionnaires fall in the period of the Paris day they were sent.
    private static func feedback(
        _ code: String, _ label: String, _ definition: String, _ formula: String, _ unit: IndicatorUnit
    )
        -> IndicatorDefinition
    {
        IndicatorDefinition(
            code: code, label: label, definition: definition, formula: formula, unit: unit, isSnapshot: false, source: .residents,
            groupings: signalementGroupings, isPublic: true)
    }

    /// Escalations say which partner was late: not for residents.
    private static func escalations(_ level: Int, _ audience: String) -> IndicatorDefinition {
        var definition = rollup(
            "escalations_level_\(level)", "Escalades de niveau \(level)",
            "Escalades de niveau \(level) (vers \(audience)) enregistrées pendant la période.",
            "count(escalation where level = \(level) and created_at in period)", .count)
        definition.isPublic = false
        return definition
    }

    public static let all: [IndicatorDefinition] = [
        intake(
            rollup(
                "signalements_received", "Signalements reçus", "Signalements déposés pendant la période (date de dépôt, jour de Paris).",
                "count(signalement where created_at in period)", .count)),
        rollup(
            "signalements_resolved", "Signalements résolus",
            "Signalements dont la résolution en vigueur date de la période (un signalement rouvert compte à sa dernière résolution).",
            "count(signalement where resolved_at in period)", .count),
        rollup(
            "resolution_time_mean_hours", "Délai moyen de résolution (heures)",
            "Moyenne, sur les signalements résolus pendant la période, du temps entre dépôt et résolution.",
            "mean(resolved_at − created_at) over signalements resolved in period", .hours),
        IndicatorDefinition(
            code: "resolution_time_median_hours", label: "Délai médian de résolution (heures)",
            definition: "Médiane, sur les signalements résolus pendant la période, du temps entre dépôt et résolution.",
            formula: "median(resolved_at − created_at) over signalements resolved in period", unit: .hours, isSnapshot: false,
            source: .signalements, groupings: signalementGroupings, isPublic: true),
        rollup(
            "resolved_within_commitment_rate", "Taux de résolution dans le délai d'engagement",
            "Part des signalements résolus pendant la période, et ayant une échéance, résolus au plus tard à leur échéance.",
            "count(resolved_at ≤ due_at) / count(due_at present) over signalements resolved in period", .rate),
        IndicatorDefinition(
            code: "backlog_now", label: "Stock de signalements ouverts",
            definition: "Signalements ouverts à l'instant de la requête (ni résolus, ni clos, ni rejetés, ni doublons).",
            formula: "count(signalement where status is open)", unit: .count, isSnapshot: true, source: .signalements,
            groupings: [.category, .territory, .partner], isPublic: true),
        IndicatorDefinition(
            code: "overdue_now", label: "Signalements en retard",
            definition: "Signalements ouverts dont l'échéance est passée à l'instant de la requête.",
            formula: "count(signalement where status is open and due_at < now)", unit: .count, isSnapshot: true, source: .signalements,
            groupings: [.category, .territory, .partner], isPublic: true),
        cohortRate("reopen_rate", "Taux de réouverture", "ont été rouverts au moins une fois", "reopened at least once"),
        cohortRate("reject_rate", "Taux de rejet", "sont rejetés", "status = rejected"),
        cohortRate("duplicate_rate", "Taux de doublons", "ont été fusionnés comme doublons", "status = duplicate"),
        cohortRate(
            "arbitration_rate", "Taux d'arbitrage", "ont attendu un arbitrage (responsable non trouvé ou contesté)",
            "needs_arbitration at least once"),
        cohortRate(
            "recurrence_rate", "Taux de récurrence",
            "répètent un signalement de même catégorie déposé à moins de 50 m dans les 90 jours précédents",
            "an earlier signalement of the same category within 50 m filed in the 90 days before"),
        escalations(1, "le partenaire"),
        escalations(2, "la coordination"),
        escalations(3, "les élus"),
        IndicatorDefinition(
            code: "interventions_done", label: "Interventions réalisées",
            definition: "Interventions déclarées réalisées par les partenaires, au jour de leur réalisation (jour de Paris).",
            formula: "count(intervention where status = done and done day in period)", unit: .count, isSnapshot: false,
            source: .interventions, groupings: periods + [.territory, .partner], isPublic: false),
        IndicatorDefinition(
            code: "atfpb_realised_cents", label: "Montants ATFPB réalisés (centimes)",
            definition: "Montants réalisés des interventions rattachées à un axe ATFPB, réalisées pendant la période, par axe et par QPV.",
            formula: "sum(realised_cents) over interventions done in period with an ATFPB axis", unit: .cents, isSnapshot: false,
            source: .interventions, groupings: [.axis, .territory, .partner], isPublic: false),
        IndicatorDefinition(
            code: "action_sheet_completion", label: "Avancement des fiches-actions",
            definition: "Part des fiches-actions (hors abandonnées) réalisées, par convention, à l'instant de la requête.",
            formula: "count(action sheet done) / count(action sheet not abandoned)", unit: .rate, isSnapshot: true,
            source: .actionSheets, groupings: [.convention], isPublic: false),
        walk(
            "walks_held", "Marches tenues",
            "Diagnostics en marchant et marches exploratoires tenus pendant la période (jour de Paris du départ).",
            "count(walk where status in (held, report_published, closed) and starts_at in period)", .count),
        walk(
            "walk_participants", "Participants aux marches", "Participants comptés (jamais nommés) aux marches tenues pendant la période.",
            "sum(attendance count) over walks held in period", .count, [.role, .ageBand]),
        walk(
            "walk_observations", "Observations des marches",
            "Observations (points forts et dysfonctionnements) des marches tenues pendant la période.",
            "count(observation) over walks held in period", .count, [.polarity, .theme]),
        walk(
            "walk_negative_converted_rate", "Dysfonctionnements transformés",
            "Part des dysfonctionnements observés pendant les marches de la période devenus un signalement ou un engagement.",
            "count(negative observation converted) / count(negative observation) over walks held in period", .rate, [.theme]),
        walk(
            "walk_days_to_report", "Délai de publication du compte-rendu (jours)",
            "Moyenne, sur les marches de la période dont le compte-rendu est publié, des jours entre le départ de la marche et sa première publication.",
            "mean(first published_at − starts_at) / 1 day over walks held in period with a published report", .days),
        walkEngagements(days: 90, onTime: false),
        walkEngagements(days: 90, onTime: true),
        walkEngagements(days: 180, onTime: false),
        walkEngagements(days: 180, onTime: true),
        meeting(
            "meetings_held", "Réunions tenues", "Cellules de veille, comités techniques, COPIL et réunions inter-bailleurs tenus pendant la période.",
            "count(meeting where status in (held, minutes_approved) and starts_at in period)", .count, isPublic: true),
        meeting(
            "meeting_partner_attendance_rate", "Présence des partenaires invités",
            "Part des partenaires invités aux réunions tenues pendant la période qui y étaient présents.",
            "count(invited partner present) / count(invited partner) over meetings held in period", .rate, [.partner]),
        IndicatorDefinition(
            code: "escalations_reviewed_30_days", label: "Escalades examinées sous 30 jours",
            definition:
                "Part des escalades de niveau 2 ou plus enregistrées pendant la période (il y a au moins 30 jours) prises en compte dans les 30 jours.",
            formula: "count(acknowledged_at − created_at ≤ 30 d) / count(escalation level ≥ 2 created in period, 30 days ago or more)",
            unit: .rate, isSnapshot: false, source: .meetings, groupings: periods + [.territory, .partner], isPublic: false),
        IndicatorDefinition(
            code: "arbitration_to_assignment_median_hours", label: "Délai médian d'arbitrage (heures)",
            definition:
                "Médiane, sur les signalements déposés pendant la période qui ont attendu un arbitrage, du temps entre la mise en arbitrage et l'attribution qui l'a suivie.",
            formula: "median(first assigned after needs_arbitration − first needs_arbitration)", unit: .hours, isSnapshot: false,
            source: .meetings, groupings: signalementGroupings, isPublic: false),
        meeting(
            "meeting_engagements_on_time", "Engagements de réunion tenus dans le délai",
            "Part des engagements décidés aux réunions de la période, réalisés ou arrivés à échéance, qui ont été réalisés au plus tard à leur échéance.",
            "count(done_at ≤ due_at) / count(engagement from meetings in period, done or past due)", .rate, isPublic: true),
        feedback(
            "feedback_response_rate", "Réponses à « est-ce réglé ? »",
            "Part des questionnaires « est-ce réglé ? » envoyés pendant la période auxquels le résident a répondu.",
            "count(questionnaire answered) / count(questionnaire sent in period)", .rate),
        feedback(
            "feedback_fixed_rate", "Résolutions confirmées par les résidents",
            "Part des réponses « oui » parmi les réponses aux questionnaires envoyés pendant la période (par partenaire et catégorie : un contrôle des signalements « résolus » qui ne l'étaient pas).",
            "count(answer = oui) / count(questionnaire answered), questionnaires sent in period", .rate),
        feedback(
            "reopened_after_feedback", "Signalements rouverts après « est-ce réglé ? »",
            "Signalements rouverts par une réponse « non » à un questionnaire envoyé pendant la période.",
            "count(questionnaire sent in period whose answer reopened its signalement)", .count),
        IndicatorDefinition(
            code: "notifications_sent", label: "Messages envoyés aux résidents",
            definition:
                "Messages envoyés aux résidents pendant la période (accusés de réception, affectations, messages, résolutions, refus, regroupements, questionnaires, alertes).",
            formula: "count(message where status = sent and sent_at in period)", unit: .count, isSnapshot: false, source: .residents,
            groupings: periods + [.kind], isPublic: false),
    ]

    /// The headline figures of `GET /v1/dashboard`: everything about signalements and escalations that
    /// the rollups or the figures of now answer (not the median, read from every resolved signalement).
    public static let dashboard: [IndicatorDefinition] = all.filter { $0.source == .rollups || ($0.source == .signalements && $0.isSnapshot) }

    public static func definition(_ code: String) -> IndicatorDefinition? { all.first { $0.code == code } }
}
