import Foundation
import SQLKit

/// A realistic small deployment: Valence (Drôme) and its four QPVs, its GUSP partners, its conventions, and one
/// account per role. Contours are hand-drawn approximations around each quartier, not official ones.
public enum DemoData {
    /// The token (or API key) printed for each role after loading.
    public struct Credentials: Sendable {
        public var role: Role
        public var name: String
        public var token: String
    }

    /// The all-powerful actor the loader acts as; recorded as `system` in events.
    static let system = Actor(
        kind: .user, id: "system", role: .admin, partnerId: nil, territoryIds: [],
        tokenId: "system", tokenExpiresAt: .max)

    /// Whether the database holds no partner and no user yet (the demo loads only then).
    public static func isEmpty(_ store: Store) async throws -> Bool {
        try await store.database.read { db in
            let users = try await db.raw("SELECT COUNT(*) AS n FROM users").first()?.decode(column: "n", as: Int.self) ?? 0
            let partners = try await db.raw("SELECT COUNT(*) AS n FROM partners").first()?.decode(column: "n", as: Int.self) ?? 0
            return users == 0 && partners == 0
        }
    }

    /// Loads the demo if the database is empty, else nil. Several instances starting at once on one
    /// PostgreSQL database: one loads, the others wait for it under an advisory lock (held by a
    /// transaction that writes nothing, while the loading commits on other connections), then skip.
    public static func loadIfEmpty(into store: Store, password: String = "demo-password") async throws -> [Credentials]? {
        guard store.database.engine == .postgres else {
            return try await isEmpty(store) ? try await load(into: store, password: password) : nil
        }
        return try await store.database.write { db in
            try await db.raw("SELECT pg_advisory_xact_lock(\(bind: demoLockKey))").run()
            return try await isEmpty(store) ? try await load(into: store, password: password) : nil
        }
    }

    /// "gusp demo" (the migrations hold "gusp").
    private static let demoLockKey: Int64 = 0x6775_7370_6465_6d6f

    public static func load(into store: Store, password: String = "demo-password") async throws -> [Credentials] {
        let valence = try await store.createTerritory(
            NewTerritory(kind: .commune, code: "26362", label: "Valence", geometryJSON: square(4.855, 44.905, 4.945, 44.965)), by: system)
        var qpv: [String: Territory] = [:]
        for (code, label, box) in quartiers {
            qpv[code] = try await store.createTerritory(
                NewTerritory(
                    kind: .qpv, code: code, label: label, parentId: valence.id,
                    geometryJSON: square(box.0, box.1, box.2, box.3)), by: system)
        }
        let allQPV = quartiers.map { qpv[$0.0]!.id }
        let ville = try await store.createPartner(
            NewPartner(
                kind: .ville, name: "Ville de Valence", territoryIds: [valence.id] + allQPV,
                contactEmail: "gusp@mairie-valence.example"), by: system)
        _ = try await store.createPartner(NewPartner(kind: .epci, name: "Valence Romans Agglo", territoryIds: [valence.id]), by: system)
        let bailleur = try await store.createPartner(
            NewPartner(
                kind: .bailleur, name: "Valence Romans Habitat",
                territoryIds: allQPV, contactPhone: "04 75 00 00 00"), by: system)
        _ = try await store.createPartner(NewPartner(kind: .etat, name: "Préfecture de la Drôme", territoryIds: allQPV), by: system)
        let centreSocial = try await store.createPartner(
            NewPartner(
                kind: .centreSocial, name: "Centre social des Hauts de Valence",
                territoryIds: [qpv["QN02607M"]!.id]), by: system)
        let people: [(Role, String, String, String?, [String])] = [
            (.admin, "admin@gusp.example", "Administratrice GUSP", nil, []),
            (.coordinator, "coordination@gusp.example", "Coordonnateur GUSP Valence", nil, [valence.id]),
            (.elected, "elu@gusp.example", "Adjointe à la politique de la ville", ville.id, [valence.id]),
            (.technician, "technicien@gusp.example", "Gardien, Valence Romans Habitat", bailleur.id, []),
            (.resident, "habitante@gusp.example", "Habitante du Plan", nil, []),
        ]
        var credentials: [Credentials] = []
        var electedId = ""
        for (role, email, name, partner, territories) in people {
            let user = try await store.createUser(
                NewUser(
                    email: email, displayName: name, password: password, role: role,
                    partnerId: partner, territoryIds: territories), by: system)
            if role == .elected { electedId = user.id }
            let token = try await store.issuePersonalToken(userId: user.id, name: "demo", lifetime: 90 * 86_400, createdBy: "system")
            credentials.append(Credentials(role: role, name: "\(name) <\(email)>", token: token.secret))
        }
        let key = try await store.createApiKey(
            partnerId: bailleur.id, name: "Back office Valence Romans Habitat",
            expiresAt: nil, by: system)
        credentials.append(Credentials(role: .partnerSystem, name: key.record.name, token: key.secret))
        try await loadConventions(into: store, ville: ville, bailleur: bailleur, electedId: electedId, qpvIds: allQPV, password: password)
        try await loadWalk(
            into: store, territoryId: qpv["QN02607M"]!.id, ville: ville, bailleur: bailleur, centreSocial: centreSocial, electedId: electedId)
        let gusp = try await store.conventions(ConventionFilter(), page: try PageRequest(), by: system).items.first { $0.kind == .gusp }
        try await loadMeeting(
            into: store, territoryId: qpv["QN02607M"]!.id, ville: ville, bailleur: bailleur, centreSocial: centreSocial, conventionId: gusp?.id)
        return credentials
    }

    /// Approximate extents (min long, min lat, max long, max lat) of Valence's QPVs.
    static let quartiers: [(String, String, (Double, Double, Double, Double))] = [
        ("QN02606M", "Polygone", (4.8930, 44.9390, 4.9060, 44.9470)),
        ("QN02607M", "Les Hauts de Valence (Fontbarlettes, Le Plan)", (4.9080, 44.9130, 4.9300, 44.9300)),
        ("QN02608I", "Valensolles", (4.9000, 44.9200, 4.9078, 44.9290)),
        ("QN02609M", "Chamberlière", (4.8850, 44.9150, 4.8990, 44.9240)),
    ]

    static func square(_ minLong: Double, _ minLat: Double, _ maxLong: Double, _ maxLat: Double) -> [UInt8] {
        let ring = [[minLong, minLat], [maxLong, minLat], [maxLong, maxLat], [minLong, maxLat], [minLong, minLat]]
        return Array(try! JSONSerialization.data(withJSONObject: ["type": "Polygon", "coordinates": [ring]]))
    }
}
