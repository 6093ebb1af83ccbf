/// The public facts of one signalement a message is built from, and the message of each kind.
struct SignalementNotice: Sendable {
    var reference: String
    var category: String
    var quartier: String?
    var partner: String?
    var dueAt: Int64?
    var trackingURL: String

    static let statusLabels: [SignalementStatus: String] = [
        .submitted: "reçu", .acknowledged: "pris en compte", .assigned: "confié à un partenaire", .inProgress: "en cours de traitement",
        .resolved: "résolu", .closed: "clos", .rejected: "non retenu", .duplicate: "regroupé avec un autre signalement",
        .reopened: "rouvert", .needsArbitration: "en cours d'orientation",
    ]

    private var place: String { quartier.map { "\(category), \($0)" } ?? category }
    private var due: [MailContent.Fact] { dueAt.map { [MailContent.Fact(label: "À traiter au plus tard le", value: FrenchDates.day($0))] } ?? [] }
    private var follow: [MailContent.Action] { [MailContent.Action(label: "Suivre ce signalement", url: trackingURL)] }
    private var basics: [MailContent.Fact] {
        [MailContent.Fact(label: "Référence", value: reference), MailContent.Fact(label: "Catégorie", value: category)]
            + (quartier.map { [MailContent.Fact(label: "Quartier", value: $0)] } ?? [])
    }

    /// Why a recipient of a signalement's news gets it.
    static let reason = "Vous recevez ce message parce que vous avez demandé à être informé(e) du suivi de ce signalement."

    func content(_ kind: NotificationKind, note: String? = nil, originalReference: String? = nil) -> MailContent {
        switch kind {
        case .acknowledged:
            MailContent(
                subject: "Votre signalement \(reference) a été pris en compte", title: "Signalement pris en compte",
                paragraphs: [
                    "Votre signalement (\(place)) a été pris en compte. Gardez sa référence, \(reference) : elle permet d'en suivre l'avancement, ou de le citer si vous appelez."
                ], facts: basics + due, actions: follow, reason: Self.reason)
        case .assigned:
            MailContent(
                subject: "Votre signalement \(reference) a été confié à \(partner ?? "un partenaire")", title: "Signalement confié à un partenaire",
                paragraphs: ["Votre signalement (\(place)) a été confié à \(partner ?? "un partenaire"), qui en est responsable."],
                facts: basics + (partner.map { [MailContent.Fact(label: "Confié à", value: $0)] } ?? []) + due, actions: follow,
                reason: Self.reason)
        case .commented:
            MailContent(
                subject: "Nouveau message sur votre signalement \(reference)", title: "Nouveau message",
                paragraphs: ["Un message a été ajouté au suivi de votre signalement (\(place)) :"], facts: basics, quote: note,
                actions: follow, reason: Self.reason)
        case .resolved:
            MailContent(
                subject: "Votre signalement \(reference) est résolu", title: "Signalement résolu",
                paragraphs: [
                    "Le partenaire responsable indique que votre signalement (\(place)) est résolu.",
                    "Dans quelques jours, nous vous demanderons si le problème est vraiment réglé.",
                ], facts: basics, quote: note, actions: follow, reason: Self.reason)
        case .rejected:
            MailContent(
                subject: "Votre signalement \(reference) n'a pas été retenu", title: "Signalement non retenu",
                paragraphs: ["Votre signalement (\(place)) n'a pas été retenu, pour la raison suivante :"], facts: basics, quote: note,
                actions: follow, reason: Self.reason)
        case .merged:
            MailContent(
                subject: "Votre signalement \(reference) a été regroupé avec \(originalReference ?? "un autre")",
                title: "Signalement regroupé",
                paragraphs: [
                    "Votre signalement (\(place)) décrit le même problème qu'un signalement déjà suivi, \(originalReference ?? "") : il a été regroupé avec lui, dont vous pouvez suivre l'avancement."
                ], facts: basics, quote: note, actions: follow, reason: Self.reason)
        case .feedbackRequest, .alertDigest:
            MailContent(subject: reference, title: reference, paragraphs: [], reason: Self.reason)
        }
    }
}
