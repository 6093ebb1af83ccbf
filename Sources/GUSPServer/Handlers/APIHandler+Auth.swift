import Foundation
import GUSPAPI
import GUSPCore

extension APIHandler {
    func createToken(_ input: Operations.CreateToken.Input) async throws -> Operations.CreateToken.Output {
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let issued = try await store.logIn(email: body.email, password: body.password, tokenName: body.name)
        return .created(
            .init(
                headers: .init(cacheControl: "no-store"),
                body: .json(
                    .init(
                        id: issued.record.id, token: issued.secret, tokenType: .bearer,
                        expiresAt: Date(storedMilliseconds: issued.record.expiresAt)))))
    }

    func revokeToken(_ input: Operations.RevokeToken.Input) async throws -> Operations.RevokeToken.Output {
        try await store.revokeOwnToken(try RequestState.requireActor())
        return .noContent(.init())
    }

    func getMe(_ input: Operations.GetMe.Input) async throws -> Operations.GetMe.Output {
        let actor = try RequestState.requireActor()
        let user = actor.kind == .user ? try await store.user(actor.id, by: actor) : nil
        return .ok(
            .init(
                body: .json(
                    .init(
                        kind: .init(actor.kind),
                        role: .init(actor.role), user: user.map(Components.Schemas.User.init),
                        partnerId: actor.partnerId, territoryIds: actor.territoryIds.sorted(),
                        tokenId: actor.tokenId, tokenExpiresAt: Date(storedMilliseconds: actor.tokenExpiresAt)))))
    }

    func registerResident(_ input: Operations.RegisterResident.Input) async throws -> Operations.RegisterResident.Output {
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        // The same answer for an address that already has an account (no enumeration); its holder keeps it.
        do {
            _ = try await store.registerResident(email: body.email, password: body.password, displayName: body.displayName)
        } catch DomainError.conflict {}
        return .accepted(
            .init(
                body: .json(
                    .init(
                        status: .accepted,
                        detail: "Inscription enregistrée : connectez-vous avec votre adresse et votre mot de passe (POST /v1/auth/token)."))))
    }
}
