package store

import (
	"bytes"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"pgregory.net/rapid"
)

// TestFieldReaderMatchesDecode: fieldReader reads the fields decode reads,
// in order, for records of short and long strings, small and 64-bit
// varints, field numbers of one- and two-byte tags, fields of other wire
// types, and records cut short; nextOf reads the wanted ones among them.
func TestFieldReaderMatchesDecode(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var b []byte
		for range rapid.IntRange(0, 12).Draw(t, "fields") {
			num := protowire.Number(rapid.SampledFrom([]int{1, 2, 9, 15, 16, 17, 29, 63, 64, 70, 3000}).Draw(t, "num"))
			switch rapid.IntRange(0, 3).Draw(t, "type") {
			case 0:
				b = protowire.AppendTag(b, num, protowire.VarintType)
				b = protowire.AppendVarint(b, rapid.SampledFrom([]uint64{0, 1, 127, 128, 1 << 40, ^uint64(0)}).Draw(t, "v"))
			case 1:
				b = protowire.AppendTag(b, num, protowire.BytesType)
				b = protowire.AppendBytes(b, bytes.Repeat([]byte{'x'}, rapid.SampledFrom([]int{0, 1, 127, 128, 300}).Draw(t, "len")))
			case 2:
				b = protowire.AppendTag(b, num, protowire.Fixed32Type)
				b = protowire.AppendFixed32(b, 7)
			case 3:
				b = protowire.AppendTag(b, num, protowire.Fixed64Type)
				b = protowire.AppendFixed64(b, 7)
			}
		}
		if rapid.Bool().Draw(t, "cut") && len(b) > 0 {
			b = b[:rapid.IntRange(0, len(b)-1).Draw(t, "at")]
		}
		var want []field
		wantErr := decode(b, func(f field) { want = append(want, f) }) != nil
		mask := rapid.Uint64().Draw(t, "mask")
		for _, m := range []uint64{^uint64(0), mask} {
			r := fieldReader{b: b}
			var got []field
			for r.nextOf(m) {
				if r.f.num != 0 {
					got = append(got, r.f)
				}
			}
			var wanted []field
			for _, f := range want {
				if f.num >= 64 || m&(1<<f.num) != 0 {
					wanted = append(wanted, f)
				}
			}
			if (r.err != nil) != wantErr {
				t.Fatalf("mask %x: error %v, decode failed: %v", m, r.err, wantErr)
			}
			if !wantErr && !sameFields(got, wanted) {
				t.Fatalf("mask %x: read %v, decode read %v", m, got, wanted)
			}
		}
	})
}

// sameFields reports whether a and b hold the same fields in order.
func sameFields(a, b []field) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].num != b[i].num || a[i].v != b[i].v || !bytes.Equal(a[i].bytes, b[i].bytes) || (a[i].bytes == nil) != (b[i].bytes == nil) {
			return false
		}
	}
	return true
}
