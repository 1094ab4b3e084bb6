package store

import (
	"bytes"
	"fmt"
	"time"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/followuphq/followup/cadence"
)

// Records are encoded in the protobuf wire format, field by field, without
// generated code: compact, fast, and forward compatible (a reader skips the
// fields it does not know, so a newer binary's records stay readable).

type encoder struct{ b []byte }

func (e *encoder) uint(n protowire.Number, v uint64) {
	if v != 0 {
		e.b = protowire.AppendTag(e.b, n, protowire.VarintType)
		e.b = protowire.AppendVarint(e.b, v)
	}
}

func (e *encoder) int(n protowire.Number, v int64) { e.uint(n, protowire.EncodeZigZag(v)) }

func (e *encoder) bool(n protowire.Number, v bool) {
	if v {
		e.uint(n, 1)
	}
}

func (e *encoder) string(n protowire.Number, s string) {
	if s != "" {
		e.b = protowire.AppendTag(e.b, n, protowire.BytesType)
		e.b = protowire.AppendString(e.b, s)
	}
}

func (e *encoder) time(n protowire.Number, t time.Time) {
	if !t.IsZero() {
		e.b = protowire.AppendTag(e.b, n, protowire.VarintType)
		e.b = protowire.AppendVarint(e.b, protowire.EncodeZigZag(t.UnixNano()))
	}
}

// field is one decoded field: its number and either a varint or bytes.
type field struct {
	num   protowire.Number
	v     uint64
	bytes []byte
}

func (f field) bool() bool      { return f.v != 0 }
func (f field) string() string  { return string(f.bytes) }
func (f field) time() time.Time { return time.Unix(0, protowire.DecodeZigZag(f.v)).UTC() }
func (f field) count() int      { return int(protowire.DecodeZigZag(f.v)) }
func (f field) u8() uint8       { return uint8(f.v) }
func (f field) id() uint64      { return f.v }

// decode calls fn for each field of a record. Unknown fields are skipped by
// fn ignoring them.
func decode(b []byte, fn func(field)) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return fmt.Errorf("decode record: %w", protowire.ParseError(n))
		}
		b = b[n:]
		var f field
		f.num = num
		switch typ {
		case protowire.VarintType:
			v, m := protowire.ConsumeVarint(b)
			if m < 0 {
				return fmt.Errorf("decode record field %d: %w", num, protowire.ParseError(m))
			}
			f.v, n = v, m
		case protowire.BytesType:
			v, m := protowire.ConsumeBytes(b)
			if m < 0 {
				return fmt.Errorf("decode record field %d: %w", num, protowire.ParseError(m))
			}
			if v == nil {
				v = []byte{}
			}
			f.bytes, n = v, m
		default:
			m := protowire.ConsumeFieldValue(num, typ, b)
			if m < 0 {
				return fmt.Errorf("decode record field %d: %w", num, protowire.ParseError(m))
			}
			b = b[m:]
			continue
		}
		b = b[n:]
		fn(f)
	}
	return nil
}

// Touch record fields.
const (
	fTouchAt protowire.Number = iota + 1
	fTouchRep
	fTouchChannel
	fTouchOutcome
	fTouchNote
	fTouchUntil
	fTouchSupersedes
	fTouchPrev // the chain hash of the lead's touch before this one (chain.go); absent on a lead's first
)

// encodeTouch encodes a touch linked to the touch before it by prev, its
// chain hash (zeroHash for a lead's first touch).
func encodeTouch(buf []byte, t *cadence.Touch, prev []byte) []byte {
	e := encoder{b: buf[:0]}
	e.time(fTouchAt, t.At)
	e.string(fTouchRep, t.Rep)
	e.uint(fTouchChannel, uint64(t.Channel))
	e.uint(fTouchOutcome, uint64(t.Outcome))
	e.string(fTouchNote, t.Note)
	e.time(fTouchUntil, t.Until)
	e.uint(fTouchSupersedes, uint64(t.Supersedes))
	return appendPrev(e.b, prev)
}

// appendPrev appends the chain-hash field to an encoded touch, unless the
// hash is zeroHash (a lead's first touch).
func appendPrev(b, prev []byte) []byte {
	if bytes.Equal(prev, zeroHash) {
		return b
	}
	b = protowire.AppendTag(b, fTouchPrev, protowire.BytesType)
	return protowire.AppendBytes(b, prev)
}

func decodeTouch(lead cadence.LeadID, id cadence.TouchID, b []byte) (cadence.Touch, error) {
	t := cadence.Touch{ID: id, LeadID: lead}
	err := readTouch(&t, b, func(b []byte) string { return string(b) })
	return t, err
}

// readTouch decodes a touch record into t (whose ID and LeadID are set);
// rep names go through name, which may share one string among touches.
func readTouch(t *cadence.Touch, b []byte, name func([]byte) string) error {
	r := fieldReader{b: b}
	for r.next() {
		f := &r.f
		switch f.num {
		case fTouchAt:
			t.At = f.time()
		case fTouchRep:
			t.Rep = name(f.bytes)
		case fTouchChannel:
			t.Channel = cadence.Channel(f.u8())
		case fTouchOutcome:
			t.Outcome = cadence.Outcome(f.u8())
		case fTouchNote:
			t.Note = f.string()
		case fTouchUntil:
			t.Until = f.time()
		case fTouchSupersedes:
			t.Supersedes = cadence.TouchID(f.id())
		}
	}
	if r.err != nil {
		return fmt.Errorf("touch %d of lead %d: %w", t.ID, t.LeadID, r.err)
	}
	return nil
}

// Note record fields.
const (
	fNoteAt protowire.Number = iota + 1
	fNoteRep
	fNoteText
)

func encodeNote(buf []byte, n *cadence.Note) []byte {
	e := encoder{b: buf[:0]}
	e.time(fNoteAt, n.At)
	e.string(fNoteRep, n.Rep)
	e.string(fNoteText, n.Text)
	return e.b
}

func decodeNote(lead cadence.LeadID, id cadence.NoteID, b []byte) (cadence.Note, error) {
	n := cadence.Note{ID: id, LeadID: lead}
	err := decode(b, func(f field) {
		switch f.num {
		case fNoteAt:
			n.At = f.time()
		case fNoteRep:
			n.Rep = f.string()
		case fNoteText:
			n.Text = f.string()
		}
	})
	if err != nil {
		return n, fmt.Errorf("note %d of lead %d: %w", id, lead, err)
	}
	return n, nil
}

// Rep record fields.
const (
	fRepRole protowire.Number = iota + 1
	fRepKey
	fRepAwayUntil
	fRepCreated
	fRepAwayFrom
)

func encodeRep(r *cadence.Rep) []byte {
	e := encoder{}
	e.uint(fRepRole, uint64(r.Role))
	for _, k := range r.Keys {
		e.string(fRepKey, k)
	}
	e.time(fRepAwayUntil, r.AwayUntil)
	e.time(fRepCreated, r.CreatedAt)
	e.time(fRepAwayFrom, r.AwayFrom)
	return e.b
}

func decodeRep(name string, b []byte) (cadence.Rep, error) {
	r := cadence.Rep{Name: name}
	err := decode(b, func(f field) {
		switch f.num {
		case fRepRole:
			r.Role = cadence.Role(f.u8())
		case fRepKey:
			r.Keys = append(r.Keys, f.string())
		case fRepAwayUntil:
			r.AwayUntil = f.time()
		case fRepCreated:
			r.CreatedAt = f.time()
		case fRepAwayFrom:
			r.AwayFrom = f.time()
		}
	})
	if err != nil {
		return r, fmt.Errorf("rep %s: %w", name, err)
	}
	return r, nil
}
