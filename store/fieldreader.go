package store

import (
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
)

// fieldReader walks the fields of a record one next call at a time, as
// decode does without a call of a function per field.
type fieldReader struct {
	b   []byte
	f   field
	err error
}

// next reads the next field into r.f, and returns false at the end of the
// record or at an error (then in r.err).
func (r *fieldReader) next() bool { return r.nextOf(^uint64(0)) }

// nextOf is next for the fields whose numbers are set in want (bit n for
// field n; fields from 64 on always count): the others are passed over
// without being read. Tags of one or two bytes and lengths of one are read
// here; anything else (or a record cut short) is left to protowire, which
// says what is wrong.
func (r *fieldReader) nextOf(want uint64) bool {
	for {
		if ok, done := r.fast(want); done {
			return ok
		}
		if !r.slow() {
			return false
		}
		if n := uint64(r.f.num); n != 0 && (n >= 64 || want&(1<<n) != 0) {
			return true
		}
	}
}

// fast is nextOf for the common encodings; done is false when the next
// field is left to slow.
func (r *fieldReader) fast(want uint64) (ok, done bool) {
	for len(r.b) > 0 {
		var tag uint64
		n := 0
		switch c := r.b[0]; {
		case c < 0x80:
			tag, n = uint64(c), 1
		case len(r.b) > 1 && r.b[1] < 0x80:
			tag, n = uint64(c&0x7f)|uint64(r.b[1])<<7, 2
		default:
			return false, false
		}
		num, typ := tag>>3, protowire.Type(tag&7)
		if num == 0 {
			return false, false
		}
		b := r.b[n:]
		switch typ {
		case protowire.VarintType:
			wanted := num >= 64 || want&(1<<num) != 0
			if len(b) > 0 && b[0] < 0x80 {
				if !wanted {
					r.b = b[1:]
					continue
				}
				r.f = field{num: protowire.Number(num), v: uint64(b[0])}
				r.b = b[1:]
				return true, true
			}
			v, m := protowire.ConsumeVarint(b)
			if m < 0 {
				return false, false
			}
			r.b = b[m:]
			if !wanted {
				continue
			}
			r.f = field{num: protowire.Number(num), v: v}
			return true, true
		case protowire.BytesType:
			if len(b) == 0 || b[0] >= 0x80 || 1+int(b[0]) > len(b) {
				return false, false
			}
			end := 1 + int(b[0])
			if num < 64 && want&(1<<num) == 0 {
				r.b = b[end:]
				continue
			}
			r.f = field{num: protowire.Number(num), bytes: b[1:end:end]}
			r.b = b[end:]
			return true, true
		default:
			return false, false
		}
	}
	return false, true
}

// slow reads the next field with protowire, whatever its encoding.
func (r *fieldReader) slow() bool {
	num, typ, n := protowire.ConsumeTag(r.b)
	if n < 0 {
		r.err = fmt.Errorf("decode record: %w", protowire.ParseError(n))
		return false
	}
	r.b = r.b[n:]
	r.f = field{num: num}
	switch typ {
	case protowire.VarintType:
		v, m := protowire.ConsumeVarint(r.b)
		if m < 0 {
			r.err = fmt.Errorf("decode record field %d: %w", num, protowire.ParseError(m))
			return false
		}
		r.f.v, r.b = v, r.b[m:]
	case protowire.BytesType:
		v, m := protowire.ConsumeBytes(r.b)
		if m < 0 {
			r.err = fmt.Errorf("decode record field %d: %w", num, protowire.ParseError(m))
			return false
		}
		if v == nil {
			v = []byte{}
		}
		r.f.bytes, r.b = v, r.b[m:]
	default:
		m := protowire.ConsumeFieldValue(num, typ, r.b)
		if m < 0 {
			r.err = fmt.Errorf("decode record field %d: %w", num, protowire.ParseError(m))
			return false
		}
		r.b = r.b[m:]
		r.f = field{} // of another type, which no reader here reads: passed over
	}
	return true
}
