package runpod

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// logIdle is how long Logs waits for another line once the backfill stops coming; the
// endpoint streams live lines after the backfill and never ends on its own.
const logIdle = 1500 * time.Millisecond

// Logs returns up to the last lines of the pod's logs (system and container), read from the
// log stream's backfill.
func (r *REST) Logs(ctx context.Context, id string, lines int) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	resp, err := r.openLogs(ctx, id, lines)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return readEvents(resp, lines, cancel), nil
}

// FollowLogs calls emit with the last lines of the pod's logs, then with each new line as
// RunPod streams it, until ctx ends (nil then) or the stream does.
func (r *REST) FollowLogs(ctx context.Context, id string, lines int, emit func(line string)) error {
	resp, err := r.openLogs(ctx, id, lines)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	stop := context.AfterFunc(ctx, func() { _ = resp.Body.Close() })
	defer stop()
	scanEvents(resp.Body, emit)
	return nil
}

// openLogs opens the pod's log stream (GET /v2/pods/{id}/logs, server-sent events) with a
// backfill of lines.
func (r *REST) openLogs(ctx context.Context, id string, lines int) (*http.Response, error) {
	u := r.base + "/v2/pods/" + url.PathEscape(id) + "/logs?tail=" + strconv.Itoa(lines)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "text/event-stream")
	hc := *r.hc
	hc.Timeout = 0 // a stream: the context bounds it
	resp, err := hc.Do(req)
	if err != nil {
		return nil, &Error{Op: "read logs of pod " + id, Class: Transient, Message: err.Error()}
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		var buf [4096]byte
		n, _ := resp.Body.Read(buf[:])
		return nil, problem(call{op: "read logs of pod " + id}, resp, buf[:n])
	}
	return resp, nil
}

// readEvents collects the "line" of each data event until it has want lines or the stream
// stays quiet for logIdle; then it ends the stream.
func readEvents(resp *http.Response, want int, stop context.CancelFunc) []string {
	got := make(chan string)
	go func() {
		defer close(got)
		scanEvents(resp.Body, func(line string) { got <- line })
	}()
	var out []string
	idle := time.NewTimer(logIdle)
	defer idle.Stop()
	for len(out) < want {
		select {
		case l, ok := <-got:
			if !ok {
				return out
			}
			out = append(out, l)
			idle.Reset(logIdle)
		case <-idle.C:
			stop()
			for range got { // let the reader end
			}
			return out
		}
	}
	stop()
	for range got {
	}
	return out
}

// scanEvents calls emit with "[source] line" for each data event of a log stream, until the
// stream ends.
func scanEvents(r io.Reader, emit func(line string)) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data:")
		if !ok {
			continue
		}
		var ev struct {
			Source string `json:"source"`
			Line   string `json:"line"`
		}
		if json.Unmarshal([]byte(strings.TrimSpace(data)), &ev) == nil {
			emit("[" + ev.Source + "] " + ev.Line)
		}
	}
}
