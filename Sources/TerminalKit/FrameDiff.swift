/// The cells that changed between two frames, as runs on a row: what the backend repaints.
/// Nothing else is ever written, so a keystroke costs a few bytes and slow links never flicker.
public struct CellRun: Sendable, Equatable {
    public let x: Int
    public let y: Int
    public let cells: [Cell]
}

extension Buffer {
    /// Runs of cells that differ from `previous` (every cell when there is none or its size
    /// differs). A run never starts on the second half of a wide grapheme.
    public func changes(since previous: Buffer?) -> [CellRun] {
        let full = previous == nil || previous!.width != width || previous!.height != height
        var runs: [CellRun] = []
        for y in 0..<height {
            var x = 0
            while x < width {
                let index = y * width + x
                if !full && cells[index] == previous!.cells[index] {
                    x += 1
                    continue
                }
                var start = x
                if cells[y * width + start].isContinuation && start > 0 { start -= 1 }
                var end = x
                while end < width && (full || cells[y * width + end] != previous!.cells[y * width + end]
                                      || cells[y * width + end].isContinuation) {
                    end += 1
                }
                runs.append(CellRun(x: start, y: y, cells: Array(cells[(y * width + start)..<(y * width + end)])))
                x = end
            }
        }
        return runs
    }
}
