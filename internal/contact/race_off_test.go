//go:build !race

package contact

// raceDetector is true under -race (see race_on_test.go).
const raceDetector = false
