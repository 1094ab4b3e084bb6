package contact

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// Every expression the library reads of a North American number, run as an
// automaton, says what Go's regexp says, on digit strings that mostly stay
// alive in the automaton (random strings would die at the first digit).
func TestDigitPatternAgreesWithRegexp(t *testing.T) {
	exprs, err := nanpExpressions()
	if err != nil {
		t.Fatal(err)
	}
	samples := 200
	if raceDetector {
		samples = 20
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for _, expr := range exprs {
		p, err := newDigitPattern(expr)
		if err != nil {
			t.Fatal(err)
		}
		if p.approx {
			t.Errorf("%s has assertions other than ^ and $", expr)
		}
		re := regexp.MustCompile(expr)
		for range samples {
			digits := walk(p, rng, 10)
			if got, want := p.acceptsAtEnd(p.run(p.start, digits)), re.Match(digits); got != want {
				t.Fatalf("%s on %s: automaton %v, regexp %v", expr, digits, got, want)
			}
		}
	}
}

// walk returns n digits that keep p alive with probability 9/10 each.
func walk(p *digitPattern, rng *rand.Rand, n int) []byte {
	digits := make([]byte, n)
	s := p.start
	for i := range digits {
		d := byte(rng.IntN(10))
		if rng.IntN(10) > 0 {
			var alive []byte
			for c := range byte(10) {
				if p.rest(p.step(s, c), n-i-1) != noneMatch {
					alive = append(alive, c)
				}
			}
			if len(alive) > 0 {
				d = alive[rng.IntN(len(alive))]
			}
		}
		digits[i] = '0' + d
		s = p.step(s, d)
	}
	return digits
}

// rest tells every / no / some continuation exactly as trying them all does,
// and an assertion it cannot read makes it say "some" where it would
// otherwise say "every".
func TestDigitPatternRest(t *testing.T) {
	for _, tc := range []struct {
		expr, prefix string
		want         residual
	}{
		{`^(?:246521[0369]\d{3}|246(?:2(?:2[78]|7[0-4]))\d{4})$`, "2465210", allMatch},
		{`^(?:246521[0369]\d{3}|246(?:2(?:2[78]|7[0-4]))\d{4})$`, "2465211", noneMatch},
		{`^(?:246521[0369]\d{3}|246(?:2(?:2[78]|7[0-4]))\d{4})$`, "246521", someMatch},
		{`^(?:246521[0369]\d{3}|246(?:2(?:2[78]|7[0-4]))\d{4})$`, "246227", allMatch},
		{`^(?:8001|8[024]9)[0-9]*$`, "800", someMatch},
		{`^(?:8001|8[024]9)[0-9]*$`, "8001", allMatch},
		{`^(?:8001|8[024]9)[0-9]*$`, "8002", noneMatch},
		{`^(?:\d{4}$|\d{6}(?:$|\d{4}))$`, "123456", allMatch},
		{`^(?:\d{4}$|\d{6}(?:$|\d{3}))$`, "123456", noneMatch},
		{`^(?:\d{4}$|\d{6}(?:\d{3}$|\d{4}$))$`, "123456", allMatch},
		{`^(?:\d{6}(?:0|\d$)\d{3})$`, "123456", someMatch},
		{`^(?:\d{6}\b\d{4})$`, "123456", someMatch}, // \b is not read: never "every"
		{`^(?:\d{6}\b\d{3})$`, "123456", noneMatch}, // but "none" still holds
		{`^(?:)$`, "123456", noneMatch},
		{`^(?:\d{11})$`, "123456", noneMatch}, // alive after ten digits, yet no match
		{`^(?:\d{10}|\d{12})$`, "123456", allMatch},
	} {
		p, err := newDigitPattern(tc.expr)
		if err != nil {
			t.Fatal(err)
		}
		rest := 10 - len(tc.prefix)
		got := p.rest(p.run(p.start, []byte(tc.prefix)), rest)
		if got != tc.want {
			t.Errorf("%s after %s: %v, want %v", tc.expr, tc.prefix, got, tc.want)
		}
		bruteForce := rest <= 3 || rest == 4 && !raceDetector // 10,000 matches are slow under -race
		if !p.approx && bruteForce {
			if brute := bruteRest(regexp.MustCompile(tc.expr), tc.prefix, rest); got != brute {
				t.Errorf("%s after %s: %v, but trying every continuation says %v", tc.expr, tc.prefix, got, brute)
			}
		}
	}
}

// bruteRest matches re against every continuation of prefix by n digits.
func bruteRest(re *regexp.Regexp, prefix string, n int) residual {
	var r residual
	var try func(s string)
	try = func(s string) {
		if len(s) == len(prefix)+n {
			m := noneMatch
			if re.MatchString(s) {
				m = allMatch
			}
			if r == residualUnknown {
				r = m
			} else if r != m {
				r = someMatch
			}
			return
		}
		for d := '0'; d <= '9'; d++ {
			try(s + string(d))
		}
	}
	try(prefix)
	return r
}

func (r residual) String() string {
	return [...]string{"unknown", "none", "all", "some"}[r]
}

func TestDigitPatternRejectsBadExpressions(t *testing.T) {
	_, err := newDigitPattern(`^(?:[2-9]\d{9$`)
	if err == nil || !strings.Contains(err.Error(), "parsing") {
		t.Errorf("newDigitPattern(unbalanced) = %v, want a parsing error", err)
	}
}
