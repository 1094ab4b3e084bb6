package intake

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/store"
)

// oneSentence fails unless msg is one line with no full stop at its end
// (the command adds it).
func oneSentence(t *testing.T, what, msg string) {
	t.Helper()
	if msg == "" || strings.ContainsAny(msg, "\n\r") || strings.HasSuffix(msg, ".") {
		t.Fatalf("%s: the error is not one sentence: %q", what, msg)
	}
}

// canonical is the header a lead is written back under to read it again.
var canonical = []string{"Name", "Email", "Phone", "Company", "Title", "Industry", "Size", "Source",
	"Created Date", "Time Zone", "SMS Opt-In", "Contact Me", "Owner"}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// writeBack is a CSV file holding lead l under the canonical header.
func writeBack(t *testing.T, l cadence.Lead) string {
	t.Helper()
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write(canonical)
	_ = w.Write([]string{l.Name, l.Email, l.Phone, l.Company, l.Title, l.Industry, l.Size, l.Source,
		l.ReceivedAt.Format(time.RFC3339Nano), l.Timezone, yesNo(l.SMSOptIn), yesNo(l.ContactMe), l.Owner})
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// FuzzCSVImport: any file either is refused whole with one sentence, or
// reads row by row, each row on a later line than the one before, each
// either a lead that names someone (a lowercase email, an E.164 phone)
// or one sentence saying what is wrong; and a lead read, written back as
// CSV, reads as the same lead.
func FuzzCSVImport(f *testing.F) {
	f.Add("Name,Email\nDana,dana@fbi.gov\n")
	f.Add("\ufeffFirst Name,Last Name,Phone Number,Create Date\r\nDana,Scully,(312) 555-0142,11/20/2026 3:50 PM\r\n")
	f.Add("Contact Name,Account Name,Mobile,Lead Source,Time Zone,SMS Opt-In,Contact Me\n\"Mulder, Fox\",\"Acme\nInc.\",+1 212 555 0100,web,America/New_York,yes,x\n")
	f.Add("Email,Created At,Owner\nFOX@FBI.GOV,2026-11-20T16:50:00-05:00,alice\n")
	f.Add("Name,Notes\n\"unterminated,x\n")
	f.Add("Email,Create Date\nx@y.z,13/45/2026\n")
	f.Add("Name,Phone\nA,12\n,\n\"\",\"\"\n")
	f.Add("Notes,Stuff\na,b\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, text string) {
		r, err := NewReader(strings.NewReader(text), Options{Region: "US", Now: now})
		if err != nil {
			oneSentence(t, "NewReader", err.Error())
			return
		}
		last := 1
		for i := 0; i < 1000; i++ {
			row, err := r.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				t.Fatalf("Next: %v", err)
			}
			if row.Line <= last {
				t.Fatalf("row on line %d after a row on line %d", row.Line, last)
			}
			last = row.Line
			if row.Err != nil {
				oneSentence(t, "row", row.Err.Error())
				continue
			}
			l := row.Lead
			if l.Name == "" || l.Email != strings.ToLower(l.Email) || l.Phone != "" && !strings.HasPrefix(l.Phone, "+") {
				t.Fatalf("row %q made lead %+v", row.Cells, l)
			}
			again := readOne(t, writeBack(t, l))
			if !sameLead(again, l) {
				t.Fatalf("lead %+v\nwritten back and read again is %+v", l, again)
			}
		}
	})
}

func readOne(t *testing.T, text string) cadence.Lead {
	t.Helper()
	r, err := NewReader(strings.NewReader(text), Options{Region: "US", Now: now})
	if err != nil {
		t.Fatalf("read back %q: %v", text, err)
	}
	row, err := r.Next()
	if err != nil || row.Err != nil {
		t.Fatalf("read back %q: %v %v", text, err, row.Err)
	}
	return row.Lead
}

func sameLead(a, b cadence.Lead) bool {
	return a.Name == b.Name && a.Email == b.Email && a.Phone == b.Phone && a.Company == b.Company &&
		a.Title == b.Title && a.Industry == b.Industry && a.Size == b.Size && a.Source == b.Source &&
		a.ReceivedAt.Equal(b.ReceivedAt) && a.Timezone == b.Timezone && a.SMSOptIn == b.SMSOptIn &&
		a.ContactMe == b.ContactMe && a.Owner == b.Owner && a.Interactions == b.Interactions
}

// FuzzIntakeRequest: whatever a caller sends, the intake answers with a
// JSON object and never a server error: a lead it took has an id and is
// stored (and the same request again is that lead, not a second one, when
// it has an email or a phone); a refusal says in one sentence, per field
// it names, what is wrong.
func FuzzIntakeRequest(f *testing.F) {
	f.Add("application/json", `{"name":"Dana Scully","email":"Dana@FBI.gov","phone":"(312) 555-0142","company":"FBI"}`)
	f.Add("application/json", `{"first_name":"Fox","last_name":"Mulder","phone":2125550100,"sms_opt_in":true,"contact_me":"yes"}`)
	f.Add("application/json", `{"name":"X","received_at":"2026-11-20 09:00","timezone":"Mars/Base"}`)
	f.Add("application/json", `{"email":"not-an-email","phone":"12"}`)
	f.Add("application/json", `{"name":["x"]}`)
	f.Add("application/json", `[1,2]`)
	f.Add("application/json; charset=utf-8", `{"name":null,"email":"walter@fbi.gov"}`)
	f.Add("application/x-www-form-urlencoded", "name=Fox&phone=%2B12125550100&source=web")
	f.Add("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nDana\r\n--x--\r\n")
	f.Add("text/plain", "hello")
	f.Add("", "")
	s, err := store.Open(filepath.Join(f.TempDir(), "fuzz.db"), store.Options{NoSync: true})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	for _, r := range []string{"alice", "bob"} {
		if err := s.AddRep(cadence.Rep{Name: r, Role: cadence.RoleRep}); err != nil {
			f.Fatal(err)
		}
	}
	h, err := NewHandler(HandlerOptions{Store: s, Token: "t", Region: "US", Location: time.UTC, Now: func() time.Time { return now }})
	if err != nil {
		f.Fatal(err)
	}
	send := func(t *testing.T, contentType, body string) (int, map[string]any) {
		req := httptest.NewRequest(http.MethodPost, "/v1/leads", strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Authorization", "Bearer t")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s %q: %d with a body that is not a JSON object: %q", contentType, body, rec.Code, rec.Body)
		}
		return rec.Code, out
	}
	f.Fuzz(func(t *testing.T, contentType, body string) {
		code, out := send(t, contentType, body)
		switch code {
		case http.StatusCreated, http.StatusOK:
			id, _ := out["id"].(float64)
			if id < 1 {
				t.Fatalf("%s %q: %d without an id: %v", contentType, body, code, out)
			}
			l, err := s.Lead(cadence.LeadID(id))
			if err != nil || l.Name == "" {
				t.Fatalf("%s %q: answered id %v, stored %+v, %v", contentType, body, id, l, err)
			}
			if l.Email == "" && l.Phone == "" {
				return
			}
			again, out2 := send(t, contentType, body)
			if again != http.StatusOK || out2["id"] != out["id"] || out2["duplicate"] != true {
				t.Fatalf("%s %q sent again: %d %v; want 200, the same id %v, a duplicate", contentType, body, again, out2, id)
			}
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			msg, _ := out["error"].(string)
			oneSentence(t, fmt.Sprintf("%d for %s %q", code, contentType, body), msg)
		case http.StatusUnprocessableEntity:
			errs, _ := out["errors"].(map[string]any)
			if len(errs) == 0 {
				t.Fatalf("%s %q: 422 naming no field: %v", contentType, body, out)
			}
			for field, v := range errs {
				if _, known := requestFields[field]; !known {
					t.Fatalf("%s %q: 422 names %q, not a field of the request", contentType, body, field)
				}
				msg, _ := v.(string)
				oneSentence(t, fmt.Sprintf("422 for %s %q, field %s", contentType, body, field), msg)
			}
		default:
			t.Fatalf("%s %q: %d %v", contentType, body, code, out)
		}
	})
}
