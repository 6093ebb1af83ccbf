extension Migration {
    /// Point lookups (which territory contains a signalement) filter on the bounding box first.
    static let territoryBoundingBoxIndex = Migration(3, "territory bounding box index") { db, _ in
        try await db.execute(statements: [
            "CREATE INDEX territories_bbox ON territories (bbox_min_long, bbox_max_long, bbox_min_lat, bbox_max_lat)"
        ])
    }
}
