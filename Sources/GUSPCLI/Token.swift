import ArgumentParser
import Foundation
import GUSPCore

struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage tokens from the command line.",
        subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an account of the given role (or reuse the one with that email) and print a token for it.",
            discussion: "On a fresh database: gusp token create --role admin --name \"Ada\" prints a first admin token.")

        @Option(help: "admin, coordinator, elected, technician, resident or partner_system.") var role: String
        @Option(help: "The person's name (or, for partner_system, the key's name).") var name: String
        @Option(help: "The account's email (default: derived from the name, @gusp.local).") var email: String?
        @Option(help: "Partner id (technicians, partner_system).") var partner: String?
        @Option(help: "Territory id, repeatable (coordinators, elected officials).") var territory: [String] = []
        @Option(help: "Days the token lives.") var days: Int = 90

        func validate() throws {
            guard Role(rawValue: role) != nil else { throw ValidationError("unknown role \(role)") }
            guard (1...730).contains(days) else { throw ValidationError("--days must be from 1 to 730") }
        }

        func run() async throws {
            let runtime = try await Runtime.start()
            do {
                try await runtime.migrate()
                print(try await create(runtime))
            } catch {
                await runtime.shutdown()
                throw error
            }
            await runtime.shutdown()
        }

        private func create(_ runtime: Runtime) async throws -> String {
            let store = runtime.store
            let operator_ = Actor(
                kind: .user, id: "cli", role: .admin, partnerId: nil, territoryIds: [],
                tokenId: "cli", tokenExpiresAt: .max)
            let role = Role(rawValue: role)!
            if role == .partnerSystem {
                guard let partner else { throw ValidationError("--partner is required for partner_system") }
                let expiry = Date().addingTimeInterval(TimeInterval(days) * 86_400)
                return try await store.createApiKey(partnerId: partner, name: name, expiresAt: expiry, by: operator_).secret
            }
            let address = email ?? Self.derivedEmail(name)
            var user = try await store.user(email: address)
            if user == nil {
                user = try await store.createUser(
                    NewUser(email: address, displayName: name, role: role, partnerId: partner, territoryIds: territory), by: operator_)
            }
            guard let user else { throw ValidationError("could not create \(address)") }
            guard user.role == role else { throw ValidationError("\(address) exists with role \(user.role.rawValue)") }
            return try await store.issuePersonalToken(
                userId: user.id, name: "cli", lifetime: TimeInterval(days) * 86_400,
                createdBy: "cli"
            ).secret
        }

        static func derivedEmail(_ name: String) -> String {
            let slug = name.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "." }.joined()
                .split(separator: ".").joined(separator: ".")
            return (slug.isEmpty ? "admin" : slug) + "@gusp.local"
        }
    }
}
