import Foundation
import GUSPAPI
import GUSPCore
import OpenAPIRuntime

extension APIHandler {
    func listIndicators(_ input: Operations.ListIndicators.Input) async throws -> Operations.ListIndicators.Output {
        try Permissions.requireRole(try RequestState.requireActor(), .readIndicator)
        return .ok(
            .init(
                body: .json(
                    .init(
                        data: IndicatorCatalogue.all.map {
                            .init(
                                code: $0.code, label: $0.label, definition: $0.definition, formula: $0.formula, unit: .init($0.unit),
                                snapshot: $0.isSnapshot, groupings: $0.groupings.map { .init($0) }, _public: $0.isPublic)
                        }))))
    }

    func getIndicator(_ input: Operations.GetIndicator.Input) async throws -> Operations.GetIndicator.Output {
        let query = input.query
        let result = try await store.indicator(
            input.path.code,
            IndicatorQuery(
                from: query.from, to: query.to, territoryId: query.territory, partnerId: query.partner, categoryId: query.category,
                groupBy: query.groupBy.map(IndicatorGrouping.init)), by: try RequestState.requireActor())
        if try Self.prefersCSV(input.headers.accept) {
            let names = try await store.keyNames(for: result.query.groupBy, keys: Set(result.rows.map(\.key)))
            var lines = ["key,key_code,key_label,value,sample"]
            for row in result.rows + [result.total] {
                let name = names[row.key]
                let fields = [row.key, name?.code ?? row.key, name?.label ?? (row.key == "total" ? "Total" : row.key)]
                lines.append(fields.map(AtfpbReport.csvField).joined(separator: ",") + ",\(row.value.map(Self.number) ?? ""),\(row.sample)")
            }
            return .ok(.init(body: .csv(.init(lines.joined(separator: "\r\n") + "\r\n"))))
        }
        func row(_ row: IndicatorRow) -> Components.Schemas.IndicatorRow { .init(key: row.key, value: row.value, sample: row.sample) }
        return .ok(
            .init(
                body: .json(
                    .init(
                        code: result.definition.code, label: result.definition.label, unit: .init(result.definition.unit),
                        from: result.query.from, to: result.query.to, groupBy: result.query.groupBy.map { .init($0) },
                        rows: result.rows.map(row), total: row(result.total)))))
    }

    func getDashboard(_ input: Operations.GetDashboard.Input) async throws -> Operations.GetDashboard.Output {
        let query = input.query
        let figures = try await store.dashboard(territoryId: query.territory, from: query.from, to: query.to, by: try RequestState.requireActor())
        return .ok(
            .init(
                body: .json(
                    .init(
                        territoryId: query.territory, from: query.from, to: query.to,
                        figures: figures.map { definition, row in
                            .init(code: definition.code, label: definition.label, unit: .init(definition.unit), value: row.value, sample: row.sample)
                        }))))
    }

    /// A figure for CSV: whole numbers without a decimal point, others with up to four decimals.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.4f", value)
    }
}
