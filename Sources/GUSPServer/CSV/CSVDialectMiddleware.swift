import HTTPTypes
import Hummingbird

/// Every CSV answer, whatever route made it: `text/csv; charset=utf-8; header=present` (RFC 4180,
/// RFC 7111), and a header row in French (`CSVColumns`) unless the client asks for the column codes
/// (`columns=codes`, in the query or as a parameter of `Accept: text/csv`). For French spreadsheets,
/// `dialect=excel-fr` (same two places) writes a byte-order mark, `;` between fields and a decimal
/// comma, which Excel and LibreOffice in a French locale open as numbers without an import dialog.
/// Routes write plain RFC 4180 with codes; the dialect is this one unit's.
struct CSVDialectMiddleware<Context: RequestContext>: RouterMiddleware {
    struct Options: Equatable {
        var excelFrench = false
        var codes = false
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        guard response.status == .ok, response.headers[.contentType]?.lowercased().hasPrefix("text/csv") == true else { return response }
        let options = Self.options(query: request.uri.queryParameters, accept: request.headers[values: .accept])
        let body = try await ResponseBodyCollector.collect(response.body)
        let text = Self.rewrite(String(buffer: body), options)
        response.body = .init(byteBuffer: ByteBuffer(string: text))
        response.headers[.contentLength] = String(text.utf8.count)
        response.headers[.contentType] = "text/csv; charset=utf-8; header=present"
        return response
    }

    static func options(query: Parameters, accept: [String]) -> Options {
        var options = Options()
        let parameters = accept.flatMap { $0.split(separator: ",") }.filter { $0.lowercased().contains("text/csv") }
            .flatMap { $0.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces).lowercased() } }
        options.excelFrench = query.get("dialect") == "excel-fr" || parameters.contains("dialect=excel-fr")
        options.codes = query.get("columns") == "codes" || parameters.contains("columns=codes")
        return options
    }

    static func rewrite(_ text: String, _ options: Options) -> String {
        var rows = CSVTable.parse(text)
        if !options.codes, !rows.isEmpty { rows[0] = rows[0].map { CSVColumns.french[$0] ?? $0 } }
        guard options.excelFrench else { return CSVTable.render(rows, separator: ",") }
        for index in rows.indices.dropFirst() { rows[index] = rows[index].map(Self.decimalComma) }
        return "\u{FEFF}" + CSVTable.render(rows, separator: ";")
    }

    /// `1234.5` → `1234,5`; anything else (dates, codes, text) as it is.
    static func decimalComma(_ field: String) -> String {
        let digits = field.hasPrefix("-") ? field.dropFirst() : field[...]
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) else { return field }
        return field.replacingOccurrences(of: ".", with: ",")
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
