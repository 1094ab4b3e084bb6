package intake

import "testing"

// The intake token matches itself only: not a prefix, an extension, a
// different case or an empty token, and an empty configured token
// matches nothing.
func TestTokenMatches(t *testing.T) {
	const want = "tok-3b9f2c71e4d8a6050f1e2d3c4b5a6978"
	for _, tc := range []struct {
		got, want string
		ok        bool
	}{
		{want, want, true},
		{want[:len(want)-1], want, false},
		{want + "8", want, false},
		{"TOK-3b9f2c71e4d8a6050f1e2d3c4b5a6978", want, false},
		{"", want, false},
		{"", "", false},
		{"anything", "", false},
	} {
		if got := tokenMatches(tc.got, tc.want); got != tc.ok {
			t.Errorf("tokenMatches(%q, %q) = %v, want %v", tc.got, tc.want, got, tc.ok)
		}
	}
}
