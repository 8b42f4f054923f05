#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The cells that changed between two frames, as runs on a row: what the backend repaints.
/// Nothing else is ever written, so a keystroke costs a few bytes and slow links never flicker.
public struct CellRun: Sendable, Equatable {
    public let x: Int
    public let y: Int
    public let cells: [Cell]
}

extension Buffer {
    /// Runs of cells that differ from `previous` (every cell when there is none or its size
    /// differs). A run never starts on the second half of a wide grapheme. `rows`, when given,
    /// are the only rows that may differ (the others are not compared: a typed key need not
    /// touch the whole frame's memory).
    public func changes(since previous: Buffer?, rows: [Int]? = nil) -> [CellRun] {
        guard let previous, previous.width == width, previous.height == height else {
            return (0..<height).compactMap { y in
                width == 0 ? nil : CellRun(x: 0, y: y, cells: Array(cells[(y * width)..<(y * width + width)]))
            }
        }
        var runs: [CellRun] = []
        cells.withUnsafeBufferPointer { now in
            previous.cells.withUnsafeBufferPointer { before in
                for y in Self.rowsToCompare(rows, height: height) {
                    let row = y * width
                    // Cells are plain data: an unchanged row (most of them) is one memcmp.
                    if memcmp(now.baseAddress! + row, before.baseAddress! + row, width * MemoryLayout<Cell>.stride) == 0 { continue }
                    // A cell is 8 bytes with its padding zeroed: equal cells are equal words.
                    let nowWords = UnsafeRawPointer(now.baseAddress! + row), beforeWords = UnsafeRawPointer(before.baseAddress! + row)
                    @inline(__always) func same(_ x: Int) -> Bool {
                        nowWords.loadUnaligned(fromByteOffset: x &* 8, as: UInt64.self) == beforeWords.loadUnaligned(fromByteOffset: x &* 8, as: UInt64.self)
                    }
                    var x = 0
                    while x < width {
                        if same(x) {
                            x += 1
                            continue
                        }
                        var start = x
                        if now[row + start].isContinuation && start > 0 { start -= 1 }
                        var end = x
                        while end < width && (!same(end) || now[row + end].isContinuation) { end += 1 }
                        runs.append(CellRun(x: start, y: y, cells: Array(now[(row + start)..<(row + end)])))
                        x = end
                    }
                }
            }
        }
        return runs
    }

    /// The rows named, each once, in order; all rows when none are named.
    static func rowsToCompare(_ rows: [Int]?, height: Int) -> [Int] {
        guard let rows else { return Array(0..<height) }
        // Most keys name a row or two, already in order.
        if zip(rows, rows.dropFirst()).allSatisfy({ $0 < $1 }) && rows.allSatisfy({ $0 >= 0 && $0 < height }) { return rows }
        return Set(rows.filter { $0 >= 0 && $0 < height }).sorted()
    }
}
