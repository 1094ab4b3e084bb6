package intake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/store"
)

func intakeServer(t testing.TB) (*httptest.Server, *store.Store, *[]cadence.LeadID) {
	t.Helper()
	return intakeServerWith(t, HandlerOptions{})
}

// intakeServerWith serves the intake on loopback with opts over the
// defaults of intakeServer (reps alice and bob, token s3cret).
func intakeServerWith(t testing.TB, opts HandlerOptions) (*httptest.Server, *store.Store, *[]cadence.LeadID) {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "intake.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for _, r := range []string{"alice", "bob"} {
		if err := s.AddRep(cadence.Rep{Name: r, Role: cadence.RoleRep}); err != nil {
			t.Fatal(err)
		}
	}
	var arrived []cadence.LeadID
	opts.Store, opts.Token, opts.Region, opts.Location = s, "s3cret", "US", time.UTC
	opts.Now = func() time.Time { return now }
	opts.Arrived = func(id cadence.LeadID) { arrived = append(arrived, id) }
	h, err := NewHandler(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h) // a real HTTP server on loopback
	t.Cleanup(srv.Close)
	return srv, s, &arrived
}

func post(t *testing.T, url, token, contentType, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+"/v1/leads", strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var out map[string]any
	json.Unmarshal(data, &out)
	return resp.StatusCode, out
}

func TestIntakeOverHTTP(t *testing.T) {
	srv, s, arrived := intakeServer(t)
	code, out := post(t, srv.URL, "s3cret", "application/json", `{"name":"Dana Scully","email":"Dana@FBI.gov","phone":"(312) 555-0142","contact_me":true}`)
	if code != http.StatusCreated || out["id"] != 1.0 || out["owner"] != "alice" {
		t.Fatalf("new lead: %d %v", code, out)
	}
	l, err := s.Lead(1)
	if err != nil || l.Email != "dana@fbi.gov" || l.Phone != "+13125550142" || !l.ContactMe || l.Owner != "alice" {
		t.Fatalf("on disk: %+v %v", l, err)
	}
	// The next new lead goes to the rep with fewer open leads.
	code, out = post(t, srv.URL, "s3cret", "application/x-www-form-urlencoded", url.Values{"name": {"Fox Mulder"}, "phone": {"+1 212 555 0100"}}.Encode())
	if code != http.StatusCreated || out["owner"] != "bob" {
		t.Fatalf("form lead: %d %v", code, out)
	}
	// The same person again is another interaction of lead 1.
	code, out = post(t, srv.URL, "s3cret", "application/json", `{"name":"D. Scully","phone":"+1 312.555.0142"}`)
	if code != http.StatusOK || out["id"] != 1.0 || out["duplicate"] != true {
		t.Fatalf("duplicate: %d %v", code, out)
	}
	if l, _ := s.Lead(1); l.Interactions != 2 {
		t.Errorf("interactions after the duplicate: %d", l.Interactions)
	}
	if len(*arrived) != 3 {
		t.Errorf("arrivals announced: %v", *arrived)
	}
	// Bad fields: one message each, nothing written.
	code, out = post(t, srv.URL, "s3cret", "application/json", `{"name":"Bad","email":"not-an-email","phone":"12"}`)
	errs, _ := out["errors"].(map[string]any)
	if code != http.StatusUnprocessableEntity || errs["email"] == nil || errs["phone"] == nil {
		t.Fatalf("bad fields: %d %v", code, out)
	}
	// No token, a wrong token: 401, and nothing written.
	for _, token := range []string{"", "wrong"} {
		if code, _ := post(t, srv.URL, token, "application/json", `{"name":"Intruder"}`); code != http.StatusUnauthorized {
			t.Errorf("token %q: %d", token, code)
		}
	}
	// Too large a body: 413.
	big := `{"name":"` + strings.Repeat("x", MaxBody) + `"}`
	if code, _ := post(t, srv.URL, "s3cret", "application/json", big); code != http.StatusRequestEntityTooLarge {
		t.Errorf("big body: %d", code)
	}
	if st, _ := s.Stats(); st.Leads != 2 {
		t.Errorf("%d leads on disk, want 2", st.Leads)
	}
}

// FuzzIntakeBody: no body makes the handler panic or answer 5xx.
func FuzzIntakeBody(f *testing.F) {
	f.Add("application/json", `{"name":"Dana","email":"dana@fbi.gov"}`)
	f.Add("application/json", `{"name":["x"]}`)
	f.Add("application/x-www-form-urlencoded", "name=Fox&phone=%2B12125550100")
	f.Add("text/plain", "hello")
	s, err := store.Open(filepath.Join(f.TempDir(), "fuzz.db"), store.Options{NoSync: true})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	s.AddRep(cadence.Rep{Name: "alice", Role: cadence.RoleRep})
	h, err := NewHandler(HandlerOptions{Store: s, Token: "t", Region: "US", Now: func() time.Time { return now }})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, contentType, body string) {
		req := httptest.NewRequest(http.MethodPost, "/v1/leads", strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Authorization", "Bearer t")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %q: %d %s", contentType, body, rec.Code, rec.Body)
		}
	})
}

// With two interactions to make a lead, a first form fill is entered as a
// name (201, no owner); the second makes it a lead given out in turn, and
// a "contact me" is a lead at once.
func TestIntakeKeepsNamesUntilTheyQualify(t *testing.T) {
	srv, s, _ := intakeServerWith(t, HandlerOptions{MinInteractions: 2, Method: "round-robin"})
	const form = "application/x-www-form-urlencoded"
	code, out := post(t, srv.URL, "s3cret", form, "name=Dana+Scully&email=dana@fbi.gov")
	if code != http.StatusCreated || out["status"] != "name" || out["owner"] != nil {
		t.Fatalf("first form fill: %d %v, want 201 with status name and no owner", code, out)
	}
	id := out["id"]
	if n, _ := s.QueueLen("alice"); n != 0 {
		t.Errorf("a name is in alice's queue")
	}
	code, out = post(t, srv.URL, "s3cret", form, "name=Dana+Scully&email=DANA@fbi.gov")
	if code != http.StatusOK || out["id"] != id || out["qualified"] != true || out["owner"] != "alice" {
		t.Errorf("second form fill: %d %v, want 200, the same id, qualified and given to alice", code, out)
	}
	code, out = post(t, srv.URL, "s3cret", "application/json", `{"name":"Fox Mulder","email":"fox@fbi.gov","contact_me":true}`)
	if code != http.StatusCreated || out["owner"] != "bob" || out["status"] != nil {
		t.Errorf("contact me: %d %v, want 201 given to bob", code, out)
	}
}
