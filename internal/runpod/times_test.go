package runpod

import (
	"testing"
	"time"
)

func TestTimes(t *testing.T) {
	t.Parallel()
	want := time.Date(2024, 7, 12, 15, 14, 40, 0, time.UTC)
	tests := []struct {
		name string
		got  time.Time
		want time.Time
	}{
		{name: "rest_rfc3339", got: parseTime("2024-07-12T15:14:40Z"), want: want},
		{name: "graphql_go_string", got: parseTime("2024-07-12 15:14:40 +0000 UTC"), want: want},
		{name: "graphql_millis", got: parseTime("2024-07-12 15:14:40.5 +0000 UTC"), want: want.Add(500 * time.Millisecond)},
		{name: "garbage", got: parseTime("yesterday"), want: time.Time{}},
		{name: "stopped", got: stoppedAt(StatusExited, "Exited by User: Fri Jul 12 2024 15:14:40 GMT+0000 (Coordinated Universal Time)"), want: want},
		{name: "running_has_no_stop", got: stoppedAt(StatusRunning, "Rented by User: Fri Jul 12 2024 15:14:40 GMT+0000 (Coordinated Universal Time)"), want: time.Time{}},
		{name: "stop_unparsable", got: stoppedAt(StatusExited, "Exited by User: soon"), want: time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if !tt.got.Equal(tt.want) {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}
