package contact

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// libraryAnswer is what the library alone makes of raw: the E.164 form and
// zone of a valid number, ok false for anything else.
func libraryAnswer(raw, region string) (e164, zone string, ok bool) {
	n, err := phonenumbers.Parse(raw, region)
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", "", false
	}
	return phonenumbers.Format(n, phonenumbers.E164), zoneOf(n), true
}

// checkAgainstLibrary fails t unless memo gives the library's answer for
// raw, and returns whether the number is valid.
func checkAgainstLibrary(t *testing.T, memo *prefixMemo, raw, region string) (valid bool) {
	t.Helper()
	e164, zone, err := phoneAndZone(raw, region, memo)
	want, wantZone, ok := libraryAnswer(raw, region)
	if e164 != want || zone != wantZone || (err == nil) != ok {
		t.Fatalf("phoneAndZone(%q, %s) = %q %q %v; the library says %q %q (valid %v)",
			raw, region, e164, zone, err, want, wantZone, ok)
	}
	return ok
}

// Area codes of every North American region outside the mainland, toll-free
// and premium ones, mainland ones, and ones that are not area codes at all.
var testAreaCodes = []int{
	246, 268, 284, 340, 345, 441, 473, 649, 658, 664, 670, 671, 684, 721, 758, 767,
	784, 787, 809, 829, 849, 868, 869, 876, 939, 242, 264, 800, 833, 844, 855, 866,
	877, 888, 900, 212, 213, 305, 312, 415, 416, 505, 514, 604, 907, 808, 202, 555,
	211, 911, 999, 37, 123,
}

// testExchange is a random exchange, one time in four a special one: 555,
// N11, or starting 0 or 1.
func testExchange(rng *rand.Rand) int {
	switch rng.IntN(8) {
	case 0:
		return 555
	case 1:
		return 100*(2+rng.IntN(8)) + 11
	case 2:
		return rng.IntN(200)
	}
	return 200 + rng.IntN(800)
}

// A fresh memo gives the library's answer for random numbers in every kind
// of area code, several numbers per prefix, in the shapes the fast reading
// takes (and the regions it takes them in).
func TestNANPMemoAgreesWithTheLibrary(t *testing.T) {
	prefixes := 10000
	if raceDetector {
		prefixes = 400
	}
	memo := new(prefixMemo)
	rng := rand.New(rand.NewPCG(7, 8))
	shapes := []struct{ format, region string }{
		{"(%03d) %03d-%04d", "US"}, {"+1 %03d.%03d.%04d", "DE"}, {"%03d-%03d-%04d", "CA"},
		{"+1%03d%03d%04d", "US"}, {"%03d %03d %04d", "JM"},
	}
	for i := range prefixes {
		npa := 200 + rng.IntN(800)
		if i%2 == 0 {
			npa = testAreaCodes[rng.IntN(len(testAreaCodes))]
		}
		nxx := testExchange(rng)
		for range 3 {
			shape := shapes[rng.IntN(len(shapes))]
			raw := fmt.Sprintf(shape.format, npa, nxx, rng.IntN(10000))
			checkAgainstLibrary(t, memo, raw, shape.region)
		}
	}
	if memo.err != nil {
		t.Fatalf("the memo could not be built: %v", memo.err)
	}
	national := [10]byte([]byte("3125550142"))
	if v := memo.lookup(&national); !v.known || !v.valid || v.zone != "America/Chicago" {
		t.Errorf("prefix 312555: %+v, want it remembered as valid in America/Chicago", v)
	}
}

// For a handful of prefixes, every one of their 10,000 numbers gets the
// library's answer; the prefixes whose answer depends on the last four
// digits are found to (and really do), the others are not.
func TestNANPMemoOverWholePrefixes(t *testing.T) {
	step := 1
	if raceDetector {
		step = 37 // 271 numbers a prefix, every last digit and every first one
	}
	for _, tc := range []struct {
		prefix string
		mixed  bool
	}{
		{"246521", true},  // Barbados: fixed line 246521[0369], mobile 246521[147]
		{"246522", true},  // Barbados: mobile 2465220
		{"876606", true},  // Jamaica
		{"246976", false}, // Barbados premium rate
		{"312555", false},
		{"800222", false}, // toll-free
		{"340774", false}, // US Virgin Islands
		{"212011", false}, // an exchange cannot start with 0
	} {
		memo := new(prefixMemo)
		valid := map[bool]int{}
		for suffix := 0; suffix < 10000; suffix += step {
			raw := fmt.Sprintf("+1%s%04d", tc.prefix, suffix)
			valid[checkAgainstLibrary(t, memo, raw, "US")]++
		}
		national := [10]byte([]byte(tc.prefix + "0000"))
		mixed := memo.entries[prefixIndex(&national)].Load() == entryAskLibrary
		if mixed != tc.mixed {
			t.Errorf("prefix %s: classified mixed %v, want %v", tc.prefix, mixed, tc.mixed)
		}
		if varies := valid[true] > 0 && valid[false] > 0; varies != tc.mixed {
			t.Errorf("prefix %s: the library's validity varies %v (%v), want %v", tc.prefix, varies, valid, tc.mixed)
		}
	}
}

// Goroutines sharing a fresh memo, classifying the same prefixes at the same
// time, all get the library's answers.
func TestNANPMemoConcurrentLookups(t *testing.T) {
	type answer struct {
		raw, e164, zone string
		ok              bool
	}
	rng := rand.New(rand.NewPCG(9, 10))
	raws := []string{"(246) 521-2000", "(246) 521-4000"} // a prefix the library decides number by number
	for range 150 {
		npa := testAreaCodes[rng.IntN(len(testAreaCodes))]
		raws = append(raws, fmt.Sprintf("(%03d) %03d-%04d", npa, testExchange(rng), rng.IntN(10000)))
	}
	var answers []answer
	for _, raw := range raws {
		e164, zone, ok := libraryAnswer(raw, "US")
		answers = append(answers, answer{raw, e164, zone, ok})
	}
	memo := new(prefixMemo)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		order := rand.New(rand.NewPCG(uint64(g), 11)).Perm(len(answers))
		wg.Go(func() {
			for range 5 {
				for _, i := range order {
					a := answers[i]
					e164, zone, err := phoneAndZone(a.raw, "US", memo)
					if e164 != a.e164 || zone != a.zone || (err == nil) != a.ok {
						errs <- fmt.Errorf("%q: %q %q %v, the library says %q %q (valid %v)", a.raw, e164, zone, err, a.e164, a.zone, a.ok)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// The memo keeps one zone per six-digit prefix because no key of the
// library's timezone map for country code 1 is longer than "1" and six
// digits: a longer key would let the seventh digit and on choose the zone.
// This reads the map the library embeds (the keys are not exported) and
// checks, through the library, that it was read right.
func TestTimezoneKeysOfCountryCodeOneStopAtSixNationalDigits(t *testing.T) {
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/nyaruka/phonenumbers").Output()
	if err != nil {
		t.Fatalf("finding the phone number library: %v", err)
	}
	keys, err := readTimezoneKeys(filepath.Join(strings.TrimSpace(string(dir)), "data", "prefix_to_timezone.xml.gz"))
	if err != nil {
		t.Fatal(err)
	}
	longest, checked := 0, 0
	for key, zones := range keys {
		if key[0] != '1' {
			continue
		}
		longest = max(longest, len(key))
		if got, err := phonenumbers.GetTimezonesForPrefix(key); err != nil || !slices.Equal(got, zones) {
			t.Fatalf("key %s read as %v; the library says %v, %v", key, zones, got, err)
		}
		checked++
	}
	if checked < 1000 || longest != 7 {
		t.Fatalf("%d keys for country code 1, the longest %d digits; want 1000 or more, none longer than 7", checked, longest)
	}
}

// readTimezoneKeys reads the library's serialised prefix-to-timezones map
// (serialize.go, loadIntArrayMap): the interned values, then each key as a
// difference from the previous one with the indexes of its values.
func readTimezoneKeys(path string) (map[string][]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the timezone map: %w", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("reading the timezone map %s: %w", path, err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("reading the timezone map %s: %w", path, err)
	}
	r := bytes.NewReader(raw)
	var size uint32
	if err := binary.Read(r, binary.LittleEndian, &size); err != nil {
		return nil, fmt.Errorf("reading the timezone map's values: %w", err)
	}
	valueBytes := make([]byte, size)
	if _, err := io.ReadFull(r, valueBytes); err != nil {
		return nil, fmt.Errorf("reading the timezone map's values: %w", err)
	}
	values := strings.Split(string(valueBytes), "\n")
	var count uint32
	if err := binary.Read(r, binary.LittleEndian, &count); err != nil {
		return nil, fmt.Errorf("reading the timezone map's size: %w", err)
	}
	keys := make(map[string][]string, count)
	key := uint64(0)
	for range count {
		diff, err := binary.ReadUvarint(r)
		if err != nil {
			return nil, fmt.Errorf("reading a key of the timezone map: %w", err)
		}
		key += diff
		var n uint8
		if err := binary.Read(r, binary.LittleEndian, &n); err != nil {
			return nil, fmt.Errorf("reading the values of key %d: %w", key, err)
		}
		zones := make([]string, n)
		for i := range zones {
			var v uint16
			if err := binary.Read(r, binary.LittleEndian, &v); err != nil {
				return nil, fmt.Errorf("reading the values of key %d: %w", key, err)
			}
			if int(v) >= len(values) {
				return nil, errors.New("a value of the timezone map out of range")
			}
			zones[i] = values[v]
		}
		keys[strconv.FormatUint(key, 10)] = zones
	}
	return keys, nil
}

// benchmarkNumbers are a million numbers as a CRM export has them: spread
// over real area codes and their exchanges (about 120,000 prefixes), in
// the usual shape.
var benchmarkNumbers = sync.OnceValue(func() []string {
	areaCodes := []int{
		201, 202, 203, 205, 206, 207, 208, 209, 210, 212, 213, 214, 215, 216, 217, 218, 219, 224,
		225, 228, 229, 231, 234, 239, 240, 248, 251, 252, 253, 254, 256, 260, 262, 267, 269, 270,
		276, 281, 301, 302, 303, 304, 305, 307, 308, 309, 310, 312, 313, 314, 315, 316, 317, 318,
		319, 320, 321, 323, 325, 330, 334, 336, 337, 339, 347, 351, 352, 360, 361, 385, 386, 401,
		402, 404, 405, 406, 407, 408, 409, 410, 412, 413, 414, 415, 417, 419, 423, 424, 425, 430,
		432, 434, 435, 440, 443, 469, 478, 479, 480, 484, 501, 502, 503, 504, 505, 507, 508, 509,
		510, 512, 513, 515, 516, 517, 518, 520, 530, 540, 541, 551, 559, 561, 562, 563, 567, 570,
		571, 573, 574, 580, 585, 586, 601, 602, 603, 605, 606, 607, 608, 609, 610, 612, 614, 615,
		416, 514, 604, 403, 613, 905, 787, 876, 246, 809, 800, 888,
	}
	rng := rand.New(rand.NewPCG(1, 2))
	numbers := make([]string, 1_000_000)
	for i := range numbers {
		npa := areaCodes[rng.IntN(len(areaCodes))]
		numbers[i] = fmt.Sprintf("(%03d) %03d-%04d", npa, 200+rng.IntN(800), rng.IntN(10000))
	}
	return numbers
})

// BenchmarkPhoneAndZone is PhoneAndZone on realistic numbers once their
// prefixes are known (BenchmarkClassifyPrefix is the cost of a new one).
func BenchmarkPhoneAndZone(b *testing.B) {
	numbers := benchmarkNumbers()
	memo := new(prefixMemo)
	for _, raw := range numbers {
		_, _, _ = phoneAndZone(raw, "US", memo)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		_, _, _ = phoneAndZone(numbers[i%len(numbers)], "US", memo)
	}
}

// BenchmarkPhoneAndZoneLibrary is BenchmarkPhoneAndZone with the library
// asked about every number, as before the memo: the anchor to compare with.
func BenchmarkPhoneAndZoneLibrary(b *testing.B) {
	numbers := benchmarkNumbers()
	memo := new(prefixMemo)
	memo.once.Do(func() { memo.init(); memo.err = errors.New("the library decides") })
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		_, _, _ = phoneAndZone(numbers[i%len(numbers)], "US", memo)
	}
}

// BenchmarkClassifyPrefix is the cost of the first number of a prefix: the
// prefixes in a random order, each new to the memo.
func BenchmarkClassifyPrefix(b *testing.B) {
	order := rand.New(rand.NewPCG(3, 4)).Perm(800_000)
	var memo *prefixMemo
	b.ReportAllocs()
	for i := range b.N {
		if i%len(order) == 0 {
			b.StopTimer()
			memo = new(prefixMemo)
			memo.once.Do(memo.init)
			b.StartTimer()
		}
		national := [10]byte([]byte(strconv.Itoa(200_000+order[i%len(order)]) + "0000"))
		memo.lookup(&national)
	}
}
