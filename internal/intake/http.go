package intake

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/internal/assign"
	"github.com/followuphq/followup/store"
)

// MaxBody is the largest intake request body read.
const MaxBody = 64 << 10

// HandlerOptions configure the HTTP intake.
type HandlerOptions struct {
	Store    *store.Store
	Token    string // the bearer token callers must send; never logged
	Region   string
	Location *time.Location
	Now      func() time.Time
	// Method is how new leads are given out: assign.LeastLoaded (the
	// default) or assign.RoundRobin.
	Method string
	// MinInteractions is how many interactions make a person a lead; a
	// first form fill below it is a name on the nurture list.
	MinInteractions int
	// Arrived is told the id of each lead entered or changed (the team
	// server announces it to the open sessions).
	Arrived func(cadence.LeadID)
	Logger  *slog.Logger
}

// Handler is POST /v1/leads: a lead arrives as JSON or an HTML form, is
// entered and assigned at once (to a rep on duty, by the team's method),
// and the caller gets 201 with its id and owner, 200 with the existing id
// for a duplicate, 422 with a message per bad field, 401 without the token.
// A person below the team's bar is entered as a name: 201 with its id and
// status "name", and no owner until they qualify.
type Handler struct {
	opts    HandlerOptions
	mu      sync.Mutex
	owners  *assign.Assigner // refreshed each minute, and counting leads as it gives them out
	counted time.Time
}

// NewHandler returns the handler.
func NewHandler(opts HandlerOptions) (*Handler, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Method == "" {
		opts.Method = assign.LeastLoaded
	}
	now := opts.Now()
	owners, err := assign.New(opts.Method, opts.Store, now)
	if err != nil {
		return nil, fmt.Errorf("intake: %w", err)
	}
	return &Handler{opts: opts, owners: owners, counted: now}, nil
}

// requestFields are the names an intake request uses, JSON and form alike.
var requestFields = map[string]Field{
	"name": FieldName, "first_name": FieldFirstName, "last_name": FieldLastName, "email": FieldEmail,
	"phone": FieldPhone, "company": FieldCompany, "title": FieldTitle, "industry": FieldIndustry,
	"size": FieldSize, "source": FieldSource, "received_at": FieldReceived, "timezone": FieldTimezone,
	"sms_opt_in": FieldSMSOptIn, "contact_me": FieldContactMe,
}

type reply struct {
	ID        cadence.LeadID    `json:"id,omitempty"`
	Owner     string            `json:"owner,omitempty"`
	Status    string            `json:"status,omitempty"` // "name" for a person on the nurture list
	Duplicate bool              `json:"duplicate,omitempty"`
	Qualified bool              `json:"qualified,omitempty"` // a name became a lead
	Error     string            `json:"error,omitempty"`
	Errors    map[string]string `json:"errors,omitempty"`
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v1/leads" {
		h.send(w, http.StatusNotFound, reply{Error: "no such endpoint; POST leads to /v1/leads"})
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.send(w, http.StatusMethodNotAllowed, reply{Error: "POST a lead to /v1/leads"})
		return
	}
	token, bearer := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !bearer || !tokenMatches(token, h.opts.Token) {
		h.send(w, http.StatusUnauthorized, reply{Error: "send the intake token as Authorization: Bearer TOKEN"})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
	values, err := readValues(r)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		h.send(w, http.StatusRequestEntityTooLarge, reply{Error: fmt.Sprintf("the body is over %d KB", MaxBody>>10)})
		return
	case err != nil:
		h.send(w, http.StatusBadRequest, reply{Error: err.Error()})
		return
	}
	now := h.opts.Now()
	l, errs := Build(func(f Field) (string, string) {
		for name, rf := range requestFields {
			if rf == f {
				return strings.TrimSpace(values[name]), name
			}
		}
		return "", ""
	}, Options{Region: h.opts.Region, Location: h.opts.Location, Now: now})
	if len(errs) > 0 {
		out := reply{Errors: map[string]string{}}
		for _, e := range errs {
			name := e.Label
			if name == "" {
				name = "name"
			}
			out.Errors[name] = fmt.Sprintf("%q %s", e.Value, e.Why)
			if e.Field == "" {
				out.Errors[name] = e.Why
			}
		}
		h.send(w, http.StatusUnprocessableEntity, out)
		return
	}
	l.EnteredAt, l.AssignedAt = now, now
	h.mu.Lock()
	defer h.mu.Unlock()
	h.refresh(now)
	res, err := h.opts.Store.Arrive([]store.Arrival{{Lead: l}},
		store.ArriveOptions{MinInteractions: h.opts.MinInteractions, Assign: h.owners.Next})
	switch {
	case errors.Is(err, store.ErrNotFound) && h.owners.Team().OnDuty() == 0:
		h.send(w, http.StatusServiceUnavailable, reply{Error: "there is no rep on duty to give the lead to"})
		return
	case err != nil:
		h.opts.Logger.Error("intake", "error", err)
		h.send(w, http.StatusInternalServerError, reply{Error: "the lead could not be saved; try again"})
		return
	}
	r0 := res[0]
	if h.opts.Arrived != nil {
		h.opts.Arrived(r0.ID)
	}
	status := ""
	if r0.Name {
		status = "name"
	}
	if r0.New {
		h.send(w, http.StatusCreated, reply{ID: r0.ID, Owner: r0.Owner, Status: status})
		return
	}
	h.send(w, http.StatusOK, reply{ID: r0.ID, Owner: r0.Owner, Status: status, Duplicate: true, Qualified: r0.Qualified})
}

// tokenMatches reports whether got is the intake token want, in time that
// depends on neither: both are hashed to SHA-256 first, so the compare
// does not even end early on a different length. An empty want matches
// nothing.
func tokenMatches(got, want string) bool {
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1 && want != ""
}

// TeamChanged makes the next lead read the team again at once (a rep sent
// away or brought back), not at the turn of the minute.
func (h *Handler) TeamChanged() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.counted = time.Time{}
}

// refresh reads the team and its loads again once a minute: a rep gone
// away or back, leads touched in sessions. A failed read keeps the last.
func (h *Handler) refresh(now time.Time) {
	if now.Sub(h.counted) < time.Minute {
		return
	}
	h.counted = now
	if err := h.owners.Refresh(h.opts.Store, now); err != nil {
		h.opts.Logger.Error("intake: read the team", "error", err)
	}
}

// readValues reads a JSON object or an HTML form into field values.
func readValues(r *http.Request) (map[string]string, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	values := map[string]string{}
	switch ct {
	case "application/json":
		var raw map[string]any
		dec := json.NewDecoder(r.Body)
		dec.UseNumber() // a phone sent as a number stays its digits
		if err := dec.Decode(&raw); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return nil, err
			}
			return nil, fmt.Errorf("the body is not a JSON object: %v", err)
		}
		for k, v := range raw {
			switch v := v.(type) {
			case string:
				values[k] = v
			case bool:
				values[k] = fmt.Sprint(v)
			case json.Number:
				values[k] = v.String()
			case nil:
			default:
				return nil, fmt.Errorf("field %q: give a string, a number or true/false", k)
			}
		}
	case "application/x-www-form-urlencoded", "multipart/form-data":
		if err := r.ParseMultipartForm(MaxBody); err != nil && !errors.Is(err, http.ErrNotMultipart) {
			return nil, err
		}
		for k := range r.Form {
			values[k] = r.Form.Get(k)
		}
	default:
		return nil, fmt.Errorf("send JSON (application/json) or a form (application/x-www-form-urlencoded), not %q", ct)
	}
	return values, nil
}

func (h *Handler) send(w http.ResponseWriter, status int, body reply) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}
