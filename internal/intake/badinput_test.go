package intake

import (
	"net/http"
	"strings"
	"testing"
)

// Each kind of bad intake request gets its status and one sentence naming
// what is wrong (per field for a bad lead), and nothing is written.
func TestIntakeBadRequests(t *testing.T) {
	srv, s, arrived := intakeServer(t)
	const js = "application/json"
	for _, tc := range []struct {
		name, contentType, body string
		status                  int
		field, says             string // in errors[field], or in error when field is ""
	}{
		{"not JSON", js, `{"name": "Dana`, http.StatusBadRequest, "", "the body is not a JSON object"},
		{"a JSON array", js, `["Dana"]`, http.StatusBadRequest, "", "the body is not a JSON object"},
		{"an object as a field", js, `{"name":{"first":"Dana"}}`, http.StatusBadRequest, "", `field "name": give a string, a number or true/false`},
		{"another content type", "text/plain", `name=Dana`, http.StatusBadRequest, "", `send JSON (application/json) or a form`},
		{"nothing to name the lead by", js, `{"company":"Acme"}`, http.StatusUnprocessableEntity, "name", "name"},
		{"a bad email", js, `{"name":"Dana","email":"dana@"}`, http.StatusUnprocessableEntity, "email", `"dana@" is not an email address`},
		{"a bad phone", js, `{"name":"Dana","phone":"12"}`, http.StatusUnprocessableEntity, "phone", `"12" is not a phone number`},
		{"a bad date", js, `{"name":"Dana","received_at":"31/31/2026"}`, http.StatusUnprocessableEntity, "received_at", `"31/31/2026"`},
		{"a bad timezone", js, `{"name":"Dana","timezone":"Mars/Olympus"}`, http.StatusUnprocessableEntity, "timezone", `"Mars/Olympus"`},
		{"too big", js, `{"name":"` + strings.Repeat("x", MaxBody) + `"}`, http.StatusRequestEntityTooLarge, "", "the body is over 64 KB"},
	} {
		code, out := post(t, srv.URL, "s3cret", tc.contentType, tc.body)
		var said string
		if tc.field == "" {
			said, _ = out["error"].(string)
		} else {
			errs, _ := out["errors"].(map[string]any)
			said, _ = errs[tc.field].(string)
		}
		if code != tc.status || !strings.Contains(said, tc.says) || strings.Contains(said, "\n") {
			t.Errorf("%s: %d %v, want %d saying %q", tc.name, code, out, tc.status, tc.says)
		}
	}
	if st, err := s.Stats(); err != nil || st.Leads != 0 {
		t.Errorf("%d leads on disk after bad requests (%v), want 0", st.Leads, err)
	}
	if len(*arrived) != 0 {
		t.Errorf("bad requests announced arrivals: %v", *arrived)
	}
}
