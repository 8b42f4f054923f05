import BackstageCore
import Testing

@Suite("Full dates")
struct FullDateTests {
    @Test(arguments: [
        (Int64(0), "Thursday, January 1, 1970 00:00 UTC"),
        (-1, "Wednesday, December 31, 1969 23:59 UTC"),
        (1_795_947_960_000, "Sunday, November 29, 2026 10:26 UTC"),
        (951_782_400_000, "Tuesday, February 29, 2000 00:00 UTC"),
    ])
    func mattermostsFullDateInUTC(milliseconds: Int64, expected: String) {
        #expect(Milliseconds.fullDate(milliseconds) == expected)
    }

    @Test func theTimeOfDayOfAChange() {
        #expect(Milliseconds.timeOfDay(1_795_947_960_000) == "10:26 UTC")
        #expect(Milliseconds.timeOfDay(-1) == "23:59 UTC")
    }
}
