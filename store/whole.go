package store

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// checkWhole refuses a file shorter than its own last meta page says it
// is (a half-copied backup), before bbolt maps it: bbolt reads its
// freelist at open and faults on a page past the end of the file. A file
// that is not a bbolt file at all is left to bbolt to refuse.
func checkWhole(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return nil // bbolt says why
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	// Like bbolt: the second meta page sits one page in, by the first's
	// page size, or the system's when the first is damaged; the valid
	// one with the later transaction counts.
	m0, ok0 := readMeta(f, 0)
	pageSize := int64(os.Getpagesize())
	if ok0 {
		pageSize = int64(m0.pageSize)
	}
	m1, ok1 := readMeta(f, pageSize)
	m := m0
	switch {
	case !ok0 && !ok1:
		return nil
	case !ok0 || (ok1 && m1.txid > m0.txid):
		m = m1
	}
	if need := int64(m.pgid) * int64(m.pageSize); fi.Size() < need {
		return fmt.Errorf("%w: the file is cut short (%d of %d bytes); it is not a complete copy", ErrNotDatabase, fi.Size(), need)
	}
	return nil
}

// boltMeta is what checkWhole reads of a bbolt meta page.
type boltMeta struct {
	pageSize uint32
	pgid     uint64 // the high-water mark: pages in use
	txid     uint64
}

// readMeta reads the meta page at off; ok is false unless it is a bbolt
// meta page whose checksum holds. Layout (bbolt 1.x, in the machine's
// byte order): a 16-byte page header, then magic(4) version(4)
// pageSize(4) flags(4) root(16) freelist(8) pgid(8) txid(8) checksum(8).
func readMeta(f *os.File, off int64) (boltMeta, bool) {
	var b [16 + 64]byte
	if _, err := f.ReadAt(b[:], off); err != nil && err != io.EOF {
		return boltMeta{}, false
	}
	m := b[16:]
	ne := binary.NativeEndian
	if ne.Uint32(m[0:]) != 0xED0CDAED || ne.Uint32(m[4:]) != 2 {
		return boltMeta{}, false
	}
	h := fnv.New64a()
	h.Write(m[:56])
	if h.Sum64() != ne.Uint64(m[56:]) {
		return boltMeta{}, false
	}
	meta := boltMeta{pageSize: ne.Uint32(m[8:]), pgid: ne.Uint64(m[40:]), txid: ne.Uint64(m[48:])}
	if meta.pageSize < 512 || meta.pageSize > 1<<20 {
		return boltMeta{}, false
	}
	return meta, true
}
