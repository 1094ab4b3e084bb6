package contact

import (
	"fmt"
	"math/rand/v2"
	"net/mail"
	"testing"

	"github.com/nyaruka/phonenumbers"
	"pgregory.net/rapid"
)

func TestPhone(t *testing.T) {
	for _, tc := range []struct{ in, region, want string }{
		{"(312) 555-0142", "US", "+13125550142"},
		{"+1 312.555.0142", "DE", "+13125550142"},
		{"030 1234567", "DE", "+49301234567"},
		{"", "US", ""},
	} {
		got, err := Phone(tc.in, tc.region)
		if err != nil || got != tc.want {
			t.Errorf("Phone(%q, %s) = %q, %v; want %q", tc.in, tc.region, got, err, tc.want)
		}
	}
	for _, bad := range []string{"555", "not a phone", "+1 000 000 0000"} {
		if got, err := Phone(bad, "US"); err == nil {
			t.Errorf("Phone(%q) = %q, want an error", bad, got)
		}
	}
}

func TestEmail(t *testing.T) {
	got, err := Email(" Dana Scully <Dana.Scully@FBI.gov> ")
	if err != nil || got != "dana.scully@fbi.gov" {
		t.Errorf("Email = %q, %v", got, err)
	}
	for _, bad := range []string{"not-an-email", "a@b", "@x.com"} {
		if got, err := Email(bad); err == nil {
			t.Errorf("Email(%q) = %q, want an error", bad, got)
		}
	}
}

func TestTimezoneOf(t *testing.T) {
	if got := TimezoneOf("+13125550142"); got != "America/Chicago" {
		t.Errorf("TimezoneOf(Chicago number) = %q", got)
	}
	if got := TimezoneOf("+12135550142"); got != "America/Los_Angeles" {
		t.Errorf("TimezoneOf(LA number) = %q", got)
	}
}

// The fast reading of North American numbers gives what the library gives:
// the same number, the same validity, the same timezone, for random numbers
// in every shape it takes (and some it leaves to the library).
func TestNANPFastPathAgreesWithTheLibrary(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	shapes := []string{"(%03d) %03d-%04d", "+1 %03d.%03d.%04d", "%03d-%03d-%04d", "+1%03d%03d%04d",
		"%03d %03d %04d", "%03d/%03d-%04d", "1 %03d %03d %04d", "+1 (%03d) %03d-%04d x12"}
	for i := range 4000 {
		raw := fmt.Sprintf(shapes[i%len(shapes)], rng.IntN(1000), rng.IntN(1000), rng.IntN(10000))
		for _, region := range []string{"US", "CA", "DE"} {
			e164, zone, err := PhoneAndZone(raw, region)
			var want, wantZone string
			n, perr := phonenumbers.Parse(raw, region)
			if perr == nil && phonenumbers.IsValidNumber(n) {
				want, wantZone = phonenumbers.Format(n, phonenumbers.E164), zoneOf(n)
			}
			if e164 != want || zone != wantZone || (err == nil) != (want != "") {
				t.Fatalf("PhoneAndZone(%q, %s) = %q %q %v; the library says %q %q", raw, region, e164, zone, err, want, wantZone)
			}
		}
	}
}

// An address plainAddress takes as it is, mail.ParseAddress takes as it
// is too: the shortcut changes no answer of Email.
func TestPlainAddressIsWhatTheParserReads(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.StringOfN(rapid.SampledFrom([]rune("ab.Z9@_%+-.@ \"<>()[],;:\\!#é")), 0, 24, -1).Draw(t, "s")
		if rapid.Bool().Draw(t, "shaped") {
			s = rapid.StringMatching(`[a-zA-Z0-9._%+-]{1,8}@[a-zA-Z0-9.-]{1,10}`).Draw(t, "address")
		}
		if !plainAddress(s) {
			return
		}
		a, err := mail.ParseAddress(s)
		if err != nil || a.Address != s {
			t.Fatalf("plainAddress(%q), but mail.ParseAddress gives %+v, %v", s, a, err)
		}
	})
}
