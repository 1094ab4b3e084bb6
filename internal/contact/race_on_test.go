//go:build race

package contact

// raceDetector is true under -race, which makes the library's regular
// expressions some twenty times slower: tests that compare against the
// library then check a sample instead of every case.
const raceDetector = true
