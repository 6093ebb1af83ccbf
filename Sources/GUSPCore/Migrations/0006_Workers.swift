import SQLKit

extension Migration {
    /// What the background workers need: the escalation schedule of each signalement (found through an
    /// index on the next escalation time), the escalations themselves, the outbox written with every
    /// notable change, webhook subscriptions and their deliveries with every attempt, and the record of
    /// what retention purged.
    static let workers = Migration(6, "escalations, outbox, webhooks, retention") { db, _ in
        try await db.execute(statements: [
            "ALTER TABLE signalements ADD COLUMN escalation_level BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE signalements ADD COLUMN escalation_cycle BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE signalements ADD COLUMN escalation_due_at BIGINT",
            "ALTER TABLE signalements ADD COLUMN next_escalation_at BIGINT",
            "CREATE INDEX signalements_next_escalation ON signalements (next_escalation_at) WHERE next_escalation_at IS NOT NULL",
            // Signalements filed before: open ones escalate from their due date, those waiting for
            // arbitration 48 h (the default) after their last change.
            """
            UPDATE signalements SET escalation_due_at = due_at, next_escalation_at = due_at
            WHERE status IN ('submitted', 'acknowledged', 'assigned', 'in_progress', 'reopened') AND due_at IS NOT NULL
            """,
            "UPDATE signalements SET next_escalation_at = updated_at + 172800000 WHERE status = 'needs_arbitration'",
            """
            CREATE TABLE escalations (
              id TEXT PRIMARY KEY,
              signalement_id TEXT NOT NULL REFERENCES signalements(id) ON DELETE CASCADE,
              cycle BIGINT NOT NULL,
              level BIGINT NOT NULL,
              reason TEXT NOT NULL,
              audience TEXT NOT NULL,
              partner_id TEXT REFERENCES partners(id),
              territory_id TEXT REFERENCES territories(id),
              due_at BIGINT,
              created_at BIGINT NOT NULL,
              acknowledged_at BIGINT,
              acknowledged_by TEXT,
              UNIQUE (signalement_id, cycle, level, reason))
            """,
            "CREATE INDEX escalations_order ON escalations (created_at, id)",
            """
            CREATE TABLE outbox (
              id TEXT PRIMARY KEY,
              event_type TEXT NOT NULL,
              resource_type TEXT NOT NULL,
              resource_id TEXT NOT NULL,
              partner_ids TEXT NOT NULL,
              payload TEXT NOT NULL,
              created_at BIGINT NOT NULL,
              dispatched_at BIGINT)
            """,
            "CREATE INDEX outbox_pending ON outbox (created_at, id) WHERE dispatched_at IS NULL",
            """
            CREATE TABLE webhook_subscriptions (
              id TEXT PRIMARY KEY,
              partner_id TEXT REFERENCES partners(id) ON DELETE CASCADE,
              url TEXT NOT NULL,
              event_types TEXT NOT NULL,
              secret TEXT NOT NULL,
              description TEXT,
              active BIGINT NOT NULL,
              version BIGINT NOT NULL,
              created_by TEXT,
              created_at BIGINT NOT NULL,
              updated_at BIGINT NOT NULL)
            """,
            "CREATE INDEX webhook_subscriptions_order ON webhook_subscriptions (created_at, id)",
            """
            CREATE TABLE webhook_deliveries (
              id TEXT PRIMARY KEY,
              subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
              outbox_id TEXT NOT NULL,
              event_type TEXT NOT NULL,
              payload TEXT NOT NULL,
              status TEXT NOT NULL,
              attempts BIGINT NOT NULL,
              next_attempt_at BIGINT,
              retry_from BIGINT NOT NULL,
              lease_owner TEXT,
              lease_expires_at BIGINT,
              last_status_code BIGINT,
              last_error TEXT,
              created_at BIGINT NOT NULL,
              updated_at BIGINT NOT NULL,
              delivered_at BIGINT,
              UNIQUE (subscription_id, outbox_id))
            """,
            "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'",
            "CREATE INDEX webhook_deliveries_order ON webhook_deliveries (subscription_id, created_at, id)",
            """
            CREATE TABLE webhook_attempts (
              delivery_id TEXT NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
              number BIGINT NOT NULL,
              attempted_at BIGINT NOT NULL,
              status_code BIGINT,
              error TEXT,
              duration_ms BIGINT NOT NULL,
              PRIMARY KEY (delivery_id, number))
            """,
            """
            CREATE TABLE retention_runs (
              id TEXT PRIMARY KEY,
              ran_at BIGINT NOT NULL,
              contacts_purged BIGINT NOT NULL,
              tokens_deleted BIGINT NOT NULL,
              idempotency_records_deleted BIGINT NOT NULL)
            """,
        ])
    }
}
