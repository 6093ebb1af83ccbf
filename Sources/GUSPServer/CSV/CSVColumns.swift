/// The French heading of each column code of gusp's CSV exports. A file's header row shows these; the
/// codes themselves (stable, what a program reads) come with `columns=codes`.
enum CSVColumns {
    static let french: [String: String] = [
        // Indicators
        "key": "Clé", "key_code": "Code", "key_label": "Libellé", "value": "Valeur", "sample": "Effectif",
        // ATFPB bilan
        "year": "Année", "axis": "Axe", "axis_title": "Intitulé de l'axe", "territory_id": "Identifiant du territoire",
        "territory_code": "Code du territoire", "territory_label": "Territoire", "planned_eur": "Prévu (€)", "realised_eur": "Réalisé (€)",
        "atfpb_share_eur": "Part ATFPB (€)", "other_funding_eur": "Autres financements (€)", "interventions": "Interventions",
        "actions": "Actions",
        // Walk report
        "observation_id": "Identifiant de l'observation", "client_id": "Identifiant sur la tablette", "stop": "Arrêt (n°)",
        "stop_label": "Arrêt", "lat": "Latitude", "long": "Longitude", "polarity": "Constat", "theme": "Thème",
        "category_id": "Identifiant de la catégorie", "category_code": "Code de la catégorie", "category_label": "Catégorie",
        "text": "Observation", "proposal": "Proposition", "converted_to": "Suite donnée", "converted_id": "Identifiant de la suite",
        "status_as_of": "État à la date du compte-rendu", "partner_id": "Identifiant du partenaire", "partner_name": "Partenaire",
        "finished": "Terminé", "within_commitment": "Dans le délai promis", "as_of": "Date du compte-rendu",
    ]
}
