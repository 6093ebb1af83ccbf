/// The report's observations as CSV (RFC 4180, comma-separated, CRLF), one line each, with what each
/// became and its status at the report's date: what a coordinator opens in a spreadsheet.
extension WalkReport {
    /// The column codes of `csv`, in order.
    public static let csvColumns = [
        "observation_id", "client_id", "stop", "stop_label", "lat", "long", "polarity", "theme", "category_id", "text", "proposal",
        "converted_to", "converted_id", "status_as_of", "partner_id", "finished", "within_commitment", "as_of",
    ]

    public var csv: String {
        var rows = [Self.csvColumns.joined(separator: ",")]
        let followUps = Dictionary(uniqueKeysWithValues: followUps.map { ($0.observationId, $0) })
        for observation in observations {
            let followUp = followUps[observation.id]
            let stopLabel = observation.stop.flatMap { walk.stops.indices.contains($0) ? walk.stops[$0].label : nil } ?? ""
            let fields = [
                observation.id, observation.clientId, observation.stop.map(String.init) ?? "", stopLabel,
                observation.location.map { String($0.lat) } ?? "", observation.location.map { String($0.long) } ?? "",
                observation.polarity.rawValue, observation.theme, observation.categoryId ?? "", observation.text, observation.proposal ?? "",
                followUp?.target.rawValue ?? "", followUp?.id ?? "", followUp?.status ?? "", followUp?.partnerId ?? "",
                followUp.map { $0.finished ? "true" : "false" } ?? "", followUp?.withinCommitment.map { $0 ? "true" : "false" } ?? "", asOf,
            ]
            rows.append(fields.map(AtfpbReport.csvField).joined(separator: ","))
        }
        return rows.joined(separator: "\r\n") + "\r\n"
    }
}
