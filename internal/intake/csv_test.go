package intake

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func readAll(t *testing.T, text string) []Row {
	t.Helper()
	r, err := NewReader(strings.NewReader(text), Options{Region: "US", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	var rows []Row
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, row)
	}
}

// Line numbers are physical lines, right across quoted newlines and blank
// lines, so a rep can find the row in an editor.
func TestPhysicalLineNumbers(t *testing.T) {
	rows := readAll(t, "Name,Email,Notes\r\n"+
		"Dana,dana@fbi.gov,\"one\r\ntwo\r\nthree\"\r\n"+
		"\r\n"+
		"Fox,not-an-email,x\r\n")
	if len(rows) != 2 {
		t.Fatalf("%d rows", len(rows))
	}
	if rows[0].Line != 2 || rows[1].Line != 6 {
		t.Errorf("lines %d and %d, want 2 and 6", rows[0].Line, rows[1].Line)
	}
	if rows[1].Err == nil || rows[1].Err.Error() != `column "Email": "not-an-email" is not an email address` {
		t.Errorf("error: %v", rows[1].Err)
	}
}

// Each CRM's usual headers are recognised without flags.
func TestCRMHeaders(t *testing.T) {
	for name, text := range map[string]string{
		"hubspot":    "First Name,Last Name,Email,Phone Number,Company Name,Create Date\nDana,Scully,dana@fbi.gov,(312) 555-0142,Acme,2026-11-20 16:50\n",
		"salesforce": "First Name,Last Name,Email,Mobile,Account Name,Created Date\nDana,Scully,dana@fbi.gov,312.555.0142,Acme,11/20/2026 16:50\n",
		"pipedrive":  "Person - Name,Person - Email,Person - Phone,Organization - Name,Lead - Created\nDana Scully,dana@fbi.gov,+1 312 555 0142,Acme,2026-11-20T16:50:00Z\n",
		"close":      "Contact Name,Emails,Phones,Company,Date Created\nDana Scully,dana@fbi.gov,+13125550142,Acme,2026-11-20 16:50\n",
	} {
		rows := readAll(t, text)
		if len(rows) != 1 || rows[0].Err != nil {
			t.Errorf("%s: %+v", name, rows)
			continue
		}
		l := rows[0].Lead
		if l.Name != "Dana Scully" || l.Email != "dana@fbi.gov" || l.Phone != "+13125550142" || l.Company != "Acme" ||
			l.ReceivedAt.Day() != 20 {
			t.Errorf("%s: lead %+v", name, l)
		}
	}
}

// FuzzReader: any file reads without a panic, and every row either makes
// a lead with a name or says what is wrong with it.
func FuzzReader(f *testing.F) {
	f.Add("Name,Email\nDana,dana@fbi.gov\n")
	f.Add("\ufeffFirst Name,Last Name,Phone Number\r\nDana,Scully,(312) 555-0142\r\n")
	f.Add("Name,Notes\n\"unterminated,x\n")
	f.Add("Email,Create Date\nx@y.z,13/45/2026\n")
	f.Fuzz(func(t *testing.T, text string) {
		r, err := NewReader(strings.NewReader(text), Options{Region: "US", Now: now})
		if err != nil {
			return
		}
		for i := 0; i < 1000; i++ {
			row, err := r.Next()
			if err != nil {
				return
			}
			if row.Err == nil && row.Lead.Name == "" {
				t.Fatalf("a row made a nameless lead: %q", row.Cells)
			}
		}
	})
}

// Rows made into leads by several workers come back in file order, with
// their physical lines, bad ones in place; a reader closed early stops.
func TestReaderKeepsFileOrderAcrossWorkers(t *testing.T) {
	var b strings.Builder
	b.WriteString("Name,Email,Notes\n")
	line, wantLines := 2, []int{}
	for i := range 2000 {
		email := fmt.Sprintf("p%d@example.com", i)
		if i%97 == 0 {
			email = "not-an-email"
		}
		notes := "x"
		if i%13 == 0 {
			notes = "\"two\nlines\"" // a quoted newline: the next record starts a line later
		}
		fmt.Fprintf(&b, "Person %d,%s,%s\n", i, email, notes)
		wantLines = append(wantLines, line)
		line += 1 + strings.Count(notes, "\n")
	}
	r, err := NewReader(strings.NewReader(b.String()), Options{Region: "US", Now: now, Workers: 4})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2000 {
		row, err := r.Next()
		if err != nil {
			t.Fatalf("row %d: %v", i, err)
		}
		if row.Line != wantLines[i] || (row.Err != nil) != (i%97 == 0) || row.Err == nil && row.Lead.Name != fmt.Sprintf("Person %d", i) {
			t.Fatalf("row %d: line %d (want %d), lead %q, err %v", i, row.Line, wantLines[i], row.Lead.Name, row.Err)
		}
	}
	if _, err := r.Next(); !errors.Is(err, io.EOF) {
		t.Errorf("after the last row: %v, want io.EOF", err)
	}

	early, err := NewReader(strings.NewReader(b.String()), Options{Region: "US", Now: now, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := early.Next(); err != nil {
		t.Fatal(err)
	}
	early.Close()
	for {
		if _, err := early.Next(); err != nil {
			if errors.Is(err, io.EOF) {
				t.Error("a closed reader read to the end")
			}
			break
		}
	}
}

// A row with several bad cells names each of them, in one sentence, so
// that it is fixed in one go.
func TestRowNamesEveryBadCell(t *testing.T) {
	rows := readAll(t, "First Name,Last Name,Email,Mobile,Created Date\nJohn,Doggett,john.doggett@fbi,555-0123,31/31/2026\n")
	if len(rows) != 1 || rows[0].Err == nil {
		t.Fatalf("rows: %+v", rows)
	}
	msg := rows[0].Err.Error()
	for _, want := range []string{`column "Email": "john.doggett@fbi" is not an email address`, `column "Mobile": "555-0123" is not a phone number`, `column "Created Date": "31/31/2026" is not a date`} {
		if !strings.Contains(msg, want) {
			t.Errorf("the row's error does not say %q:\n%s", want, msg)
		}
	}
	var fe *FieldError
	if !errors.As(rows[0].Err, &fe) || fe.Label != "Email" {
		t.Errorf("the row's error does not hold its field errors: %#v", rows[0].Err)
	}
}
