/// Lets at most `width` holders in at once; the others wait their turn (first come, first served).
/// Bounds how many PostgreSQL test databases are open together, so that parallel tests never
/// exceed the server's connections and starve each other.
public actor TestGate {
    private let width: Int
    private var inside = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(width: Int) {
        self.width = width
    }

    public func enter() async {
        if inside < width {
            inside += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    public func leave() {
        if waiting.isEmpty {
            inside -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
