package intake

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// BenchmarkIntakeAt200PerSecond posts 2,000 new leads over loopback at
// 200 requests a second (fsync'd writes) and reports the latency p50 and
// p99, and checks every acknowledged lead is on disk.
func BenchmarkIntakeAt200PerSecond(b *testing.B) {
	for b.Loop() {
		srv, s, _ := intakeServer(b)
		const n = 2000
		lat := make([]time.Duration, 0, n)
		tick := time.NewTicker(5 * time.Millisecond)
		client := &http.Client{}
		for i := 0; i < n; i++ {
			<-tick.C
			body := fmt.Sprintf(`{"name":"Lead %d","email":"lead%d@example.com"}`, i, i)
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/leads", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer s3cret")
			start := time.Now()
			resp, err := client.Do(req)
			if err != nil || resp.StatusCode != http.StatusCreated {
				b.Fatalf("request %d: %v %v", i, err, resp)
			}
			resp.Body.Close()
			lat = append(lat, time.Since(start))
		}
		tick.Stop()
		if st, _ := s.Stats(); st.Leads != n {
			b.Fatalf("%d leads on disk after %d acknowledged", st.Leads, n)
		}
		slices.Sort(lat)
		b.ReportMetric(float64(lat[n/2].Microseconds()), "p50-µs")
		b.ReportMetric(float64(lat[n*99/100].Microseconds()), "p99-µs")
	}
}
