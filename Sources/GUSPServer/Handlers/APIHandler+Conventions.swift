import Foundation
import GUSPAPI
import GUSPCore
import OpenAPIRuntime

extension APIHandler {
    func listConventions(_ input: Operations.ListConventions.Input) async throws -> Operations.ListConventions.Output {
        let actor = try RequestState.requireActor()
        let query = input.query
        let filter = ConventionFilter(
            kind: query.kind.map(ConventionKind.init),
            status: query.status.map(ConventionStatus.init),
            territoryId: query.territory, partnerId: query.partner, updatedSince: query.updatedSince)
        let page = try await store.conventions(filter, page: try PageRequest(limit: query.limit, cursor: query.cursor), by: actor)
        return .ok(.init(body: .json(.init(data: page.items.map(Components.Schemas.Convention.init), nextCursor: page.nextCursor))))
    }

    func createConvention(_ input: Operations.CreateConvention.Input) async throws -> Operations.CreateConvention.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let convention = try await store.createConvention(
            NewConvention(
                kind: ConventionKind(body.kind), title: body.title, summary: body.summary, startDate: body.startDate,
                endDate: body.endDate, territoryIds: body.territoryIds, signatoryIds: body.signatoryIds, bailleurId: body.bailleurId,
                budgetsPublic: body.budgetsPublic ?? false, axes: (body.axes ?? []).map(\.axis),
                serviceCommitments: (body.serviceCommitments ?? []).map(\.commitment), actionSheets: try (body.actionSheets ?? []).drafts(),
                escalation: body.escalation?.escalation), by: actor)
        return .created(.init(headers: .init(eTag: etag(convention.revision)), body: .json(.init(convention))))
    }

    func getConvention(_ input: Operations.GetConvention.Input) async throws -> Operations.GetConvention.Output {
        let convention = try await store.convention(input.path.conventionId, by: try RequestState.requireActor())
        return .ok(.init(headers: .init(eTag: etag(convention.revision)), body: .json(.init(convention))))
    }

    func updateConvention(_ input: Operations.UpdateConvention.Input) async throws -> Operations.UpdateConvention.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let nulls = nullFields()
        for field in nulls where field != "summary" { throw ValidationFailure(field: field, message: "cannot be null") }
        let content = ConventionChanges(
            title: body.title, summary: patch(body.summary, "summary", nulls: nulls), startDate: body.startDate, endDate: body.endDate,
            territoryIds: body.territoryIds, axes: body.axes?.map(\.axis), serviceCommitments: body.serviceCommitments?.map(\.commitment),
            actionSheets: try body.actionSheets?.drafts(), escalation: body.escalation?.escalation)
        let convention = try await store.updateConvention(
            input.path.conventionId,
            ConventionDraftChanges(content: content, signatoryIds: body.signatoryIds, bailleurId: body.bailleurId, budgetsPublic: body.budgetsPublic),
            ifRevision: expectedVersion(), by: actor)
        return .ok(.init(headers: .init(eTag: etag(convention.revision)), body: .json(.init(convention))))
    }

    func terminateConvention(_ input: Operations.TerminateConvention.Input) async throws -> Operations.TerminateConvention.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let convention = try await store.terminateConvention(input.path.conventionId, note: body.note, by: actor)
        return .ok(.init(headers: .init(eTag: etag(convention.revision)), body: .json(.init(convention))))
    }

    func signConvention(_ input: Operations.SignConvention.Input) async throws -> Operations.SignConvention.Output {
        let actor = try RequestState.requireActor()
        // A signature names the text signed: the revision the signer read (428 without it).
        let outcome = try await store.signConvention(
            input.path.conventionId, ifRevision: expectedVersion(),
            revisionRequired: true, by: actor)
        return .created(
            .init(
                body: .json(
                    .init(
                        signature: .init(outcome.signature), versionNumber: outcome.versionNumber, versionInForce: outcome.versionInForce,
                        convention: .init(outcome.convention)))))
    }

    func amendConvention(_ input: Operations.AmendConvention.Input) async throws -> Operations.AmendConvention.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        var changes = try body.changes.changes()
        // `"summary": null` in the changes clears the summary.
        let object = try? JSONSerialization.jsonObject(with: Data(RequestState.current.body)) as? [String: Any]
        if (object?["changes"] as? [String: Any])?["summary"] is NSNull { changes.summary = .some(nil) }
        let version = try await store.amendConvention(
            input.path.conventionId, NewAmendment(number: body.number, summary: body.summary, changes: changes), by: actor)
        return .created(.init(body: .json(.init(version))))
    }

    func withdrawAmendment(_ input: Operations.WithdrawAmendment.Input) async throws -> Operations.WithdrawAmendment.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let version = try await store.withdrawAmendment(input.path.conventionId, number: input.path.number, note: body.note, by: actor)
        return .ok(.init(body: .json(.init(version))))
    }

    func listConventionVersions(_ input: Operations.ListConventionVersions.Input) async throws -> Operations.ListConventionVersions.Output {
        let versions = try await store.conventionVersions(input.path.conventionId, by: try RequestState.requireActor())
        return .ok(.init(body: .json(.init(data: versions.map(Components.Schemas.ConventionVersion.init)))))
    }

    func getConventionVersion(_ input: Operations.GetConventionVersion.Input) async throws -> Operations.GetConventionVersion.Output {
        let version = try await store.conventionVersion(input.path.conventionId, number: input.path.number, by: try RequestState.requireActor())
        return .ok(.init(body: .json(.init(version))))
    }

    func listConventionEvents(_ input: Operations.ListConventionEvents.Input) async throws -> Operations.ListConventionEvents.Output {
        let page = try await store.events(
            resourceType: .convention, resourceId: input.path.conventionId,
            page: try PageRequest(limit: input.query.limit, cursor: input.query.cursor),
            by: try RequestState.requireActor())
        return .ok(.init(body: .json(.init(data: page.items.map(Components.Schemas.Event.init), nextCursor: page.nextCursor))))
    }

    func updateActionSheet(_ input: Operations.UpdateActionSheet.Input) async throws -> Operations.UpdateActionSheet.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let sheet = try await store.updateActionSheet(
            conventionId: input.path.conventionId, sheetId: input.path.actionSheetId,
            ActionSheetProgress(status: body.status.map(ActionSheetStatus.init), progress: body.progress),
            ifVersion: expectedVersion(), by: actor)
        return .ok(.init(headers: .init(eTag: etag(sheet.version)), body: .json(.init(sheet))))
    }

    func addActionSheetUpdate(_ input: Operations.AddActionSheetUpdate.Input) async throws -> Operations.AddActionSheetUpdate.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let sheet = try await store.addActionSheetUpdate(
            conventionId: input.path.conventionId, sheetId: input.path.actionSheetId,
            day: body.date, note: body.note, progress: body.progress, by: actor)
        return .created(.init(body: .json(.init(sheet))))
    }

    func getAtfpbProgramme(_ input: Operations.GetAtfpbProgramme.Input) async throws -> Operations.GetAtfpbProgramme.Output {
        let lines = try await store.atfpbProgramme(conventionId: input.path.conventionId, year: input.path.year, by: try RequestState.requireActor())
        return .ok(.init(body: .json(.init(conventionId: input.path.conventionId, year: input.path.year, lines: lines.map(Self.programmeLine)))))
    }

    func replaceAtfpbProgramme(_ input: Operations.ReplaceAtfpbProgramme.Input) async throws -> Operations.ReplaceAtfpbProgramme.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        var check = Validator()
        let written = body.lines.enumerated().map { index, line in
            AtfpbProgrammeLine(
                axis: line.axis, territoryId: line.territoryId,
                plannedCents: Cents.whole(line.plannedCents, "lines[\(index)].planned_cents", into: &check) ?? 0,
                actions: line.actions ?? "")
        }
        try check.throwIfFailed()
        let lines = try await store.replaceAtfpbProgramme(conventionId: input.path.conventionId, year: input.path.year, written, by: actor)
        return .ok(.init(body: .json(.init(conventionId: input.path.conventionId, year: input.path.year, lines: lines.map(Self.programmeLine)))))
    }

    func getAtfpbReport(_ input: Operations.GetAtfpbReport.Input) async throws -> Operations.GetAtfpbReport.Output {
        let report = try await store.atfpbReport(conventionId: input.path.conventionId, year: input.query.year, by: try RequestState.requireActor())
        if try Self.prefersCSV(input.headers.accept) {
            let names = try await store.keyNames(for: .territory, keys: Set(report.lines.map(\.territoryId)))
            return .ok(.init(body: .csv(.init(report.csv(territories: names)))))
        }
        return .ok(.init(body: .json(.init(report))))
    }

    static func programmeLine(_ line: AtfpbProgrammeLine) -> Components.Schemas.AtfpbProgrammeLine {
        .init(axis: line.axis, territoryId: line.territoryId, plannedCents: line.plannedCents, actions: line.actions)
    }

    /// CSV when the client asks for it before (or instead of) JSON; JSON when it asks for JSON or anything;
    /// 406 when it accepts neither.
    static func prefersCSV<T>(_ accept: [AcceptHeaderContentType<T>]) throws -> Bool where T: AcceptableProtocol {
        try negotiate(accept, among: ["application/json", "text/csv"]) == "text/csv"
    }

    /// The first of `offered` (media types, the default first) that the client ranks highest: an exact
    /// type, then `type/*` (the first offered of that type), then `*/*`; no `Accept` is the default; 406
    /// when none is acceptable.
    static func negotiate<T>(_ accept: [AcceptHeaderContentType<T>], among offered: [String]) throws -> String where T: AcceptableProtocol {
        let ranked = accept.filter { $0.quality.doubleValue > 0 }.sorted { $0.quality.doubleValue > $1.quality.doubleValue }
        if ranked.isEmpty { return offered[0] }
        for entry in ranked {
            let wanted = entry.contentType.rawValue.lowercased()
            if wanted == "*/*" { return offered[0] }
            if let exact = offered.first(where: { $0 == wanted }) { return exact }
            if wanted.hasSuffix("/*"), let match = offered.first(where: { $0.hasPrefix(wanted.dropLast()) }) { return match }
        }
        throw Problem(.notAcceptable, "not-acceptable", detail: "this answer is \(offered.joined(separator: ", "))")
    }
}
