package fakerunpod

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// logPollInterval is how often a log stream looks for new lines.
const logPollInterval = 50 * time.Millisecond

// podLogsREST answers getPodLogs: a Server-Sent Events stream of the
// pod's log, from source if one is given. It backfills the last tail lines
// (100 by default), or those after the Last-Event-ID header or the since
// parameter, then sends new lines as they come. Like RunPod's, the stream
// stays open until the client goes away, even once the pod is gone; it
// ends too when the server closes. Each event's id is its timestamp.
func (s *Server) podLogsREST(r *http.Request, id string) restReply {
	lines, ok := s.world.logs(id)
	if !ok {
		return problem(http.StatusNotFound, MsgPodNotFound)
	}
	source := r.URL.Query().Get("source")
	backfill, err := backfillLines(lines, source, r.URL.Query(), r.Header.Get("Last-Event-ID"))
	if err != nil {
		return problem(http.StatusUnprocessableEntity, "Request validation failed.", err.Error())
	}
	var body []byte
	for _, l := range backfill {
		body = append(body, sseEvent(l)...)
	}
	rep := restReply{status: http.StatusOK, body: body, header: http.Header{
		"Content-Type": {"text/event-stream"}, "Cache-Control": {"no-cache"},
		"Connection": {"keep-alive"}, "X-Accel-Buffering": {"no"},
	}}
	sent := len(lines)
	rep.stream = func(ctx context.Context, w http.ResponseWriter, flush func() error) {
		s.followLog(ctx, id, source, sent, w, flush)
	}
	return rep
}

// backfillLines picks the lines of source (all if "") to send first: those
// after the cursor lastEventID or since, else the last tail lines.
func backfillLines(lines []logLine, source string, q url.Values, lastEventID string) ([]logLine, error) {
	var picked []logLine
	for _, l := range lines {
		if source == "" || l.source == source {
			picked = append(picked, l)
		}
	}
	cursor := lastEventID
	if cursor == "" {
		cursor = q.Get("since")
	}
	if cursor != "" {
		at, err := time.Parse(time.RFC3339Nano, cursor)
		if err != nil {
			return nil, fmt.Errorf("invalid log cursor %q: %w", cursor, err)
		}
		for i, l := range picked {
			if l.ts.After(at) {
				return picked[i:], nil
			}
		}
		return nil, nil
	}
	tail := 100
	if v := q.Get("tail"); v != "" {
		tail, _ = strconv.Atoi(v) // validated already
	}
	return picked[max(0, len(picked)-tail):], nil
}

// followLog sends the pod's log lines of source past the first sent, as
// they come.
func (s *Server) followLog(ctx context.Context, id, source string, sent int, w http.ResponseWriter, flush func() error) {
	tick := time.NewTicker(logPollInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		lines, ok := s.world.logs(id)
		switch {
		case !ok && s.world.isClosed():
			return
		case !ok:
			continue // the pod is gone: nothing more will come
		}
		for _, l := range lines[sent:] {
			if source == "" || l.source == source {
				if _, err := w.Write(sseEvent(l)); err != nil {
					return
				}
			}
		}
		sent = len(lines)
		if err := flush(); err != nil {
			return
		}
	}
}

// logTime is the RFC 3339 form of log stamps: in microseconds, always
// six digits, so that stamps sort as strings too.
const logTime = "2006-01-02T15:04:05.000000Z07:00"

// sseEvent is one log line as a Server-Sent Event.
func sseEvent(l logLine) []byte {
	ts := l.ts.Format(logTime)
	data, _ := json.Marshal(struct {
		TS     string `json:"ts"`
		Source string `json:"source"`
		Line   string `json:"line"`
	}{ts, l.source, l.text}) // strings only: cannot fail
	return fmt.Appendf(nil, "id: %s\ndata: %s\n\n", ts, data)
}
