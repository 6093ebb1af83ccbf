import GUSPCore

/// The mail backlog for `/metrics`: messages waiting, by kind (a relay that is down shows here).
enum MailMetrics {
    static func render(_ store: Store) async throws -> String {
        let backlog = try await store.mailBacklog()
        var text = "# HELP gusp_mail_backlog Messages to residents waiting to be sent, by kind.\n# TYPE gusp_mail_backlog gauge\n"
        for kind in NotificationKind.allCases {
            text += "gusp_mail_backlog{kind=\"\(kind.rawValue)\"} \(backlog[kind.rawValue] ?? 0)\n"
        }
        return text
    }
}
