import Foundation
import SQLKit

extension SQLSelectBuilder {
    /// Keeps rows created or changed at or after `since` (the `updated_since` filter of every list).
    func updated(since: Date?, table: String) -> Self {
        if let since { self.where(SQLColumn("updated_at", table: table), .greaterThanOrEqual, SQLBind(since.storedMilliseconds)) }
        return self
    }

    /// Orders by creation time then id, resumes after the cursor, and fetches one row more than
    /// the page so that the presence of a next page is known.
    func paged(_ request: PageRequest, table: String) -> Self {
        if let after = request.after {
            let created = SQLColumn("created_at", table: table)
            let id = SQLColumn("id", table: table)
            self.where {
                $0.where(created, .greaterThan, SQLBind(after.createdAt))
                    .orWhere {
                        $0.where(created, .equal, SQLBind(after.createdAt)).where(id, .greaterThan, SQLBind(after.id))
                    }
            }
        }
        return
            self
            .orderBy(SQLColumn("created_at", table: table))
            .orderBy(SQLColumn("id", table: table))
            .limit(request.limit + 1)
    }
}

extension Page {
    /// Cuts the extra row fetched by `paged` and derives the next cursor from the last item kept.
    init(rows: [Item], request: PageRequest, position: (Item) -> PageCursor) {
        if rows.count > request.limit {
            let kept = Array(rows.prefix(request.limit))
            self.init(items: kept, nextCursor: kept.last.map { position($0).encoded })
        } else {
            self.init(items: rows, nextCursor: nil)
        }
    }
}
