import Foundation

/// One page of a list, in creation order, with the cursor of the next page when there is one.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

/// What a client asks of a list: a page size (1–500, default 50) and where to resume.
public struct PageRequest: Sendable {
    public static let defaultLimit = 50
    public static let maximumLimit = 500

    public var limit: Int
    public var after: PageCursor?

    public init(limit: Int? = nil, cursor: String? = nil) throws(ValidationFailure) {
        let limit = limit ?? Self.defaultLimit
        guard (1...Self.maximumLimit).contains(limit) else {
            throw ValidationFailure(field: "limit", message: "must be between 1 and \(Self.maximumLimit)")
        }
        self.limit = limit
        if let cursor {
            guard let decoded = PageCursor(encoded: cursor) else {
                throw ValidationFailure(field: "cursor", message: "is not a cursor this API returned")
            }
            self.after = decoded
        }
    }
}

/// The position after the last item of a page: its creation time and id (the stable order).
public struct PageCursor: Sendable, Equatable {
    public var createdAt: Int64
    public var id: String

    public init(createdAt: Int64, id: String) {
        self.createdAt = createdAt
        self.id = id
    }

    public init?(encoded: String) {
        var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: "|", maxSplits: 1)
        guard parts.count == 2, let createdAt = Int64(parts[0]), !parts[1].isEmpty else { return nil }
        self.createdAt = createdAt
        self.id = String(parts[1])
    }

    public var encoded: String {
        Data("\(createdAt)|\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
