package intake

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// BenchmarkRead reads and normalises CSV rows (phone to E.164, email,
// timezone from the phone, date): the part of an import before the store.
func BenchmarkRead(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("First Name,Last Name,Email,Phone Number,Company Name,Create Date,Lead Source\n")
	for i := 0; i < 10_000; i++ {
		fmt.Fprintf(&sb, "First%d,Last%d,user%d@example.com,+1312%07d,Company %d,2026-11-%02d 10:%02d,webinar\n", i, i, i, 5550000+i, i%500, 1+i%20, i%60)
	}
	text := sb.String()
	b.ResetTimer()
	for b.Loop() {
		r, err := NewReader(strings.NewReader(text), Options{Region: "US", Now: now})
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := r.Next(); errors.Is(err, io.EOF) {
				break
			}
		}
	}
	b.ReportMetric(float64(10_000*b.N)/b.Elapsed().Seconds(), "rows/s")
}
